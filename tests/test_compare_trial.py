"""Scenario comparison and virtual trials, through the library and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import load_scenario
from simulation.compare import compare_scenarios, qalys_per_person, write_comparison
from simulation.trial import Trial, _hedges_g, load_trial, run_trial, run_trial_replicate
from tests.conftest import ROOT, SCENARIOS

TRIALS = ROOT / "trials"
SMALL = ["population=600", "days=60", "replicates=2", "burn_in_days=30", "settle_days=20"]


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_runs(path):
    from simulation import PainCycleModel

    scenario = load_scenario(path, SMALL)
    model = PainCycleModel(scenario, agent_views=False).run()
    assert model.day == 60
    if scenario.interventions:
        assert model.treatment_report()["enrolled"].sum() > 0


@pytest.mark.parametrize("path", sorted(TRIALS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_trial_loads_and_runs(path):
    trial = load_trial(path)
    assert trial.published, "a shipped trial reproduces at least one published result"
    small = trial.model_copy(update={"population": 3000, "per_arm": 40, "burn_in_days": 30, "settle_days": 20})
    rows = run_trial_replicate(small, 0)
    assert set(rows["arm"]) == {a.name for a in trial.arms}
    assert set(rows["week"]) == {0.0, *trial.follow_up_weeks}


def test_a_comparison_is_paired_and_the_reference_differs_by_zero(tmp_path):
    base = load_scenario(SCENARIOS / "baseline.yaml", SMALL)
    cbt = load_scenario(SCENARIOS / "cbt.yaml", [*SMALL, "interventions.0.coverage=1.0"])
    comparison = compare_scenarios([base, cbt], jobs=1)
    table = comparison.table().set_index(["scenario", "outcome"])
    ref = table.loc["baseline"]
    assert (ref["difference"] == 0).all()
    assert table.loc[("cbt", "mean_phq9"), "difference"] < 0
    econ = comparison.economics().set_index("scenario")
    assert econ.loc["cbt", "treated"] > 0 and econ.loc["cbt", "cost_per_person"] > 0
    assert econ.loc["baseline", "cost_per_person"] == 0
    folder = write_comparison(comparison, tmp_path, charts=True)
    for name in ("comparison.csv", "economics.csv", "final.csv", "timeseries.parquet", "manifest.json",
                 "charts/trajectories.png", "charts/differences.png", "charts/prevalence_bars.png"):  # fmt: skip
        assert (folder / name).exists(), name
    assert json.loads((folder / "manifest.json").read_text())["reference"] == "baseline"


def test_comparison_aligns_run_settings_and_says_so():
    a = load_scenario(SCENARIOS / "baseline.yaml", SMALL)
    b = load_scenario(SCENARIOS / "cbt.yaml", [*SMALL, "population=700"])
    comparison = compare_scenarios([a, b], jobs=1)
    assert all(r.scenario.population == 600 for r in comparison.runs)
    assert any("population" in note for note in comparison.notes)


def test_qalys_integrate_utility_over_time():
    series = pd.DataFrame({"day": [0, 365.25, 730.5], "mean_utility": [0.8, 0.8, 0.8]})
    assert qalys_per_person(series) == pytest.approx(1.6)


def test_hedges_g():
    rng = np.random.default_rng(0)
    control, arm = rng.normal(5, 2, 4000), rng.normal(4, 2, 4000)
    assert _hedges_g(control, arm) == pytest.approx(0.5, abs=0.05)
    assert _hedges_g(control, control) == 0.0


def test_a_trial_with_identical_arms_finds_no_difference():
    trial = Trial.model_validate({
        "name": "null", "population": 6000, "per_arm": 300, "replicates": 3, "burn_in_days": 60, "settle_days": 30,
        "entry": {"conditions": ["chronic_pain"]}, "arms": [{"name": "a"}, {"name": "b"}], "follow_up_weeks": [8],
    })  # fmt: skip
    result = run_trial(trial, jobs=1)
    smd = result.summary.set_index(["arm", "week", "metric"]).loc[("b", 8.0, "pain_smd")]
    assert smd["ci95_low"] < 0 < smd["ci95_high"] or abs(smd["mean"]) < 0.1


def test_a_planted_effect_comes_back_out():
    """A trial recovers a treatment effect the model was given: a stronger drug, a bigger SMD."""
    base = {"name": "t", "population": 8000, "per_arm": 400, "replicates": 2, "burn_in_days": 60, "settle_days": 30,
            "entry": {"conditions": ["chronic_pain"], "min_pain": 4}, "follow_up_weeks": [8]}  # fmt: skip

    def smd(relief):
        arms = [{"name": "c"}, {"name": "t", "interventions": [{"type": "snri", "pain_relief": relief}]}]
        result = run_trial(Trial.model_validate({**base, "arms": arms}), jobs=1)
        return result.summary.set_index(["arm", "week", "metric"]).loc[("t", 8.0, "pain_smd"), "mean"]

    weak, strong = smd(0.05), smd(0.4)
    assert strong > weak + 0.2 and strong > 0.3


def test_bad_trial_file_is_a_clear_error(tmp_path):
    from simulation import ScenarioError

    path = tmp_path / "t.yaml"
    path.write_text("name: t\narms: [{name: a}, {name: b, interventions: [{type: cbt, coverge: 1}]}]\n"
                    "follow_up_weeks: [4]\n")  # fmt: skip
    with pytest.raises(ScenarioError, match=r"t.yaml.*arms.1.interventions.0.cbt.coverge"):
        load_trial(path)
    head = "name: t\narms: [{name: a}, {name: b}]\nfollow_up_weeks: [4]\npublished:\n"
    path.write_text(
        head + "  - {metric: pain_smd, arm: c, week: 4, value: 1, band: [0, 2], source: x, role: hold_out}\n"
    )
    with pytest.raises(ScenarioError, match="not one of the arms"):
        load_trial(path)
    path.write_text(head + "  - {metric: pain_smd, arm: b, week: 4, value: 1, band: [0, 2], source: x}\n")
    with pytest.raises(ScenarioError, match="published.0.role"):
        load_trial(path)
    path.write_text(head + "  - {metric: pain_smd, arm: b, week: 4, value: 1, band: [0, 2], source: x, role: fit}\n")
    with pytest.raises(ScenarioError, match="must name the parameters fitted to it"):
        load_trial(path)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulation.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def test_compare_and_trial_commands_end_to_end(tmp_path):
    done = _cli("compare", str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "exercise.yaml"),
                str(SCENARIOS / "cbt_exercise.yaml"), "--reference", "exercise", "-n", "600", "--days", "40", "-r",
                "2", "--set", "burn_in_days=20", "--set", "settle_days=10", "--out", str(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    table = pd.read_csv(folder / "comparison.csv")
    assert set(table["reference"]) == {"exercise"}
    assert "Differences from exercise" in done.stderr
    trial = tmp_path / "t.yaml"
    trial.write_text(
        (TRIALS / "cbt_williams2012.yaml")
        .read_text()
        .replace("population: 50000", "population: 4000")
        .replace("per_arm: 1000", "per_arm: 60")
        .replace("replicates: 4", "replicates: 2")  # fmt: skip
    )
    done = _cli("trial", str(trial), "--out", str(tmp_path), "-q", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    published = pd.read_csv(folder / "published_vs_simulated.csv")
    assert list(published["metric"]) == ["pain_smd", "pain_smd", "mood_smd", "mood_smd"]
    assert list(published["role"]) == ["fit", "fit", "hold_out", "fit"]
    assert set(published["verdict"]) <= {"in band", "touches", "outside", "no interval"}
    assert (folder / "cbt_williams2012" / "arms.png").exists()
    bad = _cli("compare", str(SCENARIOS / "baseline.yaml"), "--out", str(tmp_path))
    assert bad.returncode == 2 and "at least two" in bad.stderr
