"""panel.parquet: the documented columns, compact dtypes, and a size bounded by its row count;
the default run samples people and days, `--panel full` records every day."""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from simulation.cli import app
from simulation.outcomes import PANEL_COLUMNS
from simulation.results import write_results
from simulation.runner import run_scenario
from simulation.scenario import Outputs, Scenario
from tests.conftest import tiny_scenario

# Bytes per panel row (about 13 float32 columns before compression; the old layout took 54 bytes a
# row) and the fixed cost of a Parquet file's footer and column metadata.
BYTES_PER_ROW = 40
FIXED_BYTES = 24_000


def test_the_panel_file_is_small_for_its_rows_and_keeps_the_documented_columns(tmp_path):
    s = tiny_scenario(
        days=200, outputs={"record_every_days": 50, "panel_size": 60, "panel_every_days": 1, "charts": False}
    )
    result = run_scenario(s, jobs=1)
    folder = write_results(result, tmp_path, charts=False)
    path = folder / "panel.parquet"
    panel = pd.read_parquet(path)
    rows = len(panel)
    assert rows == s.replicates * 60 * (s.duration_days + 1)
    assert path.stat().st_size <= BYTES_PER_ROW * rows + FIXED_BYTES, (path.stat().st_size, rows)
    for name in ("replicate", "day", "person", *PANEL_COLUMNS, "phq9", "isi", "nociception", "chronic_pain"):
        assert name in panel.columns
    assert not [name for name in panel.columns if panel[name].dtype in (np.float64, np.int64)]
    assert list(panel.columns[:3]) == ["replicate", "day", "person"]
    keys = panel[["replicate", "person", "day"]].to_numpy()
    assert (np.diff(keys[:, 0]) >= 0).all()
    # the same values as the model recorded, in (replicate, person, day) order
    expected = result.panel().sort_values(["replicate", "person", "day"], ignore_index=True)
    pd.testing.assert_frame_equal(panel, expected, check_dtype=False)


def test_the_default_panel_is_sampled_and_full_is_one_option_away(tmp_path):
    assert (Outputs().panel_size, Outputs().panel_every_days) == (50, 7)
    assert Scenario().outputs.panel_every_days == 7
    args = ["run", "-n", "300", "--days", "21", "-r", "1", "--seed", "3", "-q", "--no-charts", "--jobs", "1"]
    args += ["--set", "burn_in_days=5", "--set", "settle_days=0"]
    runner = CliRunner()
    sampled = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    full = runner.invoke(app, [*args, "--out", str(tmp_path / "b"), "--panel", "full"])
    assert sampled.exit_code == 0 and full.exit_code == 0, (sampled.output, full.output)
    days_sampled = sorted(set(pd.read_parquet(next((tmp_path / "a").glob("*/panel.parquet")))["day"]))
    days_full = sorted(set(pd.read_parquet(next((tmp_path / "b").glob("*/panel.parquet")))["day"]))
    assert days_sampled == [0, 7, 14, 21]
    assert days_full == list(range(22))
