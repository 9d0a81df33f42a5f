"""The frozen regression baseline (simulation/regression.py) and the shipped reports.

- a fresh reduced validation and trial must match `tests/regression/baseline.json` within Monte
  Carlo tolerance: an unintended change of behaviour fails here;
- (slow, CI) `docs/validation/validation.csv` and `docs/trials.csv` must be what their documented
  commands give today: the reports in the repository are never stale.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.regression import BASELINE, differences, reduced_study
from tests.conftest import ROOT


def test_fresh_run_matches_the_frozen_baseline():
    problems = differences(json.loads(BASELINE.read_text()), reduced_study())
    assert not problems, "behaviour changed (rewrite with `python -m simulation.regression --write` if meant):\n" + (
        "\n".join(problems)
    )


def test_the_comparison_notices_a_change():
    stored = {"validation:chronic_pain": 0.2, "validation:rr": 2.5}
    assert not differences(stored, {"validation:chronic_pain": 0.205, "validation:rr": 2.6})
    assert differences(stored, {"validation:chronic_pain": 0.23, "validation:rr": 2.5})
    assert differences(stored, {"validation:chronic_pain": 0.2, "validation:rr": 3.1})
    assert differences(stored, {"validation:chronic_pain": 0.2})


def _command_line(report: str) -> list[str]:
    """The command a shipped report records on its `Command:` line."""
    for line in report.splitlines():
        if line.startswith("Command: `"):
            return line.removeprefix("Command: `").rstrip("`").split()
    raise AssertionError("the report does not record its command")


@pytest.mark.slow
@pytest.mark.parametrize(("report", "table", "key"), [
    ("docs/validation/report.md", "validation.csv", "name"),
    ("docs/trials.md", "published_vs_simulated.csv", None),
])  # fmt: skip
def test_shipped_reports_match_a_fresh_run_of_their_command(tmp_path, report, table, key):
    command = _command_line((ROOT / report).read_text())
    assert command[0] == "painsim"
    done = subprocess.run([sys.executable, "-m", "simulation.cli", *command[1:], "--out", str(tmp_path), "-q",
                           "--no-charts"], cwd=ROOT, capture_output=True, text=True, timeout=1800)  # fmt: skip
    assert done.returncode == 0, done.stderr
    fresh = pd.read_csv(Path(done.stdout.strip().splitlines()[-1]) / table)
    shipped = pd.read_csv(ROOT / ("docs/validation/validation.csv" if key else "docs/trials.csv"))
    assert len(fresh) == len(shipped)
    np.testing.assert_allclose(fresh["simulated"], shipped["simulated"], rtol=1e-4, atol=1e-6)
    assert list(fresh["verdict"]) == list(shipped["verdict"])
