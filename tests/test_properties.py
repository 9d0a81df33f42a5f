"""Property tests (hypothesis): for any parameter values inside their declared bounds, the model stays
inside the declared bounds of its state; the same seed gives the same run, other replicates do not.

Examples are derandomised and the example database is off, so every run of the suite tests the same
parameter sets (no test is seeded at random).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation import PainCycleModel, Scenario
from simulation.outcomes import PREVALENCES
from simulation.parameters import parameter_rows
from simulation.state import COLUMNS

SEED = 20240607
PEOPLE = 200
DAYS = 60
SETTLE_DAYS = 10

# Bounds that cannot be drawn exactly (none at present; job_strain_mean's bounds were narrowed to
# 0.05-0.95 after this test found that 1.0 crashed synthesis).
OPEN_UPPER: set[str] = set()

# series columns that are shares of the population (0-1)
SHARES = {
    *PREVALENCES,
    "depression_current",
    "pain_and_depression",
    "pain_and_insomnia",
    "depression_and_insomnia",
    "all_three",
    "in_episode",
}

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _value(row: dict) -> st.SearchStrategy[float]:
    return st.floats(
        min_value=float(row["lower"]),
        max_value=float(row["upper"]),
        allow_nan=False,
        allow_infinity=False,
        exclude_max=row["name"] in OPEN_UPPER,
    )


ROWS = parameter_rows(interventions=False)


@st.composite
def parameter_sets(draw) -> dict[str, dict[str, float]]:
    """Every model parameter, each drawn anywhere in its declared [lower, upper]."""
    out: dict[str, dict[str, float]] = {}
    for row in ROWS:
        group, name = row["name"].split(".", 1)
        out.setdefault(group, {})[name] = draw(_value(row), label=row["name"])
    status = out["status"]  # thresholds that must be ordered to be met (ModelParams checks them)
    for low, high in (("midus_min_days", "midus_window_days"), ("mde_min_days", "mde_lookback_days"),
                      ("opioid_misuse_dependence", "opioid_addiction_dependence")):  # fmt: skip
        if status[low] > status[high]:
            status[low] = status[high]
    return out


def test_every_parameter_declares_finite_bounds():
    """The strategy above needs bounds on every parameter (and they must be ordered)."""
    assert len(ROWS) > 50
    for row in ROWS:
        assert row["lower"] is not None and row["upper"] is not None, row["name"]
        assert np.isfinite(row["lower"]) and np.isfinite(row["upper"]), row["name"]
        assert row["lower"] <= row["default"] <= row["upper"], row["name"]


def small_scenario(parameters: dict | None = None) -> Scenario:
    return Scenario(
        population=PEOPLE,
        burn_in_days=0,
        settle_days=SETTLE_DAYS,
        parameters=parameters or {},
        outputs={"record_every_days": 10, "panel_size": 10},
    )


def check_state(model: PainCycleModel) -> None:
    """Every column finite and inside its declared bounds."""
    for col in COLUMNS:
        values = getattr(model.state, col.name)
        if values.dtype == bool:
            continue
        where = f"{col.name} on day {model.day}"
        assert np.all(np.isfinite(values)), f"{where}: not finite"
        if col.lower is not None:
            assert values.min() >= col.lower, f"{where}: {values.min()} < {col.lower}"
        if col.upper is not None:
            assert values.max() <= col.upper, f"{where}: {values.max()} > {col.upper}"


@PROPERTY_SETTINGS
@given(parameters=parameter_sets())
def test_states_stay_finite_and_in_bounds_for_any_valid_parameters(parameters):
    """Bounded, saturating rules: whatever the parameters within their declared ranges,
    every state column stays finite and within the bounds `simulation.state.COLUMNS` declares, on
    every day, and the instruments (PHQ-9, ISI) stay on their scales."""
    model = PainCycleModel(small_scenario(parameters), seed=SEED, agent_views=False)
    check_state(model)
    for _ in range(DAYS):
        model.step()
        check_state(model)
    assert model.state.phq9.min() >= 0 and model.state.phq9.max() <= 27
    assert model.state.isi.min() >= 0 and model.state.isi.max() <= 28
    series = model.population_series()
    for name in series.columns:
        values = series[name].to_numpy(dtype=float)
        if "_given_" in name:  # a share among a group that may be empty (nan then)
            values = values[~np.isnan(values)]
        assert np.all(np.isfinite(values)), name
        if name in SHARES or "_given_" in name:
            assert np.all((values >= 0.0) & (values <= 1.0)), name


def _state_arrays(model: PainCycleModel) -> dict[str, np.ndarray]:
    arrays = {c.name: getattr(model.state, c.name).copy() for c in COLUMNS}
    status = model.status
    for name in ("pain_days", "pain_days_midus", "bad_nights", "low_mood_run", "last_mde_day", "flags"):
        arrays[f"status.{name}"] = getattr(status, name).copy()
    return arrays


@settings(max_examples=8, deadline=None, derandomize=True, database=None)
@given(parameters=parameter_sets(), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_same_seed_same_run(parameters, seed):
    """Reproducibility (simulation/rng.py): two models with the same scenario, seed and
    replicate hold identical state, statuses and series after the same days."""
    runs = []
    for _ in range(2):
        model = PainCycleModel(small_scenario(parameters), seed=seed, agent_views=False)
        model.run(20)
        runs.append((_state_arrays(model), model.population_series()))
    (a, series_a), (b, series_b) = runs
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    assert series_a.equals(series_b)


@pytest.mark.parametrize("replicate", [1, 2])
def test_other_replicates_and_seeds_differ(replicate):
    """Replicates (and seeds) draw from their own streams: traits and daily paths differ."""
    reference = PainCycleModel(small_scenario(), seed=SEED, replicate=0, agent_views=False).run(20)
    other = PainCycleModel(small_scenario(), seed=SEED, replicate=replicate, agent_views=False).run(20)
    reseeded = PainCycleModel(small_scenario(), seed=SEED + replicate, agent_views=False).run(20)
    for model in (other, reseeded):
        for name in ("age", "nociception_setpoint", "pain", "mood", "sleep", "log_nociception"):
            assert not np.array_equal(getattr(reference.state, name), getattr(model.state, name)), name


def test_job_strain_mean_at_its_bounds_builds_a_population():
    """population.job_strain_mean at either declared bound must build a population with strain in
    [0, 1] (a value of 1.0 once passed validation and crashed the Beta draw)."""
    for mean in (0.05, 0.95):
        scenario = small_scenario({"population": {"job_strain_mean": mean}})
        model = PainCycleModel(scenario, seed=SEED, agent_views=False)
        strain = model.state.job_strain[model.state.employed]
        assert strain.size > 0
        assert np.all((strain >= 0.0) & (strain <= 1.0))
        assert abs(strain.mean() - mean) < 0.05
