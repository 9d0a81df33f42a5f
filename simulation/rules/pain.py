"""Today's pain: tissue nociception, amplified by the brain's state, plus a muscle-tone part.

    raw = (tissue nociception + central pain input) * amplification + muscle_tone_from_mood * mood
    target = 10 * tanh(raw / 10)        (near-linear below 5, saturating toward the top of the scale)
    amplification = 1 + from_sensitisation * sensitisation + from_mood * mood
                      + from_poor_sleep * last night's poor sleep + from_inflammation * inflammation
                      + from_catastrophising * catastrophising + from_deconditioning * withdrawal

Pain moves part of the way to the target each day, with day-to-day noise, and stays in 0-10.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulation.declare import CALIBRATE_COMMAND, ParamGroup, param
from simulation.edges import edge

if TYPE_CHECKING:  # types only: the rules import nothing more at run time
    pass


class PainParams(ParamGroup):
    """How nociception becomes pain: the amplifiers, the muscle-tone part and the daily movement."""

    relax_per_day: float = param(
        0.5,
        lo=0.05,
        hi=1.0,
        unit="fraction per day",
        basis="assumption",
        source="assumption",
        doc="Share of the gap to today's pain target closed in a day (day-to-day carry-over).",
    )
    noise_sd: float = param(
        0.8,
        lo=0.0,
        hi=3.0,
        unit="NRS points",
        basis="assumption",
        source="assumption; diary studies report day-to-day SDs of about 1 NRS point",
        doc="Day-to-day fluctuation of pain not explained by the model.",
    )
    from_poor_sleep: float = param(
        0.9311,
        lo=0.0,
        hi=2.0,
        unit="amplification per unit poor sleep",
        basis="calibrated",
        source="seed 004 (a poor night is followed by a more painful day); seed 002",
        fitted_to=CALIBRATE_COMMAND,
        doc="Edge poor sleep -> next-day pain: amplification per unit of last night's poor sleep.",
    )
    from_mood: float = param(
        0.15,
        lo=0.0,
        hi=2.0,
        unit="amplification per unit mood severity",
        basis="calibrated",
        source="seed 002 (depression lowers pain thresholds); seed 000, seed 003",
        fitted_to=CALIBRATE_COMMAND + "; then set by hand from the fit's 0.217 to 0.15, with central.from_scar: "
        "less of today's pain from today's mood keeps back pain among the depressed (MIDUS) in band while "
        "past depression starts more new pain",
        hand_set=True,
        doc="Edge low mood -> pain: amplification per unit of depressive-symptom severity.",
    )
    from_sensitisation: float = param(
        0.60,
        lo=0.0,
        hi=3.0,
        unit="amplification per unit sensitisation",
        basis="assumption",
        source="seed 003 (weakened descending inhibition increases central sensitisation)",
        doc="Edge sensitisation -> pain: amplification per unit of central sensitisation.",
    )
    from_inflammation: float = param(
        0.30,
        lo=0.0,
        hi=2.0,
        unit="amplification per unit inflammation",
        basis="assumption",
        source="seed 002 (sleep loss raises inflammatory markers, heightens pain sensitivity)",
        doc="Edge inflammation -> pain sensitivity.",
    )
    from_catastrophising: float = param(
        0.30,
        lo=0.0,
        hi=2.0,
        unit="amplification per unit catastrophising",
        basis="assumption",
        source="seed 002 (catastrophic thinking amplifies pain signals); seed 003 (amygdala)",
        doc="Edge catastrophising -> pain.",
    )
    from_deconditioning: float = param(
        0.20,
        lo=0.0,
        hi=2.0,
        unit="amplification per unit withdrawal",
        basis="assumption",
        source="seed 002 (inactivity deconditions the body, fewer endorphins); seed 000",
        doc="Edge withdrawal/deconditioning -> pain.",
    )
    muscle_tone_from_mood: float = param(
        0.06326,
        lo=0.0,
        hi=4.0,
        unit="NRS points per unit mood severity",
        basis="calibrated",
        source="seed 003 (sympathetic tone -> trigger points); seed 000 (pain as a symptom of depression)",
        fitted_to=CALIBRATE_COMMAND,
        doc="Edge low mood -> muscle tone -> pain, added to pain whatever the tissue nociception.",
    )


EDGES = (
    edge(
        "sleep",
        "pain",
        "pain.from_poor_sleep",
        min_effect=0.12,
        mechanism="a poor night amplifies next-day pain",
        cites="seed 004, seed 002",
    ),
    edge(
        "mood",
        "pain",
        "pain.from_mood",
        min_effect=0.021,
        mechanism="depression lowers pain thresholds",
        cites="seed 002, seed 000, seed 003",
    ),
    edge(
        "mood",
        "pain",
        "pain.muscle_tone_from_mood",
        min_effect=0.0032,
        mechanism="sympathetic tone, trigger points",
        cites="seed 003, seed 000",
    ),
    edge(
        "sensitisation",
        "pain",
        "pain.from_sensitisation",
        min_effect=0.063,
        mechanism="weakened descending inhibition",
        cites="seed 003",
    ),
    edge(
        "inflammation",
        "pain",
        "pain.from_inflammation",
        min_effect=0.028,
        mechanism="inflammation heightens pain sensitivity",
        cites="seed 002",
    ),
    edge(
        "catastrophising",
        "pain",
        "pain.from_catastrophising",
        min_effect=0.025,
        mechanism="catastrophic thinking amplifies pain",
        cites="seed 002, seed 003",
    ),
    edge(
        "withdrawal",
        "pain",
        "pain.from_deconditioning",
        min_effect=0.017,
        mechanism="deconditioning, fewer endorphins",
        cites="seed 002, seed 000",
    ),
)
