"""Calibration never clobbers the shipped defaults; a fit is used per scenario or applied on purpose."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulation import fits
from simulation.fits import apply_fit, read_fit
from simulation.inputs import InputError
from simulation.parameters import ModelParams
from simulation.scenario import load_scenario
from tests.conftest import ROOT, SCENARIOS

TINY_TARGETS = """
targets:
  - {name: chronic_pain, value: 0.2, band: [0.1, 0.3], source: "Dahlhamer et al. 2018, MMWR",
     measure: {kind: metric, name: chronic_pain}, role: fit}
free_parameters:
  nociception.log_median: [-1.5, 0.0]
"""


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout


def test_calibrate_writes_its_own_results_folder_and_leaves_the_checkout_alone(tmp_path):
    targets = tmp_path / "targets.yaml"
    targets.write_text(TINY_TARGETS)
    before = _git_status()
    done = subprocess.run(
        [sys.executable, "-m", "simulation.cli", "calibrate", "--targets", str(targets), "--trials", "2", "-n", "300",
         "-r", "1", "--set", "settle_days=10", "--set", "burn_in_days=20", "--out", str(tmp_path / "out"), "-q",
         "--objective", "band"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _git_status() == before
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "out" and folder.name.startswith("calibrate-baseline-")
    assert {p.name for p in folder.iterdir()} == {"fitted.yaml", "trace.csv", "study.db"}
    record = yaml.safe_load((folder / "fitted.yaml").read_text())
    assert set(record["fitted_parameters"]) == {"nociception.log_median"} and record["trials"] == 2
    assert "inner half" in record["objective_definition"]  # the objective asked for, recorded
    assert len((folder / "trace.csv").read_text().splitlines()) == 3
    assert read_fit(folder / "fitted.yaml") == record["fitted_parameters"]


def test_parameters_from_round_trip(tmp_path):
    fit = tmp_path / "fits" / "fitted.yaml"
    fit.parent.mkdir()
    fit.write_text(yaml.safe_dump({"fitted_parameters": {"pain.from_mood": 0.5, "mood.onset_rate_per_year": 0.02}}))
    scenario = tmp_path / "s.yaml"
    shutil.copy(SCENARIOS / "baseline.yaml", tmp_path / "baseline.yaml")
    scenario.write_text("extends: baseline.yaml\nname: fitted\nparameters_from: fits/fitted.yaml\n"
                        "parameters: {pain: {from_mood: 0.7}}\n")  # fmt: skip
    s = load_scenario(scenario)
    assert s.parameters.mood.onset_rate_per_year == 0.02  # from the fit
    assert s.parameters.pain.from_mood == 0.7  # the scenario's own value wins
    assert Path(s.parameters_from) == fit
    assert load_scenario(SCENARIOS / "baseline.yaml").parameters.mood.onset_rate_per_year != 0.02  # defaults intact
    fit.write_text(yaml.safe_dump({"fitted_parameters": {"pain.nope": 1.0}}))
    with pytest.raises(InputError, match="parameters_from"):
        load_scenario(scenario)


def test_apply_fit_rewrites_declared_defaults_and_reports_old_and_new(tmp_path, monkeypatch):
    copy = tmp_path / "pain.py"
    copy.write_text((ROOT / "simulation" / "rules" / "pain.py").read_text())
    real = fits._declaration
    monkeypatch.setattr(fits, "_declaration", lambda name: (copy, real(name)[1]))
    current = f"{ModelParams().pain.from_poor_sleep:.4g}"  # the shipped default, as declared
    assert any(current in r for r in copy.read_text().splitlines())
    changes = apply_fit({"pain.from_poor_sleep": 0.91234567})
    assert changes == [("pain.from_poor_sleep", str(copy), current, "0.9123")]
    assert "        0.9123,\n" in copy.read_text() and f"        {current},\n" not in copy.read_text()


def test_apply_fit_command_dry_run_changes_nothing(tmp_path):
    fit = tmp_path / "fitted.yaml"
    fit.write_text(yaml.safe_dump({"fitted_parameters": {"pain.from_mood": 0.5}}))
    before = _git_status()
    done = subprocess.run([sys.executable, "-m", "simulation.cli", "apply-fit", str(fit), "--dry-run"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"pain.from_mood: {ModelParams().pain.from_mood:.4g} -> 0.5" in done.stdout
    assert _git_status() == before


def test_a_calibration_rerun_with_its_study_redoes_no_finished_task(tmp_path):
    """--study keeps the finished trials (Optuna) and every measured replicate (the task cache
    beside it): the same command again runs no new simulation."""
    targets = tmp_path / "targets.yaml"
    targets.write_text(TINY_TARGETS)
    study = tmp_path / "fit.db"
    command = [sys.executable, "-m", "simulation.cli", "calibrate", "--targets", str(targets), "--trials", "2",
               "-n", "300", "-r", "1", "--set", "settle_days=10", "--set", "burn_in_days=20", "--jobs", "1",
               "--study", str(study), "--out", str(tmp_path / "out"), "-q"]  # fmt: skip
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    cache = tmp_path / "fit.db.cache"
    files = sorted(p.name for p in cache.rglob("*.pkl"))
    assert 1 <= len(files) <= 2  # one replicate per distinct point (the best is measured again: a cache hit)
    stamps = {p: p.stat().st_mtime_ns for p in cache.rglob("*.pkl")}
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.pkl")} == stamps
