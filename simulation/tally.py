"""The population outcomes of a recorded day in one compiled pass (numba), instead of ~40 numpy passes.

`simulation.outcomes.population_metrics` defines every outcome (the catalogue `METRICS`): shares of
the clinical statuses, their overlaps and conditional shares, and means. At 1,000,000 people it
made about 40 passes over the population (~120 ms a weekly record, more than two model days).
`population_metrics_fast` reads each person once: it files everyone into a histogram over the
eight statuses the overlaps combine (chronic pain, depression, insomnia, MIDUS back pain,
high-impact pain, in care, clinical insomnia, and depression as MIDUS's screen reads it, from the
same survey draws `simulation.outcomes.statuses` uses), counts the other flags, and sums the means (in
float64, utility included), among the living when deaths are not replaced. Every share is then a
ratio of histogram counts, computed as `population_metrics` computes it.

`population_metrics` stays the definition: the fast version returns exactly its outcomes or, if
the catalogue names one it does not know, defers to it (`tests/test_kernel.py` checks they agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from simulation.instruments import ISI_BANDS, ISI_MAX, NRS_BANDS, PHQ9_BANDS, PHQ9_MAX
from simulation.rng import survey_draws
from simulation.state import SLOW_STATES

if TYPE_CHECKING:
    from simulation.model import PainCycleModel

# The histogram's bits: a person's bin is the sum of the bits of the statuses they have.
BITS = {
    "chronic_pain": 1,
    "depression": 2,
    "insomnia": 4,
    "midus_back_pain": 8,
    "high_impact_chronic_pain": 16,
    "in_care": 32,
    "clinical_insomnia": 64,
    "midus_depression": 128,
}
# Flags counted on their own, and the sums of the means, in the kernel's order.
COUNTED = ("depression_current", "in_episode", "in_central_pain", "opioid_use", "opioid_misuse", "opioid_addiction")
SUMMED = ("pain", "mood", "isi", "utility", *SLOW_STATES)
OPIOID_USE_ABOVE = np.float32(0.05)  # exposure above which a person counts as using opioids (outcomes.py)
UTILITY_FLOOR = np.float32(-0.2)  # the lowest utility (simulation.utility)


@numba.njit(cache=True, error_model="numpy")
def _band_decrement(value, edges, decrements):  # pragma: no cover - compiled
    """The decrement of `value`'s band: decrements[k], k the number of edges at or below value."""
    k = 0
    for edge in edges:
        if value >= edge:
            k += 1
    return decrements[k]


@numba.njit(cache=True, error_model="numpy")
def _tally(
    pain_days, midus_days, bad_nights, low_mood_run, last_mde_day, day, pain, mood, sleep_recent, isi_offset,
    withdrawal, in_care, in_episode, in_central, exposure, dependence, slow, living, thresholds, screen, survey,
    utility_base,
    nrs_edges, nrs_dec, phq_edges, phq_dec, isi_edges, isi_dec,
):  # fmt: skip  # pragma: no cover - compiled
    """One pass over everyone (or the living): the status histogram, the other flags' counts and the sums."""
    (chronic_min, midus_min, lookback, mde_min, insomnia_min, clinical_isi, high_impact, misuse, addiction) = (
        thresholds[0], thresholds[1], thresholds[2], thresholds[3], thresholds[4], thresholds[5], thresholds[6],
        thresholds[7], thresholds[8],
    )  # fmt: skip
    sensitivity, specificity = screen[0], screen[1]  # float64, compared with float64 draws as outcomes.py does
    histogram = np.zeros(256, np.int64)
    counts = np.zeros(6, np.int64)
    sums = np.zeros(4 + len(slow), np.float64)
    everyone = living.size == 0
    phq_scale, isi_scale = np.float32(PHQ9_MAX), np.float32(ISI_MAX)
    for i in range(pain.shape[0]):
        if not everyone and not living[i]:
            continue
        chronic = pain_days[i] >= chronic_min
        depressed = (day - last_mde_day[i]) < lookback
        screened = survey[i] < sensitivity if depressed else survey[i] >= specificity
        isi = min(max(sleep_recent[i] * isi_scale + isi_offset[i], np.float32(0.0)), isi_scale)
        b = (
            1 * chronic
            + 2 * depressed
            + 4 * (bad_nights[i] >= insomnia_min)
            + 8 * (midus_days[i] >= midus_min)
            + 16 * (chronic and withdrawal[i] >= high_impact)
            + 32 * in_care[i]
            + 64 * (isi >= clinical_isi)
            + 128 * screened
        )
        histogram[b] += 1
        counts[0] += low_mood_run[i] >= mde_min
        counts[1] += in_episode[i]
        counts[2] += in_central[i]
        counts[3] += exposure[i] > OPIOID_USE_ABOVE
        counts[4] += dependence[i] >= misuse
        counts[5] += dependence[i] >= addiction
        phq = mood[i] * phq_scale
        u = utility_base - _band_decrement(pain[i], nrs_edges, nrs_dec)
        u -= _band_decrement(phq, phq_edges, phq_dec)
        u -= _band_decrement(isi, isi_edges, isi_dec)
        sums[0] += pain[i]
        sums[1] += mood[i]
        sums[2] += isi
        sums[3] += max(u, UTILITY_FLOOR)
        for k in range(len(slow)):
            sums[4 + k] += slow[k][i]
    return histogram, counts, sums


def _bands(edges, decrements) -> tuple[np.ndarray, np.ndarray]:
    return np.array(edges, np.float32), np.array((0.0, *decrements), np.float32)


def population_metrics_fast(model: PainCycleModel) -> dict[str, float]:
    """`simulation.outcomes.population_metrics(model)`, from one compiled pass."""
    from simulation.outcomes import METRICS, population_metrics, status_combinations

    names = _names()
    if not set(METRICS) <= set(names):  # the catalogue grew: the definition answers
        return population_metrics(model)
    s, st, p = model.state, model.status, model.params
    ps, pu = p.status, p.utility
    thresholds = np.array(
        [
            ps.chronic_pain_min_days,
            ps.midus_min_days,
            ps.mde_lookback_days,
            ps.mde_min_days,
            ps.insomnia_min_nights,
            ps.clinical_isi_threshold,
            ps.high_impact_withdrawal,
            ps.opioid_misuse_dependence,
            ps.opioid_addiction_dependence,
        ],
        np.float32,
    )
    screen = np.array([ps.cidi_sf_sensitivity, ps.cidi_sf_specificity], np.float64)
    living = model.living() if hasattr(model, "living") else None
    slow = tuple(getattr(s, name) for name in SLOW_STATES)
    histogram, counts, sums = _tally(
        st.pain_days, st.pain_days_midus, st.bad_nights, st.low_mood_run, st.last_mde_day, int(model.day),
        s.pain, s.mood, s.sleep_recent, s.isi_offset, s.withdrawal, s.in_care, s.in_episode, s.in_central_pain,
        s.opioid_exposure, s.opioid_dependence, slow, np.empty(0, bool) if living is None else living, thresholds,
        screen, survey_draws(model.seed, model.replicate, model.day, s.size), np.float32(pu.full_health),
        *_bands(NRS_BANDS, (pu.pain_mild, pu.pain_moderate, pu.pain_severe)),
        *_bands(PHQ9_BANDS, (pu.phq9_mild, pu.phq9_moderate, pu.phq9_moderately_severe, pu.phq9_severe)),
        *_bands(ISI_BANDS, (pu.isi_subthreshold, pu.isi_moderate, pu.isi_severe)),
    )  # fmt: skip
    total = int(histogram.sum())
    bins = np.arange(histogram.size)

    def has(name: str) -> np.ndarray:
        return (bins & BITS[name]) != 0

    def share(flag: np.ndarray, among: np.ndarray | None = None) -> float:
        if among is None:
            return float(histogram[flag].sum()) / max(total, 1)
        n = int(histogram[among].sum())
        return float(histogram[flag & among].sum()) / n if n else float("nan")

    def mean(k: int) -> float:
        return float(sums[k]) / total if total else float("nan")

    out = {name: share(has(name)) for name in BITS if name != "in_care"}
    out |= {name: counts[k] / max(total, 1) for k, name in enumerate(COUNTED)}
    out |= {"mean_pain": mean(0), "mean_phq9": mean(1) * PHQ9_MAX, "mean_isi": mean(2), "mean_utility": mean(3)}
    out |= status_combinations({name: has(name) for name in BITS}, share)
    out |= {f"mean_{name}": mean(4 + k) for k, name in enumerate(SLOW_STATES)}
    return {name: float(out[name]) for name in METRICS}


def _names() -> tuple[str, ...]:
    """Every outcome the fast pass computes."""
    fixed = (
        "mean_pain", "mean_phq9", "mean_isi", "mean_utility", "pain_and_depression", "pain_and_insomnia",
        "depression_and_insomnia", "all_three", "depression_given_chronic_pain", "depression_given_no_chronic_pain",
        "depression_given_back_pain", "depression_given_no_back_pain", "back_pain_given_depression",
        "back_pain_given_no_depression", "insomnia_given_chronic_pain", "depression_given_high_impact_pain",
        "depression_given_chronic_pain_in_care", "clinical_insomnia_given_chronic_pain_in_care", "in_care",
    )  # fmt: skip
    return (*BITS, *COUNTED, *fixed, *(f"mean_{name}" for name in SLOW_STATES))
