"""Psychological therapies: CBT for chronic pain, CBT for insomnia (CBT-I), mindfulness (MBSR).

Each targets the cognitive and behavioural links of the cycle rather than nociception: CBT the
catastrophic thinking that amplifies pain (seed 002) and the withdrawal that deepens low mood;
CBT-I the night's sleep; MBSR the suffering attached to pain (seed 002: "changes the relationship
a person has with that pain").
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulation.interventions import register
from simulation.interventions.base import InterventionSpec, effect
from simulation.interventions.effects import remaining, share


@register("cbt")
class CBT(InterventionSpec):
    """CBT for chronic pain: less catastrophising and withdrawal, better mood, a little less pain."""

    type: Literal["cbt"] = "cbt"
    duration_weeks: float = Field(10.0, gt=0, le=520, description="Ten weekly sessions (Williams et al. 2012).")
    sessions_per_week: float = Field(1.0, ge=0, le=14, description="Weekly sessions.")
    adherence: float = Field(0.75, ge=0, le=1, description="Share of sessions attended.")
    onset_delay_days: float = Field(14.0, ge=0, le=365, description="Effects start after a few sessions.")
    ramp_days: float = Field(42.0, ge=0, le=365, description="Builds over the course.")
    waning_half_life_days: float = Field(
        150.0, gt=0, le=3650, description="Effect on pain fades by 6-12 months (Williams et al. 2012)."
    )
    cost_per_session: float = Field(
        110.0, ge=0, le=100_000, description="USD; assumption (US psychotherapy session fee, approximate)."
    )
    catastrophising_reduction: float = effect(
        0.8,
        lo=0.0,
        hi=1.0,
        unit="share of catastrophising target",
        basis="calibrated",
        source="seed 002 (CBT addresses catastrophic "
        "thinking); size calibrated to Williams et al. 2012 (pain SMD 0.21)",
        doc="Catastrophising removed at full dose.",
    )
    withdrawal_reduction: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of withdrawal target",
        source="Williams et al. 2012 (activity pacing); size assumed",
        doc="Withdrawal removed at full dose.",
    )
    mood_drive: float = effect(
        -1.0,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        source="Williams et al. 2012 (mood SMD 0.38); size calibrated",
        doc="Shift of the episode drive at full dose.",
    )
    mood_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        basis="calibrated",
        source="Williams et al. 2012 (mood SMD 0.38)",
        doc="Symptoms relieved at full dose.",
    )
    pain_relief: float = effect(
        0.15,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        source="Williams et al. 2012 (pain SMD 0.21)",
        doc="Direct pain relief at full dose.",
    )

    def effects(self, dose, model, index, programme):
        return {
            "catastrophising_scale": remaining(dose * self.catastrophising_reduction),
            "withdrawal_scale": remaining(dose * self.withdrawal_reduction),
            "mood_drive": dose * self.mood_drive,
            "mood_relief": share(dose * self.mood_relief),
            "pain_relief": share(dose * self.pain_relief),
        }


@register("cbti")
class CBTI(InterventionSpec):
    """CBT for insomnia: better sleep, and through the couplings less pain and low mood."""

    type: Literal["cbti"] = "cbti"
    duration_weeks: float = Field(6.0, gt=0, le=520, description="Six weekly sessions (typical CBT-I course).")
    sessions_per_week: float = Field(1.0, ge=0, le=14, description="Weekly sessions.")
    adherence: float = Field(0.8, ge=0, le=1, description="Share of sessions attended.")
    onset_delay_days: float = Field(7.0, ge=0, le=365, description="Sleep restriction acts within weeks.")
    ramp_days: float = Field(28.0, ge=0, le=365, description="Builds over the course.")
    waning_half_life_days: float = Field(
        365.0, gt=0, le=3650, description="CBT-I gains are durable; assumption (about a year's half-life)."
    )
    cost_per_session: float = Field(110.0, ge=0, le=100_000, description="USD; assumption.")
    sleep_relief: float = effect(
        0.14,
        lo=0.0,
        hi=1.0,
        unit="poor-sleep units",
        basis="calibrated",
        source="Selvanathan et al. 2021 (sleep SMD 0.89); calibrated",
        doc="Poor sleep removed each night at full dose.",
    )
    mood_drive: float = effect(
        -0.6,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        source="Selvanathan et al. 2021 (depression SMD 0.44)",
        doc="Direct shift of the episode drive at full dose (beyond the sleep -> mood edge).",
    )

    mood_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        basis="calibrated",
        source="Selvanathan et al. 2021 (depression SMD 0.44); calibrated",
        doc="Symptoms relieved at full dose (beyond the sleep -> mood edge).",
    )
    pain_relief: float = effect(
        0.08,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        source="Selvanathan et al. 2021 (pain SMD 0.20); the sleep -> pain edge alone gives about a third; calibrated",
        doc="Pain relief at full dose beyond the sleep -> pain edge.",
    )

    def effects(self, dose, model, index, programme):
        return {
            "sleep_relief": dose * self.sleep_relief,
            "mood_drive": dose * self.mood_drive,
            "mood_relief": share(dose * self.mood_relief),
            "pain_relief": share(dose * self.pain_relief),
        }


@register("mindfulness")
class Mindfulness(InterventionSpec):
    """Mindfulness-based stress reduction: less suffering attached to pain, less stress."""

    type: Literal["mindfulness"] = "mindfulness"
    duration_weeks: float = Field(8.0, gt=0, le=520, description="Eight weekly classes (Cherkin et al. 2016).")
    sessions_per_week: float = Field(1.0, ge=0, le=14, description="Weekly classes.")
    adherence: float = Field(0.75, ge=0, le=1, description="Cherkin et al. 2016: 51% attended 6 or more of 8 classes.")
    onset_delay_days: float = Field(14.0, ge=0, le=365, description="After a few classes.")
    ramp_days: float = Field(42.0, ge=0, le=365, description="Builds over the course.")
    waning_half_life_days: float = Field(
        240.0, gt=0, le=3650, description="Gains largely held at 26 and 52 weeks (Cherkin et al. 2016)."
    )
    cost_per_session: float = Field(60.0, ge=0, le=100_000, description="USD; assumption (group class).")
    catastrophising_reduction: float = effect(
        0.4,
        lo=0.0,
        hi=1.0,
        unit="share of catastrophising target",
        source="seed 002 (changes the relationship with pain); Cherkin et al. 2016",
        doc="Catastrophising removed at full dose.",
    )
    hpa_reduction: float = effect(
        0.2,
        lo=0.0,
        hi=1.0,
        unit="share of HPA-load target",
        source="seed 002 (stress reduction); size assumed",
        doc="HPA load removed at full dose.",
    )
    mood_relief: float = effect(
        0.15,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        source="seed 002; size assumed",
        doc="Symptoms relieved at full dose.",
    )
    pain_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        source="Cherkin et al. 2016 (60.5% vs 44% improved); calibrated",
        doc="Pain (suffering) relieved at full dose.",
    )

    def effects(self, dose, model, index, programme):
        return {
            "catastrophising_scale": remaining(dose * self.catastrophising_reduction),
            "hpa_scale": remaining(dose * self.hpa_reduction),
            "mood_relief": share(dose * self.mood_relief),
            "pain_relief": share(dose * self.pain_relief),
        }
