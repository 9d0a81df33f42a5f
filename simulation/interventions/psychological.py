"""Psychological therapies: CBT for chronic pain, CBT for insomnia (CBT-I), mindfulness (MBSR).

Each targets the cognitive and behavioural links of the cycle rather than nociception: CBT the
catastrophic thinking that amplifies pain (seed 002) and the withdrawal that deepens low mood;
CBT-I the night's sleep; MBSR the suffering attached to pain (seed 002: "changes the relationship
a person has with that pain").
"""

from __future__ import annotations

from typing import Literal

from simulation.declare import param
from simulation.interventions import register
from simulation.interventions.base import InterventionSpec, effect
from simulation.interventions.effects import remaining, share


@register("cbt")
class CBT(InterventionSpec):
    """CBT for chronic pain: less catastrophising and withdrawal, better mood, a little less pain."""

    type: Literal["cbt"] = "cbt"
    duration_weeks: float = param(
        10.0,
        lo=0,
        hi=520,
        lo_exclusive=True,
        unit="weeks",
        source="Williams et al. 2012 (courses of about ten weekly sessions)",
        basis="cited",
        doc="Ten weekly sessions (Williams et al. 2012).",
    )
    sessions_per_week: float = param(
        1.0,
        lo=0,
        hi=14,
        unit="sessions per week",
        source="Williams et al. 2012 (weekly sessions)",
        basis="cited",
        doc="Weekly sessions.",
    )
    adherence: float = param(
        0.75,
        lo=0,
        hi=1,
        unit="share of sessions attended",
        source="assumption",
        basis="assumption",
        doc="Share of sessions attended.",
    )
    onset_delay_days: float = param(
        14.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (effects need a few sessions)",
        basis="assumption",
        doc="Effects start after a few sessions.",
    )
    ramp_days: float = param(
        42.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (effects build over the course)",
        basis="assumption",
        doc="Builds over the course.",
    )
    waning_half_life_days: float = param(
        150.0,
        lo=0,
        hi=3650,
        lo_exclusive=True,
        unit="days",
        source="Williams et al. 2012 (effect on pain fades by 6-12 months); half-life set by hand to that fading",
        basis="calibrated",
        fitted_to="trials/cbt_williams2012.yaml pain_smd at week 52 (the effect on pain fading by 6-12 months) "
        "via painsim trial",
        hand_set=True,
        doc="Effect on pain fades by 6-12 months (Williams et al. 2012).",
    )
    cost_per_session: float = param(
        110.0,
        lo=0,
        hi=100_000,
        unit="USD per session",
        source="assumption (US psychotherapy session fee, approximate)",
        basis="assumption",
        doc="Cost of one session (USD).",
    )
    catastrophising_reduction: float = effect(
        0.8,
        lo=0.0,
        hi=1.0,
        unit="share of catastrophising target",
        basis="calibrated",
        fitted_to="trials/cbt_williams2012.yaml pain_smd at week 12 via painsim trial",
        hand_set=True,
        source="seed 002 (CBT addresses catastrophic "
        "thinking); size calibrated to Williams et al. 2012 (pain SMD 0.21)",
        doc="Catastrophising removed at full dose.",
    )
    withdrawal_reduction: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of withdrawal target",
        basis="assumption",
        source="Williams et al. 2012 (activity pacing); size assumed",
        doc="Withdrawal removed at full dose.",
    )
    mood_drive: float = effect(
        -1.0,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        basis="calibrated",
        fitted_to="trials/cbt_williams2012.yaml mood_smd at week 12 via painsim trial",
        hand_set=True,
        source="Williams et al. 2012 (mood SMD 0.38); size calibrated",
        doc="Shift of the episode drive at full dose.",
    )
    mood_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        basis="calibrated",
        fitted_to="trials/cbt_williams2012.yaml mood_smd at week 12 via painsim trial",
        hand_set=True,
        source="Williams et al. 2012 (mood SMD 0.38); calibrated",
        doc="Symptoms relieved at full dose.",
    )
    pain_relief: float = effect(
        0.15,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        fitted_to="trials/cbt_williams2012.yaml pain_smd at week 12 via painsim trial",
        hand_set=True,
        source="Williams et al. 2012 (pain SMD 0.21); calibrated",
        doc="Direct pain relief at full dose.",
    )

    def effects(self, dose, model, index, programme):
        """Less catastrophising and withdrawal, a lift in mood and some pain relief."""
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
    duration_weeks: float = param(
        6.0,
        lo=0,
        hi=520,
        lo_exclusive=True,
        unit="weeks",
        source="assumption (a typical CBT-I course of six weekly sessions)",
        basis="assumption",
        doc="Six weekly sessions (typical CBT-I course).",
    )
    sessions_per_week: float = param(
        1.0,
        lo=0,
        hi=14,
        unit="sessions per week",
        source="assumption (a typical CBT-I course of weekly sessions)",
        basis="assumption",
        doc="Weekly sessions.",
    )
    adherence: float = param(
        0.8,
        lo=0,
        hi=1,
        unit="share of sessions attended",
        source="assumption",
        basis="assumption",
        doc="Share of sessions attended.",
    )
    onset_delay_days: float = param(
        7.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (sleep restriction acts within weeks)",
        basis="assumption",
        doc="Sleep restriction acts within weeks.",
    )
    ramp_days: float = param(
        28.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (effects build over the course)",
        basis="assumption",
        doc="Builds over the course.",
    )
    waning_half_life_days: float = param(
        365.0,
        lo=0,
        hi=3650,
        lo_exclusive=True,
        unit="days",
        source="assumption (CBT-I gains are durable; about a year's half-life)",
        basis="assumption",
        doc="CBT-I gains are durable; assumption (about a year's half-life).",
    )
    cost_per_session: float = param(
        110.0,
        lo=0,
        hi=100_000,
        unit="USD per session",
        source="assumption (as a CBT session)",
        basis="assumption",
        doc="Cost of one session (USD).",
    )
    sleep_relief: float = effect(
        0.14,
        lo=0.0,
        hi=1.0,
        unit="poor-sleep units",
        basis="calibrated",
        fitted_to="trials/cbti_selvanathan2021.yaml sleep_smd at week 8 via painsim trial",
        hand_set=True,
        source="Selvanathan et al. 2021 (sleep SMD 0.89); calibrated",
        doc="Poor sleep removed each night at full dose.",
    )
    mood_drive: float = effect(
        -0.6,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        basis="calibrated",
        fitted_to="trials/cbti_selvanathan2021.yaml mood_smd at week 8 via painsim trial",
        hand_set=True,
        source="Selvanathan et al. 2021 (depression SMD 0.44); calibrated",
        doc="Direct shift of the episode drive at full dose (beyond the sleep -> mood edge).",
    )

    mood_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        basis="calibrated",
        fitted_to="trials/cbti_selvanathan2021.yaml mood_smd at week 8 via painsim trial",
        hand_set=True,
        source="Selvanathan et al. 2021 (depression SMD 0.44); calibrated",
        doc="Symptoms relieved at full dose (beyond the sleep -> mood edge).",
    )
    pain_relief: float = effect(
        0.08,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        fitted_to="trials/cbti_selvanathan2021.yaml pain_smd at week 8 via painsim trial",
        hand_set=True,
        source="Selvanathan et al. 2021 (pain SMD 0.20); the sleep -> pain edge alone gives about a third; calibrated",
        doc="Pain relief at full dose beyond the sleep -> pain edge.",
    )

    def effects(self, dose, model, index, programme):
        """Better sleep, with its knock-on lift in mood and a little pain relief."""
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
    duration_weeks: float = param(
        8.0,
        lo=0,
        hi=520,
        lo_exclusive=True,
        unit="weeks",
        source="Cherkin et al. 2016 (eight weekly classes)",
        basis="cited",
        doc="Eight weekly classes (Cherkin et al. 2016).",
    )
    sessions_per_week: float = param(
        1.0,
        lo=0,
        hi=14,
        unit="sessions per week",
        source="Cherkin et al. 2016 (weekly classes)",
        basis="cited",
        doc="Weekly classes.",
    )
    adherence: float = param(
        0.75,
        lo=0,
        hi=1,
        unit="share of sessions attended",
        source="Cherkin et al. 2016 (51% attended 6 or more of 8 classes); mean attendance calibrated to it",
        basis="calibrated",
        fitted_to="trials/mbsr_cherkin2016.yaml attended_75 at week 8 via painsim trial",
        hand_set=True,
        doc="Cherkin et al. 2016: 51% attended 6 or more of 8 classes.",
    )
    onset_delay_days: float = param(
        14.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (effects need a few classes)",
        basis="assumption",
        doc="After a few classes.",
    )
    ramp_days: float = param(
        42.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (effects build over the course)",
        basis="assumption",
        doc="Builds over the course.",
    )
    waning_half_life_days: float = param(
        240.0,
        lo=0,
        hi=3650,
        lo_exclusive=True,
        unit="days",
        source="Cherkin et al. 2016 (gains largely held at 26 and 52 weeks); half-life assumed",
        basis="assumption",
        doc="Gains largely held at 26 and 52 weeks (Cherkin et al. 2016).",
    )
    cost_per_session: float = param(
        60.0,
        lo=0,
        hi=100_000,
        unit="USD per session",
        source="assumption (group class)",
        basis="assumption",
        doc="Cost of one class (USD).",
    )
    catastrophising_reduction: float = effect(
        0.4,
        lo=0.0,
        hi=1.0,
        unit="share of catastrophising target",
        basis="assumption",
        source="seed 002 (changes the relationship with pain); Cherkin et al. 2016; size assumed",
        doc="Catastrophising removed at full dose.",
    )
    hpa_reduction: float = effect(
        0.2,
        lo=0.0,
        hi=1.0,
        unit="share of HPA-load target",
        basis="assumption",
        source="seed 002 (stress reduction); size assumed",
        doc="HPA load removed at full dose.",
    )
    mood_relief: float = effect(
        0.15,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        basis="assumption",
        source="seed 002; size assumed",
        doc="Symptoms relieved at full dose.",
    )
    pain_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        fitted_to="trials/mbsr_cherkin2016.yaml responders_diff at week 26 via painsim trial",
        hand_set=True,
        source="Cherkin et al. 2016 (60.5% vs 44% improved); calibrated to the difference, 16.5 points",
        doc="Pain (suffering) relieved at full dose.",
    )

    def effects(self, dose, model, index, programme):
        """Less catastrophising and HPA load, relief of low mood and some pain relief."""
        return {
            "catastrophising_scale": remaining(dose * self.catastrophising_reduction),
            "hpa_scale": remaining(dose * self.hpa_reduction),
            "mood_relief": share(dose * self.mood_relief),
            "pain_relief": share(dose * self.pain_relief),
        }
