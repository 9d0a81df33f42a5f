"""Opioids: small short-term relief that tolerance erodes, dependence, and depression risk.

Seed 000: opioids carry "a high risk of abuse, addiction, and depression", and work less in
chronic pain because pain-derived brain inflammation blunts the dopamine response. The programme
sets each treated person's opioid exposure; the mechanism rules turn exposure into dependence
(scaled by the person's susceptibility), and dependence raises the depression drive.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from simulation.interventions import register
from simulation.interventions.base import InterventionSpec, effect
from simulation.interventions.effects import share


@register("opioids")
class Opioids(InterventionSpec):
    """Long-term opioid therapy for chronic pain."""

    type: Literal["opioids"] = "opioids"
    duration_weeks: float = Field(26.0, gt=0, le=520, description="Length of the prescription (weeks).")
    sessions_per_week: float = Field(7.0, ge=0, le=14, description="Daily doses.")
    adherence: float = Field(0.85, ge=0, le=1, description="Share of doses taken.")
    side_effect_dropout: float = Field(
        0.10,
        ge=0,
        le=1,
        description="Stopping for adverse events; assumption (Busse et al. 2018 report more "
        "adverse events than placebo).",
    )
    onset_delay_days: float = Field(0.0, ge=0, le=365, description="Relief from the first doses.")
    ramp_days: float = Field(3.0, ge=0, le=365, description="Days to full effect.")
    waning_half_life_days: float = Field(2.0, gt=0, le=3650, description="Relief ends within days of stopping.")
    response_sd: float = Field(0.8, ge=0, le=2, description="Spread of individual response.")
    cost_per_day: float = Field(1.0, ge=0, le=100_000, description="USD; assumption (generic opioid).")
    pain_relief: float = effect(
        0.45,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        source="Busse et al. 2018, JAMA (-0.69/10 vs placebo); calibrated",
        doc="Relief at full dose before tolerance.",
    )
    tolerance_days: float = effect(
        90.0,
        lo=1.0,
        hi=3650.0,
        unit="days",
        source="seed 000 (opioids often ineffective in chronic pain); assumption",
        doc="Timescale on which tolerance erodes relief.",
    )
    tolerance_floor: float = effect(
        0.4, lo=0.0, hi=1.0, unit="share of relief", source="assumption", doc="Share of relief left at full tolerance."
    )
    inflammation_blunting: float = effect(
        0.8,
        lo=0.0,
        hi=1.0,
        unit="share of relief per unit inflammation",
        source="seed 000 (microglia blunt the dopamine response to opioids)",
        doc="Relief lost per unit of neuro-inflammation.",
    )

    def effects(self, dose, model, index, programme):
        on_for = np.clip(model.day - programme.start[index], 0, None).astype(np.float32)
        tolerance = self.tolerance_floor + (1.0 - self.tolerance_floor) * np.exp(-on_for / self.tolerance_days)
        blunting = 1.0 - self.inflammation_blunting * model.state.inflammation[index]
        relief = share(dose * self.pain_relief * tolerance * blunting)
        exposure = np.clip(programme.level[index], 0.0, 1.0)
        return {"pain_relief": relief.astype(np.float32), "opioid_exposure": exposure}
