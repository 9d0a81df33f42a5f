"""Runs and results folders: determinism across workers, complete folders, nothing half-written."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from simulation import Scenario
from simulation.results import write_results
from simulation.runner import run_scenario, summarise
from tests.conftest import tiny_scenario


def test_one_and_two_workers_give_identical_results():
    s = tiny_scenario(replicates=3)
    serial = run_scenario(s, jobs=1)
    parallel = run_scenario(s, jobs=2)
    pd.testing.assert_frame_equal(serial.series(), parallel.series())
    pd.testing.assert_frame_equal(serial.panel(), parallel.panel())
    pd.testing.assert_frame_equal(serial.final(), parallel.final())


def test_replicates_differ_and_seed_matters():
    a = run_scenario(tiny_scenario(), jobs=1).final()
    assert not a.iloc[0, 1:].equals(a.iloc[1, 1:])
    b = run_scenario(tiny_scenario(seed=12), jobs=1).final()
    assert not a.equals(b)


def test_summary_interval_is_the_t_interval_of_the_mean():
    per_rep = pd.DataFrame({"mean_pain": [1.0, 2.0, 3.0, 4.0, 5.0]})
    row = summarise(per_rep).iloc[0]
    assert row["mean"] == pytest.approx(3.0)
    # t(0.975, 4) = 2.776; sd = 1.5811; half-width = 2.776 * 1.5811 / sqrt(5)
    assert row["ci95_high"] - row["mean"] == pytest.approx(2.7764 * 1.581139 / 5**0.5, rel=1e-3)
    assert row["scale"] == "linear" and row["interval"].startswith("95% t-interval")


def test_summary_gives_no_interval_below_five_replicates_and_says_so():
    row = summarise(pd.DataFrame({"chronic_pain": [0.1, 0.2, 0.3, 0.4]})).iloc[0]
    assert pd.isna(row["ci95_low"]) and pd.isna(row["ci95_high"])
    assert row["interval"] == "n/a: fewer than 5 replicates"


def test_share_intervals_stay_in_zero_one_even_for_extreme_replicates():
    row = summarise(pd.DataFrame({"opioid_misuse": [0.0, 0.0, 0.0, 0.0, 0.02]})).iloc[0]
    assert 0.0 <= row["ci95_low"] <= row["mean"] <= row["ci95_high"] <= 1.0
    assert row["scale"] == "logit"


def test_results_folder_holds_everything_the_issue_lists(tmp_path):
    s = tiny_scenario(outputs={"record_every_days": 10, "panel_size": 4, "charts": True})
    folder = write_results(run_scenario(s, jobs=1), tmp_path)
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    expected = {
        "manifest.json", "timeseries.parquet", "timeseries.csv", "summary.csv", "final.csv",
        "panel.parquet", "distributions.csv", "charts/prevalence.html", "charts/prevalence.png",
        "charts/distributions.html", "charts/distributions.png",
    }  # fmt: skip
    assert expected <= names
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["scenario"]["population"] == 400
    assert manifest["seeds"]["seed"] == 11 and set(manifest["seeds"]["replicates"]) == {"0", "1"}
    assert manifest["versions"]["mesa"] and manifest["versions"]["numpy"]
    assert "commit" in manifest["git"] and manifest["timing"]["wall_seconds"] >= 0
    assert sorted(manifest["files"]) == sorted(names)
    series = pd.read_parquet(folder / "timeseries.parquet")
    pd.testing.assert_frame_equal(series, pd.read_csv(folder / "timeseries.csv"), check_dtype=False)
    assert (folder / "charts/prevalence.png").read_bytes()[:4] == b"\x89PNG"


def test_failed_write_leaves_nothing_and_keeps_what_was_there(tmp_path, monkeypatch):
    keep = tmp_path / "earlier-run"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    result = run_scenario(tiny_scenario(), jobs=1)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("simulation.charts.write_run_charts", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_results(result, tmp_path, charts=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier-run"]
    assert (keep / "notes.txt").read_text() == "mine"


def test_two_runs_never_overwrite_each_other(tmp_path):
    result = run_scenario(tiny_scenario(), jobs=1)
    first = write_results(result, tmp_path, charts=False)
    second = write_results(result, tmp_path, charts=False)
    assert first != second and first.exists() and second.exists()


def test_any_executor_gives_the_same_results():
    """run_scenario accepts a ready concurrent.futures executor (a Dask client's executor works the
    same way); replicates then give exactly the serial results."""
    from concurrent.futures import ThreadPoolExecutor

    s = tiny_scenario(replicates=2)
    serial = run_scenario(s, jobs=1)
    with ThreadPoolExecutor(2) as pool:
        threaded = run_scenario(s, executor=pool)
    pd.testing.assert_frame_equal(serial.series(), threaded.series())
    pd.testing.assert_frame_equal(serial.final(), threaded.final())


def test_a_plain_script_without_a_main_guard_runs_on_two_workers(tmp_path):
    """People write scripts without `if __name__ == "__main__":`; the workers must not rerun them."""
    import subprocess
    import sys

    settings = "population=300, days=10, replicates=2, burn_in_days=5, settle_days=5"
    script = tmp_path / "study.py"
    script.write_text(
        "from simulation import Scenario\n"
        "from simulation.runner import run_scenario\n"
        f"result = run_scenario(Scenario({settings}), jobs=2)\n"
        "print('finished', len(result.replicates), round(float(result.summary()['mean'].sum()), 6))\n"
    )
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("finished")]
    assert len(lines) == 1, done.stdout  # the script ran once, not again in each worker
    serial = run_scenario(Scenario(population=300, days=10, replicates=2, burn_in_days=5, settle_days=5), jobs=1)
    assert lines[0] == f"finished 2 {round(float(serial.summary()['mean'].sum()), 6)}"  # same numbers as serial
