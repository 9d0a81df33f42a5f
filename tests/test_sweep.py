"""`painsim sweep`: designs, errors, the tidy table, Dask identical to serial, and resuming after a kill."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from simulation.inputs import InputError
from simulation.sweep import design, parse_vary
from tests.conftest import ROOT, SCENARIOS, kill_then_resume

SMALL = ["-n", "300", "--days", "20", "-r", "2", "--set", "burn_in_days=10", "--set", "settle_days=5",
         "--set", "outputs.panel_size=0"]  # fmt: skip


def painsim(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "simulation.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, **kwargs)  # fmt: skip


def test_vary_reads_lists_and_ranges():
    assert parse_vary("parameters.pain.from_poor_sleep=0.2,0.4").values == [0.2, 0.4]
    assert parse_vary("x=0:1:3").values == [0.0, 0.5, 1.0]
    assert parse_vary("population=100:300:3").values == [100, 200, 300]  # whole-number fields stay whole
    assert parse_vary("interventions.cbt.start_day=0:10:3").values == [0, 5, 10]
    ranged = parse_vary("x=0.1:0.9")
    assert ranged.is_range and not ranged.values
    for bad, words in (("x", "expected KEY="), ("x=1:0:3", "LO <= HI"), ("seed=1,2", "cannot be varied"),
                       ("x=[1]", "must be a number")):  # fmt: skip
        with pytest.raises(InputError, match=words):
            parse_vary(bad)


def test_designs_grid_and_latin_hypercube():
    grid = design([parse_vary("a=1,2,3"), parse_vary("b=0:1:2")])
    assert len(grid) == 6 and {"a": 3, "b": 1.0} in grid
    lhs = design([parse_vary("a=0:1"), parse_vary("b=10:20")], "lhs", samples=8, seed=3)
    assert len(lhs) == 8 and lhs == design([parse_vary("a=0:1"), parse_vary("b=10:20")], "lhs", samples=8, seed=3)
    strata = sorted(int(p["a"] * 8) for p in lhs)  # one point in each eighth of each range
    assert strata == list(range(8))
    with pytest.raises(InputError, match="grid needs values"):
        design([parse_vary("a=0:1")])
    with pytest.raises(InputError, match="--samples"):
        design([parse_vary("a=0:1")], "lhs")
    with pytest.raises(InputError, match="--design"):
        design([parse_vary("a=0:1")], "sobol")


def test_a_bad_key_or_value_names_the_vary_and_the_field(tmp_path):
    from typer.testing import CliRunner

    from simulation.cli import app

    done = CliRunner().invoke(app, ["sweep", str(SCENARIOS / "baseline.yaml"), "--vary", "parameters.pain.nope=1,2",
                                    *SMALL, "--out", str(tmp_path)])  # fmt: skip
    assert done.exit_code == 2 and "--vary" in done.output and "parameters.pain.nope" in done.output
    done = CliRunner().invoke(app, ["sweep", "--vary", "parameters.pain.from_poor_sleep=5,6", *SMALL, "--out",
                                    str(tmp_path)])  # fmt: skip
    assert done.exit_code == 2 and "from_poor_sleep" in done.output and "allowed" in done.output
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith(".")]


def _sweep_table(folder) -> pd.DataFrame:
    return pd.read_csv(folder / "sweep.csv")


def test_sweep_writes_a_tidy_table_and_dask_gives_the_serial_results(tmp_path):
    pytest.importorskip("distributed")
    args = ["sweep", str(SCENARIOS / "cbt.yaml"), "--vary", "interventions.cbt.coverage=0.2,0.8", "--vary",
            "parameters.pain.from_poor_sleep=0.3,0.6", "--outcomes", "mean_pain", "--outcomes", "chronic_pain",
            *SMALL, "--no-charts", "-q", "--no-cache"]  # fmt: skip
    serial = painsim(*args, "--jobs", "1", "--out", str(tmp_path / "serial"))
    assert serial.returncode == 0, serial.stderr[-2000:]
    on_dask = painsim(*args, "--dask", "local", "--jobs", "2", "--out", str(tmp_path / "dask"))
    assert on_dask.returncode == 0, on_dask.stderr[-2000:]
    a = _sweep_table(next((tmp_path / "serial").glob("sweep-*")))
    b_folder = next((tmp_path / "dask").glob("sweep-*"))
    b = _sweep_table(b_folder)
    assert list(a.columns) == ["point", "interventions.cbt.coverage", "parameters.pain.from_poor_sleep",
                               "replicate", "outcome", "value"]  # fmt: skip
    assert len(a) == 4 * 2 * 2
    pd.testing.assert_frame_equal(a, b)
    manifest = json.loads((b_folder / "manifest.json").read_text())
    assert manifest["study"]["executor"]["kind"] == "dask" and manifest["study"]["burn_ins"] == 4
    summary = pd.read_csv(b_folder / "summary.csv")
    assert set(summary["outcome"]) == {"mean_pain", "chronic_pain"} and len(summary) == 8


def test_sweep_charts_one_file_per_varied_key(tmp_path):
    done = painsim("sweep", "--vary", "parameters.pain.from_poor_sleep=0.3,0.6", *SMALL, "--outcomes", "mean_pain",
                   "--jobs", "1", "-q", "--out", str(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    charts = next(tmp_path.glob("sweep-*")) / "charts"
    assert {p.name for p in charts.iterdir()} == {f"sweep_parameters_pain_from_poor_sleep.{e}"
                                                  for e in ("html", "svg", "png")}  # fmt: skip


def test_an_interrupted_sweep_rerun_with_the_same_command_skips_finished_tasks(tmp_path):
    args = ["sweep", "--vary", "parameters.pain.from_poor_sleep=0.2:0.7:6", "-n", "300", "--days", "60", "-r", "2",
            "--set", "burn_in_days=60", "--set", "settle_days=60", "--set", "outputs.panel_size=0", "--jobs", "1",
            "--no-charts", "-q", "--out", str(tmp_path)]  # fmt: skip
    kill_then_resume(args, tmp_path, 12, "sweep", _sweep_table)
