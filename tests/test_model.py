"""The model as a notebook user meets it: a mesa model with agents, steps and a DataCollector."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from simulation import PainCycleModel, load_scenario
from simulation.state import COLUMNS
from tests.conftest import SCENARIOS, tiny_scenario


def test_quickstart_api_from_the_issue():
    model = PainCycleModel(load_scenario(SCENARIOS / "baseline.yaml"), seed=1, population=300)
    assert isinstance(model, mesa.Model)
    assert model.day == 0 and len(model.agents) == 300
    model.step()
    assert model.day == 1 and model.steps == 1
    person = model.agents[0]
    assert 0 <= person.pain <= 10 and 0 <= person.phq9 <= 27 and 0 <= person.isi <= 28
    # agents are views: they read the arrays, so they always agree with them
    assert person.pain == float(model.state.pain[person.index])
    assert np.isclose(person.phq9, model.state.mood[person.index] * 27)


def test_agents_work_with_mesa_datacollector():
    model = PainCycleModel(tiny_scenario(population=200), seed=2)
    collector = mesa.DataCollector(
        model_reporters={"chronic_pain": lambda m: m.metrics()["chronic_pain"]},
        agent_reporters={"pain": "pain", "phq9": "phq9", "isi": "isi"},
    )
    for _ in range(3):
        model.step()
        collector.collect(model)
    agents = collector.get_agent_vars_dataframe()
    assert len(agents) == 3 * 200
    assert agents["pain"].between(0, 10).all()
    assert len(collector.get_model_vars_dataframe()) == 3


def test_agentset_selection_matches_arrays():
    model = PainCycleModel(tiny_scenario(population=500), seed=3)
    in_pain = model.agents.select(lambda a: a.chronic_pain)
    assert len(in_pain) == int(model.status.chronic_pain().sum())


def test_agent_views_can_be_switched_off_for_batch_runs():
    model = PainCycleModel(tiny_scenario(), seed=1, agent_views=False)
    assert len(model.agents) == 0 and model.state.size == 400


def test_state_columns_are_declared_and_preallocated():
    model = PainCycleModel(tiny_scenario(), seed=1, agent_views=False)
    for col in COLUMNS:
        array = model.state.column(col.name)
        assert array.dtype == np.dtype(col.dtype) and array.shape == (400,)


def test_run_records_series_panel_and_distributions():
    s = tiny_scenario()
    model = PainCycleModel(s, agent_views=False).run()
    series = model.population_series()
    assert list(series["day"]) == list(range(0, s.duration_days + 1, s.outputs.record_every_days))
    panel = model.panel()
    assert set(panel["person"]) == set(model.panel_index) and len(model.panel_index) == 5
    assert panel["day"].max() == s.duration_days
    dist = model.distributions()
    for measure, part in dist.groupby("measure"):
        assert abs(part["share"].sum() - 1.0) < 1e-6, measure
    frame = model.to_dataframe()
    assert len(frame) == 400 and {"pain", "phq9", "isi", "chronic_pain"} <= set(frame.columns)


def test_same_seed_same_model_different_seed_different_model():
    a = PainCycleModel(tiny_scenario(), seed=5, agent_views=False).run(20)
    b = PainCycleModel(tiny_scenario(), seed=5, agent_views=False).run(20)
    c = PainCycleModel(tiny_scenario(), seed=6, agent_views=False).run(20)
    assert np.array_equal(a.state.pain, b.state.pain)
    assert not np.array_equal(a.state.pain, c.state.pain)


def test_midus_reads_depression_through_its_screen_the_same_way_all_day():
    """MIDUS's conditionals read the CIDI-SF screen, not the diagnosis; a perfect screen gives the diagnosis."""
    from simulation.outcomes import population_metrics, statuses

    model = PainCycleModel(tiny_scenario(population=3000, settle_days=200), seed=7, agent_views=False)
    model.run(5)
    first, again = statuses(model), statuses(model)
    some = statuses(model, only=("depression", "midus_depression"))
    assert set(some) == {"depression", "midus_depression"}
    np.testing.assert_array_equal(some["midus_depression"], first["midus_depression"])
    np.testing.assert_array_equal(first["midus_depression"], again["midus_depression"])
    people = np.array([5, 17, 2999])
    np.testing.assert_array_equal(statuses(model, people)["midus_depression"], first["midus_depression"][people])
    assert first["midus_depression"].mean() > first["depression"].mean()  # false alarms outnumber misses
    model.step()
    assert not np.array_equal(
        statuses(model)["midus_depression"] & ~first["depression"], first["midus_depression"] & ~first["depression"]
    )

    metrics = population_metrics(model)
    flags = statuses(model)
    bp, midus = flags["midus_back_pain"], flags["midus_depression"]
    assert metrics["depression_given_back_pain"] == pytest.approx(midus[bp].mean())
    assert metrics["midus_depression"] == pytest.approx(midus.mean())
    model.params.status.cidi_sf_sensitivity = 1.0
    model.params.status.cidi_sf_specificity = 1.0
    flags = statuses(model)
    np.testing.assert_array_equal(flags["midus_depression"], flags["depression"])
