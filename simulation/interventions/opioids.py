"""Opioids: small short-term relief that tolerance erodes, dependence, and depression risk.

Seed 000: opioids carry "a high risk of abuse, addiction, and depression", and work less in
chronic pain because pain-derived brain inflammation blunts the dopamine response. The programme
sets each treated person's opioid exposure; the mechanism rules turn exposure into dependence
(scaled by the person's susceptibility), and dependence raises the depression drive.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simulation.declare import param
from simulation.interventions import register
from simulation.interventions.base import InterventionSpec, effect
from simulation.interventions.effects import share


@register("opioids")
class Opioids(InterventionSpec):
    """Long-term opioid therapy for chronic pain."""

    type: Literal["opioids"] = "opioids"
    duration_weeks: float = param(
        26.0,
        lo=0,
        hi=520,
        lo_exclusive=True,
        unit="weeks",
        source="assumption (a six-month prescription)",
        basis="assumption",
        doc="Length of the prescription (weeks).",
    )
    sessions_per_week: float = param(
        7.0,
        lo=0,
        hi=14,
        unit="doses per week",
        source="assumption (one dose a day)",
        basis="assumption",
        doc="Daily doses.",
    )
    adherence: float = param(
        0.85,
        lo=0,
        hi=1,
        unit="share of doses taken",
        source="assumption",
        basis="assumption",
        doc="Share of doses taken.",
    )
    side_effect_dropout: float = param(
        0.10,
        lo=0,
        hi=1,
        unit="probability within the first 4 weeks",
        source="assumption (Busse et al. 2018 report more adverse events than placebo)",
        basis="assumption",
        doc="Stopping for adverse events; assumption (Busse et al. 2018 report more adverse events than placebo).",
    )
    onset_delay_days: float = param(
        0.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption (relief from the first doses)",
        basis="assumption",
        doc="Relief from the first doses.",
    )
    ramp_days: float = param(
        3.0,
        lo=0,
        hi=365,
        unit="days",
        source="assumption",
        basis="assumption",
        doc="Days to full effect.",
    )
    waning_half_life_days: float = param(
        2.0,
        lo=0,
        hi=3650,
        lo_exclusive=True,
        unit="days",
        source="assumption (relief lasts while the drug is taken)",
        basis="assumption",
        doc="Relief ends within days of stopping.",
    )
    response_sd: float = param(
        0.8,
        lo=0,
        hi=2,
        unit="SD of a log-normal with mean 1",
        source="assumption (as the other medicines)",
        basis="assumption",
        doc="Spread of individual response.",
    )
    cost_per_day: float = param(
        1.0,
        lo=0,
        hi=100_000,
        unit="USD per day",
        source="assumption (generic opioid)",
        basis="assumption",
        doc="Cost per day on treatment (USD).",
    )
    pain_relief: float = effect(
        0.45,
        lo=0.0,
        hi=1.0,
        unit="share of pain target",
        basis="calibrated",
        fitted_to="trials/opioids_busse2018.yaml pain_md at week 12 via painsim trial",
        hand_set=True,
        source="Busse et al. 2018, JAMA (-0.69/10 vs placebo); calibrated",
        doc="Relief at full dose before tolerance.",
    )
    tolerance_days: float = effect(
        90.0,
        lo=1.0,
        hi=3650.0,
        unit="days",
        basis="assumption",
        source="seed 000 (opioids often ineffective in chronic pain); assumption",
        doc="Timescale on which tolerance erodes relief.",
    )
    tolerance_floor: float = effect(
        0.4,
        lo=0.0,
        hi=1.0,
        unit="share of relief",
        basis="assumption",
        source="assumption",
        doc="Share of relief left at full tolerance.",
    )
    inflammation_blunting: float = effect(
        0.8,
        lo=0.0,
        hi=1.0,
        unit="share of relief per unit inflammation",
        basis="assumption",
        source="seed 000 (microglia blunt the dopamine response to opioids); size assumed",
        doc="Relief lost per unit of neuro-inflammation.",
    )

    def effects(self, dose, model, index, programme):
        """Pain relief that tolerance and inflammation blunt, and the exposure that drives dependence."""
        on_for = np.clip(model.day - programme.start[index], 0, None).astype(np.float32)
        tolerance = self.tolerance_floor + (1.0 - self.tolerance_floor) * np.exp(-on_for / self.tolerance_days)
        blunting = 1.0 - self.inflammation_blunting * model.state.inflammation[index]
        relief = share(dose * self.pain_relief * tolerance * blunting)
        exposure = np.clip(programme.level[index], 0.0, 1.0)
        return {"pain_relief": relief.astype(np.float32), "opioid_exposure": exposure}
