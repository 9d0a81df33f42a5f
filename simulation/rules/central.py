"""Centrally driven (nociplastic) pain: pain that starts without tissue injury.

The source documents' loop needs low mood and poor sleep to *create* pain, not only to amplify
pain that tissue already causes: depression lowers pain thresholds and can present as pain (seed
000, seed 002, seed 003), insomnia causes low back pain (seed 004, a Mendelian randomisation
study), and poor sleep or depression raise the risk of developing chronic pain two- to four-fold
(seed 003, seed 004). Episodes of central pain switch on and off with daily hazards:

    log onset hazard = log onset_rate + from_depression x in a depressive episode
                       + from_poor_sleep x recent poor sleep + from_hpa x HPA load
                       + from_scar x depression scar + vulnerability_per_sd x vulnerability
    remission hazard = remission_rate (its own course, not the drivers')

During an episode `intensity` NRS points join tissue nociception, and pass through the same
amplification as all pain (`simulation.rules.pain`). Pain itself does not enter the onset hazard,
so the process cannot feed its own onset (a first version whose onset rose with sensitisation ran
away to 42-95% chronic pain); every input is bounded, so the hazard is too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulation.declare import CALIBRATE_COMMAND, ParamGroup, param
from simulation.edges import edge

if TYPE_CHECKING:  # types only: the rules import nothing more at run time
    pass


class CentralPainParams(ParamGroup):
    """Onset, course and strength of centrally driven pain episodes, and what drives their onset."""

    onset_rate_per_year: float = param(
        0.01595,
        lo=0.0,
        hi=0.5,
        unit="per year",
        basis="calibrated",
        source="seed 003, seed 004 (depression and poor sleep raise the risk of developing chronic pain)",
        fitted_to="risk ratios of new chronic pain and the 1-year incidence; " + CALIBRATE_COMMAND,
        doc="Onset hazard of a central pain episode for a person with no driver (good mood and sleep).",
    )
    remission_rate_per_year: float = param(
        0.4043,
        lo=0.05,
        hi=12.0,
        unit="per year",
        basis="calibrated",
        source="episodes of widespread or nociplastic pain last about a year or more (Elliott et al. 2002: "
        "chronic pain persists in most people over 4 years); calibrated within 8 months to 5 years",
        fitted_to="the 1-year incidence of chronic pain and the risk ratios of new chronic pain; " + CALIBRATE_COMMAND,
        doc="Remission hazard of a central pain episode.",
    )
    from_depression: float = param(
        1.129,
        lo=0.0,
        hi=4.0,
        unit="log hazard in a depressive episode",
        basis="calibrated",
        source="seed 003 (depression gives 2-4 times the risk of developing chronic pain); seed 000 "
        "(pain can be the main symptom of depression); seed 002 (depression lowers pain thresholds)",
        fitted_to="rr_new_chronic_pain_given_depression; " + CALIBRATE_COMMAND,
        doc="Edge low mood -> new pain: log hazard of a central pain episode during a depressive episode.",
    )
    from_poor_sleep: float = param(
        2.522,
        lo=0.0,
        hi=8.0,
        unit="log hazard per unit recent poor sleep",
        basis="calibrated",
        source="seed 004 (insomnia causes low back pain; poor sleep raises the risk of chronic pain 2-3 fold)",
        fitted_to="rr_new_chronic_pain_given_poor_sleep; " + CALIBRATE_COMMAND,
        doc="Edge poor sleep -> new pain: log hazard per unit of the fortnight's poor sleep.",
    )
    from_hpa: float = param(
        0.5,
        lo=0.0,
        hi=4.0,
        unit="log hazard per unit HPA load",
        basis="assumption",
        source="seed 003 (hypercortisolism depletes the serotonin and noradrenaline of descending inhibition)",
        doc="Edge HPA load -> new pain.",
    )
    from_scar: float = param(
        3.75,
        lo=0.0,
        hi=5.0,
        unit="log hazard per unit scar",
        basis="calibrated",
        source="seed 001 (depression at time 1 predicts back pain 9 years later); seed 003 (hippocampal "
        "atrophy and failed cortisol feedback outlast an episode)",
        fitted_to="rr_new_chronic_pain_given_depression and the MIDUS odds ratio; " + CALIBRATE_COMMAND + "; then "
        "set by hand from the fit's 2.72 to 3.75, with pain.from_mood, which took that risk ratio's interval off "
        "its band's floor (2.12 (1.99-2.25) -> 2.34 (2.10-2.59) at 50,000 x 5)",
        hand_set=True,
        doc="Edge past depression (scar) -> new pain, after the episode has remitted.",
    )
    vulnerability_per_sd: float = param(
        0.3,
        lo=0.0,
        hi=2.0,
        unit="log hazard per SD",
        basis="assumption",
        source="seed 000 (a shared, mostly non-genetic vulnerability links back pain and depression)",
        doc="Edge shared vulnerability -> new pain.",
    )
    intensity: float = param(
        1.62,
        lo=0.0,
        hi=8.0,
        unit="NRS points of nociception",
        basis="calibrated",
        source="enough, once amplified, to cross the pain-day threshold on most days; calibrated within 1-3 NRS",
        fitted_to="the risk ratios of new chronic pain; " + CALIBRATE_COMMAND,
        doc="Nociception-equivalent input of a central pain episode, before amplification.",
    )


EDGES = (
    edge(
        "in_episode",
        "in_central_pain",
        "central.from_depression",
        min_effect=0.0022,
        mechanism="depression lowers thresholds and presents as pain",
        cites="seed 003, seed 000, seed 002",
    ),
    edge(
        "sleep_recent",
        "in_central_pain",
        "central.from_poor_sleep",
        min_effect=0.013,
        mechanism="insomnia causes low back pain",
        cites="seed 004",
    ),
    edge(
        "hpa_load",
        "in_central_pain",
        "central.from_hpa",
        min_effect=0.0024,
        mechanism="monoamine depletion weakens descending inhibition",
        cites="seed 003",
    ),
    edge(
        "depression_scar",
        "in_central_pain",
        "central.from_scar",
        min_effect=0.0079,
        mechanism="past depression raises future pain",
        cites="seed 001, seed 003",
    ),
    edge(
        "vulnerability",
        "in_central_pain",
        "central.vulnerability_per_sd",
        measure="slope",
        min_effect=0.0073,
        mechanism="shared, mostly non-genetic vulnerability",
        cites="seed 000",
    ),
    edge(
        "in_central_pain",
        "pain",
        "central.intensity",
        min_effect=0.084,
        mechanism="a central pain episode is felt as pain",
        cites="seed 000, seed 003",
    ),
)
