"""Tissue nociception: the structural part of pain, slow flares and recoveries around a set point.

A person's log nociception follows an Ornstein-Uhlenbeck process around their set point, so back
problems come and go over months to years; the set point holds the shared risk factors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.declare import CALIBRATE_COMMAND, ParamGroup, param
from simulation.edges import edge

if TYPE_CHECKING:  # types only: the rules import nothing more at run time
    from simulation.state import PopulationState


class NociceptionParams(ParamGroup):
    """Tissue nociception: its set point's risk factors and how flares come and go around it."""

    log_median: float = param(
        -0.6728,
        lo=-3.0,
        hi=2.0,
        unit="ln NRS points",
        basis="calibrated",
        source="calibrated to chronic pain 20.4% (Dahlhamer et al. 2018, MMWR)",
        fitted_to=CALIBRATE_COMMAND,
        doc="Population median of the nociception set point, log scale.",
    )
    between_person_sd: float = param(
        0.4819,
        lo=0.0,
        hi=2.0,
        unit="ln NRS points",
        basis="calibrated",
        source="assumption",
        fitted_to=CALIBRATE_COMMAND,
        doc="Spread of set points between people not explained by the named risk factors.",
    )
    within_person_sd: float = param(
        0.5764,
        lo=0.0,
        hi=2.0,
        unit="ln NRS points",
        basis="calibrated",
        source="assumption",
        fitted_to=CALIBRATE_COMMAND,
        doc="Stationary spread of a person's nociception around their set point (flares, recovery).",
    )
    timescale_days: float = param(
        1037,
        lo=7.0,
        hi=3650.0,
        unit="days",
        basis="calibrated",
        source="assumption; chronic low back pain episodes last months to years",
        fitted_to=CALIBRATE_COMMAND,
        doc="How long a flare or a recovery of tissue nociception typically persists.",
    )
    age_per_decade: float = param(
        0.10,
        lo=0.0,
        hi=0.5,
        unit="ln NRS points per 10 years",
        basis="assumption",
        source="Dahlhamer et al. 2018 (chronic pain rises with age); size assumed",
        doc="Rise of the set point with age, per decade from 45.",
    )
    female: float = param(
        0.08,
        lo=0.0,
        hi=0.5,
        unit="ln NRS points",
        basis="assumption",
        source="Dahlhamer et al. 2018 (21.7% women vs 19.0% men); size assumed",
        doc="Set point shift for women.",
    )
    obesity: float = param(
        0.20,
        lo=0.0,
        hi=1.0,
        unit="ln NRS points",
        basis="assumption",
        source="seed 004 (obesity raises low back pain risk); size assumed",
        doc="Set point shift with obesity.",
    )
    smoking: float = param(
        0.15,
        lo=0.0,
        hi=1.0,
        unit="ln NRS points",
        basis="assumption",
        source="seed 004, seed 001 (smoking a shared risk factor); size assumed",
        doc="Set point shift for current smokers.",
    )
    inactivity: float = param(
        0.12,
        lo=0.0,
        hi=1.0,
        unit="ln NRS points",
        basis="assumption",
        source="seed 004 (lack of exercise raises low back pain risk); size assumed",
        doc="Set point shift for people who do not meet the activity guideline.",
    )
    job_strain: float = param(
        0.30,
        lo=0.0,
        hi=1.5,
        unit="ln NRS points per unit strain",
        basis="assumption",
        source="seed 001 (job strain linked to back pain); seed 004 (physically demanding jobs)",
        doc="Set point shift per unit of job strain.",
    )
    low_ses_per_sd: float = param(
        0.08,
        lo=0.0,
        hi=0.5,
        unit="ln NRS points per SD",
        basis="assumption",
        source="seed 001 (SES adjusted for in MIDUS); Dahlhamer et al. 2018 (more pain at low income)",
        doc="Set point shift per SD of lower socioeconomic status.",
    )
    vulnerability_per_sd: float = param(
        0.04308,
        lo=0.0,
        hi=1.0,
        unit="ln NRS points per SD",
        basis="calibrated",
        source="seed 000 (shared, mostly non-genetic vulnerability from twin data)",
        fitted_to=CALIBRATE_COMMAND,
        doc="Set point shift per SD of the shared vulnerability.",
    )


# Shared risk factors set each person's tissue nociception (differences between people: slopes).
EDGES = (
    edge(
        "age",
        "log_nociception",
        "nociception.age_per_decade",
        measure="slope",
        min_effect=0.004,
        mechanism="back problems accumulate with age",
        cites="Dahlhamer et al. 2018",
    ),
    edge(
        "female",
        "log_nociception",
        "nociception.female",
        measure="slope",
        min_effect=0.032,
        mechanism="more chronic pain in women",
        cites="Dahlhamer et al. 2018",
    ),
    edge(
        "obese",
        "log_nociception",
        "nociception.obesity",
        measure="slope",
        min_effect=0.08,
        mechanism="load on the spine",
        cites="seed 004",
    ),
    edge(
        "smoker",
        "log_nociception",
        "nociception.smoking",
        measure="slope",
        min_effect=0.06,
        mechanism="shared risk factor",
        cites="seed 004, seed 001",
    ),
    edge(
        "exercises",
        "log_nociception",
        "nociception.inactivity",
        sign=-1,
        measure="slope",
        min_effect=0.048,
        mechanism="activity protects the back",
        cites="seed 004",
    ),
    edge(
        "job_strain",
        "log_nociception",
        "nociception.job_strain",
        measure="slope",
        min_effect=0.12,
        mechanism="physically demanding, high-strain jobs",
        cites="seed 001, seed 004",
    ),
    edge(
        "ses",
        "log_nociception",
        "nociception.low_ses_per_sd",
        sign=-1,
        measure="slope",
        min_effect=0.032,
        mechanism="more pain at low income",
        cites="Dahlhamer et al. 2018; seed 001",
    ),
    edge(
        "vulnerability",
        "log_nociception",
        "nociception.vulnerability_per_sd",
        measure="slope",
        min_effect=0.017,
        mechanism="shared, mostly non-genetic vulnerability",
        cites="seed 000",
    ),
)


def nociception_setpoint(p: NociceptionParams, traits: PopulationState, person_noise: np.ndarray) -> np.ndarray:
    """Each person's log nociception set point from their risk factors (computed at synthesis)."""
    setpoint = (
        p.log_median
        + p.between_person_sd * person_noise
        + p.age_per_decade * (traits.age - 45.0) / 10.0
        + p.female * traits.female
        + p.obesity * traits.obese
        + p.smoking * traits.smoker
        + p.inactivity * ~traits.exercises
        + p.job_strain * traits.job_strain
        - p.low_ses_per_sd * traits.ses
        + p.vulnerability_per_sd * traits.vulnerability
    )
    return setpoint.astype(np.float32)
