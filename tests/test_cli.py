"""The `painsim` command end to end, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from simulation.cli import app
from simulation.parameters import parameter_rows
from tests.conftest import ROOT, SCENARIOS

runner = CliRunner()


def painsim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "simulation.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def test_run_end_to_end_writes_a_results_folder(tmp_path):
    done = painsim(
        "run", str(SCENARIOS / "baseline.yaml"), "--population", "600", "--days", "40", "--replicates", "2",
        "--seed", "5", "--jobs", "2", "--out", str(tmp_path), "--set", "burn_in_days=20", "--set", "settle_days=10",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path and folder.name.startswith("baseline-")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["scenario"]["population"] == 600 and manifest["scenario"]["days"] == 40
    assert manifest["timing"]["jobs"] == 2
    series = pd.read_parquet(folder / "timeseries.parquet")
    assert set(series["replicate"]) == {0, 1} and series["day"].max() == 40
    summary = pd.read_csv(folder / "summary.csv").set_index("outcome")
    assert 0 <= summary.loc["chronic_pain", "mean"] <= 1
    assert (folder / "charts" / "prevalence.png").stat().st_size > 1000
    assert "replicates" in done.stderr and "remaining" in done.stderr and "Chronic pain" in done.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", "missing.yaml"], "missing.yaml: scenario file not found"),
        (["run", str(SCENARIOS / "baseline.yaml"), "--set", "parameters.pain.nope=1"], "parameters.pain.nope"),
        (["run", str(SCENARIOS / "baseline.yaml"), "--population", "3"], "field `population`"),
        (["run", "--days", "5", "--years", "1"], "--years or --days, not both"),
        (["run", "--jobs", "0"], "--jobs must be 1 or more"),
        (["params", "--format", "xml"], "--format 'xml'"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(tmp_path, args, fragment):
    result = runner.invoke(app, [*args, "--out", str(tmp_path)] if args[0] == "run" else args)
    assert result.exit_code == 2, result.output
    assert fragment in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_params_lists_every_parameter_with_unit_bounds_and_source():
    result = runner.invoke(app, ["params", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) == len(parameter_rows())
    for row in rows:
        assert row["unit"] and row["source"] and row["basis"] in {"cited", "assumption", "calibrated"}
        assert row["lower"] <= row["value"] <= row["upper"], row["name"]
    table = runner.invoke(app, ["params"])
    assert table.exit_code == 0 and "pain.from_poor_sleep" in table.output


def test_params_shows_a_scenarios_values(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("parameters:\n  pain:\n    from_poor_sleep: 0.77\n")
    rows = json.loads(runner.invoke(app, ["params", "--format", "json", "--scenario", str(path)]).output)
    assert next(r for r in rows if r["name"] == "pain.from_poor_sleep")["value"] == 0.77


def test_schema_prints_json_schema(tmp_path):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "painsim scenario"
    target = tmp_path / "schema.json"
    assert runner.invoke(app, ["schema", "--output", str(target)]).exit_code == 0
    assert json.loads(target.read_text())["additionalProperties"] is False


def test_help_is_readable():
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    for option in ("--population", "--years", "--days", "--replicates", "--seed", "--jobs", "--out", "--set"):
        assert option in result.output


def test_parameter_document_is_generated_and_current():
    """docs/parameters.md is the generated table, never edited by hand: regenerate it with
    `painsim params --format markdown` after changing a parameter."""
    from simulation.parameters import parameter_document

    assert (ROOT / "docs" / "parameters.md").read_text() == parameter_document() + "\n"
