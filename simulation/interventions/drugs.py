"""Medicines other than opioids: SNRI (duloxetine), SSRI, sleep medication, and placebo.

Seed 002: drugs acting on both serotonin and noradrenaline (duloxetine) have evidence for both
depression and pain; seed 003: most SSRIs do not change pain significantly; seed 004: sleep
regulators may help low back pain. A placebo type lets virtual trials compare against placebo as
the published trials did.
"""

from __future__ import annotations

from typing import Literal

from simulation.declare import param
from simulation.interventions import register
from simulation.interventions.base import InterventionSpec, effect
from simulation.interventions.effects import share


class _Daily(InterventionSpec):
    """A medicine taken daily: one 'session' a day, quick onset, quick offset."""

    sessions_per_week: float = param(
        7.0,
        lo=0,
        hi=14,
        unit="doses per week",
        source="assumption (one dose a day)",
        basis="assumption",
        doc="Daily doses.",
    )
    duration_weeks: float = param(
        12.0,
        lo=0,
        hi=520,
        lo_exclusive=True,
        unit="weeks",
        source="assumption (a three-month course, as in the drug trials)",
        basis="assumption",
        doc="Length of the course (weeks).",
    )
    adherence: float = param(
        0.8,
        lo=0,
        hi=1,
        unit="share of doses taken",
        source="assumption",
        basis="assumption",
        doc="Share of doses taken.",
    )
    onset_delay_days: float = param(
        7.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption",
        basis="assumption",
        doc="Days before any effect.",
    )
    ramp_days: float = param(
        21.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption",
        basis="assumption",
        doc="Days to full effect.",
    )
    waning_half_life_days: float = param(
        5.0,
        lo=0,
        hi=3650,
        lo_exclusive=True,
        unit="days",
        source="assumption (the effect lasts while the drug is taken)",
        basis="assumption",
        doc="Effect fades within days of stopping.",
    )
    response_sd: float = param(
        0.8,
        lo=0,
        hi=2,
        unit="SD of a log-normal with mean 1",
        source="assumption (responses to medicines vary widely)",
        basis="assumption",
        doc="Spread of individual response.",
    )


@register("snri")
class SNRI(_Daily):
    """Duloxetine: pain relief and antidepressant effect; side effects make some stop."""

    type: Literal["snri"] = "snri"
    side_effect_dropout: float = param(
        0.152,
        lo=0,
        hi=1,
        unit="probability within the first 4 weeks",
        source="Skljarevski et al. 2010 (15.2% stopped for adverse events on duloxetine)",
        basis="cited",
        doc="Skljarevski et al. 2010: 15.2% stopped for adverse events.",
    )
    dropout_per_week: float = param(
        0.01,
        lo=0,
        hi=1,
        unit="probability per week",
        source="assumption",
        basis="assumption",
        doc="Other stopping, per week.",
    )
    cost_per_day: float = param(
        0.5,
        lo=0,
        hi=100_000,
        unit="USD per day",
        source="assumption (generic duloxetine)",
        basis="assumption",
        doc="Cost per day on treatment (USD).",
    )
    pain_relief: float = effect(
        0.2,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        fitted_to="trials/duloxetine_skljarevski2010.yaml pain_md_100 and responders (duloxetine arm) at week 12 "
        "via painsim trial",
        hand_set=True,
        source="Skljarevski et al. 2010; Ferreira et al. 2021 (-5.3/100 vs placebo); calibrated",
        doc="Pain relief at full dose.",
    )
    mood_drive: float = effect(
        -1.0,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        basis="assumption",
        source="seed 002 (duloxetine for depression); size assumed",
        doc="Shift of the episode drive at full dose.",
    )
    mood_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        basis="assumption",
        source="seed 002; size assumed",
        doc="Symptoms relieved at full dose.",
    )

    def effects(self, dose, model, index, programme):
        """Pain relief and relief of low mood (an antidepressant with an analgesic action)."""
        return {
            "pain_relief": share(dose * self.pain_relief),
            "mood_drive": dose * self.mood_drive,
            "mood_relief": share(dose * self.mood_relief),
        }


@register("ssri")
class SSRI(_Daily):
    """SSRI: antidepressant, little effect on pain (seed 003)."""

    type: Literal["ssri"] = "ssri"
    side_effect_dropout: float = param(
        0.10,
        lo=0,
        hi=1,
        unit="probability within the first 4 weeks",
        source="assumption",
        basis="assumption",
        doc="Adverse-event stopping; assumption.",
    )
    cost_per_day: float = param(
        0.2,
        lo=0,
        hi=100_000,
        unit="USD per day",
        source="assumption (generic SSRI)",
        basis="assumption",
        doc="Cost per day on treatment (USD).",
    )
    ramp_days: float = param(
        28.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (antidepressant effect builds over weeks)",
        basis="assumption",
        doc="Antidepressant effect builds over weeks.",
    )
    mood_drive: float = effect(
        -1.0,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        basis="assumption",
        source="assumption (SSRIs treat depression)",
        doc="Shift of the episode drive at full dose.",
    )
    mood_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        basis="assumption",
        source="assumption",
        doc="Symptoms relieved at full dose.",
    )
    pain_relief: float = effect(
        0.02,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="assumption",
        source="seed 003 (most SSRIs do not change pain); size assumed",
        doc="Pain relief at full dose.",
    )

    def effects(self, dose, model, index, programme):
        """Relief of low mood, with a little pain relief."""
        return {
            "mood_drive": dose * self.mood_drive,
            "mood_relief": share(dose * self.mood_relief),
            "pain_relief": share(dose * self.pain_relief),
        }


@register("sleep_medication")
class SleepMedication(_Daily):
    """Hypnotic sleep medication: better nights while taken, little carry-over."""

    type: Literal["sleep_medication"] = "sleep_medication"
    onset_delay_days: float = param(
        0.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (hypnotics act the first night)",
        basis="assumption",
        doc="Works from the first night.",
    )
    ramp_days: float = param(
        0.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption",
        basis="assumption",
        doc="Full effect at once.",
    )
    waning_half_life_days: float = param(
        2.0,
        lo=0,
        hi=3650,
        lo_exclusive=True,
        unit="days",
        source="assumption (little carry-over)",
        basis="assumption",
        doc="Gone within days of stopping.",
    )
    side_effect_dropout: float = param(
        0.08,
        lo=0,
        hi=1,
        unit="probability within the first 4 weeks",
        source="assumption",
        basis="assumption",
        doc="Adverse-event stopping; assumption.",
    )
    cost_per_day: float = param(
        0.3,
        lo=0,
        hi=100_000,
        unit="USD per day",
        source="assumption (generic hypnotic)",
        basis="assumption",
        doc="Cost per day on treatment (USD).",
    )
    sleep_relief: float = effect(
        0.12,
        lo=0.0,
        hi=1.0,
        unit="poor-sleep units",
        basis="assumption",
        source="seed 004 (sleep regulators); size assumed",
        doc="Poor sleep removed each night at full dose.",
    )

    def effects(self, dose, model, index, programme):
        """Better sleep, and nothing else."""
        return {"sleep_relief": dose * self.sleep_relief}


@register("placebo")
class Placebo(_Daily):
    """Placebo: expectation relief, and the nocebo side effects that make some stop."""

    type: Literal["placebo"] = "placebo"
    side_effect_dropout: float = param(
        0.054,
        lo=0,
        hi=1,
        unit="probability within the first 4 weeks",
        source="Skljarevski et al. 2010 (5.4% stopped for adverse events on placebo)",
        basis="cited",
        doc="Skljarevski et al. 2010: 5.4% stopped for adverse events on placebo.",
    )
    response_sd: float = param(
        1.0,
        lo=0,
        hi=2,
        unit="SD of a log-normal with mean 1",
        source="assumption (placebo responses vary more than drug responses)",
        basis="assumption",
        doc="Spread of individual response.",
    )
    pain_relief: float = effect(
        0.5,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        fitted_to="trials/duloxetine_skljarevski2010.yaml responders (placebo arm) at week 12 via painsim trial",
        hand_set=True,
        source="placebo analgesia in chronic pain trials; calibrated to the placebo arm of Skljarevski et al. 2010",
        doc="Pain relief at full dose.",
    )

    def effects(self, dose, model, index, programme):
        """Pain relief only: the relief expectation brings."""
        return {"pain_relief": share(dose * self.pain_relief)}
