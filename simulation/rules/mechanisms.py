"""The slow mechanisms: each relaxes, over weeks to months, toward where today's states push it.

    state += (target - state) * (1 - exp(-1 / timescale)),   target kept in 0-1

One target function per mechanism in `simulation.rules.kernel`, each naming its inputs; the
targets are saturating (clipped to 0-1), so no loop through the slow states can run away however the fast states move.

The scar of past depression is the exception: it does not relax toward a target but counts
episodes, taking a step of `scar_per_episode` each time one remits and fading over
`scar_timescale_days` (kept at most 1), so what it drives comes after an episode, not during it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulation.declare import CALIBRATE_COMMAND, ParamGroup, param
from simulation.edges import edge

if TYPE_CHECKING:  # types only: the rules import nothing more at run time
    pass


class MechanismParams(ParamGroup):
    """Timescales of the slow mechanisms and how strongly today's states push each of them."""

    # HPA axis: chronic stress -> hypercortisolism -> 5-HT/NA depletion (seed 003)
    hpa_timescale_days: float = param(
        90.0,
        lo=7.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="seed 003 (sustained hypercortisolism, slow recovery of negative feedback)",
        doc="Timescale of HPA stress load.",
    )
    hpa_from_mood: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="load per unit mood severity",
        basis="assumption",
        source="seed 003 (emotional stress drives the HPA axis)",
        doc="Edge low mood -> HPA load.",
    )
    hpa_from_pain: float = param(
        0.3,
        lo=0.0,
        hi=2.0,
        unit="load per 10 NRS points",
        basis="assumption",
        source="seed 003 (persistent pain is a chronic stressor)",
        doc="Edge pain -> HPA load.",
    )
    hpa_from_job_strain: float = param(
        0.2,
        lo=0.0,
        hi=1.0,
        unit="load per unit strain",
        basis="assumption",
        source="seed 001 (job strain); seed 003 (chronic stress)",
        doc="Edge job strain -> HPA load.",
    )
    # Central sensitisation: weakened descending inhibition (seed 002, seed 003)
    sensitisation_timescale_days: float = param(
        120.0,
        lo=7.0,
        hi=1095.0,
        unit="days",
        basis="assumption",
        source="assumption; sensitisation builds over months of pain (seed 002)",
        doc="Timescale of central sensitisation.",
    )
    sensitisation_from_pain: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="sensitisation per 10 NRS points",
        basis="assumption",
        source="seed 002 (chronic pain rewires the brain with its duration)",
        doc="Edge persistent pain -> sensitisation.",
    )
    sensitisation_from_hpa: float = param(
        0.4,
        lo=0.0,
        hi=2.0,
        unit="sensitisation per unit HPA load",
        basis="assumption",
        source="seed 003 (depleted 5-HT/NA weaken descending inhibition)",
        doc="Edge HPA load -> sensitisation.",
    )
    sensitisation_from_inflammation: float = param(
        0.3,
        lo=0.0,
        hi=2.0,
        unit="sensitisation per unit inflammation",
        basis="assumption",
        source="seed 003 (microglial activation in the dorsal horn)",
        doc="Edge inflammation -> sensitisation.",
    )
    # Neuro-inflammation (seed 000, seed 002)
    inflammation_timescale_days: float = param(
        30.0,
        lo=3.0,
        hi=365.0,
        unit="days",
        basis="assumption",
        source="assumption",
        doc="Timescale of neuro-inflammation.",
    )
    inflammation_from_poor_sleep: float = param(
        0.4,
        lo=0.0,
        hi=2.0,
        unit="inflammation per unit recent poor sleep",
        basis="assumption",
        source="seed 002 (sleep deprivation elevates inflammatory markers)",
        doc="Edge poor sleep -> inflammation.",
    )
    inflammation_from_pain: float = param(
        0.3,
        lo=0.0,
        hi=2.0,
        unit="inflammation per 10 NRS points",
        basis="assumption",
        source="seed 000 (chronic pain causes brain inflammation, microglia)",
        doc="Edge pain -> inflammation.",
    )
    inflammation_from_obesity: float = param(
        0.10,
        lo=0.0,
        hi=1.0,
        unit="inflammation",
        basis="assumption",
        source="seed 004 (obesity a shared risk factor); systemic inflammation assumed",
        doc="Edge obesity -> inflammation.",
    )
    inflammation_from_smoking: float = param(
        0.08,
        lo=0.0,
        hi=1.0,
        unit="inflammation",
        basis="assumption",
        source="seed 004 (smoking a shared risk factor); systemic inflammation assumed",
        doc="Edge smoking -> inflammation.",
    )
    # Catastrophising (seed 002, seed 003)
    catastrophising_timescale_days: float = param(
        60.0,
        lo=7.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="assumption",
        doc="Timescale of pain catastrophising.",
    )
    catastrophising_from_pain: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="catastrophising per 10 NRS points",
        basis="assumption",
        source="seed 000 (focusing on pain magnifies it); seed 002",
        doc="Edge pain -> catastrophising.",
    )
    catastrophising_from_mood: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="catastrophising per unit mood severity",
        basis="assumption",
        source="seed 000 (depression brings emotional interpretations of pain)",
        doc="Edge low mood -> catastrophising.",
    )
    # Withdrawal and deconditioning (seed 000, seed 002)
    withdrawal_timescale_days: float = param(
        45.0,
        lo=7.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="assumption",
        doc="Timescale of activity withdrawal and deconditioning.",
    )
    withdrawal_from_pain: float = param(
        0.6,
        lo=0.0,
        hi=2.0,
        unit="withdrawal per 10 NRS points",
        basis="assumption",
        source="seed 002 (movement becomes threatening); seed 000",
        doc="Edge pain -> withdrawal.",
    )
    withdrawal_from_mood: float = param(
        0.6,
        lo=0.0,
        hi=2.0,
        unit="withdrawal per unit mood severity",
        basis="assumption",
        source="seed 002 (social engagement feels exhausting); seed 000",
        doc="Edge low mood -> withdrawal.",
    )
    withdrawal_relief_from_exercise: float = param(
        0.10,
        lo=0.0,
        hi=1.0,
        unit="withdrawal",
        basis="assumption",
        source="seed 002 (exercise restores endorphin function and agency)",
        doc="Lower withdrawal target for people who meet the activity guideline.",
    )
    # Social invalidation (seed 002)
    invalidation_timescale_days: float = param(
        90.0,
        lo=7.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="assumption",
        doc="Timescale of social invalidation.",
    )
    invalidation_from_unexplained_pain: float = param(
        0.8,
        lo=0.0,
        hi=3.0,
        unit="invalidation per 10 NRS points",
        basis="assumption",
        source="seed 002 (pain without an obvious structural cause is doubted)",
        doc="Edge pain beyond tissue nociception -> invalidation.",
    )
    # Opioids (seed 000)
    dependence_per_exposure: float = param(
        0.4,
        lo=0.0,
        hi=1.0,
        unit="dependence per unit exposure",
        basis="calibrated",
        source="calibrated to misuse 21-29% and addiction 8-12% on long-term opioids (Vowles et al. 2015)",
        fitted_to="trials/opioids_vowles2015.yaml opioid_misuse and opioid_addiction at week 52 via painsim trial",
        hand_set=True,
        doc="Dependence an average person reaches under full, lasting opioid exposure.",
    )
    dependence_timescale_days: float = param(
        180.0,
        lo=7.0,
        hi=1095.0,
        unit="days",
        basis="assumption",
        source="seed 000 (opioids carry a high risk of abuse and addiction)",
        doc="Timescale over which opioid exposure becomes dependence, and dependence fades.",
    )
    # The scar of past depression (issue: depression's course has memory)
    scar_per_episode: float = param(
        0.439,
        lo=0.0,
        hi=1.0,
        unit="scar per remitted episode",
        basis="calibrated",
        fitted_to=CALIBRATE_COMMAND,
        source="Hardeveld et al. 2010 (the risk of recurrence rises with the number of past episodes and falls "
        "with the time since recovery); seed 003 (hippocampal atrophy and failed cortisol feedback outlast an "
        "episode); seed 001 (depression at time 1 predicts back pain 9 years later)",
        doc="Edge depressive episode -> scar: the step an episode leaves when it remits. The scar counts "
        "episodes, not time spent in one, and starts when the episode ends, so what it drives comes after "
        "remission: a person still in a long episode carries no scar of it yet.",
    )
    scar_timescale_days: float = param(
        730.0,
        lo=90.0,
        hi=7305.0,
        unit="days",
        basis="assumption",
        source="Hardeveld et al. 2010 (the risk of recurrence falls with the time since recovery, over years)",
        doc="Timescale over which the scar of past episodes fades.",
    )


EDGES = (
    edge(
        "mood",
        "hpa_load",
        "mechanisms.hpa_from_mood",
        min_effect=0.032,
        mechanism="emotional stress drives the HPA axis",
        cites="seed 003",
    ),
    edge(
        "pain",
        "hpa_load",
        "mechanisms.hpa_from_pain",
        min_effect=0.023,
        mechanism="persistent pain is a chronic stressor",
        cites="seed 003",
    ),
    edge(
        "job_strain",
        "hpa_load",
        "mechanisms.hpa_from_job_strain",
        min_effect=0.017,
        mechanism="chronic work stress",
        cites="seed 001, seed 003",
    ),
    edge(
        "pain",
        "sensitisation",
        "mechanisms.sensitisation_from_pain",
        min_effect=0.038,
        mechanism="chronic pain rewires the brain",
        cites="seed 002",
    ),
    edge(
        "hpa_load",
        "sensitisation",
        "mechanisms.sensitisation_from_hpa",
        min_effect=0.029,
        mechanism="depleted 5-HT/NA weaken descending inhibition",
        cites="seed 003",
    ),
    edge(
        "inflammation",
        "sensitisation",
        "mechanisms.sensitisation_from_inflammation",
        min_effect=0.027,
        mechanism="microglial activation in the dorsal horn",
        cites="seed 003",
    ),
    edge(
        "sleep_recent",
        "inflammation",
        "mechanisms.inflammation_from_poor_sleep",
        min_effect=0.045,
        mechanism="sleep loss raises inflammatory markers",
        cites="seed 002",
    ),
    edge(
        "pain",
        "inflammation",
        "mechanisms.inflammation_from_pain",
        min_effect=0.023,
        mechanism="chronic pain causes brain inflammation",
        cites="seed 000",
    ),
    edge(
        "obese",
        "inflammation",
        "mechanisms.inflammation_from_obesity",
        min_effect=0.017,
        mechanism="systemic inflammation",
        cites="seed 004",
    ),
    edge(
        "smoker",
        "inflammation",
        "mechanisms.inflammation_from_smoking",
        min_effect=0.0039,
        mechanism="systemic inflammation",
        cites="seed 004",
    ),
    edge(
        "pain",
        "catastrophising",
        "mechanisms.catastrophising_from_pain",
        min_effect=0.037,
        mechanism="focusing on pain magnifies it",
        cites="seed 000, seed 002",
    ),
    edge(
        "mood",
        "catastrophising",
        "mechanisms.catastrophising_from_mood",
        min_effect=0.032,
        mechanism="emotional interpretations of pain",
        cites="seed 000",
    ),
    edge(
        "pain",
        "withdrawal",
        "mechanisms.withdrawal_from_pain",
        min_effect=0.042,
        mechanism="movement becomes threatening",
        cites="seed 002, seed 000",
    ),
    edge(
        "mood",
        "withdrawal",
        "mechanisms.withdrawal_from_mood",
        min_effect=0.032,
        mechanism="social engagement feels exhausting",
        cites="seed 002, seed 000",
    ),
    edge(
        "exercises",
        "withdrawal",
        "mechanisms.withdrawal_relief_from_exercise",
        sign=-1,
        measure="slope",
        min_effect=0.037,
        mechanism="exercise restores activity and agency",
        cites="seed 002",
    ),
    edge(
        "pain",
        "invalidation",
        "mechanisms.invalidation_from_unexplained_pain",
        min_effect=0.034,
        mechanism="pain without a visible cause is doubted",
        cites="seed 002",
    ),
    edge(
        "opioid_exposure",
        "opioid_dependence",
        "mechanisms.dependence_per_exposure",
        min_effect=0.0028,
        context="opioids",
        mechanism="exposure becomes dependence",
        cites="seed 000; Vowles et al. 2015",
    ),
    edge(
        "in_episode",
        "depression_scar",
        "mechanisms.scar_per_episode",
        min_effect=0.022,
        mechanism="episodes leave a lasting mark",
        cites="seed 003; Hardeveld et al. 2010",
    ),
)
