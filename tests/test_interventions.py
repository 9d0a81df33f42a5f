"""Interventions: the registry, composition, common random numbers, dose-response, round trips."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import PainCycleModel, Scenario
from simulation.interventions import REGISTRY
from simulation.interventions.combinations import INTERACTIONS
from simulation.interventions.effects import QUANTITIES, Modifiers
from simulation.state import COLUMNS
from tests.conftest import tiny_scenario

ALL_TYPES = sorted(REGISTRY)


def run(interventions, days=120, population=1500, seed=4, parameters=None):
    scenario = tiny_scenario(population=population, days=days, interventions=interventions, seed=seed,
                             parameters=parameters or {})  # fmt: skip
    return PainCycleModel(scenario, agent_views=False).run()


@pytest.fixture(scope="module")
def baseline():
    return run([])


def _same_state(a, b, who=slice(None)) -> bool:
    return all(np.array_equal(getattr(a.state, c.name)[who], getattr(b.state, c.name)[who]) for c in COLUMNS)


def test_the_registry_holds_every_family_the_issue_names():
    assert {"cbt", "exercise", "cbti", "sleep_medication", "snri", "ssri", "opioids", "acupuncture",
            "mindfulness", "integrated_care"} <= set(REGISTRY)  # fmt: skip


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_zero_coverage_equals_the_baseline_exactly(baseline, kind):
    model = run([{"type": kind, "coverage": 0.0}])
    assert _same_state(model, baseline)
    assert model.population_series().equals(baseline.population_series())


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_an_intervention_leaves_untreated_people_exactly_as_they_were(baseline, kind):
    """Common random numbers: everyone draws the same daily noise whatever is offered, so a person
    who is never enrolled follows exactly the baseline path; the treated ones do not."""
    model = run([{"type": kind, "coverage": 0.5}])
    enrolled = model.programmes[0].enrolled
    assert 0 < enrolled.sum() < enrolled.size
    assert _same_state(model, baseline, ~enrolled)
    assert not _same_state(model, baseline, enrolled)


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_every_type_round_trips_yaml_object_yaml(kind):
    spec = REGISTRY[kind](type=kind)
    text = yaml.safe_dump(spec.model_dump(mode="json"))
    again = REGISTRY[kind].model_validate(yaml.safe_load(text))
    assert again == spec
    assert yaml.safe_dump(again.model_dump(mode="json")) == text
    via_scenario = Scenario.model_validate({"interventions": [yaml.safe_load(text)]})
    assert via_scenario.interventions[0] == spec


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_every_effect_size_declares_unit_bounds_and_source(kind):
    from simulation.interventions.base import InterventionSpec

    own = set(REGISTRY[kind].model_fields) - set(InterventionSpec.model_fields) - {"stimulation"}
    for name in own:
        info = REGISTRY[kind].model_fields[name]
        extra = info.json_schema_extra or {}
        if extra:
            assert extra["unit"] and extra["source"], (kind, name)
        assert info.description, (kind, name)


def mean_pain_of_treated(kind: str, **fields) -> float:
    model = run([{"type": kind, "coverage": 0.6, "eligibility": {"conditions": ["chronic_pain"]}, **fields}],
                days=150, population=1200)  # fmt: skip
    who = model.programmes[0].enrolled
    return float(model.state.pain[who].mean() + model.state.mood[who].mean())


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    kind=st.sampled_from(["cbt", "snri", "acupuncture", "mindfulness", "integrated_care"]),
    low=st.floats(0.0, 1.0),
    high=st.floats(0.0, 1.0),
)
def test_more_adherence_never_gives_less_effect(kind, low, high):
    low, high = sorted((low, high))
    assert mean_pain_of_treated(kind, adherence=high) <= mean_pain_of_treated(kind, adherence=low) + 1e-3


@settings(max_examples=8, deadline=None, derandomize=True)
@given(low=st.floats(0.0, 0.9), high=st.floats(0.0, 0.9))
def test_a_larger_effect_size_never_gives_less_effect(low, high):
    low, high = sorted((low, high))
    assert mean_pain_of_treated("snri", pain_relief=high) <= mean_pain_of_treated("snri", pain_relief=low) + 1e-3


def test_acupuncture_potentiates_snri(monkeypatch):
    """Seed 003: for people on both, the SNRI's dose is raised as acupuncture takes hold, so the
    pair relieves more pain than the same pair composed without the declared interaction."""
    import simulation.interventions.combinations as combinations

    assert any(i.partner == "acupuncture" and i.target == "snri" for i in INTERACTIONS)
    base = {"eligibility": {"min_pain": 2.0}, "coverage": 1.0}
    pair = [{"type": "acupuncture", **base}, {"type": "snri", **base}]
    with_interaction = run(pair, days=90)
    monkeypatch.setattr(combinations, "INTERACTIONS", ())
    without = run(pair, days=90)
    who = with_interaction.programmes[1].enrolled
    assert who.sum() > 100
    assert with_interaction.state.pain[who].mean() < without.state.pain[who].mean() - 0.02
    assert np.array_equal(with_interaction.state.pain[~who], without.state.pain[~who])


def test_modifiers_compose_as_declared():
    mods = Modifiers()
    mods.apply("pain_relief", np.array([0.5, 0.0]), 2)
    mods.apply("pain_relief", np.array([0.5, 0.2]), 2)
    np.testing.assert_allclose(mods.pain_relief, [0.75, 0.2])  # independent reliefs
    mods.apply("hpa_scale", np.array([0.5, 1.0]), 2)
    mods.apply("hpa_scale", np.array([0.5, 0.8]), 2)
    np.testing.assert_allclose(mods.hpa_scale, [0.25, 0.8])  # scales multiply
    mods.apply("mood_drive", np.array([-1.0, 0.0]), 2)
    mods.apply("mood_drive", np.array([-0.5, 0.0]), 2)
    np.testing.assert_allclose(mods.mood_drive, [-1.5, 0.0])  # shifts add
    with pytest.raises(KeyError):
        mods.apply("happiness", np.ones(2), 2)
    assert set(QUANTITIES) >= {"pain_relief", "sleep_relief", "mood_drive", "opioid_exposure"}


def test_course_timing_onset_ramp_and_waning():
    """A course's level is 0 before onset, ramps to attendance, and halves every half-life after."""
    model = run([{"type": "cbt", "coverage": 1.0, "duration_weeks": 4, "onset_delay_days": 7, "ramp_days": 7,
                  "waning_half_life_days": 10, "dropout_per_week": 0.0, "response_sd": 0.0}], days=1)  # fmt: skip
    prog = model.programmes[0]
    idx = prog.index
    assert idx.size == 1500 and np.all(prog.start[idx] == 0)
    full = prog.attendance[idx]
    assert np.all(prog.levels(3) == 0)
    np.testing.assert_allclose(prog.levels(10), full * 3 / 7, rtol=1e-5)  # 3 of the 7 ramp days
    np.testing.assert_allclose(prog.levels(14), full, rtol=1e-6)
    np.testing.assert_allclose(prog.levels(28 + 10), full / 2, rtol=1e-5)  # one half-life after the end


def test_side_effect_dropout_matches_its_declared_rate():
    model = run([{"type": "snri", "coverage": 1.0, "side_effect_dropout": 0.3}], days=40, population=4000)
    report = model.treatment_report().iloc[0]
    assert abs(report["stopped_for_side_effects"] / report["enrolled"] - 0.3) < 0.03


def test_opioids_build_dependence_and_it_raises_depression_risk():
    """Seed 000: opioids bring dependence, and dependence depression. The people on opioids build
    dependence, and with the dependence -> depression edge cut (same seed, same people) fewer of
    them are in a depressive episode a year on."""
    programme = [{"type": "opioids", "coverage": 1.0, "eligibility": {"conditions": ["chronic_pain"]},
                  "duration_weeks": 52}]  # fmt: skip
    model = run(programme, days=365, population=20_000)
    who = model.programmes[0].enrolled
    assert model.state.opioid_dependence[who].mean() > 0.1
    assert model.state.opioid_dependence[~who].max() == 0.0
    assert model.metrics()["opioid_misuse"] > 0
    cut = run(programme, days=365, population=20_000, parameters={"mood": {"onset_from_opioid_dependence": 0.0}})
    assert who.sum() > 100
    assert model.state.in_episode[who].mean() > cut.state.in_episode[who].mean()


def test_an_intervention_can_be_offered_to_people_in_care_only():
    """Eligibility `in_care`: only people seeing a clinician are enrolled (simulation.rules.care)."""
    model = run([{"type": "cbt", "coverage": 1.0, "eligibility": {"conditions": ["in_care"]}}], days=1,
                population=4000)  # fmt: skip
    enrolled = model.programmes[0].enrolled
    assert 50 < enrolled.sum() < 2000
    assert (enrolled & ~model.state.in_care).mean() < 0.005  # a day later, almost all are still in care


def test_costs_add_up_sessions_and_days():
    model = run([{"type": "cbt", "coverage": 1.0, "adherence": 1.0, "dropout_per_week": 0.0, "duration_weeks": 2,
                  "cost_per_session": 100.0, "sessions_per_week": 1.0}], days=30, population=500)  # fmt: skip
    report = model.treatment_report().iloc[0]
    assert report["cost"] == pytest.approx(report["enrolled"] * 2 * 100.0, rel=1e-6)
