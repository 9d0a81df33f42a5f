"""Targets, the virtual cohort study, validation and calibration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import Scenario, ScenarioError
from simulation.calibration import fit, loss, with_parameters
from simulation.cohort import odds_ratio, risk_ratio, run_cohort
from simulation.validation import DEFAULT_TARGETS, Targets, counts, load_targets, validation_table
from tests.conftest import ROOT
from tests.test_science import decoupled


def test_the_shipped_targets_load_with_value_band_source_and_measure():
    targets = load_targets(DEFAULT_TARGETS)
    names = {t.name for t in targets.targets}
    assert {"chronic_pain", "major_depression_12_month", "insomnia_disorder", "depression_with_back_pain",
            "or_depression_t2_given_back_pain_t1", "rr_new_chronic_pain_given_poor_sleep"} <= names  # fmt: skip
    for t in targets.targets:
        assert t.band[0] <= t.value <= t.band[1] and t.source


def test_a_planted_odds_ratio_comes_back_out():
    rng = np.random.default_rng(1)
    n = 40_000
    age, female = rng.uniform(18, 90, n), rng.random(n) < 0.5
    exposure = rng.random(n) < 0.3
    logit = -2.0 + np.log(2.5) * exposure + 0.1 * (age - 45) / 10 + 0.3 * female
    outcome = rng.random(n) < 1 / (1 + np.exp(-logit))
    ratio, low, high = odds_ratio(outcome, exposure, pd.DataFrame({"age": age, "female": female}))
    assert low < 2.5 < high and ratio == pytest.approx(2.5, rel=0.1)


def test_risk_ratio_and_its_interval():
    event = np.array([1, 1, 0, 0, 1, 0, 0, 0], bool)
    exposed = np.array([1, 1, 1, 1, 0, 0, 0, 0], bool)
    ratio, low, high = risk_ratio(event, exposed)
    assert ratio == pytest.approx(0.5 / 0.25)
    # Katz: SE of log RR = sqrt(1/2 - 1/4 + 1/1 - 1/4) = 1
    assert (low, high) == pytest.approx((2.0 * np.exp(-1.96), 2.0 * np.exp(1.96)))
    assert np.isnan(risk_ratio(event, np.ones(8, bool))[0])
    assert np.isnan(risk_ratio(event & exposed, exposed)[0])  # no unexposed events: no ratio
    assert risk_ratio(event & ~exposed, exposed)[0] == 0.0  # no exposed events: 0, without an interval


def test_independent_pain_and_depression_give_an_odds_ratio_near_one():
    """With every coupling off and no shared risk factor beyond age and sex (adjusted for), pain and
    depression are independent, and the cohort study must find an odds ratio near 1."""
    params = decoupled()
    for group, names in {"nociception": ("vulnerability_per_sd", "job_strain", "low_ses_per_sd"),
                         "mood": ("vulnerability_per_sd", "job_strain", "low_ses_per_sd"),
                         "central": ("vulnerability_per_sd",)}.items():  # fmt: skip
        for name in names:
            params.setdefault(group, {})[name] = 0.0
    scenario = Scenario(population=20_000, parameters=params, burn_in_days=365, settle_days=100,
                        outputs={"record_every_days": 365, "panel_size": 0})  # fmt: skip
    stats = run_cohort(scenario, sample_size=20_000, follow_up_years=2).statistics()
    for name in ("or_depression_t2_given_back_pain_t1", "or_back_pain_t2_given_depression_t1"):
        assert stats[name + "_low"] < 1.0 < stats[name + "_high"], (name, stats[name])
    default = run_cohort(scenario.model_copy(update={"parameters": Scenario().parameters}), sample_size=20_000,
                         follow_up_years=2).statistics()  # fmt: skip
    assert default["or_depression_t2_given_back_pain_t1_low"] > 1.5  # the coupled model does associate them


def test_validation_table_marks_hits_and_misses():
    def target(name, metric):
        return {
            "name": name,
            "value": 0.2,
            "band": [0.1, 0.3],
            "source": "x",
            "measure": {"kind": "metric", "name": metric},
            "role": "fit" if name in "ab" else "hold_out",
        }

    names = {"a": "chronic_pain", "b": "insomnia", "c": "depression", "d": "high_impact_chronic_pain"}
    targets = Targets.model_validate({"targets": [target(k, v) for k, v in names.items()]})
    per_replicate = pd.DataFrame(
        {
            "a": [0.2, 0.21, 0.19, 0.2, 0.22],  # interval inside the band
            "b": [0.5, 0.6, 0.55, 0.52, 0.58],  # wholly above
            "c": [0.26, 0.34, 0.28, 0.33, 0.31],  # straddles the top of the band
            "d": [0.2, np.nan, 0.21, 0.19, 0.2],  # one replicate NaN: reported, not dropped silently
        }
    )
    table = validation_table(targets, per_replicate).set_index("name")
    assert table["verdict"].to_dict() == {"a": "in band", "b": "outside", "c": "touches", "d": "in band"}
    assert table.loc["d", "nan_replicates"] == 1 and table["nan_replicates"].sum() == 1
    assert list(table["role"]) == ["fit", "fit", "hold_out", "hold_out"]
    c = counts(validation_table(targets, per_replicate))
    assert c["fit"] == {"in band": 1, "touches": 0, "outside": 1, "no interval": 0, "total": 2}
    assert c["hold_out"]["touches"] == 1
    # a prevalence interval stays in [0, 1] however few and spread the replicates
    two = pd.DataFrame({"a": [0.01, 0.3], "b": [0.5, 0.5], "c": [0.2, 0.2], "d": [0.2, 0.2]})
    spread = validation_table(targets, two)
    assert spread.loc[0, "simulated_low"] >= 0.0 and spread.loc[0, "simulated_high"] <= 1.0
    assert loss(targets, {"a": 0.25, "b": 0.2, "c": 9.0, "d": 9.0}) == pytest.approx(0.125)  # hold-out ignored
    # the band objective: nothing inside the band's inner half (0.15-0.25), squared half-bands beyond it
    assert loss(targets, {"a": 0.25, "b": 0.16}, "band") == 0.0
    assert loss(targets, {"a": 0.3, "b": 0.2}, "band") == pytest.approx((0.05 / 0.1) ** 2 / 2)
    assert loss(targets, {"a": 0.05, "b": 0.2}, "band") == pytest.approx((0.1 / 0.1) ** 2 / 2)
    with pytest.raises(ValueError, match="objective"):
        loss(targets, {"a": 0.2, "b": 0.2}, "cubic")


def test_bad_targets_are_clear_errors(tmp_path):
    path = tmp_path / "t.yaml"
    head = "targets:\n  - {name: a, value: 1, source: s, "
    path.write_text(head + "band: [0, 2], role: fit, measure: {kind: metric, name: nope}}\n")
    with pytest.raises(ScenarioError, match="not a model metric"):
        load_targets(path)
    path.write_text(head + "band: [0, 2], measure: {kind: metric, name: insomnia}}\n")
    with pytest.raises(ScenarioError, match=r"t.yaml.*targets.0.role"):
        load_targets(path)
    path.write_text(head + "band: [0, 2], role: maybe, measure: {kind: metric, name: insomnia}}\n")
    with pytest.raises(ScenarioError, match="targets.0.role"):
        load_targets(path)
    path.write_text(head + "band: [.nan, 2], role: fit, measure: {kind: metric, name: insomnia}}\n")
    with pytest.raises(ScenarioError, match="finite"):
        load_targets(path)
    path.write_text(head + "band: [0, 2], role: fit, measure: {kind: metric, name: insomnia}}\n"
                    "free_parameters:\n  pain.from_poor_sleep: [0, 9]\n")  # fmt: skip
    with pytest.raises(ScenarioError, match="within its declared"):
        load_targets(path)


def test_calibration_finds_a_known_optimum_and_resumes(tmp_path):
    space = {"x": (0.0, 1.0), "y": (-2.0, 2.0)}

    def objective(v):
        return (v["x"] - 0.3) ** 2 + (v["y"] + 1.0) ** 2

    storage = tmp_path / "study.db"
    study = fit(objective, space, n_trials=25, storage=storage, seed=1)
    assert len(study.trials) == 25
    study = fit(objective, space, n_trials=80, storage=storage, seed=1)  # resumes: 55 more, not 80
    assert len(study.trials) == 80
    assert abs(study.best_params["x"] - 0.3) < 0.1 and abs(study.best_params["y"] + 1.0) < 0.2


def test_with_parameters_validates_values():
    s = with_parameters(Scenario(), {"pain.from_poor_sleep": 0.5})
    assert s.parameters.pain.from_poor_sleep == 0.5 and Scenario().parameters.pain.from_poor_sleep != 0.5
    with pytest.raises(ValueError):
        with_parameters(Scenario(), {"pain.from_poor_sleep": 50.0})


def test_validate_and_cohort_commands_end_to_end(tmp_path):
    targets = tmp_path / "targets.yaml"
    targets.write_text(DEFAULT_TARGETS.read_text().replace("sample_size: 20000", "sample_size: 300")
                       .replace("follow_up_years: 9", "follow_up_years: 1"))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "simulation.cli", "validate", "--targets", str(targets), "-n", "1500", "-r", "2",
         "--set", "burn_in_days=60", "--set", "settle_days=30", "--out", str(tmp_path), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    table = pd.read_csv(folder / "validation.csv")
    columns = {"name", "role", "published", "band_low", "band_high", "simulated", "verdict", "nan_replicates"}
    assert columns <= set(table.columns)
    assert "Held-out targets:" in done.stderr and "Fitted targets:" in done.stderr
    assert len(table) == len(load_targets(targets).targets)
    assert (folder / "report.md").read_text().startswith("# Validation of `baseline`")
    assert (folder / "validation.png").exists()
    cohort = subprocess.run(
        [sys.executable, "-m", "simulation.cli", "cohort", "--sample", "300", "--follow-up-years", "1", "-n", "1500",
         "--set", "burn_in_days=60", "--set", "settle_days=30", "--out", str(tmp_path)], cwd=ROOT, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    assert cohort.returncode == 0, cohort.stderr
    assert "or_depression_t2_given_back_pain_t1" in cohort.stderr
    folder = Path(cohort.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path and folder.name.startswith("cohort-baseline-")
    stats = pd.read_csv(folder / "statistics.csv")
    assert "or_depression_t2_given_back_pain_t1" in set(stats["statistic"])
    assert json.loads((folder / "manifest.json").read_text())["cohort"]["sample"] == 300
