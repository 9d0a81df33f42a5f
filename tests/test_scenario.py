"""Scenario files: loading, extends, overrides, schema, and every error path naming file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from simulation import Scenario, ScenarioError, load_scenario, scenario_schema
from simulation.scenario import parse_override
from tests.conftest import SCENARIOS


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_baseline_file_equals_builtin_default():
    """The built-in default (`painsim run` without a file) is the shipped baseline file."""
    from_file = load_scenario(SCENARIOS / "baseline.yaml").resolved()
    builtin = Scenario().resolved()
    from_file.pop("description")
    builtin.pop("description")
    assert from_file == builtin


def test_every_shipped_scenario_loads():
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert files
    for path in files:
        assert load_scenario(path).population > 0


def test_extends_merges_mappings_and_the_extending_file_wins(tmp_path):
    write(tmp_path, "base.yaml", "population: 500\nseed: 3\nparameters:\n  pain:\n    from_mood: 0.5\n")
    child = write(
        tmp_path, "child.yaml", "extends: base.yaml\nname: child\nparameters:\n  pain:\n    from_poor_sleep: 0.9\n"
    )
    s = load_scenario(child)
    assert (s.name, s.population, s.seed) == ("child", 500, 3)
    assert s.parameters.pain.from_mood == 0.5 and s.parameters.pain.from_poor_sleep == 0.9


def test_extending_file_may_switch_duration_unit(tmp_path):
    write(tmp_path, "base.yaml", "years: 10\n")
    s = load_scenario(write(tmp_path, "child.yaml", "extends: base.yaml\ndays: 84\n"))
    assert s.duration_days == 84 and s.years is None


def test_extends_loop_is_an_error(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="loop"):
        load_scenario(tmp_path / "a.yaml")


def test_set_overrides_typed_values():
    s = load_scenario(
        SCENARIOS / "baseline.yaml",
        ["population=1234", "parameters.pain.from_poor_sleep=0.7", "outputs.charts=false", "days=30"],
    )
    assert s.population == 1234 and s.parameters.pain.from_poor_sleep == 0.7
    assert s.outputs.charts is False and s.duration_days == 30


def test_set_addresses_interventions_by_name_or_position():
    s = load_scenario(
        SCENARIOS / "cbt_exercise.yaml", ["interventions.cbt.coverage=0.7", "interventions.1.coverage=0.2"]
    )
    assert [i.coverage for i in s.interventions] == [0.7, 0.2]
    with pytest.raises(ScenarioError, match="matches no item; give a position"):
        load_scenario(SCENARIOS / "cbt_exercise.yaml", ["interventions.yoga.coverage=0.5"])


def test_parse_override_reads_yaml_values():
    assert parse_override("a.b=0.5") == (["a", "b"], 0.5)
    assert parse_override("flag=true") == (["flag"], True)
    with pytest.raises(ScenarioError, match="KEY=VALUE"):
        parse_override("novalue")


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("population: -5\n", ["population", "greater than or equal to 10", "-5"]),
        ("coverge: 0.5\n", ["`coverge` is not a known field", "allowed here: name"]),
        ("parameters:\n  pain:\n    from_poor_sleeep: 1\n", ["parameters.pain.from_poor_sleeep", "from_poor_sleep"]),
        ("parameters:\n  pian: {}\n", ["parameters.pian", "allowed here: population, nociception"]),
        ("parameters:\n  pain:\n    from_poor_sleep: 9\n", ["parameters.pain.from_poor_sleep", "0.0 to 2.0"]),
        ("parameters:\n  mood:\n    female: high\n", ["parameters.mood.female", "valid number"]),
        ("outputs:\n  panel_sise: 3\n", ["outputs.panel_sise", "panel_size"]),
        ("years: 2\ndays: 30\n", ["`years` or as `days`, not both"]),
        ("replicates: 1.5\n", ["replicates"]),
        ("interventions:\n  - type: hypnosis\n", ["interventions.0", "'hypnosis'", "'cbt'", "'exercise'"]),
        ("interventions:\n  - coverage: 0.5\n", ["interventions.0", "type"]),
        (
            "interventions:\n  - type: cbt\n    coverge: 0.5\n",
            ["interventions.0.cbt.coverge", "allowed here:", "coverage"],
        ),
        (
            "interventions:\n  - type: cbt\n    coverage: -0.2\n",
            ["interventions.0.cbt.coverage", "greater than or equal to 0"],
        ),
        ("interventions:\n  - type: acupuncture\n    stimulation: 50hz\n", ["stimulation", "'2hz'", "'100hz'"]),
        ("interventions:\n  - type: cbt\n  - type: cbt\n", ["share the name cbt", "label"]),
        ("name: has space\n", ["name", "pattern"]),
    ],
)
def test_invalid_fields_name_file_field_and_allowed(tmp_path, text, fragments):
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("population: 100\n  bad: [\n", "malformed YAML at line 2"),
        ("population: 1\npopulation: 2\n", "duplicate key 'population'"),
        ("- a\n- b\n", "top level must be a mapping"),
        ("x: !!python/object/apply:os.system ['echo unsafe']\n", "could not determine a constructor"),
        ("extends: missing.yaml\n", "field `extends`: file"),
        ("extends: 3\n", "field `extends`"),
    ],
)
def test_unreadable_files_are_clear_errors(tmp_path, text, fragment):
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ScenarioError, match="bad.yaml") as info:
        load_scenario(path)
    assert fragment in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="not found"):
        load_scenario(tmp_path / "nope.yaml")


def test_empty_file_is_the_default_scenario(tmp_path):
    assert load_scenario(write(tmp_path, "empty.yaml", "")).resolved() == Scenario().resolved()


def test_resolved_scenario_round_trips_through_yaml():
    s = load_scenario(SCENARIOS / "baseline.yaml", ["parameters.sleep.from_pain=0.3"])
    again = Scenario.model_validate(yaml.safe_load(yaml.safe_dump(s.resolved())))
    assert again == s


def test_schema_is_json_and_forbids_unknown_keys():
    schema = json.loads(json.dumps(scenario_schema()))
    assert schema["additionalProperties"] is False
    assert {"population", "years", "days", "seed", "parameters", "interventions", "outputs"} <= set(
        schema["properties"]
    )
    pain = schema["$defs"]["PainParams"]["properties"]["from_poor_sleep"]
    assert pain["maximum"] == 2.0 and pain["unit"] and pain["source"]
