"""The slow mechanisms: each relaxes, over weeks to months, toward where today's states push it.

    state += (target - state) * (1 - exp(-1 / timescale)),   target kept in 0-1

One function per mechanism below, each naming its inputs; the targets are saturating (clipped to
0-1), so no loop through the slow states can run away however the fast states move.
"""

from __future__ import annotations

import numpy as np

from simulation.declare import ParamGroup, param
from simulation.units import relaxation_per_day


class MechanismParams(ParamGroup):
    # HPA axis: chronic stress -> hypercortisolism -> 5-HT/NA depletion (seed 003)
    hpa_timescale_days: float = param(
        90.0,
        lo=7.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="seed 003 (sustained hypercortisolism, slow recovery of negative feedback)",
        doc="Timescale of HPA stress load.",
    )
    hpa_from_mood: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="load per unit mood severity",
        basis="assumption",
        source="seed 003 (emotional stress drives the HPA axis)",
        doc="Edge low mood -> HPA load.",
    )
    hpa_from_pain: float = param(
        0.3,
        lo=0.0,
        hi=2.0,
        unit="load per 10 NRS points",
        basis="assumption",
        source="seed 003 (persistent pain is a chronic stressor)",
        doc="Edge pain -> HPA load.",
    )
    hpa_from_job_strain: float = param(
        0.2,
        lo=0.0,
        hi=1.0,
        unit="load per unit strain",
        basis="assumption",
        source="seed 001 (job strain); seed 003 (chronic stress)",
        doc="Edge job strain -> HPA load.",
    )
    # Central sensitisation: weakened descending inhibition (seed 002, seed 003)
    sensitisation_timescale_days: float = param(
        120.0,
        lo=7.0,
        hi=1095.0,
        unit="days",
        basis="assumption",
        source="assumption; sensitisation builds over months of pain (seed 002)",
        doc="Timescale of central sensitisation.",
    )
    sensitisation_from_pain: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="sensitisation per 10 NRS points",
        basis="assumption",
        source="seed 002 (chronic pain rewires the brain with its duration)",
        doc="Edge persistent pain -> sensitisation.",
    )
    sensitisation_from_hpa: float = param(
        0.4,
        lo=0.0,
        hi=2.0,
        unit="sensitisation per unit HPA load",
        basis="assumption",
        source="seed 003 (depleted 5-HT/NA weaken descending inhibition)",
        doc="Edge HPA load -> sensitisation.",
    )
    sensitisation_from_inflammation: float = param(
        0.3,
        lo=0.0,
        hi=2.0,
        unit="sensitisation per unit inflammation",
        basis="assumption",
        source="seed 003 (microglial activation in the dorsal horn)",
        doc="Edge inflammation -> sensitisation.",
    )
    # Neuro-inflammation (seed 000, seed 002)
    inflammation_timescale_days: float = param(
        30.0,
        lo=3.0,
        hi=365.0,
        unit="days",
        basis="assumption",
        source="assumption",
        doc="Timescale of neuro-inflammation.",
    )
    inflammation_from_poor_sleep: float = param(
        0.4,
        lo=0.0,
        hi=2.0,
        unit="inflammation per unit recent poor sleep",
        basis="assumption",
        source="seed 002 (sleep deprivation elevates inflammatory markers)",
        doc="Edge poor sleep -> inflammation.",
    )
    inflammation_from_pain: float = param(
        0.3,
        lo=0.0,
        hi=2.0,
        unit="inflammation per 10 NRS points",
        basis="assumption",
        source="seed 000 (chronic pain causes brain inflammation, microglia)",
        doc="Edge pain -> inflammation.",
    )
    inflammation_from_obesity: float = param(
        0.10,
        lo=0.0,
        hi=1.0,
        unit="inflammation",
        basis="assumption",
        source="seed 004 (obesity a shared risk factor); systemic inflammation assumed",
        doc="Edge obesity -> inflammation.",
    )
    inflammation_from_smoking: float = param(
        0.08,
        lo=0.0,
        hi=1.0,
        unit="inflammation",
        basis="assumption",
        source="seed 004 (smoking a shared risk factor); systemic inflammation assumed",
        doc="Edge smoking -> inflammation.",
    )
    # Catastrophising (seed 002, seed 003)
    catastrophising_timescale_days: float = param(
        60.0,
        lo=7.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="assumption",
        doc="Timescale of pain catastrophising.",
    )
    catastrophising_from_pain: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="catastrophising per 10 NRS points",
        basis="assumption",
        source="seed 000 (focusing on pain magnifies it); seed 002",
        doc="Edge pain -> catastrophising.",
    )
    catastrophising_from_mood: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="catastrophising per unit mood severity",
        basis="assumption",
        source="seed 000 (depression brings emotional interpretations of pain)",
        doc="Edge low mood -> catastrophising.",
    )
    # Withdrawal and deconditioning (seed 000, seed 002)
    withdrawal_timescale_days: float = param(
        45.0,
        lo=7.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="assumption",
        doc="Timescale of activity withdrawal and deconditioning.",
    )
    withdrawal_from_pain: float = param(
        0.6,
        lo=0.0,
        hi=2.0,
        unit="withdrawal per 10 NRS points",
        basis="assumption",
        source="seed 002 (movement becomes threatening); seed 000",
        doc="Edge pain -> withdrawal.",
    )
    withdrawal_from_mood: float = param(
        0.6,
        lo=0.0,
        hi=2.0,
        unit="withdrawal per unit mood severity",
        basis="assumption",
        source="seed 002 (social engagement feels exhausting); seed 000",
        doc="Edge low mood -> withdrawal.",
    )
    withdrawal_relief_from_exercise: float = param(
        0.10,
        lo=0.0,
        hi=1.0,
        unit="withdrawal",
        basis="assumption",
        source="seed 002 (exercise restores endorphin function and agency)",
        doc="Lower withdrawal target for people who meet the activity guideline.",
    )
    # Social invalidation (seed 002)
    invalidation_timescale_days: float = param(
        90.0,
        lo=7.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="assumption",
        doc="Timescale of social invalidation.",
    )
    invalidation_from_unexplained_pain: float = param(
        0.8,
        lo=0.0,
        hi=3.0,
        unit="invalidation per 10 NRS points",
        basis="assumption",
        source="seed 002 (pain without an obvious structural cause is doubted)",
        doc="Edge pain beyond tissue nociception -> invalidation.",
    )
    # Opioids (seed 000)
    dependence_per_exposure: float = param(
        0.4,
        lo=0.0,
        hi=1.0,
        unit="dependence per unit exposure",
        basis="calibrated",
        source="calibrated to misuse 21-29% and addiction 8-12% on long-term opioids (Vowles et al. 2015)",
        doc="Dependence an average person reaches under full, lasting opioid exposure.",
    )
    dependence_timescale_days: float = param(
        180.0,
        lo=7.0,
        hi=1095.0,
        unit="days",
        basis="assumption",
        source="seed 000 (opioids carry a high risk of abuse and addiction)",
        doc="Timescale over which opioid exposure becomes dependence, and dependence fades.",
    )


def _relax(x: np.ndarray, target: np.ndarray, timescale_days: float, scale: np.ndarray | None = None) -> None:
    if scale is not None:
        target *= scale
    np.clip(target, 0.0, 1.0, out=target)
    target -= x
    target *= np.float32(relaxation_per_day(timescale_days))
    x += target


def update_hpa(state, p: MechanismParams, mods=None) -> None:
    target = p.hpa_from_mood * state.mood
    target += (p.hpa_from_pain / 10.0) * state.pain
    target += p.hpa_from_job_strain * state.job_strain
    _relax(state.hpa_load, target, p.hpa_timescale_days, _scale(mods, "hpa_scale"))


def update_sensitisation(state, p: MechanismParams) -> None:
    target = (p.sensitisation_from_pain / 10.0) * state.pain
    target += p.sensitisation_from_hpa * state.hpa_load
    target += p.sensitisation_from_inflammation * state.inflammation
    _relax(state.sensitisation, target, p.sensitisation_timescale_days)


def update_inflammation(state, p: MechanismParams, mods=None) -> None:
    target = p.inflammation_from_poor_sleep * state.sleep_recent
    target += (p.inflammation_from_pain / 10.0) * state.pain
    target += p.inflammation_from_obesity * state.obese
    target += p.inflammation_from_smoking * state.smoker
    _relax(state.inflammation, target, p.inflammation_timescale_days, _scale(mods, "inflammation_scale"))


def update_catastrophising(state, p: MechanismParams, mods=None) -> None:
    target = (p.catastrophising_from_pain / 10.0) * state.pain
    target += p.catastrophising_from_mood * state.mood
    _relax(state.catastrophising, target, p.catastrophising_timescale_days, _scale(mods, "catastrophising_scale"))


def update_withdrawal(state, p: MechanismParams, mods=None) -> None:
    target = (p.withdrawal_from_pain / 10.0) * state.pain
    target += p.withdrawal_from_mood * state.mood
    target -= p.withdrawal_relief_from_exercise * state.exercises
    _relax(state.withdrawal, target, p.withdrawal_timescale_days, _scale(mods, "withdrawal_scale"))


def update_invalidation(state, p: MechanismParams) -> None:
    unexplained = state.pain - np.exp(state.log_nociception)
    unexplained *= np.float32(p.invalidation_from_unexplained_pain / 10.0)
    _relax(state.invalidation, unexplained, p.invalidation_timescale_days)


def update_opioid_dependence(state, p: MechanismParams, mods=None) -> None:
    if mods is not None and mods.opioid_exposure is not None:
        np.clip(mods.opioid_exposure, 0.0, 1.0, out=state.opioid_exposure)
    target = state.opioid_exposure * state.dependence_susceptibility
    target *= np.float32(p.dependence_per_exposure)
    _relax(state.opioid_dependence, target, p.dependence_timescale_days)


def _scale(mods, name: str) -> np.ndarray | None:
    return None if mods is None else getattr(mods, name)


def update_mechanisms(state, p: MechanismParams, mods=None) -> None:
    update_hpa(state, p, mods)
    update_sensitisation(state, p)
    update_inflammation(state, p, mods)
    update_catastrophising(state, p, mods)
    update_withdrawal(state, p, mods)
    update_invalidation(state, p)
    update_opioid_dependence(state, p, mods)
