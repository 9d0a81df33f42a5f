"""Integrated (collaborative, stepped) care: screen pain patients for depression and the reverse,
and treat both.

Seed 001 suggests assessing patients presenting with depression for back pain and vice versa;
seed 000 and seed 002: treating one condition alone works less well and relapses more. The
programme screens on the usual schedule, records which conditions each person had when enrolled,
treats the pain side (psychological pain management, activity) for those with chronic pain and
the mood side (antidepressant care) for those with depression, and steps care up for people still
symptomatic after `step_up_after_weeks`. People treated for both keep their gains longer.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from simulation.declare import param
from simulation.instruments import NRS_MODERATE, PHQ9_CUT_OFF, PHQ9_MAX
from simulation.interventions import register
from simulation.interventions.base import Eligibility, InterventionSpec, effect
from simulation.interventions.effects import remaining, share


def _default_eligibility() -> Eligibility:
    return Eligibility(conditions=["chronic_pain", "depression"], require="any")


@register("integrated_care")
class IntegratedCare(InterventionSpec):
    """Screen both ways, treat both, step up when needed."""

    type: Literal["integrated_care"] = "integrated_care"
    eligibility: Eligibility = Field(
        default_factory=_default_eligibility, description="Default: chronic pain or depression."
    )
    enrolment: Literal["once", "continuous"] = Field("continuous", description="Screen as people present.")
    duration_weeks: float = param(
        24.0,
        lo=0,
        hi=520,
        lo_exclusive=True,
        unit="weeks",
        source="assumption (six months of care management)",
        basis="assumption",
        doc="Six months of care management.",
    )
    sessions_per_week: float = param(
        0.5,
        lo=0,
        hi=14,
        unit="contacts per week",
        source="assumption",
        basis="assumption",
        doc="A contact every other week.",
    )
    adherence: float = param(
        0.75,
        lo=0,
        hi=1,
        unit="share of contacts kept",
        source="assumption",
        basis="assumption",
        doc="Share of contacts kept.",
    )
    onset_delay_days: float = param(
        14.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption",
        basis="assumption",
        doc="Days before any effect.",
    )
    ramp_days: float = param(
        56.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption",
        basis="assumption",
        doc="Builds over two months.",
    )
    waning_half_life_days: float = param(
        180.0,
        lo=0,
        hi=3650,
        lo_exclusive=True,
        unit="days",
        source="seed 000 and seed 002 (treating both conditions relapses less); size assumed",
        basis="assumption",
        doc="After care ends.",
    )
    cost_per_session: float = param(
        90.0,
        lo=0,
        hi=100_000,
        unit="USD per contact",
        source="assumption",
        basis="assumption",
        doc="USD per contact; assumption.",
    )
    cost_per_day: float = param(
        0.4,
        lo=0,
        hi=100_000,
        unit="USD per day",
        source="assumption (the antidepressant share of care)",
        basis="assumption",
        doc="USD; antidepressant share; assumption.",
    )
    pain_relief: float = effect(
        0.12,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="assumption",
        source="seed 002 (target several points of the cycle); size assumed",
        doc="Pain relief at full dose, for people enrolled with chronic pain.",
    )
    catastrophising_reduction: float = effect(
        0.4,
        lo=0.0,
        hi=1.0,
        unit="share of catastrophising target",
        basis="assumption",
        source="seed 002; size assumed",
        doc="Catastrophising removed, for people enrolled with chronic pain.",
    )
    mood_drive: float = effect(
        -1.2,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        basis="assumption",
        source="seed 000 (treat both); size assumed",
        doc="Shift of the episode drive, for people enrolled with depression.",
    )
    mood_relief: float = effect(
        0.3,
        lo=0.0,
        hi=1.0,
        unit="share of symptom target",
        basis="assumption",
        source="seed 000; size assumed",
        doc="Symptoms relieved, for people enrolled with depression.",
    )
    cross_benefit: float = effect(
        0.5,
        lo=0.0,
        hi=1.0,
        unit="share of the other side's effect",
        basis="assumption",
        source="seed 000 (depression relief may bring back pain relief and the reverse); size assumed",
        doc="Effect of each side on people enrolled without that condition.",
    )
    step_up_after_weeks: float = effect(
        8.0,
        lo=1.0,
        hi=52.0,
        unit="weeks",
        basis="assumption",
        source="stepped care; assumption",
        doc="When non-responders step up.",
    )
    step_up_factor: float = effect(
        1.5,
        lo=1.0,
        hi=3.0,
        unit="x dose",
        basis="assumption",
        source="stepped care; assumption",
        doc="Dose multiplier after stepping up.",
    )

    def on_enrol(self, programme, model, new: np.ndarray) -> None:
        """Remember whether each new enrollee had chronic pain or depression: care helps most the
        problem a person came with."""
        from simulation.outcomes import statuses

        flags = statuses(model, only=("chronic_pain", "depression"))
        store = programme.extra.setdefault("had", {})
        for name in ("chronic_pain", "depression"):
            column = store.setdefault(name, np.zeros(programme.size, bool))
            column[new] = flags[name][new]

    def effects(self, dose, model, index, programme):
        """Relief of pain and low mood, more for the problem a person came with, stepped up for people
        still symptomatic after the step-up weeks."""
        had = programme.extra.get("had", {})
        pain_side = np.where(had.get("chronic_pain", np.zeros(programme.size, bool))[index], 1.0, self.cross_benefit)
        mood_side = np.where(had.get("depression", np.zeros(programme.size, bool))[index], 1.0, self.cross_benefit)
        since_weeks = (model.day - programme.start[index]) / 7.0
        state = model.state
        symptomatic = (state.pain[index] >= NRS_MODERATE) | (state.mood[index] * PHQ9_MAX >= PHQ9_CUT_OFF)
        stepped = (since_weeks >= self.step_up_after_weeks) & symptomatic & programme.on_treatment(model.day)
        dose = dose * np.where(stepped, self.step_up_factor, 1.0)
        return {
            "pain_relief": share(dose * pain_side * self.pain_relief),
            "catastrophising_scale": remaining(dose * pain_side * self.catastrophising_reduction),
            "mood_drive": (dose * mood_side * self.mood_drive).astype(np.float32),
            "mood_relief": share(dose * mood_side * self.mood_relief),
        }
