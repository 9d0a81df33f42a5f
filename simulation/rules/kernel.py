"""The day's rules written once, for one person, and compiled for everyone (numba).

Each rule below is a scalar function of one person's state (`nociception_today`,
`central_pain_today`, `pain_today`, `episode_today`, `mood_today`, `night_tonight`, the slow
mechanisms' targets and `relax`, `care_today`, `track_episode`), in the order the causal graph runs
within a day (`simulation.rules` names it): tissue nociception drifts; a central pain episode may
start or end; today's pain is felt; the depressive episode may switch and today's symptoms move;
tonight's sleep follows; the slow mechanisms move toward today's targets; the person may enter or
leave care; then today's readings enter the clinical windows and episode trackers
(`simulation.status`). `chunk_day` runs those steps over a chunk of people and
`population_day` over the chunks: ONE pass over the population a day, every column read and
written once, nothing the size of the population allocated. The pass also sums the day's key
outcomes (`KEY_OUTCOMES`) for the model's daily reporters.

This module is the only implementation of the daily rules. The rule modules beside it declare the
parameters, the causal edges and the synthesis of traits; the equations in their docstrings are
the ones coded here. Two independent implementations check it (`tests/test_kernel.py`,
`tests/test_reference_oracle.py`): the per-agent reference (`benchmarks/per_agent_reference.py`,
scalar Python from the equations) and the previous vectorised numpy rules
(`benchmarks/vectorised_reference.py`, which also honour the interventions' modifiers), both fed
the same draws and required to follow the same paths to float32 rounding.

Parameters. `Rules` holds the per-day quantities the rules use (rates per day, relaxation
fractions, edge strengths as float32), derived from a `ModelParams` by `rules_of`, once per set
of parameter values: nothing here hard-codes a parameter value. Interventions act through the
named quantities of `simulation.interventions.effects.Modifiers`; `Mods` passes each as a
per-person array, or an empty array while nobody is affected (then the rule skips it).

Draws. Either the engine's arrays (`DailyNoise`, numpy's SFC64 stream: 4 normals and 3 uniforms
per person per day) are read, or, for the compiled engine, the same counter-based Philox numbers
`simulation.counter_rng` defines are made inside the pass, a chunk of people at a time, and never
stored (`simulation.philox_kernels.fill_chunk`, so they equal `CounterNoise.draw`'s bit for bit).

Threads. People are processed in fixed chunks of `CHUNK`; the parallel entry point spreads the
same chunks over numba's threads, and the chunks' sums are added in chunk order. A person's
arithmetic does not depend on which thread runs the chunk, so 1 and 2 threads give identical
results (tests/test_kernel.py).

Floating point. float32 throughout, like the state. `FAST` lets LLVM contract, reorder and
vectorise the arithmetic (results move by float32 rounding, never by more) but keeps infinities
and NaNs meaningful. `exp`, `within_day` (1 - exp(-h)) and `tanh` are written here as plain
arithmetic: libm's float32 calls were most of the day's cost and kept the loops scalar.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numba
import numpy as np
from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic

from simulation.counter_rng import key_of, purpose_word
from simulation.instruments import ISI_MAX, PHQ9_MAX
from simulation.philox_kernels import FASTMATH, fill_chunk
from simulation.state import COLUMNS
from simulation.status import DAY_BITS, WINDOW_DAYS, ring_slot
from simulation.units import daily_rate, relaxation_per_day

CHUNK = 4096  # people per chunk: the chunk's draws (7 x 4 x 4096 bytes) stay in the L2 cache
PARALLEL_FROM = 200_000  # below this a second thread costs more to wake than it saves
LOG_ZERO = np.float32(-1e30)  # log of a zero rate: finite, and exp(LOG_ZERO + drive) == 0
# fastmath without "nnan" and "ninf": the rules must stay right for infinite inputs (exp of a huge
# log nociception is inf, and 10 tanh(inf / 10) is 10, as in plain arithmetic). Without "reassoc"
# too: with it, LLVM regrouped sums differently in `chunk_day` compiled on its own and in the copy
# inlined into `population_day`, so a run's results depended on which of the two numba's cache held
# (1 thread vs 2 differed by float32 roundings in 14% of people after a day). "contract" (fused
# multiply-add) stays: it is decided per operation, the same in every context, and gives about 10%;
# a CPU without FMA (none made for x86-64 since about 2013, no 64-bit ARM) would round differently.
FAST = FASTMATH
F0, F1 = np.float32(0.0), np.float32(1.0)
# 1 - exp(-h) = h (1 - h/2 (1 - h/3 (1 - h/4 (...)))): the coefficients of `within_day`'s series
SERIES_BELOW = np.float32(0.1)
P2, P3, P4, P5, P6 = (np.float32(1.0 / k) for k in (2.0, 6.0, 24.0, 120.0, 720.0))
# `exp`: range, log2(e), ln 2 in two parts, and Cephes' expf coefficients
EXP_LO, EXP_HI, LOG2E, F_HALF = np.float32(-87.3), np.float32(88.7), np.float32(1.4426950408889634), np.float32(0.5)
LN2_HI, LN2_LO = np.float32(0.693359375), np.float32(-2.12194440e-4)
CEPHES_EXPF = (5.0000001201e-1, 1.6666665459e-1, 4.1665795894e-2, 8.3334519073e-3, 1.3981999507e-3, 1.9875691500e-4)
E1, E2, E3, E4, E5, E6 = (np.float32(v) for v in CEPHES_EXPF)
NRS_SCALE, TENTH, ISI_SCALE = np.float32(10.0), np.float32(0.1), np.float32(ISI_MAX)
RUN_CAP = 10_000  # the low-mood run counter's cap, as in `ClinicalStatus.update`
ABSENT_CAP = 30_000  # an episode tracker's absent-run cap, as in `EpisodeTracker.update`
PAIN_BIT, NIGHT_BIT, DAY_MASK = np.uint8(1), np.uint8(2), np.uint8((1 << DAY_BITS) - 1)

# One person's columns, in `simulation.state.COLUMNS` order (`people_of` builds it from a state).
People = namedtuple("People", [c.name for c in COLUMNS])
# The clinical windows of `ClinicalStatus` and its three `EpisodeTracker`s (pain, mde, insomnia).
TRACKER_FIELDS = ("active", "absent_run", "onset_day", "remission_day", "count")
Windows = namedtuple(
    "Windows",
    ["flags", "pain_days", "pain_days_midus", "bad_nights", "low_mood_run", "last_mde_day"]
    + [f"{episode}_{field}" for episode in ("pain", "mde", "insomnia") for field in TRACKER_FIELDS],
)
# Today's treatment effects (`Modifiers`), each a float32 array per person or empty.
MOD_NAMES = (
    "nociception_scale",
    "pain_relief",
    "catastrophising_scale",
    "withdrawal_scale",
    "hpa_scale",
    "inflammation_scale",
    "mood_drive",
    "mood_relief",
    "sleep_relief",
    "opioid_exposure",
)
Mods = namedtuple("Mods", MOD_NAMES)
# What the pass sums as it goes (shares of everyone, mean pain, mood and ISI): the model's daily
# reporters (`simulation.experiments.MODEL_REPORTERS`) read them instead of passes of their own.
KEY_OUTCOMES = ("chronic_pain", "depression", "insomnia", "mean_pain", "mean_mood", "mean_isi")


def _f32(value: float) -> np.float32:
    return np.float32(value)


def _log_rate(rate_per_year: float) -> np.float32:
    """Log of a rate per year as a rate per day; `LOG_ZERO` for a zero rate."""
    rate = daily_rate(rate_per_year)
    return LOG_ZERO if rate <= 0.0 else np.float32(math.log(rate))


RULE_FIELDS = {
    # nociception: exact Ornstein-Uhlenbeck step
    "noc_keep": lambda p: math.exp(-1.0 / p.nociception.timescale_days),
    "noc_shock": lambda p: (
        p.nociception.within_person_sd
        * math.sqrt(1.0 - float(np.float32(math.exp(-1.0 / p.nociception.timescale_days))) ** 2)
    ),
    # central pain episodes
    "central_from_depression": lambda p: p.central.from_depression,
    "central_from_poor_sleep": lambda p: p.central.from_poor_sleep,
    "central_from_hpa": lambda p: p.central.from_hpa,
    "central_from_scar": lambda p: p.central.from_scar,
    "central_vulnerability": lambda p: p.central.vulnerability_per_sd,
    "central_log_onset": lambda p: _log_rate(p.central.onset_rate_per_year),
    "central_remission": lambda p: -math.expm1(-daily_rate(p.central.remission_rate_per_year)),  # P(a day)
    "central_intensity": lambda p: p.central.intensity,
    # pain
    "pain_from_poor_sleep": lambda p: p.pain.from_poor_sleep,
    "pain_from_mood": lambda p: p.pain.from_mood,
    "pain_from_sensitisation": lambda p: p.pain.from_sensitisation,
    "pain_from_inflammation": lambda p: p.pain.from_inflammation,
    "pain_from_catastrophising": lambda p: p.pain.from_catastrophising,
    "pain_from_deconditioning": lambda p: p.pain.from_deconditioning,
    "pain_muscle_tone": lambda p: p.pain.muscle_tone_from_mood,
    "pain_relax": lambda p: p.pain.relax_per_day,
    "pain_noise_sd": lambda p: p.pain.noise_sd,
    # mood: the episode process, then the symptoms
    "onset_from_pain": lambda p: p.mood.onset_from_pain / 10.0,
    "onset_from_poor_sleep": lambda p: p.mood.onset_from_poor_sleep,
    "onset_from_hpa": lambda p: p.mood.onset_from_hpa,
    "onset_from_inflammation": lambda p: p.mood.onset_from_inflammation,
    "onset_from_withdrawal": lambda p: p.mood.onset_from_withdrawal,
    "onset_from_invalidation": lambda p: p.mood.onset_from_invalidation,
    "onset_from_opioid_dependence": lambda p: p.mood.onset_from_opioid_dependence,
    "onset_from_scar": lambda p: p.mood.onset_from_scar,
    "mood_log_onset": lambda p: _log_rate(p.mood.onset_rate_per_year),
    "mood_log_remission": lambda p: _log_rate(p.mood.remission_rate_per_year),
    "remission_slowing": lambda p: -p.mood.remission_slowing,
    "symptoms_from_pain": lambda p: p.mood.symptoms_from_pain / 10.0,
    "symptoms_from_poor_sleep": lambda p: p.mood.symptoms_from_poor_sleep,
    "episode_severity": lambda p: p.mood.episode_severity,
    "mood_relax": lambda p: p.mood.relax_per_day,
    "mood_noise_sd": lambda p: p.mood.noise_sd,
    # sleep
    "sleep_from_pain": lambda p: p.sleep.from_pain / 10.0,
    "sleep_from_mood": lambda p: p.sleep.from_mood,
    "sleep_from_hpa": lambda p: p.sleep.from_hpa,
    "sleep_noise_sd": lambda p: p.sleep.noise_sd,
    "sleep_recall": lambda p: 1.0 / p.sleep.recall_days,
    # slow mechanisms: edge strengths and the fraction of the gap closed a day
    "hpa_from_mood": lambda p: p.mechanisms.hpa_from_mood,
    "hpa_from_pain": lambda p: p.mechanisms.hpa_from_pain / 10.0,
    "hpa_from_job_strain": lambda p: p.mechanisms.hpa_from_job_strain,
    "hpa_rate": lambda p: relaxation_per_day(p.mechanisms.hpa_timescale_days),
    "sensitisation_from_pain": lambda p: p.mechanisms.sensitisation_from_pain / 10.0,
    "sensitisation_from_hpa": lambda p: p.mechanisms.sensitisation_from_hpa,
    "sensitisation_from_inflammation": lambda p: p.mechanisms.sensitisation_from_inflammation,
    "sensitisation_rate": lambda p: relaxation_per_day(p.mechanisms.sensitisation_timescale_days),
    "inflammation_from_poor_sleep": lambda p: p.mechanisms.inflammation_from_poor_sleep,
    "inflammation_from_pain": lambda p: p.mechanisms.inflammation_from_pain / 10.0,
    "inflammation_from_obesity": lambda p: p.mechanisms.inflammation_from_obesity,
    "inflammation_from_smoking": lambda p: p.mechanisms.inflammation_from_smoking,
    "inflammation_rate": lambda p: relaxation_per_day(p.mechanisms.inflammation_timescale_days),
    "catastrophising_from_pain": lambda p: p.mechanisms.catastrophising_from_pain / 10.0,
    "catastrophising_from_mood": lambda p: p.mechanisms.catastrophising_from_mood,
    "catastrophising_rate": lambda p: relaxation_per_day(p.mechanisms.catastrophising_timescale_days),
    "withdrawal_from_pain": lambda p: p.mechanisms.withdrawal_from_pain / 10.0,
    "withdrawal_from_mood": lambda p: p.mechanisms.withdrawal_from_mood,
    "withdrawal_relief_from_exercise": lambda p: p.mechanisms.withdrawal_relief_from_exercise,
    "withdrawal_rate": lambda p: relaxation_per_day(p.mechanisms.withdrawal_timescale_days),
    "invalidation_from_unexplained_pain": lambda p: p.mechanisms.invalidation_from_unexplained_pain / 10.0,
    "invalidation_rate": lambda p: relaxation_per_day(p.mechanisms.invalidation_timescale_days),
    "dependence_per_exposure": lambda p: p.mechanisms.dependence_per_exposure,
    "dependence_rate": lambda p: relaxation_per_day(p.mechanisms.dependence_timescale_days),
    "scar_keep": lambda p: 1.0 - relaxation_per_day(p.mechanisms.scar_timescale_days),
    "scar_step": lambda p: p.mechanisms.scar_per_episode,
    # care
    "care_from_pain": lambda p: p.care.from_pain / 10.0,
    "care_from_mood": lambda p: p.care.from_mood,
    "care_from_poor_sleep": lambda p: p.care.from_poor_sleep,
    "care_female": lambda p: p.care.female,
    "care_log_entry": lambda p: _log_rate(p.care.entry_rate_per_year),
    "care_exit": lambda p: -math.expm1(-daily_rate(p.care.exit_rate_per_year)),  # P(leaving in a day)
    # the clinical windows
    "pain_day_threshold": lambda p: p.status.pain_day_threshold,
    "bad_night_threshold": lambda p: p.status.bad_night_threshold,
    "low_mood_threshold": lambda p: p.status.mde_phq9_threshold / PHQ9_MAX,
    "chronic_pain_min_days": lambda p: p.status.chronic_pain_min_days,
    "insomnia_min_nights": lambda p: p.status.insomnia_min_nights,
    "mde_min_days": lambda p: p.status.mde_min_days,
    "mde_symptom_run_days": lambda p: p.status.mde_symptom_run_days,
    "mde_lookback_days": lambda p: p.status.mde_lookback_days,
    "pain_remission_days": lambda p: int(p.status.chronic_pain_remission_days),
    "mde_remission_days": lambda p: int(p.status.mde_remission_days),
    "insomnia_remission_days": lambda p: int(p.status.insomnia_remission_days),
}
Rules = namedtuple("Rules", list(RULE_FIELDS))
RULE_GROUPS = ("nociception", "central", "pain", "mood", "sleep", "mechanisms", "care", "status")
_RULES_CACHE: dict[tuple, Rules] = {}


def rules_of(params) -> Rules:
    """The per-day quantities of `params` (a `ModelParams`) as float32, derived once per set of
    values: keyed by the values of the groups the rules read, not by the object, so a parameter
    changed in place (the dashboard's sliders: `params.pain.from_poor_sleep = 0.5`) reaches the
    next day."""
    key = tuple(tuple(vars(getattr(params, group)).values()) for group in RULE_GROUPS)
    rules = _RULES_CACHE.get(key)
    if rules is None:
        rules = Rules(*(_f32(derive(params)) for derive in RULE_FIELDS.values()))
        if len(_RULES_CACHE) > 256:
            _RULES_CACHE.clear()
        _RULES_CACHE[key] = rules
    return rules


# -- the rules, for one person -------------------------------------------------------------------
@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def clip(x, lo, hi):  # pragma: no cover - compiled
    """X kept in [lo, hi]."""
    return min(max(x, lo), hi)


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def flag(b):  # pragma: no cover - compiled
    """A flag as 1 or 0 (float32), for the arithmetic of the rules."""
    return F1 if b else F0


@intrinsic
def _float32_from_bits(typingctx, bits):
    """The float32 whose IEEE bits are the int32 `bits` (a reinterpretation, not a conversion)."""

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.FloatType())

    return types.float32(types.int32), codegen


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def exp(x):  # pragma: no cover - compiled
    """e^x in float32 as plain arithmetic (Cephes' `expf`: x = n ln 2 + r, a degree-7 polynomial in
    r, times 2^n built from its bits), so that the loops calling it vectorise: libm's `expf` is a
    call per person. Within 2 float32 roundings of the exact value; 0 below -87.3 (so the log of
    a zero rate gives a zero hazard), inf above 88.7."""
    y = min(max(x, EXP_LO), EXP_HI)
    n = np.floor(y * LOG2E + F_HALF)
    r = y - n * LN2_HI - n * LN2_LO
    p = ((((((E6 * r + E5) * r + E4) * r + E3) * r + E2) * r + E1) * r * r) + r + F1
    scaled = p * _float32_from_bits(np.int32(n + np.float32(127.0)) << 23)
    if x < EXP_LO:
        return F0
    if x > EXP_HI:
        return np.float32(np.inf)
    return scaled


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def within_day(hazard):  # pragma: no cover - compiled
    """P(an event within a day) = 1 - exp(-hazard) for a daily hazard, in float32 without `expm1`
    (libm's float32 `expm1` cost 40% of the whole day): below 0.1 its Taylor series to the 6th
    power (relative error under 3e-11, so the smallest hazards keep their precision), above it
    1 - exp(-hazard) (relative error under 1e-6)."""
    if hazard < SERIES_BELOW:
        h = hazard
        return h * (F1 - h * (P2 - h * (P3 - h * (P4 - h * (P5 - h * P6)))))
    return F1 - exp(-hazard)


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def happens(log_hazard, u):  # pragma: no cover - compiled
    """Whether an event with daily log hazard `log_hazard` happens today: u < 1 - exp(-hazard)."""
    return u < within_day(exp(log_hazard))


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def tanh(x):  # pragma: no cover - compiled
    """Tanh from one float32 `exp` ((1 - e^-2|x|) / (1 + e^-2|x|), with the sign of x): libm's
    `tanhf` is a slow call; this agrees with it to a few float32 roundings."""
    t = exp(np.float32(-2.0) * abs(x))
    r = (F1 - t) / (F1 + t)
    return r if x >= F0 else -r


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def relax(x, target, rate):  # pragma: no cover - compiled
    """A slow state's day: it closes `rate` of the gap to its target, the target kept in 0-1."""
    return x + (clip(target, F0, F1) - x) * rate


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def nociception_today(log_nociception, setpoint, z, c):  # pragma: no cover - compiled
    """Log tissue nociception drifts back toward the set point, with a shock (nociception.py)."""
    return (log_nociception - setpoint) * c.noc_keep + setpoint + c.noc_shock * z


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def central_pain_today(in_central, in_episode, sleep_recent, hpa, scar, vulnerability, u, c):  # pragma: no cover
    """A central pain episode starts with a hazard its drivers raise, or remits at its own rate (central.py)."""
    if in_central:
        return not (u < c.central_remission)
    drive = (
        c.central_from_depression * flag(in_episode)
        + c.central_from_poor_sleep * sleep_recent
        + c.central_from_hpa * hpa
        + c.central_from_scar * scar
        + c.central_vulnerability * vulnerability
    )
    return happens(drive + c.central_log_onset, u)


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def amplification(sleep, mood, sensitisation, inflammation, catastrophising, withdrawal, c):  # pragma: no cover
    """How much the nervous system amplifies nociception today (1 = not at all; pain.py)."""
    return (
        c.pain_from_poor_sleep * sleep
        + c.pain_from_mood * mood
        + c.pain_from_sensitisation * sensitisation
        + c.pain_from_inflammation * inflammation
        + c.pain_from_catastrophising * catastrophising
        + c.pain_from_deconditioning * withdrawal
        + F1
    )


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def pain_today(pain, nociception, amplified_by, mood, nociception_scale, relief, z, c):  # pragma: no cover
    """Today's pain moves part way to 10 tanh(raw / 10), raw = nociception x amplification +
    muscle tone from mood, relieved by treatment; with noise, kept in 0-10 (pain.py)."""
    raw = (nociception * nociception_scale * amplified_by + c.pain_muscle_tone * mood) * (F1 - relief)
    target = NRS_SCALE * tanh(raw * TENTH)
    return clip(pain + (target - pain) * c.pain_relax + c.pain_noise_sd * z, F0, NRS_SCALE)


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def episode_drive(
    pain, sleep_recent, hpa, inflammation, withdrawal, invalidation, dependence, scar, liability, c
):  # pragma: no cover
    """Today's log-hazard drive of a depressive episode: traits plus the causal graph's inputs (mood.py)."""
    return (
        c.onset_from_pain * pain
        + c.onset_from_poor_sleep * sleep_recent
        + c.onset_from_hpa * hpa
        + c.onset_from_inflammation * inflammation
        + c.onset_from_withdrawal * withdrawal
        + c.onset_from_invalidation * invalidation
        + c.onset_from_opioid_dependence * dependence
        + c.onset_from_scar * scar
        + liability
    )


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def episode_today(in_episode, drive, log_remission_frailty, u, c):  # pragma: no cover - compiled
    """An episode starts with hazard onset x e^drive, or remits with hazard remission x frailty x
    e^(-slowing x drive): what brings episodes on also prolongs them (mood.py)."""
    if in_episode:
        return not happens(c.remission_slowing * drive + c.mood_log_remission + log_remission_frailty, u)
    return happens(drive + c.mood_log_onset, u)


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def mood_today(mood, pain, sleep, setpoint, in_episode, relief, z, c):  # pragma: no cover - compiled
    """Today's symptoms move toward a target the episode, pain and last night's sleep raise (mood.py)."""
    target = (
        c.symptoms_from_pain * pain
        + c.symptoms_from_poor_sleep * sleep
        + setpoint
        + c.episode_severity * flag(in_episode)
    ) * (F1 - relief)
    return clip(mood + (target - mood) * c.mood_relax + c.mood_noise_sd * z, F0, F1)


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def night_tonight(pain, mood, hpa, setpoint, relief, z, c):  # pragma: no cover - compiled
    """Tonight's poor sleep: the usual level, disturbed by today's pain, mood and HPA load (sleep.py)."""
    night = c.sleep_from_pain * pain + c.sleep_from_mood * mood + c.sleep_from_hpa * hpa + setpoint - relief
    return clip(night + c.sleep_noise_sd * z, F0, F1)


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def hpa_target(mood, pain, job_strain, c):  # pragma: no cover - compiled
    """Where low mood, pain and job strain push the HPA axis's stress load."""
    return c.hpa_from_mood * mood + c.hpa_from_pain * pain + c.hpa_from_job_strain * job_strain


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def sensitisation_target(pain, hpa, inflammation, c):  # pragma: no cover - compiled
    """Where pain, today's HPA load and neuro-inflammation push central sensitisation."""
    return (
        c.sensitisation_from_pain * pain
        + c.sensitisation_from_hpa * hpa
        + c.sensitisation_from_inflammation * inflammation
    )


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def inflammation_target(sleep_recent, pain, obese, smoker, c):  # pragma: no cover - compiled
    """Where poor sleep, pain, obesity and smoking push neuro-inflammation."""
    return (
        c.inflammation_from_poor_sleep * sleep_recent
        + c.inflammation_from_pain * pain
        + c.inflammation_from_obesity * flag(obese)
        + c.inflammation_from_smoking * flag(smoker)
    )


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def catastrophising_target(pain, mood, c):  # pragma: no cover - compiled
    """Where pain and low mood push pain catastrophising."""
    return c.catastrophising_from_pain * pain + c.catastrophising_from_mood * mood


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def withdrawal_target(pain, mood, exercises, c):  # pragma: no cover - compiled
    """Where pain and low mood push activity withdrawal; exercise holds it lower."""
    return (
        c.withdrawal_from_pain * pain
        + c.withdrawal_from_mood * mood
        - c.withdrawal_relief_from_exercise * flag(exercises)
    )


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def invalidation_target(pain, nociception, c):  # pragma: no cover - compiled
    """Where pain that tissue nociception does not explain pushes social invalidation."""
    return (pain - nociception) * c.invalidation_from_unexplained_pain


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def dependence_target(exposure, susceptibility, c):  # pragma: no cover - compiled
    """Where opioid exposure pushes dependence, scaled by the person's susceptibility."""
    return exposure * susceptibility * c.dependence_per_exposure


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def scar_today(scar, remitted, c):  # pragma: no cover - compiled
    """The scar of past episodes: it fades, takes a step each time an episode remits, and stays at
    most 1 (mechanisms.py)."""
    return min(scar * c.scar_keep + c.scar_step * flag(remitted), F1)


@numba.njit(inline="always", fastmath=FAST, cache=True, error_model="numpy")
def care_today(in_care, pain, mood, sleep_recent, female, u, c):  # pragma: no cover - compiled
    """Enter care with a hazard pain, mood, sleep and sex raise; leave at a steady rate (care.py)."""
    if in_care:
        return not (u < c.care_exit)
    drive = c.care_from_pain * pain + c.care_from_mood * mood + c.care_from_poor_sleep * sleep_recent
    return happens(drive + c.care_female * flag(female) + c.care_log_entry, u)


@numba.njit(inline="always", cache=True)
def track_episode(active, absent_run, starts, present, remission_days):  # pragma: no cover - compiled
    """One day of a clinical episode (`simulation.status.EpisodeTracker`): it starts when its
    criterion holds and ends after `remission_days` in a row without the condition. Returns
    (active, days absent in a row, started today, ended today)."""
    started = starts and not active
    active = active or started
    absent_run = min(absent_run + 1, ABSENT_CAP) if active and not present else 0
    ended = active and absent_run >= remission_days
    if ended:
        active, absent_run = False, 0
    return active, absent_run, started, ended


@numba.njit(inline="always", cache=True, error_model="numpy")
def part(values, lo, hi):  # pragma: no cover - compiled
    """A modifier's values for persons lo to hi-1, or (nobody affected today) an empty array."""
    return values[lo:hi] if values.size else values[0:0]


@numba.njit(inline="always", cache=True, error_model="numpy")
def track_chunk(active, absent_run, onset_day, remission_day, count, counts, start_at, present_at, remission_days,
                lo, hi, day):  # fmt: skip  # pragma: no cover - compiled
    """One day of a clinical episode tracker for persons lo to hi-1: an episode starts when the
    person's count (pain days, low-mood run, bad nights) reaches `start_at`, and the condition is
    present while it is at least `present_at` (`simulation.status.EpisodeTracker`)."""
    active, absent_run, onset_day = active[lo:hi], absent_run[lo:hi], onset_day[lo:hi]
    remission_day, count, counts = remission_day[lo:hi], count[lo:hi], counts[lo:hi]
    for i in range(hi - lo):
        now, absent, started, ended = track_episode(
            active[i], absent_run[i], counts[i] >= start_at, counts[i] >= present_at, remission_days
        )
        active[i], absent_run[i] = now, absent
        # written whether or not they change: a loop without branches vectorises (3x faster at 1M people)
        onset_day[i] = day if started else onset_day[i]
        count[i] += started
        remission_day[i] = day if ended else remission_day[i]


@numba.njit(fastmath=FAST, cache=True, error_model="numpy")
def chunk_day(s, w, m, c, k, chunk, normal, uniform, counter, words, ring, day, totals):
    """Chunk k (persons lo = k x chunk to hi - 1): the day's steps in the order of the causal
    graph, each step a loop over the chunk's people calling the scalar rules above.

    Step by step rather than person by person: one person's day is a long chain of dependent
    arithmetic (exp, then pain, then the hazard, ...), too long for the processor to overlap one
    person with the next; a step's loop has independent iterations, and the chunk (tens of kB a
    column) stays in the cache from one step to the next. The results are the same either way:
    each step reads only what the steps before it wrote for the same person.

    The columns are bound to local names first: numba counts references to an array each time it
    is taken out of a tuple, and inside the loops that bookkeeping (atomic, hundreds per person)
    would cost far more than the rules.
    """
    lo = k * chunk
    hi = min(s.pain.shape[0], lo + chunk)
    size = hi - lo
    if counter:  # this chunk's draws, made here (they stay in the cache) and read back below
        normal = np.empty((4, size), np.float32)
        uniform = np.empty((3, size), np.float32)
        fill_chunk(normal, uniform, words[0], words[1], words[2], words[3], words[4], lo, hi)
        first = 0
    else:
        first = lo
    last = first + size
    z_nociception, z_pain, z_mood, z_sleep = (normal[0, first:last], normal[1, first:last], normal[2, first:last],
                                              normal[3, first:last])  # fmt: skip
    u_episode, u_central, u_care = uniform[0, first:last], uniform[1, first:last], uniform[2, first:last]
    # state columns
    female, job_strain, smoker, obese = s.female[lo:hi], s.job_strain[lo:hi], s.smoker[lo:hi], s.obese[lo:hi]
    exercises, vulnerability, liability = s.exercises[lo:hi], s.vulnerability[lo:hi], s.mood_liability[lo:hi]
    frailty, nociception_setpoint = s.log_remission_frailty[lo:hi], s.nociception_setpoint[lo:hi]
    sleep_setpoint, mood_setpoint = s.sleep_setpoint[lo:hi], s.mood_setpoint[lo:hi]
    susceptibility, isi_offset = s.dependence_susceptibility[lo:hi], s.isi_offset[lo:hi]
    log_nociception, pain, mood, sleep = s.log_nociception[lo:hi], s.pain[lo:hi], s.mood[lo:hi], s.sleep[lo:hi]
    sleep_recent, in_episode, in_central_pain = s.sleep_recent[lo:hi], s.in_episode[lo:hi], s.in_central_pain[lo:hi]
    in_care, hpa_load, sensitisation = s.in_care[lo:hi], s.hpa_load[lo:hi], s.sensitisation[lo:hi]
    inflammation, catastrophising, withdrawal = s.inflammation[lo:hi], s.catastrophising[lo:hi], s.withdrawal[lo:hi]
    invalidation, opioid_exposure = s.invalidation[lo:hi], s.opioid_exposure[lo:hi]
    opioid_dependence, depression_scar = s.opioid_dependence[lo:hi], s.depression_scar[lo:hi]
    # treatment effects (an empty array: nobody's changed today)
    nociception_scale, pain_relief = part(m.nociception_scale, lo, hi), part(m.pain_relief, lo, hi)
    mood_drive, mood_relief = part(m.mood_drive, lo, hi), part(m.mood_relief, lo, hi)
    hpa_scale, inflammation_scale = part(m.hpa_scale, lo, hi), part(m.inflammation_scale, lo, hi)
    catastrophising_scale, withdrawal_scale = part(m.catastrophising_scale, lo, hi), part(m.withdrawal_scale, lo, hi)
    sleep_relief, exposure_set = part(m.sleep_relief, lo, hi), part(m.opioid_exposure, lo, hi)
    # clinical windows: the ring's byte row holding today's slot (which holds the day leaving the
    # window until today overwrites its two bits) and the row holding the day leaving the MIDUS window;
    # `ring` is (row, shift) of each (`simulation.status.ring_slot`)
    shift, midus_shift = ring[1], ring[3]
    today_flags, midus_flags = w.flags[ring[0], lo:hi], w.flags[ring[2], lo:hi]
    keep = np.uint8(~(DAY_MASK << shift) & 0xFF)  # the other days' bits of today's byte
    pain_days, pain_days_midus, bad_nights = w.pain_days[lo:hi], w.pain_days_midus[lo:hi], w.bad_nights[lo:hi]
    low_mood_run, last_mde_day = w.low_mood_run[lo:hi], w.last_mde_day[lo:hi]
    nociception = np.empty(size, np.float32)  # today's tissue nociception, NRS points
    # 1. tissue nociception drifts; a central pain episode starts or ends (yesterday's states drive it)
    for i in range(size):
        log_now = nociception_today(log_nociception[i], nociception_setpoint[i], z_nociception[i], c)
        log_nociception[i] = log_now
        nociception[i] = exp(log_now)
        in_central_pain[i] = central_pain_today(
            in_central_pain[i], in_episode[i], sleep_recent[i], hpa_load[i], depression_scar[i], vulnerability[i],
            u_central[i], c,
        )  # fmt: skip
    # 2. today's pain: nociception amplified by last night's sleep, yesterday's mood, the slow states
    for i in range(size):
        amplified_by = amplification(
            sleep[i], mood[i], sensitisation[i], inflammation[i], catastrophising[i], withdrawal[i], c
        )
        felt = nociception[i] + c.central_intensity * flag(in_central_pain[i])
        scale = nociception_scale[i] if nociception_scale.size else F1
        relief = pain_relief[i] if pain_relief.size else F0
        pain[i] = pain_today(pain[i], felt, amplified_by, mood[i], scale, relief, z_pain[i], c)
    # 3. the depressive episode switches with today's hazard; today's symptoms move
    for i in range(size):
        drive = episode_drive(
            pain[i], sleep_recent[i], hpa_load[i], inflammation[i], withdrawal[i], invalidation[i],
            opioid_dependence[i], depression_scar[i], liability[i], c,
        )  # fmt: skip
        if mood_drive.size:
            drive += mood_drive[i]
        episode = episode_today(in_episode[i], drive, frailty[i], u_episode[i], c)
        # the scar of a remitting episode: nothing later today reads it, so it moves here, not in
        # step 5 with the other slow states (the references update it there: the same numbers)
        depression_scar[i] = scar_today(depression_scar[i], in_episode[i] and not episode, c)
        in_episode[i] = episode
        relief = mood_relief[i] if mood_relief.size else F0
        mood[i] = mood_today(mood[i], pain[i], sleep[i], mood_setpoint[i], episode, relief, z_mood[i], c)
    # 4. tonight's sleep, and the fortnight the ISI recalls
    for i in range(size):
        relief = sleep_relief[i] if sleep_relief.size else F0
        night = night_tonight(pain[i], mood[i], hpa_load[i], sleep_setpoint[i], relief, z_sleep[i], c)
        sleep[i] = night
        sleep_recent[i] += (night - sleep_recent[i]) * c.sleep_recall
    # 5. the slow mechanisms, each toward where today's states push it (mechanisms.py)
    for i in range(size):
        today_pain, today_mood, inflamed = pain[i], mood[i], inflammation[i]
        target = hpa_target(today_mood, today_pain, job_strain[i], c)
        hpa = relax(hpa_load[i], target * (hpa_scale[i] if hpa_scale.size else F1), c.hpa_rate)
        hpa_load[i] = hpa
        target = sensitisation_target(today_pain, hpa, inflamed, c)
        sensitisation[i] = relax(sensitisation[i], target, c.sensitisation_rate)
        target = inflammation_target(sleep_recent[i], today_pain, obese[i], smoker[i], c)
        scale = inflammation_scale[i] if inflammation_scale.size else F1
        inflammation[i] = relax(inflamed, target * scale, c.inflammation_rate)
        target = catastrophising_target(today_pain, today_mood, c)
        scale = catastrophising_scale[i] if catastrophising_scale.size else F1
        catastrophising[i] = relax(catastrophising[i], target * scale, c.catastrophising_rate)
        target = withdrawal_target(today_pain, today_mood, exercises[i], c)
        scale = withdrawal_scale[i] if withdrawal_scale.size else F1
        withdrawal[i] = relax(withdrawal[i], target * scale, c.withdrawal_rate)
        target = invalidation_target(today_pain, nociception[i], c)
        invalidation[i] = relax(invalidation[i], target, c.invalidation_rate)
        if exposure_set.size:  # treatment sets today's exposure
            opioid_exposure[i] = clip(exposure_set[i], F0, F1)
        target = dependence_target(opioid_exposure[i], susceptibility[i], c)
        opioid_dependence[i] = relax(opioid_dependence[i], target, c.dependence_rate)
    # 6. care-seeking, after today's pain, mood and sleep
    for i in range(size):
        in_care[i] = care_today(in_care[i], pain[i], mood[i], sleep_recent[i], female[i], u_care[i], c)
    # 7. the clinical windows (simulation.status): today's flags in, the day leaving the window out
    for i in range(size):
        pain_day = pain[i] >= c.pain_day_threshold
        bad_night = sleep[i] >= c.bad_night_threshold
        packed = today_flags[i]
        leaving = (packed >> shift) & DAY_MASK  # the day 91 days ago
        leaving_midus = (midus_flags[i] >> midus_shift) & PAIN_BIT  # and 30 (read before today's write)
        pain_days[i] += np.int16(pain_day) - np.int16(leaving & PAIN_BIT)
        bad_nights[i] += np.int16(bad_night) - np.int16((leaving & NIGHT_BIT) >> 1)
        pain_days_midus[i] += np.int16(pain_day) - np.int16(leaving_midus)
        today_flags[i] = (packed & keep) | ((np.uint8(pain_day) | (np.uint8(bad_night) << 1)) << shift)
        run = min(low_mood_run[i] + 1, RUN_CAP) if mood[i] >= c.low_mood_threshold else 0
        low_mood_run[i] = run
        last_mde_day[i] = day if run >= c.mde_min_days else last_mde_day[i]
    # the day's key outcomes, summed over the chunk (`KEY_OUTCOMES`: the model's daily reporters)
    chronic = depressed = insomniac = 0
    pain_sum = mood_sum = isi_sum = 0.0
    for i in range(size):
        chronic += pain_days[i] >= c.chronic_pain_min_days
        depressed += (day - last_mde_day[i]) < c.mde_lookback_days
        insomniac += bad_nights[i] >= c.insomnia_min_nights
        pain_sum += np.float64(pain[i])
        mood_sum += np.float64(mood[i])
        isi_sum += np.float64(clip(sleep_recent[i] * ISI_SCALE + isi_offset[i], F0, ISI_SCALE))
    totals[k, 0], totals[k, 1], totals[k, 2] = chronic, depressed, insomniac
    totals[k, 3], totals[k, 4], totals[k, 5] = pain_sum, mood_sum, isi_sum
    # the clinical episodes: chronic pain, major depression, insomnia (each a count against its criteria)
    track_chunk(w.pain_active, w.pain_absent_run, w.pain_onset_day, w.pain_remission_day, w.pain_count, w.pain_days,
                c.chronic_pain_min_days, c.chronic_pain_min_days, c.pain_remission_days, lo, hi, day)  # fmt: skip
    track_chunk(w.mde_active, w.mde_absent_run, w.mde_onset_day, w.mde_remission_day, w.mde_count, w.low_mood_run,
                c.mde_min_days, c.mde_symptom_run_days, c.mde_remission_days, lo, hi, day)  # fmt: skip
    track_chunk(w.insomnia_active, w.insomnia_absent_run, w.insomnia_onset_day, w.insomnia_remission_day,
                w.insomnia_count, w.bad_nights, c.insomnia_min_nights, c.insomnia_min_nights,
                c.insomnia_remission_days, lo, hi, day)  # fmt: skip


@numba.njit(fastmath=FAST, cache=True, error_model="numpy")
def population_day(s, w, m, c, normal, uniform, counter, words, ring, day, chunk, totals):
    """Everyone's day on the calling thread, chunk by chunk."""
    n = s.pain.shape[0]
    for k in range((n + chunk - 1) // chunk):
        chunk_day(s, w, m, c, k, chunk, normal, uniform, counter, words, ring, day, totals)


@numba.njit(fastmath=FAST, cache=True, error_model="numpy", parallel=True)
def population_day_parallel(s, w, m, c, normal, uniform, counter, words, ring, day, chunk, totals):  # pragma: no cover
    """Everyone's day, the same chunks spread over numba's threads."""
    n = s.pain.shape[0]
    for k in numba.prange((n + chunk - 1) // chunk):
        chunk_day(s, w, m, c, k, chunk, normal, uniform, counter, words, ring, day, totals)


# -- the glue: from the model's objects to the kernel's arguments -----------------------------------
EMPTY = np.empty(0, np.float32)
NO_DRAWS = np.empty((0, 0), np.float32)


def people_of(state) -> People:
    """A state's columns as the kernel's `People` (the arrays themselves, not copies)."""
    return People(*(getattr(state, c.name) for c in COLUMNS))


def windows_of(status) -> Windows:
    """A `ClinicalStatus`'s windows and episode trackers as the kernel's `Windows` (the arrays themselves)."""
    trackers = (status.pain_episode, status.mde_episode, status.insomnia_episode)
    fields = [getattr(t, f) for t in trackers for f in TRACKER_FIELDS]
    base = (status.flags, status.pain_days, status.pain_days_midus, status.bad_nights, status.low_mood_run)
    return Windows(*base, status.last_mde_day, *fields)


def mods_of(mods, size: int) -> Mods:
    """Today's `Modifiers` as contiguous float32 arrays of `size`, an empty one for each quantity
    nobody's treatment changes."""
    if mods is None:
        return Mods(*(EMPTY for _ in MOD_NAMES))
    arrays = []
    for name in MOD_NAMES:
        value = getattr(mods, name)
        if value is None:
            arrays.append(EMPTY)
            continue
        value = np.asarray(value, np.float32)
        if value.shape != (size,):
            value = np.broadcast_to(value, (size,))
        arrays.append(np.ascontiguousarray(value))
    return Mods(*arrays)


def threads() -> int:
    """The numba thread count of this process (1 in pool workers: `simulation.workers`)."""
    return numba.get_num_threads()


def counter_words(seed: int, replicate: int, day: int) -> np.ndarray:
    """The Philox key and counter words of one day's draws, as `simulation.counter_rng` defines them."""
    from simulation.counter_rng import DAY_OFFSET, MASK32

    k0, k1 = key_of(seed, replicate)
    day_word = (int(day) + DAY_OFFSET) & MASK32
    return np.array([k0, k1, day_word, purpose_word("daily", 0), purpose_word("daily", 1)], np.uint32)


def run_day(state, status, params, mods, day: int, normal=None, uniform=None, words=None, threads: int = 1) -> dict:
    """Move everyone one day on to `day` (the new day's number), rules and clinical windows, and
    return the day's key outcomes (`KEY_OUTCOMES`, read in the same pass).

    Draws come from `normal` (4, n) and `uniform` (3, n), or, given `words` (`counter_words`),
    are made inside the pass. With `threads` > 1 and a large population the chunks run on numba's
    threads (the same results as one thread: each chunk's sums are added in chunk order).
    """
    cursor = status.cursor
    midus_cursor = (cursor - int(params.status.midus_window_days)) % WINDOW_DAYS
    ring = np.array([*ring_slot(cursor), *ring_slot(midus_cursor)], np.int64)
    counter = words is not None
    chunks = max(1, -(-state.size // CHUNK))
    totals = np.zeros((chunks, len(KEY_OUTCOMES)), np.float64)
    args = (
        people_of(state),
        windows_of(status),
        mods_of(mods, state.size),
        rules_of(params),
        NO_DRAWS if counter else normal,
        NO_DRAWS if counter else uniform,
        counter,
        words if counter else np.zeros(5, np.uint32),
        ring,
        int(day),
        CHUNK,
        totals,
    )
    if threads > 1 and state.size >= PARALLEL_FROM:
        population_day_parallel(*args)
    else:
        population_day(*args)
    status.cursor = (cursor + 1) % WINDOW_DAYS
    summed = totals.sum(axis=0)
    size = max(state.size, 1)
    return {"day": int(day), **{name: float(summed[k]) / size for k, name in enumerate(KEY_OUTCOMES)}}
