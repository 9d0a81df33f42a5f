"""Care-seeking: who is seeing a clinician for pain, low mood or poor sleep.

Seed 003's "40-60% of chronic-pain patients meet criteria for major depression" and seed 000's "as
many as half" describe patients in care, not everyone with pain: depressed people with pain
consult more (Bair et al. 2003), so patients are a selected group. People enter care with a daily
hazard raised by how bad their pain, mood and sleep are, and by being a woman; they leave care at
a steady rate. Interventions can be offered to people in care (eligibility `in_care`), and
validation measures "patients" on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulation.declare import CALIBRATE_COMMAND, ParamGroup, param
from simulation.edges import edge

if TYPE_CHECKING:  # types only: the rules import nothing more at run time
    pass


class CareParams(ParamGroup):
    """How people enter and leave care: the daily hazard of seeking help and the rate of leaving."""

    entry_rate_per_year: float = param(
        0.05,
        lo=0.0,
        hi=5.0,
        unit="per year",
        basis="assumption",
        source="assumption: few people without symptoms start seeing a clinician for pain, mood or sleep",
        doc="Hazard of entering care for a person free of pain, low mood and poor sleep.",
    )
    from_pain: float = param(
        2.5,
        lo=0.0,
        hi=8.0,
        unit="log hazard per 10 NRS points",
        basis="assumption",
        source="assumption: pain is the commonest reason to consult (Dahlhamer et al. 2018: high-impact "
        "pain limits life and work)",
        doc="Edge pain -> care-seeking.",
    )
    from_mood: float = param(
        3.243,
        lo=0.0,
        hi=8.0,
        unit="log hazard per unit mood severity",
        basis="calibrated",
        source="Bair et al. 2003 (depression is commoner among pain patients in care than in the community); "
        "seed 003 (40-60% of chronic-pain patients meet MDD criteria)",
        fitted_to="depression_in_pain_patients_in_care; " + CALIBRATE_COMMAND,
        doc="Edge low mood -> care-seeking.",
    )
    from_poor_sleep: float = param(
        1.0,
        lo=0.0,
        hi=8.0,
        unit="log hazard per unit recent poor sleep",
        basis="assumption",
        source="assumption: insomnia is a reason to consult (Ohayon 2002)",
        doc="Edge poor sleep -> care-seeking.",
    )
    female: float = param(
        0.3,
        lo=0.0,
        hi=1.5,
        unit="log hazard",
        basis="assumption",
        source="assumption: women consult more often than men for the same symptoms",
        doc="Edge female sex -> care-seeking.",
    )
    exit_rate_per_year: float = param(
        2.0,
        lo=0.1,
        hi=24.0,
        unit="per year",
        basis="assumption",
        source="assumption: a spell in care lasts about six months",
        doc="Hazard of leaving care.",
    )


EDGES = (
    edge(
        "pain",
        "in_care",
        "care.from_pain",
        min_effect=0.018,
        mechanism="pain brings people to care",
        cites="assumption; Dahlhamer et al. 2018",
    ),
    edge(
        "mood",
        "in_care",
        "care.from_mood",
        min_effect=0.013,
        mechanism="depressed people with pain consult more",
        cites="Bair et al. 2003; seed 003",
    ),
    edge(
        "sleep_recent",
        "in_care",
        "care.from_poor_sleep",
        min_effect=0.01,
        mechanism="insomnia is a reason to consult",
        cites="assumption; Ohayon 2002",
    ),
    edge(
        "female",
        "in_care",
        "care.female",
        measure="slope",
        min_effect=0.0094,
        mechanism="women consult more",
        cites="assumption",
    ),
)
