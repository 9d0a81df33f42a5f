"""Per-agent reference implementation of painsim's daily rules: the speed baseline and the oracle.

What this is
    A plain, textbook Mesa model of the SAME daily rules as `simulation.PainCycleModel`: one
    `ReferencePerson(mesa.Agent)` per adult holding its own state as Python floats and bools, and
    a `step()` that advances that one person by one day in scalar Python (`math` module), in the
    order of the compiled day, `simulation/rules/kernel.py::chunk_day`:

        1. tissue nociception: exact Ornstein-Uhlenbeck step of log nociception around the set point
        1b. central pain episodes switch on and off (onset driven by yesterday's depressive episode,
           poor sleep, HPA load, scar and vulnerability; remission at its own rate)
        2. pain: raw = (nociception + central pain input) x amplification (last night's sleep, yesterday's mood, the
           slow mechanisms) + muscle tone from mood; the target 10 tanh(raw / 10) saturates
           toward the top of the scale; pain relaxes toward it with daily noise, kept in 0-10
        3. mood: the latent depressive episode switches with today's hazard, then symptoms relax
           toward their target with daily noise, kept in 0-1
        4. sleep: tonight's poor sleep, then the fortnight average `sleep_recent`
        5. slow mechanisms, in this order: HPA load, sensitisation, inflammation, catastrophising,
           withdrawal, invalidation, opioid dependence (each relaxes toward a target kept in 0-1),
           then the depression scar (decays; a step when an episode remits; at most 1)
        5b. care-seeking: enter care with a hazard from today's pain, mood and sleep; leave at a rate
        6. the clinical windows of `simulation/status.py`, kept per person in `collections.deque`s:
           pain days in the last 91, MIDUS pain days in the last 30, bad nights in the last 91,
           the current run of low-mood days and the last day of a major depressive episode.

Why it exists
    1. Speed baseline: `bench_speed.py` measures how many person-days per second the vectorised
       model does against this per-agent version, both single-core, in the same run.
    2. Correctness oracle: it was written from the equations (the module docstrings and rule
       bodies in `simulation/rules/`), not by calling or copying the vectorised functions: it
       imports no rule function, no `simulation.units` helper and no `ClinicalStatus`; only the
       parameter container `ModelParams` (the numbers) and, to build a matched initial population,
       the vectorised model itself. Scalar code with explicit `if`s and deques is easy to check
       against the equations line by line, so when the two implementations agree in distribution
       (`tests/test_reference_oracle.py`), the vectorised in-place array arithmetic (dtype casts,
       aliasing of `out=` buffers, ring-buffer indexing, update order) is very probably right.
       Fed the vectorised model's own daily draws instead of its own (common random numbers, as
       the test does), it reproduces the vectorised paths person by person to float32 rounding.

Scope
    The untreated rules: treatment effects (`simulation.interventions`, the `mods` argument of
    the rules) are not implemented here, so the oracle covers scenarios without interventions.
    A scenario's parameter overrides are honoured (the reference reads the same `ModelParams`).

Fair comparison
    `matched_pair()` synthesises ONE population with `PainCycleModel(..., burn_in_days=0,
    agent_views=False)` and `settle_days=0`, and copies every state column into the persons, so
    both start from the identical state on day 0 with empty clinical windows. From then on each
    draws its own random numbers: the vectorised model from its numpy streams (float32), the
    reference from the Mesa model's `random.Random` seeded with the same integer seed (float64).
    The paths therefore differ person by person; the two must agree in DISTRIBUTION, not path.
    Persons do not interact, so the order in which Mesa steps them does not matter.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from typing import Any

import mesa
import numpy as np

from simulation.parameters import ModelParams

DAYS_PER_YEAR = 365.25  # the model's year, for turning rates per year into rates per day
LOW_MOOD_RUN_CAP = 10_000  # the vectorised run counter is capped (int16); irrelevant in practice

TRAITS = (
    "age",
    "female",
    "ses",
    "employed",
    "job_strain",
    "smoker",
    "obese",
    "exercises",
    "vulnerability",
    "nociception_setpoint",
    "sleep_setpoint",
    "mood_setpoint",
    "mood_liability",
    "dependence_susceptibility",
    "log_remission_frailty",
    "isi_offset",
)
STATES = (
    "pain",
    "mood",
    "sleep",
    "sleep_recent",
    "log_nociception",
    "in_episode",
    "in_central_pain",
    "in_care",
    "hpa_load",
    "sensitisation",
    "inflammation",
    "catastrophising",
    "withdrawal",
    "invalidation",
    "opioid_exposure",
    "opioid_dependence",
    "depression_scar",
)
FIELDS = TRAITS + STATES
FLAGS = ("female", "employed", "smoker", "obese", "exercises", "in_episode", "in_central_pain", "in_care")
SLOW = (
    "hpa_load",
    "sensitisation",
    "inflammation",
    "catastrophising",
    "withdrawal",
    "invalidation",
    "opioid_exposure",
    "opioid_dependence",
)


def _relax_fraction(timescale_days: float) -> float:
    """Share of the gap to the target closed in one day by dx/dt = (target - x) / timescale."""
    return 1.0 - math.exp(-1.0 / timescale_days)


def _unit(x: float) -> float:
    return 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)


class ReferenceConstants:
    """The day's scalar coefficients, derived once from a `ModelParams` (plain attribute access)."""

    def __init__(self, params: ModelParams):
        n, pa, mo, sl, me, st, ce, ca = (
            params.nociception,
            params.pain,
            params.mood,
            params.sleep,
            params.mechanisms,
            params.status,
            params.central,
            params.care,
        )
        # central pain episodes
        self.central_onset_per_day = ce.onset_rate_per_year / DAYS_PER_YEAR
        self.central_remission_per_day = ce.remission_rate_per_year / DAYS_PER_YEAR
        self.central_depression = ce.from_depression
        self.central_sleep = ce.from_poor_sleep
        self.central_hpa = ce.from_hpa
        self.central_scar = ce.from_scar
        self.central_vulnerability = ce.vulnerability_per_sd
        self.central_intensity = ce.intensity
        # care-seeking
        self.care_entry_per_day = ca.entry_rate_per_year / DAYS_PER_YEAR
        self.care_exit_per_day = ca.exit_rate_per_year / DAYS_PER_YEAR
        self.care_pain = ca.from_pain / 10.0
        self.care_mood = ca.from_mood
        self.care_sleep = ca.from_poor_sleep
        self.care_female = ca.female
        # the scar of past episodes
        self.scar_keep = math.exp(-1.0 / me.scar_timescale_days)
        self.scar_step = me.scar_per_episode
        # nociception: x' = s + (x - s) e^(-1/T) + sd sqrt(1 - e^(-2/T)) z
        self.noci_keep = math.exp(-1.0 / n.timescale_days)
        self.noci_shock = n.within_person_sd * math.sqrt(1.0 - self.noci_keep**2)
        # pain
        self.pain_relax = pa.relax_per_day
        self.pain_noise = pa.noise_sd
        self.amp_sleep = pa.from_poor_sleep
        self.amp_mood = pa.from_mood
        self.amp_sensitisation = pa.from_sensitisation
        self.amp_inflammation = pa.from_inflammation
        self.amp_catastrophising = pa.from_catastrophising
        self.amp_withdrawal = pa.from_deconditioning
        self.muscle_tone = pa.muscle_tone_from_mood
        # mood: episode hazards per day and the symptom process
        self.onset_per_day = mo.onset_rate_per_year / DAYS_PER_YEAR
        self.remission_per_day = mo.remission_rate_per_year / DAYS_PER_YEAR
        self.remission_slowing = mo.remission_slowing
        self.drive_pain = mo.onset_from_pain / 10.0
        self.drive_sleep = mo.onset_from_poor_sleep
        self.drive_hpa = mo.onset_from_hpa
        self.drive_inflammation = mo.onset_from_inflammation
        self.drive_withdrawal = mo.onset_from_withdrawal
        self.drive_invalidation = mo.onset_from_invalidation
        self.drive_dependence = mo.onset_from_opioid_dependence
        self.drive_scar = mo.onset_from_scar
        self.symptoms_pain = mo.symptoms_from_pain / 10.0
        self.symptoms_sleep = mo.symptoms_from_poor_sleep
        self.episode_severity = mo.episode_severity
        self.mood_relax = mo.relax_per_day
        self.mood_noise = mo.noise_sd
        # sleep
        self.sleep_pain = sl.from_pain / 10.0
        self.sleep_mood = sl.from_mood
        self.sleep_hpa = sl.from_hpa
        self.sleep_noise = sl.noise_sd
        self.recent_weight = 1.0 / sl.recall_days
        # slow mechanisms
        self.hpa_relax = _relax_fraction(me.hpa_timescale_days)
        self.hpa_mood = me.hpa_from_mood
        self.hpa_pain = me.hpa_from_pain / 10.0
        self.hpa_strain = me.hpa_from_job_strain
        self.sens_relax = _relax_fraction(me.sensitisation_timescale_days)
        self.sens_pain = me.sensitisation_from_pain / 10.0
        self.sens_hpa = me.sensitisation_from_hpa
        self.sens_inflammation = me.sensitisation_from_inflammation
        self.infl_relax = _relax_fraction(me.inflammation_timescale_days)
        self.infl_sleep = me.inflammation_from_poor_sleep
        self.infl_pain = me.inflammation_from_pain / 10.0
        self.infl_obese = me.inflammation_from_obesity
        self.infl_smoker = me.inflammation_from_smoking
        self.cat_relax = _relax_fraction(me.catastrophising_timescale_days)
        self.cat_pain = me.catastrophising_from_pain / 10.0
        self.cat_mood = me.catastrophising_from_mood
        self.wd_relax = _relax_fraction(me.withdrawal_timescale_days)
        self.wd_pain = me.withdrawal_from_pain / 10.0
        self.wd_mood = me.withdrawal_from_mood
        self.wd_exercise = me.withdrawal_relief_from_exercise
        self.inv_relax = _relax_fraction(me.invalidation_timescale_days)
        self.inv_unexplained = me.invalidation_from_unexplained_pain / 10.0
        self.dep_relax = _relax_fraction(me.dependence_timescale_days)
        self.dep_per_exposure = me.dependence_per_exposure
        # clinical windows
        self.pain_day_threshold = st.pain_day_threshold
        self.bad_night_threshold = st.bad_night_threshold
        self.low_mood_threshold = st.mde_phq9_threshold / 27.0
        self.long_window = 91  # three months: chronic pain, insomnia disorder
        self.midus_window = int(st.midus_window_days)
        self.chronic_pain_min_days = st.chronic_pain_min_days
        self.midus_min_days = st.midus_min_days
        self.insomnia_min_nights = st.insomnia_min_nights
        self.mde_min_days = st.mde_min_days
        self.mde_lookback_days = st.mde_lookback_days
        self.high_impact_withdrawal = st.high_impact_withdrawal
        self.clinical_isi_threshold = st.clinical_isi_threshold


class ReferencePerson(mesa.Agent):
    """One adult whose state lives in its own attributes; `step()` is one day for this person."""

    def __init__(self, model: ReferenceModel, values: Mapping[str, Any]):
        super().__init__(model)
        for name in FIELDS:
            setattr(self, name, values[name])
        k = model.k
        self.pain_window: deque[bool] = deque(maxlen=k.long_window)
        self.midus_window: deque[bool] = deque(maxlen=k.midus_window)
        self.night_window: deque[bool] = deque(maxlen=k.long_window)
        self.pain_days = 0
        self.pain_days_midus = 0
        self.bad_nights = 0
        self.low_mood_run = 0
        self.last_mde_day: int | None = None

    def step(self) -> None:
        m = self.model
        k = m.k
        gauss = m.random.gauss

        # 1. tissue nociception drifts (Ornstein-Uhlenbeck, exact one-day step)
        sp = self.nociception_setpoint
        self.log_nociception = sp + (self.log_nociception - sp) * k.noci_keep + k.noci_shock * gauss(0.0, 1.0)
        nociception = math.exp(self.log_nociception)

        # 1b. central pain episodes switch with today's hazard (drivers as of yesterday)
        if self.in_central_pain:
            hazard = k.central_remission_per_day
        else:
            drive = (
                k.central_depression * self.in_episode
                + k.central_sleep * self.sleep_recent
                + k.central_hpa * self.hpa_load
                + k.central_scar * self.depression_scar
                + k.central_vulnerability * self.vulnerability
            )
            hazard = k.central_onset_per_day * math.exp(drive)
        if m.random.random() < 1.0 - math.exp(-hazard):
            self.in_central_pain = not self.in_central_pain
        central = k.central_intensity if self.in_central_pain else 0.0

        # 2. today's pain, from last night's sleep and yesterday's mood and mechanisms
        mood = self.mood
        amplification = (
            1.0
            + k.amp_sleep * self.sleep
            + k.amp_mood * mood
            + k.amp_sensitisation * self.sensitisation
            + k.amp_inflammation * self.inflammation
            + k.amp_catastrophising * self.catastrophising
            + k.amp_withdrawal * self.withdrawal
        )
        # the target saturates toward the top of the scale: 10 tanh(raw / 10)
        target = 10.0 * math.tanh(((nociception + central) * amplification + k.muscle_tone * mood) / 10.0)
        pain = self.pain + k.pain_relax * (target - self.pain) + k.pain_noise * gauss(0.0, 1.0)
        pain = 0.0 if pain < 0.0 else (10.0 if pain > 10.0 else pain)
        self.pain = pain

        # 3. mood: the episode switches with today's hazard, then today's symptoms
        drive = (
            self.mood_liability
            + k.drive_pain * pain
            + k.drive_sleep * self.sleep_recent
            + k.drive_hpa * self.hpa_load
            + k.drive_inflammation * self.inflammation
            + k.drive_withdrawal * self.withdrawal
            + k.drive_invalidation * self.invalidation
            + k.drive_dependence * self.opioid_dependence
            + k.drive_scar * self.depression_scar
        )
        if self.in_episode:
            hazard = k.remission_per_day * math.exp(-k.remission_slowing * drive + self.log_remission_frailty)
        else:
            hazard = k.onset_per_day * math.exp(drive)
        remitted = False
        if m.random.random() < 1.0 - math.exp(-hazard):
            remitted = self.in_episode
            self.in_episode = not self.in_episode
        target = k.symptoms_pain * pain + k.symptoms_sleep * self.sleep + self.mood_setpoint
        if self.in_episode:
            target += k.episode_severity
        mood = mood + k.mood_relax * (target - mood) + k.mood_noise * gauss(0.0, 1.0)
        mood = _unit(mood)
        self.mood = mood

        # 4. tonight's sleep, then the fortnight average
        night = _unit(
            self.sleep_setpoint
            + k.sleep_pain * pain
            + k.sleep_mood * mood
            + k.sleep_hpa * self.hpa_load
            + k.sleep_noise * gauss(0.0, 1.0)
        )
        self.sleep = night
        self.sleep_recent += k.recent_weight * (night - self.sleep_recent)

        # 5. slow mechanisms, each toward a target kept in 0-1, in the order of the rules
        hpa = self.hpa_load
        hpa += k.hpa_relax * (_unit(k.hpa_mood * mood + k.hpa_pain * pain + k.hpa_strain * self.job_strain) - hpa)
        self.hpa_load = hpa
        x = self.sensitisation
        aim = _unit(k.sens_pain * pain + k.sens_hpa * hpa + k.sens_inflammation * self.inflammation)
        self.sensitisation = x + k.sens_relax * (aim - x)
        x = self.inflammation
        aim = k.infl_sleep * self.sleep_recent + k.infl_pain * pain
        if self.obese:
            aim += k.infl_obese
        if self.smoker:
            aim += k.infl_smoker
        self.inflammation = x + k.infl_relax * (_unit(aim) - x)
        x = self.catastrophising
        self.catastrophising = x + k.cat_relax * (_unit(k.cat_pain * pain + k.cat_mood * mood) - x)
        x = self.withdrawal
        aim = k.wd_pain * pain + k.wd_mood * mood
        if self.exercises:
            aim -= k.wd_exercise
        self.withdrawal = x + k.wd_relax * (_unit(aim) - x)
        x = self.invalidation
        self.invalidation = x + k.inv_relax * (_unit(k.inv_unexplained * (pain - nociception)) - x)
        x = self.opioid_dependence
        target = _unit(self.opioid_exposure * self.dependence_susceptibility * k.dep_per_exposure)
        self.opioid_dependence = x + k.dep_relax * (target - x)
        scar = self.depression_scar * k.scar_keep
        if remitted:
            scar += k.scar_step
        self.depression_scar = min(scar, 1.0)

        # 5b. care-seeking, from today's pain, mood and sleep
        if self.in_care:
            hazard = k.care_exit_per_day
        else:
            hazard = k.care_entry_per_day * math.exp(
                k.care_pain * pain + k.care_mood * mood + k.care_sleep * self.sleep_recent + k.care_female * self.female
            )
        if m.random.random() < 1.0 - math.exp(-hazard):
            self.in_care = not self.in_care

        # 6. clinical windows: drop the day leaving each window, add today
        pain_day = pain >= k.pain_day_threshold
        window = self.pain_window
        if len(window) == window.maxlen:
            self.pain_days -= window[0]
        window.append(pain_day)
        self.pain_days += pain_day
        window = self.midus_window
        if len(window) == window.maxlen:
            self.pain_days_midus -= window[0]
        window.append(pain_day)
        self.pain_days_midus += pain_day
        bad_night = night >= k.bad_night_threshold
        window = self.night_window
        if len(window) == window.maxlen:
            self.bad_nights -= window[0]
        window.append(bad_night)
        self.bad_nights += bad_night
        if mood >= k.low_mood_threshold:
            self.low_mood_run = min(self.low_mood_run + 1, LOW_MOOD_RUN_CAP)
        else:
            self.low_mood_run = 0
        if self.low_mood_run >= k.mde_min_days:
            self.last_mde_day = m.day

    # -- clinical statuses, as `simulation/status.py` defines them ------------------------------
    @property
    def chronic_pain(self) -> bool:
        return self.pain_days >= self.model.k.chronic_pain_min_days

    @property
    def high_impact_chronic_pain(self) -> bool:
        return self.chronic_pain and self.withdrawal >= self.model.k.high_impact_withdrawal

    @property
    def midus_back_pain(self) -> bool:
        return self.pain_days_midus >= self.model.k.midus_min_days

    @property
    def depression_current(self) -> bool:
        return self.low_mood_run >= self.model.k.mde_min_days

    @property
    def depression(self) -> bool:
        """A major depressive episode (14 low-mood days running) within the lookback (12 months)."""
        last = self.last_mde_day
        return last is not None and self.model.day - last < self.model.k.mde_lookback_days

    @property
    def insomnia(self) -> bool:
        return self.bad_nights >= self.model.k.insomnia_min_nights

    @property
    def clinical_insomnia(self) -> bool:
        isi = min(max(self.sleep_recent * 28.0 + self.isi_offset, 0.0), 28.0)
        return isi >= self.model.k.clinical_isi_threshold


STATUSES = (
    "chronic_pain",
    "high_impact_chronic_pain",
    "midus_back_pain",
    "depression",
    "depression_current",
    "insomnia",
    "clinical_insomnia",
)


class ReferenceModel(mesa.Model):
    """The per-agent model: `params` as for `PainCycleModel`, `initial` the starting population.

    Args:
        params: a `ModelParams`.
        initial: column name -> one value per person (e.g. `PainCycleModel(...).state.as_dict()`);
            every name in `FIELDS` is required.
        seed: seeds the Mesa model's `random.Random`, from which every person draws its numbers.
    """

    def __init__(self, params: ModelParams, initial: Mapping[str, Any], *, seed: int = 0):
        super().__init__(rng=int(seed))
        self.params = params
        self.k = ReferenceConstants(params)
        self.day = 0
        columns = {}
        for name in FIELDS:
            values = np.asarray(initial[name])
            columns[name] = values.astype(bool if name in FLAGS else np.float64).tolist()
        size = len(columns[FIELDS[0]])
        self.people: list[ReferencePerson] = [
            ReferencePerson(self, {name: columns[name][i] for name in FIELDS}) for i in range(size)
        ]

    def step(self) -> None:
        """One day for everyone: the day advances, then each person applies the day's rules."""
        self.day += 1
        self.agents.do("step")

    # -- looking at it ------------------------------------------------------------------------
    def column(self, name: str) -> np.ndarray:
        """One attribute or status of every person, in the order of the initial population."""
        dtype = bool if name in FLAGS or name in STATUSES else np.float64
        return np.fromiter((getattr(p, name) for p in self.people), dtype=dtype, count=len(self.people))

    def metrics(self) -> dict[str, float]:
        """Population means of the fast and slow states and the prevalence of each status."""
        out = {f"mean_{name}": float(self.column(name).mean()) for name in ("pain", "mood", "sleep_recent")}
        out.update({f"mean_{name}": float(self.column(name).mean()) for name in SLOW})
        out.update({name: float(self.column(name).mean()) for name in (*STATUSES, "in_episode")})
        return out


def matched_pair(scenario=None, *, seed: int = 1, population: int | None = None):
    """A vectorised model and a reference model that start from the same synthesised population.

    The vectorised model is built with no settling, no burn-in and no agent views, so on day 0
    both hold exactly the synthesised state and empty clinical windows.

    Returns:
        (PainCycleModel, ReferenceModel)
    """
    from simulation import PainCycleModel, Scenario

    scenario = scenario if scenario is not None else Scenario()
    scenario = scenario.model_copy(update={"settle_days": 0, "burn_in_days": 0})
    if population is not None:
        scenario = scenario.model_copy(update={"population": int(population)})
    vector = PainCycleModel(scenario, seed=seed, burn_in_days=0, agent_views=False)
    reference = ReferenceModel(scenario.parameters, vector.state.as_dict(), seed=seed)
    return vector, reference
