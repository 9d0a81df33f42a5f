"""The population outcomes of a recorded day in two compiled passes (numba), instead of ~40 numpy passes.

`simulation.outcomes.population_metrics` defines every outcome (the catalogue `METRICS`): shares of
the clinical statuses, their overlaps and conditional shares, and means. At 1,000,000 people it
made about 40 passes over the population (~120 ms a weekly record, more than two model days).
`population_metrics_fast` reads each person once: it files everyone into a histogram over the
eight statuses the overlaps combine (chronic pain, depression, insomnia, MIDUS back pain,
high-impact pain, in care, clinical insomnia, and depression as MIDUS's screen reads it, from the
same survey draws `simulation.outcomes.statuses` uses), counts the other flags, and sums the means (in
float64, utility included), among the living when deaths are not replaced. Every share is then a
ratio of histogram counts, computed as `population_metrics` computes it.

Two passes, so that threads can share the work without moving a result: the histogram and the
counts are integers, made chunk by chunk (`TALLY_CHUNK` people, on numba's threads when the model
has them) and added up; the sums are floating point, so they are made on one thread, person by
person in order, as they always were. The two take about 6 ms each at 1,000,000 people; with two
threads they run side by side, the sums on one thread and the chunks on the other.

`population_metrics` stays the definition: the fast version returns exactly its outcomes or, if
the catalogue names one it does not know, defers to it (`tests/test_kernel.py` checks they agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from simulation.instruments import ISI_BANDS, ISI_MAX, NRS_BANDS, PHQ9_BANDS, PHQ9_MAX
from simulation.rng import survey_draws
from simulation.rules import kernel
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
# The instruments' band edges as float32 tuples: constants of the compiled code, so the band loops unroll
NRS_EDGES, PHQ9_EDGES, ISI_EDGES = (tuple(np.float32(e) for e in bands) for bands in (NRS_BANDS, PHQ9_BANDS, ISI_BANDS))
TALLY_CHUNK = 65_536  # people per chunk of the status histogram (a chunk's histogram row is 2 kB)


@numba.njit(inline="always", cache=True, error_model="numpy")
def _band_decrement(value, edges, decrements):  # pragma: no cover - compiled
    """The decrement of `value`'s band: decrements[k], k the number of edges at or below value.
    `edges` is a tuple, so the loop unrolls: over an array of edges it cost 10 ns a person, half
    the weekly record."""
    k = 0
    for j in range(len(edges)):
        k += value >= edges[j]
    return decrements[k]


@numba.njit(inline="always", cache=True, error_model="numpy")
def _isi(sleep_recent, isi_offset):  # pragma: no cover - compiled
    """The ISI reading (`simulation.state.isi_reading`) of one person."""
    scale = np.float32(ISI_MAX)
    return min(max(sleep_recent * scale + isi_offset, np.float32(0.0)), scale)


@numba.njit(cache=True, error_model="numpy")
def _status_chunk(
    k, chunk, pain_days, midus_days, bad_nights, low_mood_run, last_mde_day, day, sleep_recent, isi_offset, withdrawal,
    in_care, in_episode, in_central, exposure, dependence, living, thresholds, screen, survey, histograms, counts,
):  # fmt: skip  # pragma: no cover - compiled
    """Chunk k of everyone (or the living): each person filed into the status histogram's row k by
    the bits of their statuses, and the other flags counted into row k of `counts`. Integers only,
    so the rows add up to the same totals in any order and on any number of threads."""
    (chronic_min, midus_min, lookback, mde_min, insomnia_min, clinical_isi, high_impact, misuse, addiction) = (
        thresholds[0], thresholds[1], thresholds[2], thresholds[3], thresholds[4], thresholds[5], thresholds[6],
        thresholds[7], thresholds[8],
    )  # fmt: skip
    sensitivity, specificity = screen[0], screen[1]  # float64, compared with float64 draws as outcomes.py does
    histogram = histograms[k]
    everyone = living.size == 0
    current = episode = central = using = misusing = addicted = 0
    for i in range(k * chunk, min(pain_days.shape[0], (k + 1) * chunk)):
        if not everyone and not living[i]:
            continue
        chronic = pain_days[i] >= chronic_min
        depressed = (day - last_mde_day[i]) < lookback
        screened = survey[i] < sensitivity if depressed else survey[i] >= specificity
        b = (
            1 * chronic
            + 2 * depressed
            + 4 * (bad_nights[i] >= insomnia_min)
            + 8 * (midus_days[i] >= midus_min)
            + 16 * (chronic and withdrawal[i] >= high_impact)
            + 32 * in_care[i]
            + 64 * (_isi(sleep_recent[i], isi_offset[i]) >= clinical_isi)
            + 128 * screened
        )
        histogram[b] += 1
        current += low_mood_run[i] >= mde_min
        episode += in_episode[i]
        central += in_central[i]
        using += exposure[i] > OPIOID_USE_ABOVE
        misusing += dependence[i] >= misuse
        addicted += dependence[i] >= addiction
    counts[k, 0], counts[k, 1], counts[k, 2] = current, episode, central
    counts[k, 3], counts[k, 4], counts[k, 5] = using, misusing, addicted


@numba.njit(cache=True, error_model="numpy")
def _sums(
    pain, mood, sleep_recent, isi_offset, slow, living, utility_base, nrs_dec, phq_dec, isi_dec
):  # pragma: no cover - compiled
    """The means' sums over everyone (or the living), in float64, person by person in order: the
    same additions in the same order on any number of threads, so the means do not move."""
    sums = np.zeros(4 + len(slow), np.float64)
    everyone = living.size == 0
    phq_scale = np.float32(PHQ9_MAX)
    for i in range(pain.shape[0]):
        if not everyone and not living[i]:
            continue
        isi = _isi(sleep_recent[i], isi_offset[i])
        u = utility_base - _band_decrement(pain[i], NRS_EDGES, nrs_dec)
        u -= _band_decrement(mood[i] * phq_scale, PHQ9_EDGES, phq_dec)
        u -= _band_decrement(isi, ISI_EDGES, isi_dec)
        sums[0] += pain[i]
        sums[1] += mood[i]
        sums[2] += isi
        sums[3] += max(u, UTILITY_FLOOR)
        for k in range(len(slow)):
            sums[4 + k] += slow[k][i]
    return sums


@numba.njit(cache=True, error_model="numpy")
def _tally(chunk_args, *sum_args):  # pragma: no cover - compiled
    """On the calling thread: every chunk's histogram and counts (`_status_chunk`'s arguments after
    k), then the sums (`_sums`'s arguments)."""
    histograms = chunk_args[-2]
    for k in range(histograms.shape[0]):
        _status_chunk(k, *chunk_args)
    return _sums(*sum_args)


@numba.njit(cache=True, error_model="numpy", parallel=True)
def _tally_parallel(
    threads, chunk_args, pain, mood, sleep_recent, isi_offset, slow, living, utility_base, nrs_dec, phq_dec, isi_dec
):  # pragma: no cover - compiled
    """The same on numba's threads: one makes the sums, the serial part, while the others share
    the chunks, rather than all waiting for it after the chunks. `threads` is numba's thread count
    (asked in here, it would keep the function out of numba's cache); the sums' arguments come one
    by one, as a tuple of arrays inside a tuple cannot enter a parallel loop."""
    histograms = chunk_args[-2]
    chunks = histograms.shape[0]
    helpers = max(1, threads - 1)  # the threads sharing the chunks
    sums = np.zeros(4 + len(slow), np.float64)
    for task in numba.prange(helpers + 1):
        if task == 0:
            sums[:] = _sums(pain, mood, sleep_recent, isi_offset, slow, living, utility_base, nrs_dec, phq_dec, isi_dec)
        else:
            for k in range(task - 1, chunks, helpers):
                _status_chunk(k, *chunk_args)
    return sums


def _decrements(*decrements: float) -> np.ndarray:
    """A band's utility decrements, none for the band below the first edge."""
    return np.array((0.0, *decrements), np.float32)


def population_metrics_fast(model: PainCycleModel) -> dict[str, float]:
    """`simulation.outcomes.population_metrics(model)`, from the compiled passes."""
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
    living = np.empty(0, bool) if living is None else living
    chunks = max(1, -(-s.size // TALLY_CHUNK))
    histograms, counted = np.zeros((chunks, 256), np.int64), np.zeros((chunks, len(COUNTED)), np.int64)
    chunk_args = (
        TALLY_CHUNK, st.pain_days, st.pain_days_midus, st.bad_nights, st.low_mood_run, st.last_mde_day,
        int(model.day), s.sleep_recent, s.isi_offset, s.withdrawal, s.in_care, s.in_episode, s.in_central_pain,
        s.opioid_exposure, s.opioid_dependence, living, thresholds, screen,
        survey_draws(model.seed, model.replicate, model.day, s.size), histograms, counted,
    )  # fmt: skip
    sum_args = (
        s.pain, s.mood, s.sleep_recent, s.isi_offset, tuple(getattr(s, name) for name in SLOW_STATES), living,
        np.float32(pu.full_health), _decrements(pu.pain_mild, pu.pain_moderate, pu.pain_severe),
        _decrements(pu.phq9_mild, pu.phq9_moderate, pu.phq9_moderately_severe, pu.phq9_severe),
        _decrements(pu.isi_subthreshold, pu.isi_moderate, pu.isi_severe),
    )  # fmt: skip
    threads = kernel.threads()
    if threads > 1 and s.size >= kernel.PARALLEL_FROM:
        sums = _tally_parallel(threads, chunk_args, *sum_args)
    else:
        sums = _tally(chunk_args, *sum_args)
    del chunk_args  # the survey draws (8 bytes a person)
    histogram, counts = histograms.sum(axis=0), counted.sum(axis=0)
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
