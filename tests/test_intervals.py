"""Intervals a reader can trust: on the quantity's scale, inside its range, absent when too few replicates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from simulation.cli import app
from simulation.intervals import MIN_REPLICATES, NO_INTERVAL, outcome_interval, outcome_range
from tests.conftest import SCENARIOS

TINY = ["-n", "300", "--days", "40", "-r", "5", "--seed", "3", "--set", "burn_in_days=20", "--set",
        "settle_days=10", "--no-charts", "--quiet"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=MIN_REPLICATES, max_size=12))
def test_share_interval_never_leaves_zero_one(values):
    mean, low, high = outcome_interval(values, "depression")
    assert 0.0 <= low <= mean + 1e-12 and mean - 1e-12 <= high <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 10.0), min_size=MIN_REPLICATES, max_size=12))
def test_mean_and_difference_intervals_stay_in_range(values):
    _, low, high = outcome_interval(values, "mean_pain")
    assert 0.0 <= low <= high <= 10.0
    _, low, high = outcome_interval(np.asarray(values) - 5.0, "mean_pain", difference=True)
    assert -10.0 <= low <= high <= 10.0


def test_fewer_than_five_replicates_give_no_interval():
    assert np.isnan(outcome_interval([0.1, 0.2, 0.3, 0.4], "chronic_pain")[1])


def _check_in_range(frame: pd.DataFrame, name_col: str, value: str, low: str, high: str, difference=False):
    checked = 0
    for row in frame.itertuples():
        lo_bound, hi_bound = outcome_range(getattr(row, name_col), difference)
        lo, hi = getattr(row, low), getattr(row, high)
        if np.isnan(lo):
            continue
        assert lo_bound <= lo <= hi <= hi_bound, row
        checked += 1
    return checked


def test_no_command_output_shows_an_interval_outside_the_quantitys_range(tmp_path):
    runner = CliRunner()
    done = runner.invoke(app, ["run", str(SCENARIOS / "baseline.yaml"), *TINY, "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    folder = Path(done.stdout.strip().splitlines()[-1])
    summary = pd.read_csv(folder / "summary.csv")
    assert _check_in_range(summary, "outcome", "mean", "ci95_low", "ci95_high") > 20
    assert set(summary["interval"]) == {"95% t-interval of the mean across replicates, logit scale for shares, "
                                        "linear for means and differences"}  # fmt: skip
    done = runner.invoke(app, ["compare", str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "cbt.yaml"), *TINY,
                               "--out", str(tmp_path)])  # fmt: skip
    assert done.exit_code == 0, done.output
    table = pd.read_csv(Path(done.stdout.strip().splitlines()[-1]) / "comparison.csv")
    assert _check_in_range(table, "outcome", "level", "level_low", "level_high") > 10
    assert _check_in_range(table, "outcome", "difference", "difference_low", "difference_high", True) > 10


def test_run_with_four_replicates_says_there_is_no_interval(tmp_path):
    args = [a if a != "5" else "4" for a in TINY if a != "--quiet"]
    done = CliRunner().invoke(app, ["run", *args, "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert NO_INTERVAL in done.output
    summary = pd.read_csv(Path(done.stdout.strip().splitlines()[-1]) / "summary.csv")
    assert summary["ci95_low"].isna().all() and set(summary["interval"]) == {NO_INTERVAL}
