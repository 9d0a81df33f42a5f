"""Demography (`simulation.demography`): ageing, background and excess mortality, replacement of the dead."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from simulation import PainCycleModel, Scenario, ScenarioError, load_scenario
from simulation.demography import DemographyParams, fit_mortality_law, yearly_hazard
from simulation.economics.costs import per_person
from tests.conftest import ROOT

NO_EXCESS = {"demography": {"depression_mortality_ratio": 1.0, "opioid_addiction_mortality_ratio": 1.0}}


def _scenario(demography: dict, parameters: dict | None = None, **fields) -> Scenario:
    base = {"population": 2000, "burn_in_days": 60, "settle_days": 100, "seed": 11}
    if "days" not in fields and "years" not in fields:
        base["years"] = 1
    return Scenario(**{**base, **fields}, demography=demography, parameters=parameters or {})


def test_declared_law_is_the_fit_to_the_published_life_table():
    log_h45, slope, makeham, worst = fit_mortality_law()
    p = DemographyParams()
    assert p.log_hazard_at_45 == pytest.approx(log_h45, abs=5e-4)
    assert p.gompertz_slope == pytest.approx(slope, abs=5e-4)
    assert p.makeham_hazard == pytest.approx(makeham, rel=5e-3)
    assert worst < 0.3  # years of life expectancy, ages 18-95


def test_off_by_default_and_day_zero_is_shared():
    """Without the block nothing changes (the frozen regression baseline checks results); with it the
    population reaches day 0 exactly as without (demography acts from day 0 on)."""
    off = PainCycleModel(_scenario({}), agent_views=False)
    on = PainCycleModel(_scenario({"ageing": True, "mortality": True}), agent_views=False)
    assert off.demography is None and Scenario().demography.active is False
    for name, column in off.state.as_dict().items():
        assert np.array_equal(column, getattr(on.state, name)), name
    off.run(30)
    assert "alive" not in off.population_series().columns


def test_ageing_moves_age_and_the_age_dependent_traits():
    model = PainCycleModel(_scenario({"ageing": True}, days=365), agent_views=False)
    age0, noci0 = model.state.age.copy(), model.state.nociception_setpoint.astype(float)
    model.run()
    assert np.allclose(model.state.age - age0, 365 / 365.25, atol=1e-4)
    slope = model.params.nociception.age_per_decade
    assert np.allclose(model.state.nociception_setpoint - noci0, slope * 365 / 365.25 / 10, atol=1e-4)
    assert model.metrics()["deaths_per_1000"] == 0.0


def test_death_rate_by_age_and_sex_matches_the_life_table():
    """A synthetic cohort of 30,000 followed for a year, without excess mortality: deaths in each
    10-year band of starting age and each sex within 4 standard errors of the law's expectation."""
    scenario = _scenario({"ageing": True, "mortality": True}, NO_EXCESS, population=30_000, burn_in_days=0,
                         settle_days=0, days=365)  # fmt: skip
    model = PainCycleModel(scenario, agent_views=False)
    age, female = model.state.age.astype(float), model.state.female.copy()
    model.run()
    died = ~model.demography.alive
    p = model.params
    # One-year probability of death: the hazard integrated over the year of ageing.
    grid = np.linspace(0.0, 1.0, 13)
    mid = (grid[1:] + grid[:-1]) / 2
    cumulative = sum(yearly_hazard(p.demography, age + t, female, p.population.female_share) for t in mid) / 12
    expected = -np.expm1(-cumulative)
    checked = 0
    for lo in range(18, 90, 10):
        for sex in (True, False):
            band = (age >= lo) & (age < lo + 10) & (female == sex)
            e, o = expected[band].sum(), died[band].sum()
            assert abs(o - e) < 4 * np.sqrt(e) + 2, (lo, sex, o, e)
            checked += e > 20
    assert checked >= 6  # most bands have enough deaths to say something
    assert died.sum() == pytest.approx(expected.sum(), rel=0.06)


def test_excess_mortality_raises_deaths_among_the_depressed_by_the_declared_ratio():
    """Common random numbers: two runs differing only in the depression ratio (1 and 1.64). The
    death-rate ratio depressed / not depressed grows by the declared factor."""
    high = {"log_hazard_at_45": -3.5, "opioid_addiction_mortality_ratio": 1.0}
    rates = []
    for ratio in (1.0, 1.64):
        scenario = _scenario({"ageing": True, "mortality": True},
                             {"demography": {**high, "depression_mortality_ratio": ratio}},
                             population=20_000, days=730)  # fmt: skip
        model = PainCycleModel(scenario, agent_views=False).run()
        d = model.demography
        rate = d.deaths_by_depression / d.person_years_by_depression
        rates.append(rate[1] / rate[0])
    # Without excess the depressed die less (they are younger); the ratio of ratios removes that.
    assert rates[1] / rates[0] == pytest.approx(1.64, rel=0.2)


def test_the_dead_leave_the_outcomes_and_count_no_qalys():
    scenario = _scenario({"ageing": True, "mortality": True}, {"demography": {"log_hazard_at_45": -3.0}}, days=365)
    model = PainCycleModel(scenario, agent_views=False).run()
    series = model.population_series()
    alive = model.demography.alive
    assert 0.5 < series["alive"].iloc[-1] < 1.0
    assert series["alive"].iloc[-1] == alive.mean()
    assert series["deaths_per_1000"].iloc[-1] == pytest.approx(1000 * (1 - alive.mean()))
    assert model.metrics()["mean_pain"] == pytest.approx(float(model.state.pain[alive].mean(dtype=np.float64)))
    assert np.all(per_person(series, "mean_utility") <= series["mean_utility"].to_numpy() + 1e-12)
    assert series["life_years_per_person"].iloc[-1] < 365 / 365.25


def test_replacing_the_dead_keeps_the_size_and_the_prevalences_stationary():
    scenario = _scenario({"ageing": True, "mortality": True, "replace_deaths": True}, population=2000, years=20,
                         burn_in_days=365, settle_days=700)  # fmt: skip
    model = PainCycleModel(scenario, agent_views=False).run()
    series = model.population_series()
    assert model.state.size == 2000 and (series["alive"] == 1.0).all()
    assert model.demography.deaths > 200 and model.demography.entered == model.demography.deaths
    first, last = series[series["day"] <= 730], series[series["day"] >= series["day"].max() - 730]
    for name in ("chronic_pain", "depression", "insomnia"):
        assert last[name].mean() == pytest.approx(first[name].mean(), abs=0.04), name


def test_bad_demography_input_names_file_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("population: 100\ndemography:\n  mortality: true\n")
    with pytest.raises(ScenarioError, match=r"bad\.yaml.*demography.*ageing: true"):
        load_scenario(path)
    path.write_text("population: 100\ndemography:\n  ageing: maybe\n")
    done = subprocess.run([sys.executable, "-m", "simulation.cli", "run", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert "bad.yaml" in done.stderr and "demography.ageing" in done.stderr


def test_a_strategy_that_prevents_deaths_gains_life_years_and_qalys():
    """Economics count only the living: the same people (common random numbers), once with and once
    without the excess mortality of depression; fewer deaths give more life-years and QALYs."""
    from simulation.economics.evaluate import replicate_economics
    from simulation.economics.settings import EconomicsSettings
    from simulation.runner import run_many

    runs = []
    for name, ratio in (("excess", 2.0), ("prevented", 1.0)):
        parameters = {"demography": {"log_hazard_at_45": -3.5, "depression_mortality_ratio": ratio}}
        runs.append(_scenario({"ageing": True, "mortality": True}, parameters, name=name, years=3, replicates=2))
    table = replicate_economics(run_many(runs, jobs=1), EconomicsSettings()).set_index(["strategy", "replicate"])
    for replicate in (0, 1):
        excess, prevented = table.loc[("excess", replicate)], table.loc[("prevented", replicate)]
        assert prevented["life_years"] > excess["life_years"]
        assert prevented["qalys"] > excess["qalys"]
        assert excess["life_years"] < excess["life_years_undiscounted"] < 3.0
