"""`painsim psa` and `painsim dsa`: acceptability and EVPI on hand-made cases, exact revaluation of
recorded runs, the same results on 1 and 2 workers, resuming after a kill, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from simulation.cli import app
from simulation.economics.psa import (
    UncertainParameter,
    acceptability,
    cell_utilities,
    draw_sample,
    evpi,
    run_psa,
    uncertain_parameters,
    value_series,
    valued_replicate,
)
from simulation.uncertainty import Uncertainty
from tests.conftest import ROOT, SCENARIOS, kill_then_resume, tiny_scenario

SMALL = ["-n", "300", "--days", "30", "-r", "2", "--set", "burn_in_days=10", "--set", "settle_days=5",
         "--set", "outputs.panel_size=0"]  # fmt: skip
STRATEGIES = [str(SCENARIOS / f"{name}.yaml") for name in ("baseline", "cbt", "exercise")]
runner = CliRunner()


def painsim(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "simulation.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, **kwargs)  # fmt: skip


# --- acceptability and the value of information, by hand ---------------------------------------


def test_one_strategy_always_best_gives_ceac_one_and_zero_and_no_evpi():
    # B costs 100 more than A in every sample and gains 0.01 to 0.03 QALYs: at 0 USD/QALY A always wins,
    # at 20,000 B always wins (its net benefit is 100 to 500 higher).
    rng = np.random.default_rng(1)
    base_cost = rng.uniform(1000, 2000, 50)
    costs = np.column_stack([base_cost, base_cost + 100])
    gain = rng.uniform(0.01, 0.03, 50)
    effects = np.column_stack([np.full(50, 5.0), 5.0 + gain])
    table = acceptability(["A", "B"], costs, effects, [0.0, 20_000.0]).set_index(["wtp_per_qaly", "strategy"])
    assert table.loc[(0.0, "A"), "probability_cost_effective"] == 1.0
    assert table.loc[(0.0, "B"), "probability_cost_effective"] == 0.0
    assert table.loc[(20_000.0, "B"), "probability_cost_effective"] == 1.0
    assert table.loc[(0.0, "A"), "on_frontier"] and table.loc[(20_000.0, "B"), "on_frontier"]
    assert (table["evpi_per_person"] == 0.0).all()


def test_evpi_and_ceac_when_each_strategy_wins_half_the_samples():
    # Net benefits at WTP 1: sample 1 (10, 0), sample 2 (0, 30). Expected: A 5, B 15: choose B.
    # Perfect information: 10 in sample 1, 30 in sample 2, mean 20; EVPI = 20 - 15 = 5.
    costs = np.array([[0.0, 0.0], [0.0, 0.0]])
    effects = np.array([[10.0, 0.0], [0.0, 30.0]])
    table = acceptability(["A", "B"], costs, effects, [1.0]).set_index("strategy")
    assert table.loc["A", "probability_cost_effective"] == 0.5 and table.loc["B", "probability_cost_effective"] == 0.5
    assert table.loc["B", "on_frontier"] and not table.loc["A", "on_frontier"]
    assert table.loc["A", "evpi_per_person"] == pytest.approx(5.0)
    assert evpi(np.array([[10.0, 0.0], [0.0, 30.0]])) == pytest.approx(5.0)


def test_a_draw_depends_on_the_seed_sample_and_parameter_only():
    params = uncertain_parameters()
    centres = {p.key: p.default for p in params}
    full, _ = draw_sample(params, centres, seed=7, sample=3)
    alone, _ = draw_sample([params[4]], centres, seed=7, sample=3)
    assert alone[params[4].key] == full[params[4].key]
    assert draw_sample(params, centres, seed=7, sample=4)[0] != full
    assert draw_sample(params, centres, seed=8, sample=3)[0] != full
    keys = {p.key for p in params}
    assert {"utility.pain_severe", "costs.pain_healthcare"} <= keys and "utility.full_health" not in keys


# --- valuing recorded runs again is exact ------------------------------------------------------


def _all_valuation_parameters_at(end: str) -> dict[str, float]:
    return {p.key: getattr(p.uncertainty, end) for p in uncertain_parameters() if p.valuation}


def test_utilities_and_costs_do_not_change_the_dynamics():
    from simulation.calibration import with_parameters
    from simulation.model import PainCycleModel

    base = tiny_scenario(interventions=[{"type": "cbt", "eligibility": {"conditions": ["chronic_pain"]}}])
    changed = with_parameters(base, _all_valuation_parameters_at("high"))
    a = PainCycleModel(base, agent_views=False).run().population_series()
    b = PainCycleModel(changed, agent_views=False).run().population_series()
    assert not np.allclose(a["mean_utility"], b["mean_utility"])
    pd.testing.assert_frame_equal(a.drop(columns="mean_utility"), b.drop(columns="mean_utility"))


def test_valuing_a_recorded_run_equals_running_with_the_parameters():
    from simulation.calibration import with_parameters
    from simulation.compare import compare_scenarios
    from simulation.economics.evaluate import cost_effectiveness

    cbt = tiny_scenario(name="cbt", interventions=[{"type": "cbt", "eligibility": {"conditions": ["chronic_pain"]}}])
    recorded = valued_replicate(cbt, 0)
    # the band combinations give the model's own mean utility, at the declared and at other utilities
    assert np.allclose(recorded[[c for c in recorded if c.startswith("cell_")]].to_numpy() @
                       cell_utilities(cbt.parameters.utility), recorded["mean_utility"], rtol=0, atol=1e-6)  # fmt: skip
    low = with_parameters(cbt, _all_valuation_parameters_at("low"))
    rerun = valued_replicate(low, 0)
    cells = rerun[[c for c in rerun if c.startswith("cell_")]].to_numpy()
    assert np.allclose(cells @ cell_utilities(low.parameters.utility), rerun["mean_utility"], rtol=0, atol=1e-6)
    # and the valuation's costs and QALYs are those `painsim compare` reports for the same runs
    comparison = compare_scenarios([tiny_scenario(), cbt], jobs=1)
    ce = cost_effectiveness(comparison).per_replicate
    mine = value_series(valued_replicate(cbt, 1), cbt.parameters, cbt.economics)
    theirs = ce[(ce["strategy"] == "cbt") & (ce["replicate"] == 1)].iloc[0]
    for column, value in mine.items():
        assert value == pytest.approx(theirs[column], rel=1e-6, abs=1e-9), column


def test_a_drawn_parameter_that_changes_the_dynamics_gets_its_own_runs(monkeypatch):
    import simulation.economics.psa as psa

    dynamic = UncertainParameter("pain.from_poor_sleep", Uncertainty("gamma", 0.2, 0.6, "test"), 0.0, 5.0, 0.4, "x")
    monkeypatch.setattr(psa, "uncertain_parameters", lambda: [*uncertain_parameters(), dynamic])
    cbt = {"type": "cbt", "eligibility": {"conditions": ["chronic_pain"]}}
    strategies = [tiny_scenario(name="a", replicates=1), tiny_scenario(name="b", replicates=1, interventions=[cbt])]
    result = run_psa(strategies, samples=3, jobs=1)
    assert result.evaluation.simulations == 6  # 3 samples x 2 strategies, each its own draw of the dynamics
    assert (result.table().groupby("strategy")["qalys"].nunique() == 3).all()


# --- the command ---------------------------------------------------------------------------------


def _table(out) -> pd.DataFrame:
    return pd.read_csv(next(out.glob("psa-*")) / "psa.csv")


def test_same_seed_gives_the_same_psa_on_one_and_two_workers(tmp_path):
    common = ["psa", *STRATEGIES, *SMALL, "--samples", "30", "-q", "--no-cache"]
    args = [*common, "--seed", "4"]
    one = painsim(*args, "--jobs", "1", "--out", str(tmp_path / "one"))
    assert one.returncode == 0, one.stderr[-2000:]
    two = painsim(*args, "--jobs", "2", "--out", str(tmp_path / "two"))
    assert two.returncode == 0, two.stderr[-2000:]
    a, b = _table(tmp_path / "one"), _table(tmp_path / "two")
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 30 * 3 and list(a["strategy"].unique()) == ["baseline", "cbt", "exercise"]
    assert {"sample", "qalys", "cost_healthcare_payer", "cost_societal", "nmb_100000"} <= set(a.columns)
    assert a["qalys"].nunique() >= 30  # each sample draws other utilities
    folder = next((tmp_path / "two").glob("psa-*"))
    for name in ("psa_ce_plane", "ceac", "evpi"):
        assert {p.suffix for p in (folder / "charts").glob(f"{name}.*")} == {".html", ".svg", ".png"}
    ceac = pd.read_csv(folder / "ceac.csv")
    shares = ceac.groupby(["perspective", "wtp_per_qaly"])["probability_cost_effective"].sum()
    assert np.allclose(shares, 1.0)
    assert (ceac["evpi_population"] == ceac["evpi_per_person"] * 258_300_000).all()
    report = (folder / "report.md").read_text()
    assert "Parameters held fixed" in report and "`population`: female_share" in report
    fixed = pd.read_csv(folder / "fixed_parameters.csv")["name"]
    assert fixed.str.startswith("interventions.cbt.").any() and not fixed.str.startswith("interventions.snri.").any()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["psa"]["samples"] == 30 and manifest["psa"]["seed"] == 4
    other = painsim(*common, "--seed", "5", "--jobs", "2", "--out", str(tmp_path / "x"))
    assert other.returncode == 0, other.stderr[-2000:]
    assert not np.allclose(_table(tmp_path / "x")["qalys"], a["qalys"])


def test_an_interrupted_psa_rerun_with_the_same_command_skips_finished_runs(tmp_path):
    args = ["psa", *STRATEGIES, "-n", "300", "--days", "60", "-r", "4", "--set", "burn_in_days=60", "--set",
            "settle_days=60", "--set", "outputs.panel_size=0", "--samples", "20", "--jobs", "1", "--no-charts", "-q",
            "--out", str(tmp_path)]  # fmt: skip
    kill_then_resume(args, tmp_path, 12, "psa", lambda folder: pd.read_csv(folder / "psa.csv"))


def test_dsa_writes_the_one_way_table_and_tornado(tmp_path):
    done = painsim("dsa", *STRATEGIES[:2], *SMALL, "--wtp", "50000", "--jobs", "1", "-q", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    folder = next(tmp_path.glob("dsa-*"))
    table = pd.read_csv(folder / "one_way.csv")
    n = len(uncertain_parameters())
    assert len(table) == 1 + 2 * n and table.iloc[0]["end"] == "base"
    assert set(table["comparator"]) == {"cbt"} and set(table["wtp_per_qaly"]) == {50000.0}
    ends = table.iloc[1:]
    assert list(ends["swing"]) == sorted(ends["swing"], reverse=True)
    # productivity costs do not count from the payer's perspective: they cannot move its NMB
    assert (ends[ends["parameter"] == "costs.pain_presenteeism"]["swing"] == 0).all()
    assert {p.suffix for p in (folder / "charts").glob("tornado.*")} == {".html", ".svg", ".png"}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["psa", *STRATEGIES, "--samples", "0"], "--samples must be 1 to"),
        (["psa", STRATEGIES[0], "missing.yaml"], "missing.yaml: scenario file not found"),
        (["psa", STRATEGIES[0]], "at least two scenario files"),
        (["psa", *STRATEGIES, "--reference", "nope"], "--reference 'nope' is none of the strategies"),
        (["psa", *STRATEGIES, "--evpi-population", "0"], "--evpi-population must be 1 or more"),
        (["dsa", *STRATEGIES, "--wtp", "-5"], "--wtp must be"),
        (["dsa", STRATEGIES[0], STRATEGIES[0]], "strategy names must differ"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(tmp_path, args, fragment):
    result = runner.invoke(app, [*args, *SMALL, "--jobs", "1", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert fragment in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
