"""Tonight's sleep: a person's usual sleep, disturbed by today's pain, mood and stress load.

    poor_sleep = sleep_setpoint + from_pain * pain / 10 + from_mood * mood + from_hpa * hpa_load
                 + nightly noise, kept in 0-1

`sleep_recent`, an exponential average over about a fortnight, is what the Insomnia Severity Index
(two-week recall) reads: ISI = 28 * sleep_recent, shifted by how the person rates the distress and
daytime impact of their sleep (`isi_offset`, ISI items 4-7), kept in 0-28.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.declare import CALIBRATE_COMMAND, ParamGroup, param
from simulation.edges import edge

if TYPE_CHECKING:  # types only: the rules import nothing more at run time
    from simulation.state import PopulationState


class SleepParams(ParamGroup):
    """A person's usual sleep, what disturbs it each night, and how the ISI reads it."""

    setpoint_mean: float = param(
        0.1561,
        lo=0.0,
        hi=0.8,
        unit="0-1 poor sleep",
        basis="calibrated",
        source="calibrated to insomnia disorder 6-10% (Ohayon 2002, Sleep Med Rev)",
        fitted_to=CALIBRATE_COMMAND,
        doc="Population mean of a person's usual poor-sleep level.",
    )
    setpoint_sd: float = param(
        0.11,
        lo=0.0,
        hi=0.4,
        unit="0-1 poor sleep",
        basis="assumption",
        source="assumption",
        doc="Spread of usual poor-sleep levels between people.",
    )
    female: float = param(
        0.03,
        lo=0.0,
        hi=0.2,
        unit="0-1 poor sleep",
        basis="assumption",
        source="Ohayon 2002 (insomnia about 1.4 times as common in women); size assumed",
        doc="Usual poor-sleep shift for women.",
    )
    age_per_decade: float = param(
        0.01,
        lo=0.0,
        hi=0.1,
        unit="0-1 poor sleep per 10 years",
        basis="assumption",
        source="Ohayon 2002 (insomnia symptoms rise with age); size assumed",
        doc="Rise of usual poor sleep with age, per decade from 45.",
    )
    vulnerability_per_sd: float = param(
        0.06,
        lo=0.0,
        hi=0.2,
        unit="0-1 poor sleep per SD",
        basis="assumption",
        source="seed 000 (shared vulnerability)",
        doc="Usual poor-sleep shift per SD of vulnerability.",
    )
    noise_sd: float = param(
        0.15,
        lo=0.0,
        hi=0.5,
        unit="0-1 poor sleep",
        basis="assumption",
        source="assumption",
        doc="Night-to-night fluctuation of sleep not explained by the model.",
    )
    from_pain: float = param(
        0.1,
        lo=0.0,
        hi=1.0,
        unit="poor sleep per 10 NRS points",
        basis="assumption",
        source="seed 004 (a painful day is followed by worse sleep; weaker than sleep -> pain); seed 000, 002",
        doc="Edge pain -> poor sleep that night.",
    )
    from_mood: float = param(
        0.25,
        lo=0.0,
        hi=1.0,
        unit="poor sleep per unit mood severity",
        basis="assumption",
        source="seed 002 (depression independently degrades sleep quality)",
        doc="Edge low mood -> poor sleep.",
    )
    from_hpa: float = param(
        0.10,
        lo=0.0,
        hi=1.0,
        unit="poor sleep per unit HPA load",
        basis="assumption",
        source="seed 003 (hypercortisolism, disturbed cortisol rhythm); size assumed",
        doc="Edge stress load -> poor sleep.",
    )
    isi_report_sd: float = param(
        3.0,
        lo=0.0,
        hi=8.0,
        unit="ISI points",
        basis="assumption",
        source="Morin et al. 2011 (ISI items 4-7 rate satisfaction, interference, noticeability and "
        "distress, which differ between people with the same sleep; ISI SD about 4-5 in insomnia samples)",
        doc="Spread between people of how they rate a given amount of poor sleep on the ISI.",
    )
    recall_days: float = param(
        14.0,
        lo=1.0,
        hi=60.0,
        unit="days",
        basis="cited",
        source="Morin et al. 2011, Sleep (ISI asks about the last two weeks)",
        doc="Averaging span of sleep_recent, the fortnight the ISI recalls.",
    )


EDGES = (
    edge(
        "pain",
        "sleep",
        "sleep.from_pain",
        min_effect=0.0075,
        mechanism="pain fragments that night's sleep",
        cites="seed 004, seed 000, seed 002",
    ),
    edge("mood", "sleep", "sleep.from_mood", min_effect=0.015, mechanism="depression degrades sleep", cites="seed 002"),
    edge(
        "hpa_load",
        "sleep",
        "sleep.from_hpa",
        min_effect=0.0069,
        mechanism="a disturbed cortisol rhythm",
        cites="seed 003",
    ),
    edge(
        "female",
        "sleep",
        "sleep.female",
        measure="slope",
        min_effect=0.011,
        mechanism="insomnia commoner in women",
        cites="Ohayon 2002",
    ),
    edge(
        "age",
        "sleep",
        "sleep.age_per_decade",
        measure="slope",
        min_effect=0.00037,
        mechanism="insomnia symptoms rise with age",
        cites="Ohayon 2002",
    ),
    edge(
        "vulnerability",
        "sleep",
        "sleep.vulnerability_per_sd",
        measure="slope",
        min_effect=0.023,
        mechanism="shared vulnerability",
        cites="seed 000",
    ),
)


def sleep_setpoint(p: SleepParams, traits: PopulationState, person_noise: np.ndarray) -> np.ndarray:
    """Each person's usual poor-sleep level (computed at synthesis)."""
    setpoint = (
        p.setpoint_mean
        + p.setpoint_sd * person_noise
        + p.female * traits.female
        + p.age_per_decade * (traits.age - 45.0) / 10.0
        + p.vulnerability_per_sd * traits.vulnerability
    )
    return np.clip(setpoint, 0.0, 1.0).astype(np.float32)
