"""The previous vectorised implementation of the daily rules (numpy over whole arrays): an oracle.

Until issue 14 these functions were the model's rules (`simulation/rules/*.py`, `advance_day`).
The compiled per-person kernel (`simulation/rules/kernel.py`) replaced them as the one
implementation; they are kept here, unchanged apart from living in one file, for two jobs:

1. Oracle. Fed the same daily draws and the same treatment modifiers, the kernel must follow
   their paths person by person to float32 rounding (`tests/test_kernel.py`). Unlike the per-agent
   reference (`per_agent_reference.py`) they implement the interventions' `Modifiers`, so they
   check the kernel's treatment arithmetic too.
2. Speed baseline. `bench_speed.py` times a model day of these rules and `ClinicalStatus.update`
   (`VectorisedDay`) against the kernel's day in the same run.

They read the same `ModelParams` as the kernel, so a recalibration changes both alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.units import daily_rate, probability_within_day, relaxation_per_day, switch_two_state

if TYPE_CHECKING:
    from simulation.interventions.effects import Modifiers
    from simulation.rules.care import CareParams
    from simulation.rules.central import CentralPainParams
    from simulation.rules.mechanisms import MechanismParams
    from simulation.rules.mood import MoodParams
    from simulation.rules.nociception import NociceptionParams
    from simulation.rules.pain import PainParams
    from simulation.rules.sleep import SleepParams
    from simulation.state import PopulationState


# -- nociception.py -------------------------------------------------------------------------------
def update_nociception(state: PopulationState, p: NociceptionParams, noise: np.ndarray) -> None:
    """One day of the Ornstein-Uhlenbeck drift of log nociception (exact discretisation)."""
    keep = np.float32(np.exp(-1.0 / p.timescale_days))
    shock = np.float32(p.within_person_sd * np.sqrt(1.0 - keep * keep))
    x = state.log_nociception
    x -= state.nociception_setpoint
    x *= keep
    x += state.nociception_setpoint
    x += shock * noise


# -- central.py -----------------------------------------------------------------------------------
def central_drive(state: PopulationState, p: CentralPainParams) -> np.ndarray:
    """Today's log-hazard drive of a central pain episode (zero for a person with no driver)."""
    drive = np.float32(p.from_depression) * state.in_episode
    drive += np.float32(p.from_poor_sleep) * state.sleep_recent
    drive += np.float32(p.from_hpa) * state.hpa_load
    drive += np.float32(p.from_scar) * state.depression_scar
    drive += np.float32(p.vulnerability_per_sd) * state.vulnerability
    return drive


def update_central_pain(state: PopulationState, p: CentralPainParams, uniform: np.ndarray) -> None:
    """Switch central pain episodes on or off with today's hazards."""
    drive = central_drive(state, p)
    switch_two_state(state.in_central_pain, drive, p.onset_rate_per_year, p.remission_rate_per_year, uniform)


def central_nociception(state: PopulationState, p: CentralPainParams) -> np.ndarray:
    """Nociception-equivalent input of central pain today (0 outside an episode)."""
    return np.float32(p.intensity) * state.in_central_pain


# -- pain.py --------------------------------------------------------------------------------------
def pain_amplification(state: PopulationState, p: PainParams) -> np.ndarray:
    """How much the nervous system amplifies nociception today (1 = no amplification)."""
    amp = p.from_poor_sleep * state.sleep
    amp += p.from_mood * state.mood
    amp += p.from_sensitisation * state.sensitisation
    amp += p.from_inflammation * state.inflammation
    amp += p.from_catastrophising * state.catastrophising
    amp += p.from_deconditioning * state.withdrawal
    amp += np.float32(1.0)
    return amp


def update_pain(
    state: PopulationState,
    p: PainParams,
    noise: np.ndarray,
    mods: Modifiers | None = None,
    central: np.ndarray | None = None,
) -> None:
    """Today's pain from today's nociception (tissue, plus `central`: the input of a central pain
    episode, `simulation.rules.central`) and yesterday's mood, last night's sleep.

    Treatments act through `mods` (see `simulation.interventions.effects`): a scale on tissue
    nociception and a relief fraction on the pain target.
    """
    target = np.exp(state.log_nociception)
    if central is not None:
        target += central
    if mods is not None and mods.nociception_scale is not None:
        target *= mods.nociception_scale
    target *= pain_amplification(state, p)
    target += p.muscle_tone_from_mood * state.mood
    if mods is not None and mods.pain_relief is not None:
        target *= np.float32(1.0) - mods.pain_relief
    # Saturate toward the top of the scale rather than piling people up at the clip.
    target *= np.float32(0.1)
    np.tanh(target, out=target)
    target *= np.float32(10.0)
    pain = state.pain
    target -= pain
    target *= np.float32(p.relax_per_day)
    pain += target
    pain += np.float32(p.noise_sd) * noise
    np.clip(pain, 0.0, 10.0, out=pain)


# -- mood.py --------------------------------------------------------------------------------------
def episode_drive(state: PopulationState, p: MoodParams, mods: Modifiers | None = None) -> np.ndarray:
    """Today's log-hazard drive of a depressive episode: traits plus the causal graph's inputs."""
    drive = (p.onset_from_pain / 10.0) * state.pain
    drive += p.onset_from_poor_sleep * state.sleep_recent
    drive += p.onset_from_hpa * state.hpa_load
    drive += p.onset_from_inflammation * state.inflammation
    drive += p.onset_from_withdrawal * state.withdrawal
    drive += p.onset_from_invalidation * state.invalidation
    drive += p.onset_from_opioid_dependence * state.opioid_dependence
    drive += p.onset_from_scar * state.depression_scar
    drive += state.mood_liability
    if mods is not None and mods.mood_drive is not None:
        drive += mods.mood_drive
    return drive


def update_mood(
    state: PopulationState, p: MoodParams, noise: np.ndarray, uniform: np.ndarray, mods: Modifiers | None = None
) -> np.ndarray:
    """Switch episodes on or off with today's hazards, then move today's symptoms. Returns who
    remitted today (for the scar, `update_scar`).

    Treatments shift the episode drive (`mods.mood_drive`, log-hazard units: lower onset, faster
    remission) and relieve a fraction of the symptom target (`mods.mood_relief`).
    """
    drive = episode_drive(state, p, mods)
    # One exponential for everyone: log hazard = log onset rate + drive outside an episode,
    # log remission rate - slowing x drive inside one.
    with np.errstate(divide="ignore"):  # a zero onset rate is allowed: log 0 = -inf, hazard 0
        log_onset = np.log(daily_rate(p.onset_rate_per_year))
    log_remission = np.log(daily_rate(p.remission_rate_per_year))
    log_hazard = np.where(state.in_episode, np.float32(-p.remission_slowing) * drive, drive)
    log_hazard += np.where(state.in_episode, np.float32(log_remission), np.float32(log_onset))
    log_hazard += np.where(state.in_episode, state.log_remission_frailty, np.float32(0.0))
    # Switch when the day's uniform draw falls below P(event within the day).
    hazard = np.exp(log_hazard, out=log_hazard)
    switch = uniform < probability_within_day(hazard, out=hazard)
    remitted = state.in_episode & switch
    np.logical_xor(state.in_episode, switch, out=state.in_episode)

    target = (p.symptoms_from_pain / 10.0) * state.pain
    target += p.symptoms_from_poor_sleep * state.sleep
    target += state.mood_setpoint
    target += np.float32(p.episode_severity) * state.in_episode
    if mods is not None and mods.mood_relief is not None:
        target *= np.float32(1.0) - mods.mood_relief
    mood = state.mood
    target -= mood
    target *= np.float32(p.relax_per_day)
    mood += target
    mood += np.float32(p.noise_sd) * noise
    np.clip(mood, 0.0, 1.0, out=mood)
    return remitted


# -- sleep.py -------------------------------------------------------------------------------------
def update_sleep(state: PopulationState, p: SleepParams, noise: np.ndarray, mods: Modifiers | None = None) -> None:
    """Tonight's sleep from today's pain and mood; then the fortnight average the ISI reads.

    Sleep treatments subtract `mods.sleep_relief` from the night's poor sleep.
    """
    night = state.sleep
    np.multiply(state.pain, np.float32(p.from_pain / 10.0), out=night)
    night += p.from_mood * state.mood
    night += p.from_hpa * state.hpa_load
    night += state.sleep_setpoint
    if mods is not None and mods.sleep_relief is not None:
        night -= mods.sleep_relief
    night += np.float32(p.noise_sd) * noise
    np.clip(night, 0.0, 1.0, out=night)
    recent = state.sleep_recent
    recent += np.float32(1.0 / p.recall_days) * (night - recent)


# -- mechanisms.py --------------------------------------------------------------------------------
def _relax(x: np.ndarray, target: np.ndarray, timescale_days: float, scale: np.ndarray | None = None) -> None:
    if scale is not None:
        target *= scale
    np.clip(target, 0.0, 1.0, out=target)
    target -= x
    target *= np.float32(relaxation_per_day(timescale_days))
    x += target


def update_hpa(state: PopulationState, p: MechanismParams, mods: Modifiers | None = None) -> None:
    target = p.hpa_from_mood * state.mood
    target += (p.hpa_from_pain / 10.0) * state.pain
    target += p.hpa_from_job_strain * state.job_strain
    _relax(state.hpa_load, target, p.hpa_timescale_days, _scale(mods, "hpa_scale"))


def update_sensitisation(state: PopulationState, p: MechanismParams) -> None:
    target = (p.sensitisation_from_pain / 10.0) * state.pain
    target += p.sensitisation_from_hpa * state.hpa_load
    target += p.sensitisation_from_inflammation * state.inflammation
    _relax(state.sensitisation, target, p.sensitisation_timescale_days)


def update_inflammation(state: PopulationState, p: MechanismParams, mods: Modifiers | None = None) -> None:
    target = p.inflammation_from_poor_sleep * state.sleep_recent
    target += (p.inflammation_from_pain / 10.0) * state.pain
    target += p.inflammation_from_obesity * state.obese
    target += p.inflammation_from_smoking * state.smoker
    _relax(state.inflammation, target, p.inflammation_timescale_days, _scale(mods, "inflammation_scale"))


def update_catastrophising(state: PopulationState, p: MechanismParams, mods: Modifiers | None = None) -> None:
    target = (p.catastrophising_from_pain / 10.0) * state.pain
    target += p.catastrophising_from_mood * state.mood
    _relax(state.catastrophising, target, p.catastrophising_timescale_days, _scale(mods, "catastrophising_scale"))


def update_withdrawal(state: PopulationState, p: MechanismParams, mods: Modifiers | None = None) -> None:
    target = (p.withdrawal_from_pain / 10.0) * state.pain
    target += p.withdrawal_from_mood * state.mood
    target -= p.withdrawal_relief_from_exercise * state.exercises
    _relax(state.withdrawal, target, p.withdrawal_timescale_days, _scale(mods, "withdrawal_scale"))


def update_invalidation(state: PopulationState, p: MechanismParams) -> None:
    unexplained = state.pain - np.exp(state.log_nociception)
    unexplained *= np.float32(p.invalidation_from_unexplained_pain / 10.0)
    _relax(state.invalidation, unexplained, p.invalidation_timescale_days)


def update_opioid_dependence(state: PopulationState, p: MechanismParams, mods: Modifiers | None = None) -> None:
    if mods is not None and mods.opioid_exposure is not None:
        np.clip(mods.opioid_exposure, 0.0, 1.0, out=state.opioid_exposure)
    target = state.opioid_exposure * state.dependence_susceptibility
    target *= np.float32(p.dependence_per_exposure)
    _relax(state.opioid_dependence, target, p.dependence_timescale_days)


def update_scar(state: PopulationState, p: MechanismParams, remitted: np.ndarray) -> None:
    """A leaky count of past episodes: it takes a step of `scar_per_episode` when an episode remits,
    fades with `scar_timescale_days`, and is kept in 0-1. More episodes, and more recent ones, leave
    a deeper scar: the memory recurrence depends on."""
    scar = state.depression_scar
    scar *= np.float32(1.0 - relaxation_per_day(p.scar_timescale_days))
    scar += np.float32(p.scar_per_episode) * remitted
    np.minimum(scar, np.float32(1.0), out=scar)


def _scale(mods: Modifiers | None, name: str) -> np.ndarray | None:
    return None if mods is None else getattr(mods, name)


def update_mechanisms(
    state: PopulationState, p: MechanismParams, remitted: np.ndarray, mods: Modifiers | None = None
) -> None:
    update_hpa(state, p, mods)
    update_sensitisation(state, p)
    update_inflammation(state, p, mods)
    update_catastrophising(state, p, mods)
    update_withdrawal(state, p, mods)
    update_invalidation(state, p)
    update_opioid_dependence(state, p, mods)
    update_scar(state, p, remitted)


# -- care.py --------------------------------------------------------------------------------------
def update_care(state: PopulationState, p: CareParams, uniform: np.ndarray) -> None:
    """Enter or leave care with today's hazards (read after today's pain, mood and sleep)."""
    drive = np.float32(p.from_pain / 10.0) * state.pain
    drive += np.float32(p.from_mood) * state.mood
    drive += np.float32(p.from_poor_sleep) * state.sleep_recent
    drive += np.float32(p.female) * state.female
    switch_two_state(state.in_care, drive, p.entry_rate_per_year, p.exit_rate_per_year, uniform)


def advance_day(state, params, noise, mods=None) -> None:
    """Move every person one day on, as `simulation/rules/daily.py::advance_day` did before the kernel."""
    if mods is not None and not mods.active():
        mods = None
    update_nociception(state, params.nociception, noise.normal[0])
    update_central_pain(state, params.central, noise.uniform[1])
    update_pain(state, params.pain, noise.normal[1], mods, central_nociception(state, params.central))
    remitted = update_mood(state, params.mood, noise.normal[2], noise.uniform[0], mods)
    update_sleep(state, params.sleep, noise.normal[3], mods)
    update_mechanisms(state, params.mechanisms, remitted, mods)
    update_care(state, params.care, noise.uniform[2])


def vectorised_day(state, status, params, noise, mods, day: int) -> None:
    """The previous model day: the vectorised rules, then the clinical windows' own numpy update."""
    advance_day(state, params, noise, mods)
    status.update(state, day)
