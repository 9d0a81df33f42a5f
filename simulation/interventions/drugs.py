"""Medicines other than opioids: SNRI (duloxetine), SSRI, sleep medication, and placebo.

Seed 002: drugs acting on both serotonin and noradrenaline (duloxetine) have evidence for both
depression and pain; seed 003: most SSRIs do not change pain significantly; seed 004: sleep
regulators may help low back pain. A placebo type lets virtual trials compare against placebo as
the published trials did.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulation.interventions import register
from simulation.interventions.base import InterventionSpec, effect
from simulation.interventions.effects import share


class _Daily(InterventionSpec):
    """A medicine taken daily: one 'session' a day, quick onset, quick offset."""

    sessions_per_week: float = Field(7.0, ge=0, le=14, description="Daily doses.")
    duration_weeks: float = Field(12.0, gt=0, le=520, description="Length of the course (weeks).")
    adherence: float = Field(0.8, ge=0, le=1, description="Share of doses taken.")
    onset_delay_days: float = Field(7.0, ge=0, le=365, description="Days before any effect.")
    ramp_days: float = Field(21.0, ge=0, le=365, description="Days to full effect.")
    waning_half_life_days: float = Field(5.0, gt=0, le=3650, description="Effect fades within days of stopping.")
    response_sd: float = Field(0.8, ge=0, le=2, description="Spread of individual response.")


@register("snri")
class SNRI(_Daily):
    """Duloxetine: pain relief and antidepressant effect; side effects make some stop."""

    type: Literal["snri"] = "snri"
    side_effect_dropout: float = Field(
        0.152, ge=0, le=1, description="Skljarevski et al. 2010: 15.2% stopped for adverse events."
    )
    dropout_per_week: float = Field(0.01, ge=0, le=1, description="Other stopping, per week.")
    cost_per_day: float = Field(0.5, ge=0, le=100_000, description="USD; assumption (generic duloxetine).")
    pain_relief: float = effect(
        0.2,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        source="Skljarevski et al. 2010; Ferreira et al. 2021 (-5.3/100 vs placebo); calibrated",
        doc="Pain relief at full dose.",
    )
    mood_drive: float = effect(
        -1.0,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        source="seed 002 (duloxetine for depression)",
        doc="Shift of the episode drive at full dose.",
    )
    mood_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        source="seed 002; size assumed",
        doc="Symptoms relieved at full dose.",
    )

    def effects(self, dose, model, index, programme):
        return {
            "pain_relief": share(dose * self.pain_relief),
            "mood_drive": dose * self.mood_drive,
            "mood_relief": share(dose * self.mood_relief),
        }


@register("ssri")
class SSRI(_Daily):
    """SSRI: antidepressant, little effect on pain (seed 003)."""

    type: Literal["ssri"] = "ssri"
    side_effect_dropout: float = Field(0.10, ge=0, le=1, description="Adverse-event stopping; assumption.")
    cost_per_day: float = Field(0.2, ge=0, le=100_000, description="USD; assumption (generic SSRI).")
    ramp_days: float = Field(28.0, ge=0, le=365, description="Antidepressant effect builds over weeks.")
    mood_drive: float = effect(
        -1.0,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        source="assumption (SSRIs treat depression)",
        doc="Shift of the episode drive at full dose.",
    )
    mood_relief: float = effect(
        0.3, lo=0.0, hi=1.0, unit="share of symptom target", source="assumption", doc="Symptoms relieved at full dose."
    )
    pain_relief: float = effect(
        0.02,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        source="seed 003 (most SSRIs do not change pain)",
        doc="Pain relief at full dose.",
    )

    def effects(self, dose, model, index, programme):
        return {
            "mood_drive": dose * self.mood_drive,
            "mood_relief": share(dose * self.mood_relief),
            "pain_relief": share(dose * self.pain_relief),
        }


@register("sleep_medication")
class SleepMedication(_Daily):
    """Hypnotic sleep medication: better nights while taken, little carry-over."""

    type: Literal["sleep_medication"] = "sleep_medication"
    onset_delay_days: float = Field(0.0, ge=0, le=365, description="Works from the first night.")
    ramp_days: float = Field(0.0, ge=0, le=365, description="Full effect at once.")
    waning_half_life_days: float = Field(2.0, gt=0, le=3650, description="Gone within days of stopping.")
    side_effect_dropout: float = Field(0.08, ge=0, le=1, description="Adverse-event stopping; assumption.")
    cost_per_day: float = Field(0.3, ge=0, le=100_000, description="USD; assumption (generic hypnotic).")
    sleep_relief: float = effect(
        0.12,
        lo=0.0,
        hi=1.0,
        unit="poor-sleep units",
        source="seed 004 (sleep regulators); size assumed",
        doc="Poor sleep removed each night at full dose.",
    )

    def effects(self, dose, model, index, programme):
        return {"sleep_relief": dose * self.sleep_relief}


@register("placebo")
class Placebo(_Daily):
    """Placebo: expectation relief, and the nocebo side effects that make some stop."""

    type: Literal["placebo"] = "placebo"
    side_effect_dropout: float = Field(
        0.054, ge=0, le=1, description="Skljarevski et al. 2010: 5.4% stopped for adverse events on placebo."
    )
    response_sd: float = Field(1.0, ge=0, le=2, description="Spread of individual response.")
    pain_relief: float = effect(
        0.5,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        source="assumption (placebo analgesia in chronic pain "
        "trials); calibrated to the placebo arm of Skljarevski et al. 2010",
        doc="Pain relief at full dose.",
    )

    def effects(self, dose, model, index, programme):
        return {"pain_relief": share(dose * self.pain_relief)}
