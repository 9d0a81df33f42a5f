"""The per-agent reference (benchmarks/per_agent_reference.py) as an oracle for the vectorised model.

Both start from the SAME population with empty clinical windows: either freshly synthesised (no
settling, no burn-in: nobody in an episode, slow mechanisms at zero), or that population after
the vectorised model's accelerated settling, so that episodes are under way from day 0.

- `test_same_distribution`: each model draws its own random numbers for 120 days; population
  means and prevalences must agree within what sampling noise allows. People are paired (same
  person, same traits, same day-0 state), so each comparison uses the per-person difference and its
  standard error: |mean difference| < 4 SE + a small absolute slack.
- `test_same_paths_with_common_random_numbers`: the reference is fed the vectorised model's own
  daily draws, so the two must follow the same paths to float32 rounding. This is the sharper
  check; it relies on the layout of `DailyNoise` (4 normals and 3 uniforms per person per day).

Power: doubling `pain.from_poor_sleep` for the reference alone fails 9 checks of the distribution
test (mean pain off by about 8 SE); but episode onsets are rare in 2000 people over 120 days, so
modest changes to the episode hazards pass it unnoticed. The common-random-numbers test catches
those (a 30% change of the onset rate already makes paths diverge).

`compare(reference_params)` returns the failed checks rather than asserting, so a reference with a
perturbed parameter can be run through it to confirm that the test can fail. Run this file with
python to print the full comparison tables.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from per_agent_reference import FIELDS, STATUSES, ReferenceModel  # noqa: E402

from simulation import ModelParams, PainCycleModel, Scenario  # noqa: E402
from simulation.state import COLUMNS  # noqa: E402
from simulation.status import ClinicalStatus  # noqa: E402

POPULATION = 2000
DAYS = 120
AVERAGE_FROM = 61  # per-person means of the fast states over days 61-120
SEED = 20261126
SETTLE_DAYS = 200  # accelerated days before the settled start
FAST = ("pain", "mood", "sleep", "sleep_recent")
SLOW = ("hpa_load", "sensitisation", "inflammation", "catastrophising", "withdrawal", "invalidation")
SLOW += ("opioid_dependence", "depression_scar")
Z = 4.0  # standard errors allowed per comparison
SLACK = 1e-4  # absolute, for float32 (vectorised) against float64 (reference) arithmetic
MAX_PREVALENCE_GAP = 0.03  # and never more than 3 percentage points


def _scenario(population: int) -> Scenario:
    return Scenario(
        population=population,
        seed=SEED,
        settle_days=0,
        burn_in_days=0,
        outputs={"panel_size": 0, "record_every_days": 365, "charts": False},
    )


def _start(population: int, reference_params: ModelParams | None = None, seed: int = SEED, settled: bool = False):
    """A vectorised and a reference model from one synthesised population.

    `settled`: first run the vectorised model's accelerated settling (200 days), so that the
    population starts near its steady state with depressive episodes under way (a freshly
    synthesised one has none), then clear its clinical windows so that both start them empty.
    One person in ten is given some opioid exposure so that the dependence path is exercised.
    """
    scenario = _scenario(population)
    if settled:
        scenario = scenario.model_copy(update={"settle_days": SETTLE_DAYS})
    vector = PainCycleModel(scenario, seed=seed, burn_in_days=0, agent_views=False)
    if settled:
        vector.status = ClinicalStatus(population, vector.params.status)
        vector.day = 0
    exposed = np.arange(population) % 10 == 0
    vector.state.opioid_exposure[exposed] = np.float32(0.6)
    params = reference_params if reference_params is not None else scenario.parameters
    reference = ReferenceModel(params, vector.state.as_dict(), seed=seed)
    return vector, reference


def _vector_statuses(model: PainCycleModel) -> dict[str, np.ndarray]:
    st, state = model.status, model.state
    return {
        "chronic_pain": st.chronic_pain(),
        "high_impact_chronic_pain": st.high_impact_chronic_pain(state),
        "midus_back_pain": st.midus_back_pain(),
        "depression": st.mde_12m(model.day),
        "depression_current": st.mde_current(),
        "insomnia": st.insomnia_disorder(),
        "clinical_insomnia": st.clinical_insomnia(state),
        "in_episode": state.in_episode.copy(),
        "in_central_pain": state.in_central_pain.copy(),
        "in_care": state.in_care.copy(),
    }


def compare(
    reference_params: ModelParams | None = None,
    *,
    settled: bool = False,
    population: int = POPULATION,
    days: int = DAYS,
):
    """Run both models and return (failures, table): the checks that failed, and every check."""
    vector, reference = _start(population, reference_params, settled=settled)
    sums_v = {name: np.zeros(population) for name in FAST}
    sums_r = {name: np.zeros(population) for name in FAST}
    # the episode process, over the whole run: days in an episode, and episode onsets
    episode_v, episode_r = vector.state.in_episode.copy(), reference.column("in_episode")
    days_v, days_r = np.zeros(population), np.zeros(population)
    onsets_v, onsets_r = np.zeros(population), np.zeros(population)
    for day in range(1, days + 1):
        vector.step()
        reference.step()
        if day >= AVERAGE_FROM:
            for name in FAST:
                sums_v[name] += getattr(vector.state, name)
                sums_r[name] += reference.column(name)
        now_v, now_r = vector.state.in_episode.copy(), reference.column("in_episode")
        days_v += now_v
        days_r += now_r
        onsets_v += now_v & ~episode_v
        onsets_r += now_r & ~episode_r
        episode_v, episode_r = now_v, now_r
    averaged = days - AVERAGE_FROM + 1

    paired: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in FAST:
        paired[f"mean {name}, days {AVERAGE_FROM}-{days}"] = (sums_r[name] / averaged, sums_v[name] / averaged)
    paired[f"share of days in an episode, days 1-{days}"] = (days_r / days, days_v / days)
    paired[f"episode onsets per person, days 1-{days}"] = (onsets_r, onsets_v)
    for name in SLOW:
        paired[f"mean {name}, day {days}"] = (reference.column(name), getattr(vector.state, name).astype(float))
    statuses_v = _vector_statuses(vector)
    prevalences = {}
    for name in (*STATUSES, "in_episode", "in_central_pain", "in_care"):
        prevalences[f"prevalence {name}, day {days}"] = (reference.column(name), statuses_v[name])

    failures, table = [], []
    for label, (ref, vec) in {**paired, **prevalences}.items():
        diff = ref.astype(float) - vec.astype(float)
        se = diff.std(ddof=1) / np.sqrt(diff.size)
        gap = diff.mean()
        ok = abs(gap) < Z * se + SLACK
        if label.startswith("prevalence"):
            ok = ok and abs(gap) < MAX_PREVALENCE_GAP
        row = f"{label:45s} reference {ref.mean():9.5f} vectorised {vec.mean():9.5f} diff {gap:+.5f} SE {se:.5f}"
        table.append(row)
        if not ok:
            failures.append(row)
    return failures, table


def test_reference_knows_every_state_column():
    assert set(FIELDS) == {c.name for c in COLUMNS}, "a state column was added or removed: update the reference"


@pytest.mark.parametrize("settled", [False, True], ids=["synthesised", "settled"])
def test_same_distribution(settled):
    failures, table = compare(settled=settled)
    assert not failures, "reference and vectorised model disagree:\n" + "\n".join(failures)
    # the run got somewhere: people in pain, in episodes and with insomnia exist in both
    assert any("prevalence chronic_pain" in row for row in table)


class _Replay:
    """Stands in for the reference model's `random.Random`, replaying the vectorised draws."""

    def __init__(self):
        self.values: list[float] = []
        self.at = 0

    def load(self, normal: np.ndarray, uniform: np.ndarray) -> None:
        # per person, in the order the reference draws: nociception, central pain uniform, pain,
        # episode uniform, mood, sleep, care uniform
        rows = [normal[0], uniform[1], normal[1], uniform[0], normal[2], normal[3], uniform[2]]
        self.values = np.stack(rows, axis=1).ravel().tolist()
        self.at = 0

    def gauss(self, mu: float = 0.0, sigma: float = 1.0) -> float:
        value = self.values[self.at]
        self.at += 1
        return mu + sigma * value

    random = gauss


@pytest.mark.parametrize("settled", [False, True], ids=["synthesised", "settled"])
def test_same_paths_with_common_random_numbers(settled, population: int = 2000, days: int = 90, params=None):
    """Fed the same draws, the two follow the same paths: at most 0.1% of people may differ (a
    float32 rounding can tip a threshold or an episode switch; none did when this was written)."""
    vector, reference = _start(population, params, settled=settled)
    replay = _Replay()
    reference.random = replay
    noise = vector._noise
    noise.fused = False  # the compiled engine's kernel then reads its numbers from the buffers too
    draw = noise.draw

    def draw_and_share(rng):
        draw(rng)
        replay.load(noise.normal.astype(float), noise.uniform.astype(float))

    noise.draw = draw_and_share
    for _ in range(days):
        vector.step()
        reference.step()
    assert replay.at == 7 * population
    for name in FIELDS:
        gap = np.abs(reference.column(name).astype(float) - getattr(vector.state, name).astype(float))
        assert np.mean(gap > 1e-3) <= 0.001, f"{name}: paths diverge for {np.mean(gap > 1e-3):.2%} of people"
    counts = {
        "pain_days": vector.status.pain_days,
        "pain_days_midus": vector.status.pain_days_midus,
        "bad_nights": vector.status.bad_nights,
        "low_mood_run": vector.status.low_mood_run,
    }
    for name, counted in counts.items():
        assert np.mean(reference.column(name) != counted) <= 0.001, name
    assert np.mean(reference.column("depression") != vector.status.mde_12m(vector.day)) <= 0.001


def test_synthesised_mood_liability_follows_its_equation():
    """The synthesised mood liability is the documented sum of trait terms (re-derived here)."""
    vector, _ = _start(500)
    s, p = vector.state, vector.params.mood
    expected = (
        p.vulnerability_per_sd * s.vulnerability.astype(float)
        + p.female * s.female
        + p.age_per_decade * (s.age.astype(float) - 45.0) / 10.0
        - p.low_ses_per_sd * s.ses.astype(float)
        + p.job_strain * s.job_strain.astype(float)
    )
    np.testing.assert_allclose(s.mood_liability, expected, atol=1e-5)


if __name__ == "__main__":  # print the comparison tables
    for settled in (False, True):
        print("settled start" if settled else "synthesised start")
        for line in compare(settled=settled)[1]:
            print("  " + line)
