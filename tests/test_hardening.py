"""Hostile inputs (issue 9): every bad file, value or option is refused with exit 2 and a short
message naming the file and the field, quickly, with nothing left on disk and no traceback; valid
YAML that PyYAML alone refused (merge keys, a tab after a colon) is accepted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulation.cli import app
from simulation.scenario import load_scenario

CORPUS = Path(__file__).resolve().parent / "corpus"
BAD = sorted(p for p in CORPUS.glob("*.yaml") if not p.name.startswith("valid_"))
runner = CliRunner()


def invoke(*args: str):
    started = time.perf_counter()
    result = runner.invoke(app, [str(a) for a in args])
    return result, time.perf_counter() - started


def assert_refused(result, seconds: float, *fragments: str, limit_chars: int = 3000) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output[-2000:], result.exception)
    assert "Traceback" not in result.output
    assert seconds < 5, seconds
    assert len(result.output) < limit_chars, len(result.output)
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_corpus_file_is_refused_by_run_with_nothing_written(tmp_path, path):
    result, seconds = invoke("run", path, "--out", tmp_path, "-r", "1", "-q")
    assert_refused(result, seconds, path.name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_corpus_file_as_a_parent_names_the_extending_file_and_field(tmp_path, path):
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {path}\n")
    result, seconds = invoke("params", "--format", "json", "--scenario", child)
    assert_refused(result, seconds, "child.yaml")
    if path.name != "not_utf8.yaml" and "extends" not in path.read_text(errors="replace").split(":")[0]:
        assert "field `extends`" in result.output or "(with" not in result.output


@pytest.mark.parametrize("command", ["compare", "validate", "cohort"])
def test_other_commands_refuse_the_same_files(tmp_path, command):
    for path in BAD[::4]:
        args = [command, path] + ([path] if command == "compare" else [])
        if command != "cohort":
            args += ["--out", tmp_path]
        result, seconds = invoke(*args)
        assert_refused(result, seconds, path.name)
    assert list(tmp_path.iterdir()) == []


def test_valid_yaml_that_pyyaml_alone_refused_is_accepted():
    s = load_scenario(CORPUS / "valid_merge_and_tab.yaml")
    assert s.population == 200
    late = s.interventions[1]
    assert (late.type, late.coverage, late.label, late.start_day) == ("cbt", 0.3, "cbt_late", 3)


def test_special_files_are_refused_without_hanging(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.yaml"
    os.symlink(tmp_path / "loop2.yaml", loop)
    os.symlink(loop, tmp_path / "loop2.yaml")
    (tmp_path / "folder.yaml").mkdir()
    big = tmp_path / "big.yaml"
    big.write_text("description: " + "x" * 1_100_000 + "\n")
    long_name = tmp_path / ("x" * 300 + ".yaml")
    cases = {
        "/dev/zero": "a device",
        str(fifo): "FIFO",
        str(loop): "loop of symbolic links",
        str(tmp_path / "folder.yaml"): "a folder",
        str(big): "at most 1,000,000",
        str(long_name): "too long",
        str(tmp_path / "nope.yaml"): "scenario file not found",
    }
    for path, fragment in cases.items():
        result, seconds = invoke("params", "--scenario", path)
        assert_refused(result, seconds, fragment)
        via_extends = tmp_path / "child.yaml"
        via_extends.write_text(f"extends: {path}\n")
        result, seconds = invoke("params", "--scenario", via_extends)
        assert_refused(result, seconds, "child.yaml: field `extends`")


def test_extends_chains_are_bounded_and_loops_found(tmp_path):
    (tmp_path / "s0.yaml").write_text("population: 200\n")
    for i in range(1, 1100):
        (tmp_path / f"s{i}.yaml").write_text(f"extends: s{i - 1}.yaml\n")
    result, seconds = invoke("params", "--scenario", tmp_path / "s1099.yaml")
    assert_refused(result, seconds, "s1099.yaml: field `extends`", "more than 16 files")
    assert load_scenario(tmp_path / "s10.yaml").population == 200
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    result, seconds = invoke("params", "--scenario", tmp_path / "a.yaml")
    assert_refused(result, seconds, "a.yaml: field `extends`", "loop")


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ("extends=scenarios/baseline.yaml", "`extends` can be given only in a scenario file"),
        ("population=" + "[" * 100 + "]" * 100, "nested more than"),
        ('seed="7"', "field `seed`: must be a whole number"),
        ("seed=true", "field `seed`"),
        ("outputs.charts=1", "field `outputs.charts`: must be true or false"),
        ("years=.nan", "finite"),
        ("years=.inf", "finite"),
        ("population=" + "9" * 5000, "characters (at most 100)"),
        ("name=" + "x" * 100_000, "field `name`"),
        ("a.b.c.d.e.f.g.h.i=1", "at most 8 dotted parts"),
        ("years=0.0001", "less than one day"),
        ("interventions=[{type: cbt, start_day: 50}]", "never open"),
    ],
)
def test_bad_set_values_are_refused(tmp_path, setting, fragment):
    duration = [] if setting.startswith("years") else ["--days", "10"]  # --days would replace the years
    result, seconds = invoke("run", "-n", "100", "-r", "1", *duration, "--set", setting, "--out", tmp_path)
    assert_refused(result, seconds, fragment)
    assert list(tmp_path.iterdir()) == []


def test_bad_out_is_refused_before_simulating(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for out, fragment in [
        (a_file, "not a folder"),
        ("/dev/null", "not a folder"),
        ("", "empty"),
        (a_file / "sub", "a file, not a folder"),
        (tmp_path / ("y" * 300), "too long"),
    ]:
        result, seconds = invoke("run", "-n", "100", "--days", "2", "-r", "1", "--out", out)
        assert_refused(result, seconds, fragment)
        assert "people x" not in result.output  # refused before the run began
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_unwritable_out_is_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result, seconds = invoke("run", "-n", "100", "--days", "2", "--out", locked)
    assert_refused(result, seconds, "permission")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--sample", "0", "-n", "100"], "cohort sample (0)"),
        (["--sample", "500", "-n", "100"], "at most the population"),
        (["--follow-up-years", "-1"], "follow-up must be more than 0"),
        (["--follow-up-years", "nan"], "follow-up must be more than 0"),
        (["--incidence-years", "inf"], "incidence window must be more than 0"),
    ],
)
def test_cohort_refuses_impossible_studies(args, fragment):
    result, seconds = invoke("cohort", *args)
    assert_refused(result, seconds, fragment)


def test_trial_and_targets_files_are_named_as_such(tmp_path):
    trial = tmp_path / "t.yaml"
    trial.write_text("name: t\narms: [{name: a}, {name: b}]\nfollow_up_weeks: [.inf]\n")
    result, seconds = invoke("trial", trial, "--out", tmp_path)
    assert_refused(result, seconds, "t.yaml", "follow_up_weeks.0", "finite")
    trial.write_text("name: t\narms: [{name: a}, {name: b}]\nfollow_up_weeks: [.nan]\n")
    assert_refused(*invoke("trial", trial, "--out", tmp_path), "follow_up_weeks.0")
    result, seconds = invoke("trial", tmp_path / "missing.yaml")
    assert_refused(result, seconds, "trial file not found")
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "targets:\n  - {name: x, value: 0.1, band: [.nan, 0.2], source: s,\n"
        "     measure: {kind: metric, name: chronic_pain}}\n"
    )
    result, seconds = invoke("validate", "--targets", targets, "--out", tmp_path)
    assert_refused(result, seconds, "targets.yaml", "targets.0.band.0", "finite")
    result, seconds = invoke("validate", "--targets", tmp_path / "missing.yaml")
    assert_refused(result, seconds, "targets file not found")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.yaml", "targets.yaml"]


def test_messages_are_in_the_projects_words():
    result, _ = invoke("run", "--set", "population=abc", "--set", "seed=-1")
    assert_refused(result, 0, "field `population`", "field `seed`", "2 problems")
    for pydantic_text in ("validation error for", "For further information", "errors.pydantic.dev"):
        assert pydantic_text not in result.output


def test_an_internal_error_exits_1_with_a_saved_traceback(tmp_path, monkeypatch):
    import simulation.runner

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(simulation.runner, "run_scenario", broken)
    result = runner.invoke(app, ["run", "-n", "100", "--days", "2", "-r", "1", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "internal error (RuntimeError: 'simulated bug')" in result.output
    assert "Traceback" not in result.output
    log = Path(result.output.split("saved in ")[1].split(".log")[0] + ".log")
    assert "simulated bug" in log.read_text() and "Traceback" in log.read_text()
    assert list(tmp_path.iterdir()) == []


def test_a_scenario_named_like_a_hidden_file_still_gets_a_visible_folder(tmp_path):
    """Found by the fuzz test: a scenario named ".inf" made a hidden results folder."""
    from simulation.results import atomic_folder

    with atomic_folder(tmp_path, ".inf") as (staging, final):
        (staging / "x").write_text("x")
    assert final.exists() and not final.name.startswith(".")
    with atomic_folder(tmp_path, "...") as (staging, final):
        pass
    assert final.name.startswith("run-")


def test_a_reader_that_goes_away_is_not_an_internal_error():
    """`painsim params --format json | head -1`: the pipe closes early; painsim stops quietly."""
    import subprocess
    import sys

    whole = subprocess.run([sys.executable, "-m", "simulation.cli", "params", "--format", "json"],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert len(whole.stdout) > 65536  # more than a pipe holds, so the writer meets the closed pipe
    done = subprocess.run(f"{sys.executable} -m simulation.cli params --format json | head -1", shell=True,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.stdout.startswith("[")
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
