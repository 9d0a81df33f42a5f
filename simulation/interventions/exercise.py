"""Graded exercise: reconditioning, endorphins and agency; pain may rise before it falls.

Seed 000: physical activity helps back pain in the long run but "can initially be hard to get
started or cause some aches and pains"; seed 002: exercise "restores endorphin function and
rebuilds a sense of physical agency".
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simulation.declare import param
from simulation.interventions import register
from simulation.interventions.base import InterventionSpec, effect
from simulation.interventions.effects import remaining


@register("exercise")
class Exercise(InterventionSpec):
    """Graded exercise therapy."""

    type: Literal["exercise"] = "exercise"
    duration_weeks: float = param(
        12.0,
        lo=0,
        hi=520,
        lo_exclusive=True,
        unit="weeks",
        source="Hayden et al. 2021 (programmes of about twelve weeks in the trials reviewed)",
        basis="cited",
        doc="Twelve weeks (Hayden et al. 2021 trials).",
    )
    sessions_per_week: float = param(
        2.0,
        lo=0,
        hi=14,
        unit="sessions per week",
        source="assumption",
        basis="assumption",
        doc="Supervised sessions a week.",
    )
    adherence: float = param(
        0.7,
        lo=0,
        hi=1,
        unit="share of sessions attended",
        source="assumption",
        basis="assumption",
        doc="Share of sessions attended.",
    )
    dropout_per_week: float = param(
        0.015,
        lo=0,
        hi=1,
        unit="probability per week",
        source="seed 000 (exercise can be hard to get started); size assumed",
        basis="assumption",
        doc="Weekly chance of stopping early.",
    )
    onset_delay_days: float = param(
        7.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (conditioning starts within weeks)",
        basis="assumption",
        doc="Conditioning starts within weeks.",
    )
    ramp_days: float = param(
        56.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (builds over the programme)",
        basis="assumption",
        doc="Builds over the programme.",
    )
    waning_half_life_days: float = param(
        120.0,
        lo=0,
        hi=3650,
        lo_exclusive=True,
        unit="days",
        source="assumption (detraining after the programme)",
        basis="assumption",
        doc="Detraining after the programme.",
    )
    cost_per_session: float = param(
        80.0,
        lo=0,
        hi=100_000,
        unit="USD per session",
        source="assumption (physiotherapy-led session, approximate)",
        basis="assumption",
        doc="Cost of one session (USD).",
    )
    nociception_reduction: float = effect(
        0.55,
        lo=0.0,
        hi=1.0,
        unit="share of tissue nociception",
        basis="calibrated",
        fitted_to="trials/exercise_hayden2021.yaml pain_md_100 at week 12 via painsim trial",
        hand_set=True,
        source="Hayden et al. 2021 (about -15/100 at 3 months); calibrated",
        doc="Tissue nociception removed at full dose (reconditioning).",
    )
    withdrawal_reduction: float = effect(
        0.5,
        lo=0.0,
        hi=1.0,
        unit="share of withdrawal target",
        basis="assumption",
        source="seed 002 (physical agency); size assumed",
        doc="Withdrawal removed at full dose.",
    )
    inflammation_reduction: float = effect(
        0.2,
        lo=0.0,
        hi=1.0,
        unit="share of inflammation target",
        basis="assumption",
        source="assumption (exercise lowers systemic inflammation)",
        doc="Inflammation removed at full dose.",
    )
    mood_drive: float = effect(
        -0.4,
        lo=-5.0,
        hi=0.0,
        unit="log hazard",
        basis="assumption",
        source="seed 002 (endorphins); size assumed",
        doc="Shift of the episode drive at full dose.",
    )
    initial_flare: float = effect(
        0.10,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="assumption",
        source="seed 000 (initial aches and pains); size assumed",
        doc="Extra pain in the first weeks, fading linearly over `flare_days`.",
    )
    flare_days: float = effect(
        21.0,
        lo=0.0,
        hi=120.0,
        unit="days",
        basis="assumption",
        source="seed 000; assumption",
        doc="How long the initial flare lasts.",
    )

    def effects(self, dose, model, index, programme):
        """Less nociception, withdrawal and inflammation and a lift in mood, after a flare of pain in
        the first weeks."""
        since = (model.day - programme.start[index]).astype(np.float32)
        flare = self.initial_flare * np.clip(1.0 - since / max(self.flare_days, 1.0), 0.0, 1.0)
        flare *= programme.attendance[index] > 0
        return {
            "nociception_scale": remaining(dose * self.nociception_reduction),
            "withdrawal_scale": remaining(dose * self.withdrawal_reduction),
            "inflammation_scale": remaining(dose * self.inflammation_reduction),
            "mood_drive": dose * self.mood_drive,
            "pain_relief": -flare.astype(np.float32),
        }
