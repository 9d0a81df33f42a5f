"""The model as mesa's own tools use it: batch_run sweeps keyword parameters, seeds, one vocabulary."""

from __future__ import annotations

import inspect
import warnings

import mesa
import numpy as np
import pandas as pd
import pytest

from simulation import PainCycleModel, ScenarioError
from simulation.agents import PersonRemovalError
from simulation.experiments import MODEL_REPORTERS, scenario_with
from tests.conftest import tiny_scenario

SMALL = {"population": 300, "settle_days": 10, "burn_in_days": 20, "agent_views": False}


def _sweep(seeds=None):
    """Two values of a coupling x two runs; fixed `seeds` go where this mesa takes them (mesa 3.5
    passes `rng=` values as the model's seed; mesa 3.3 sweeps `seed` as any parameter)."""
    parameters = {"pain__from_poor_sleep": [0.2, 1.5], **SMALL}
    runs = {"iterations": 2}
    if seeds is not None:
        if "rng" in inspect.signature(mesa.batch_run).parameters:
            runs = {"rng": seeds}
        else:
            parameters["seed"], runs = seeds, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # mesa 3.5 prefers rng= to iterations=
        rows = mesa.batch_run(PainCycleModel, parameters=parameters, max_steps=30, display_progress=False, **runs)
    return pd.DataFrame(rows)


def test_batch_run_sweeps_a_coupling_with_distinct_reproducible_rows():
    frame = _sweep()
    assert len(frame) == 4 and set(frame["pain__from_poor_sleep"]) == {0.2, 1.5}
    assert set(MODEL_REPORTERS) <= set(frame.columns)
    # seed=None drew a fresh seed per run, recorded in the row: four different runs
    assert frame["seed"].nunique() == 4
    assert frame[["chronic_pain", "mean_pain", "mean_phq9", "mean_isi"]].drop_duplicates().shape[0] == 4
    # each row is reproduced by its recorded seed
    for row in frame.itertuples():
        model = PainCycleModel(pain__from_poor_sleep=row.pain__from_poor_sleep, seed=int(row.seed), **SMALL)
        for _ in range(int(row.Step)):
            model.step()
        again = model.datacollector.get_model_vars_dataframe().iloc[int(row.Step)]
        assert again["mean_pain"] == row.mean_pain and again["chronic_pain"] == row.chronic_pain


def test_batch_run_with_fixed_seeds_repeats_exactly():
    first, second = _sweep(seeds=[3, 4]), _sweep(seeds=[3, 4])
    assert set(first["seed"]) == {3, 4}
    pd.testing.assert_frame_equal(first, second)
    stronger = first.groupby("pain__from_poor_sleep")["mean_pain"].mean()
    assert stronger[1.5] > stronger[0.2]  # the same seeds, a stronger edge: more pain


def test_keyword_parameters_in_every_form_reach_the_scenario():
    base = tiny_scenario()
    a = scenario_with(base, {"pain__from_poor_sleep": np.float64(0.6)})
    b = scenario_with(base, {"parameters": {"pain.from_poor_sleep": 0.6}})
    c = scenario_with(base, {"parameters": {"pain": {"from_poor_sleep": 0.6}}})
    assert a.parameters == b.parameters == c.parameters and a.parameters.pain.from_poor_sleep == 0.6
    assert scenario_with(base, {}) is base
    with_cbt = scenario_with(base, {"interventions": ["cbt"], "cbt__coverage": 0.4, "cbt__start_day": 5})
    assert with_cbt.interventions[0].coverage == 0.4 and with_cbt.interventions[0].start_day == 5
    assert scenario_with(base, {"years": 1}).duration_days == 365


def test_bad_keywords_are_errors_that_name_them():
    with pytest.raises(ScenarioError, match="cbt__coverage"):
        PainCycleModel(tiny_scenario(), cbt__coverage=0.5)  # the scenario offers no CBT
    with pytest.raises(ScenarioError, match="from_poor_sleep.*allowed"):
        PainCycleModel(tiny_scenario(), pain__from_poor_sleep=50.0)


def test_a_scenario_keeps_its_seed_and_keywords_alone_draw_a_fresh_one():
    assert PainCycleModel(tiny_scenario(), agent_views=False).seed == tiny_scenario().seed
    seeds = {PainCycleModel(**SMALL).seed for _ in range(3)}
    assert len(seeds) == 3


def test_datacollector_records_every_day_and_the_run_stops_at_its_end():
    model = PainCycleModel(tiny_scenario(days=5), seed=1, agent_views=False)
    while model.running:
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame["day"]) == [0, 1, 2, 3, 4, 5] and model.day == 5
    assert frame["chronic_pain"].iloc[-1] == pytest.approx(model.metrics()["chronic_pain"])


def test_agents_and_data_frames_share_one_vocabulary():
    model = PainCycleModel(tiny_scenario(population=50), seed=1)
    frame = model.to_dataframe()
    person = model.agents[7]
    for name in ("phq9", "isi", "mood_severity", "poor_sleep", "pain"):
        assert getattr(person, name) == pytest.approx(float(frame.loc[person.index, name]), rel=1e-6), name
    assert "mood" not in frame.columns and "sleep" not in frame.columns
    assert set(person.state()) <= set(frame.columns)
    with pytest.raises(AttributeError, match="phq9"):
        _ = person.mood
    with pytest.raises(AttributeError, match="isi"):
        _ = person.sleep


def test_removing_an_agent_view_is_refused_loudly():
    model = PainCycleModel(tiny_scenario(population=50), seed=1)
    with pytest.raises(PersonRemovalError, match="closed cohort"):
        model.agents[0].remove()
    assert len(model.agents) == 50 and model.state.size == 50
