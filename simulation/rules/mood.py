"""Mood: a depressive-episode process with memory, and the daily symptoms it produces.

Depression persists and recurs rather than reverting to a mean, so mood has two layers:

- a latent episode state that switches on and off with daily hazards. The log hazard of onset is a
  person's trait liability plus the drives of the causal graph (pain, poor sleep, HPA load,
  inflammation, withdrawal, invalidation, opioid dependence, and the scar of past episodes); the
  same drives slow remission. People differ in how fast their episodes remit (a chronic tail), and
  each episode leaves a scar when it remits, which fades over years (`simulation.rules.mechanisms`), so the risk of a
  new episode depends on how many episodes a person had and how recently: memory, not a fixed
  trait alone.
- daily symptom severity (0-1; PHQ-9 = 27 x severity) that relaxes toward a target raised by the
  episode and, a little, by today's pain and last night's sleep.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.declare import CALIBRATE_COMMAND, ParamGroup, param
from simulation.edges import edge

if TYPE_CHECKING:  # types only: the rules import nothing more at run time
    from simulation.state import PopulationState


class MoodParams(ParamGroup):
    """Onset and remission of depressive episodes (what raises onset, how remission varies) and the daily symptoms."""

    onset_rate_per_year: float = param(
        0.01237,
        lo=0.0,
        hi=1.0,
        unit="per year",
        basis="calibrated",
        source="calibrated to 12-month major depression 8-10.4% (Hasin et al. 2018, JAMA Psychiatry)",
        fitted_to=CALIBRATE_COMMAND,
        doc="Episode onset hazard of a person with zero drive (no pain, good sleep, average traits).",
    )
    remission_rate_per_year: float = param(
        22.75,
        lo=0.1,
        hi=40.0,
        unit="per year",
        basis="calibrated",
        source="Spijker et al. 2002, Br J Psychiatry (median episode about 3 months)",
        fitted_to="depression recovery at 3, 6, 12 and 24 months (Spijker et al. 2002); " + CALIBRATE_COMMAND,
        doc="Episode remission hazard at zero drive.",
    )
    remission_slowing: float = param(
        0.8,
        lo=0.0,
        hi=2.0,
        unit="per unit drive",
        basis="assumption",
        source="assumption: what raises onset also prolongs episodes "
        "(depression has chronic courses: Spijker et al. 2002)",
        doc="How strongly the drive lengthens an episode: remission hazard x exp(-slowing x drive).",
    )
    onset_from_pain: float = param(
        0.2694,
        lo=0.0,
        hi=5.0,
        unit="log hazard per 10 NRS points",
        basis="calibrated",
        source="seed 001 (back pain predicts depression 9 years later); seed 003; seed 000",
        fitted_to=CALIBRATE_COMMAND,
        doc="Edge pain -> low mood (episode onset).",
    )
    onset_from_poor_sleep: float = param(
        1.5,
        lo=0.0,
        hi=6.0,
        unit="log hazard per unit recent poor sleep",
        basis="assumption",
        source="seed 002 (insomnia an independent predictor of depressive episodes)",
        doc="Edge poor sleep -> low mood (episode onset).",
    )
    onset_from_hpa: float = param(
        1.0,
        lo=0.0,
        hi=5.0,
        unit="log hazard per unit HPA load",
        basis="assumption",
        source="seed 003 (hypercortisolism depletes serotonin and noradrenaline)",
        doc="Edge HPA load -> low mood.",
    )
    onset_from_inflammation: float = param(
        0.5,
        lo=0.0,
        hi=5.0,
        unit="log hazard per unit inflammation",
        basis="assumption",
        source="seed 000 (microglial inflammation restricts dopamine: anhedonia)",
        doc="Edge inflammation -> low mood.",
    )
    onset_from_withdrawal: float = param(
        0.7,
        lo=0.0,
        hi=5.0,
        unit="log hazard per unit withdrawal",
        basis="assumption",
        source="seed 002 (withdrawal strips the social buffer)",
        doc="Edge withdrawal/isolation -> low mood.",
    )
    onset_from_invalidation: float = param(
        1.0,
        lo=0.0,
        hi=5.0,
        unit="log hazard per unit invalidation",
        basis="assumption",
        source="seed 002 (not being believed independently drives depression)",
        doc="Edge social invalidation -> low mood.",
    )
    onset_from_scar: float = param(
        0.287,
        lo=0.0,
        hi=6.0,
        unit="log hazard per unit scar",
        basis="calibrated",
        source="Hardeveld et al. 2010 (recurrence is likelier after more, and more recent, episodes); seed 003 "
        "(failed cortisol feedback and hippocampal atrophy outlast an episode)",
        fitted_to="the depression recovery curve and 12-month prevalence; " + CALIBRATE_COMMAND,
        doc="Edge past depression (scar) -> low mood: recurrence depends on the history of episodes.",
    )
    remission_heterogeneity: float = param(
        0.9361,
        lo=0.0,
        hi=3.0,
        unit="SD of log remission hazard",
        basis="calibrated",
        source="Spijker et al. 2002 (half of episodes recover within 3 months, a fifth last beyond 2 years)",
        fitted_to="depression recovery at 3, 6, 12 and 24 months (Spijker et al. 2002); " + CALIBRATE_COMMAND,
        doc="Spread between people of how fast their episodes remit: the chronic tail.",
    )
    onset_from_opioid_dependence: float = param(
        1.5,
        lo=0.0,
        hi=5.0,
        unit="log hazard per unit dependence",
        basis="assumption",
        source="seed 000 (opioids carry a high risk of addiction and depression)",
        doc="Edge opioid dependence -> low mood.",
    )
    vulnerability_per_sd: float = param(
        0.4359,
        lo=0.0,
        hi=2.0,
        unit="log hazard per SD",
        basis="calibrated",
        source="seed 000 (shared, mostly non-genetic vulnerability)",
        fitted_to=CALIBRATE_COMMAND,
        doc="Trait liability per SD of vulnerability.",
    )
    female: float = param(
        0.45,
        lo=0.0,
        hi=1.5,
        unit="log hazard",
        basis="cited",
        source="Hasin et al. 2018 (12-month MDD higher in women, OR about 1.5-2)",
        doc="Trait liability for women.",
    )
    age_per_decade: float = param(
        -0.20,
        lo=-1.0,
        hi=0.5,
        unit="log hazard per 10 years",
        basis="cited",
        source="Hasin et al. 2018 (12-month MDD falls with age)",
        doc="Trait liability per decade from 45.",
    )
    low_ses_per_sd: float = param(
        0.20,
        lo=0.0,
        hi=1.0,
        unit="log hazard per SD",
        basis="assumption",
        source="Hasin et al. 2018 (MDD higher at low income); seed 001",
        doc="Trait liability per SD of lower SES.",
    )
    job_strain: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="log hazard per unit strain",
        basis="assumption",
        source="seed 001 (job strain linked to depression)",
        doc="Trait liability per unit of job strain.",
    )
    setpoint_mean: float = param(
        0.09,
        lo=0.0,
        hi=0.5,
        unit="0-1 severity",
        basis="assumption",
        source="assumption; US adults' mean PHQ-9 is about 2-3 (Kocalevent et al. 2013 report 2.9 in Germany)",
        doc="Population mean of usual symptom severity outside episodes.",
    )
    setpoint_sd: float = param(
        0.04,
        lo=0.0,
        hi=0.3,
        unit="0-1 severity",
        basis="assumption",
        source="assumption",
        doc="Spread of usual symptom severity between people.",
    )
    episode_severity: float = param(
        0.42,
        lo=0.0,
        hi=1.0,
        unit="0-1 severity",
        basis="assumption",
        source="assumption; puts episodes at PHQ-9 about 14 (moderate), above the cut-off of 10",
        doc="Rise of the symptom target during an episode.",
    )
    symptoms_from_pain: float = param(
        0.10,
        lo=0.0,
        hi=1.0,
        unit="severity per 10 NRS points",
        basis="assumption",
        source="seed 000 (perceived pain, stress, lost roles lower mood day to day)",
        doc="Edge pain -> low mood (daily symptoms outside the episode process).",
    )
    symptoms_from_poor_sleep: float = param(
        0.10,
        lo=0.0,
        hi=1.0,
        unit="severity per unit poor sleep",
        basis="assumption",
        source="seed 002 (sleep loss impairs emotional regulation)",
        doc="Edge poor sleep -> low mood (next-day symptoms).",
    )
    relax_per_day: float = param(
        0.25,
        lo=0.01,
        hi=1.0,
        unit="fraction per day",
        basis="assumption",
        source="assumption",
        doc="Share of the gap to the symptom target closed in a day.",
    )
    noise_sd: float = param(
        0.04,
        lo=0.0,
        hi=0.3,
        unit="0-1 severity",
        basis="assumption",
        source="assumption",
        doc="Day-to-day fluctuation of symptoms.",
    )


EDGES = (
    edge(
        "pain",
        "in_episode",
        "mood.onset_from_pain",
        min_effect=0.00081,
        mechanism="pain, stress and lost roles bring on depression",
        cites="seed 001, seed 003, seed 000",
    ),
    edge(
        "sleep_recent",
        "in_episode",
        "mood.onset_from_poor_sleep",
        min_effect=0.0097,
        mechanism="insomnia predicts depressive episodes",
        cites="seed 002",
    ),
    edge(
        "hpa_load",
        "in_episode",
        "mood.onset_from_hpa",
        min_effect=0.0057,
        mechanism="hypercortisolism depletes serotonin and noradrenaline",
        cites="seed 003",
    ),
    edge(
        "inflammation",
        "in_episode",
        "mood.onset_from_inflammation",
        min_effect=0.003,
        mechanism="microglia restrict dopamine: anhedonia",
        cites="seed 000",
    ),
    edge(
        "withdrawal",
        "in_episode",
        "mood.onset_from_withdrawal",
        min_effect=0.0046,
        mechanism="withdrawal strips the social buffer",
        cites="seed 002",
    ),
    edge(
        "invalidation",
        "in_episode",
        "mood.onset_from_invalidation",
        min_effect=0.0033,
        mechanism="not being believed drives depression",
        cites="seed 002",
    ),
    edge(
        "opioid_dependence",
        "in_episode",
        "mood.onset_from_opioid_dependence",
        min_effect=0.0062,
        context="opioids",
        measure="slope",
        mechanism="opioid dependence brings depression",
        cites="seed 000",
    ),
    edge(
        "depression_scar",
        "in_episode",
        "mood.onset_from_scar",
        min_effect=0.00065,
        mechanism="recurrence depends on past episodes",
        cites="Hardeveld et al. 2010; seed 003",
    ),
    edge(
        "mood_liability",
        "in_episode",
        "mood.remission_slowing",
        min_effect=0.015,
        mechanism="what brings episodes on also prolongs them",
        cites="assumption",
    ),
    edge(
        "vulnerability",
        "in_episode",
        "mood.vulnerability_per_sd",
        measure="slope",
        min_effect=0.0091,
        mechanism="shared, mostly non-genetic vulnerability",
        cites="seed 000",
    ),
    edge(
        "female",
        "in_episode",
        "mood.female",
        measure="slope",
        min_effect=0.01,
        mechanism="depression commoner in women",
        cites="Hasin et al. 2018",
    ),
    edge(
        "age",
        "in_episode",
        "mood.age_per_decade",
        sign=-1,
        measure="slope",
        min_effect=0.00044,
        mechanism="depression falls with age",
        cites="Hasin et al. 2018",
    ),
    edge(
        "ses",
        "in_episode",
        "mood.low_ses_per_sd",
        sign=-1,
        measure="slope",
        min_effect=0.0037,
        mechanism="depression commoner at low income",
        cites="Hasin et al. 2018; seed 001",
    ),
    edge(
        "job_strain",
        "in_episode",
        "mood.job_strain",
        measure="slope",
        min_effect=0.009,
        mechanism="job strain",
        cites="seed 001",
    ),
    edge(
        "in_episode",
        "mood",
        "mood.episode_severity",
        min_effect=0.0073,
        mechanism="an episode raises daily symptoms",
        cites="assumption",
    ),
    edge(
        "pain",
        "mood",
        "mood.symptoms_from_pain",
        min_effect=0.0079,
        mechanism="perceived pain lowers mood day to day",
        cites="seed 000",
    ),
    edge(
        "sleep",
        "mood",
        "mood.symptoms_from_poor_sleep",
        min_effect=0.011,
        mechanism="sleep loss impairs emotional regulation",
        cites="seed 002",
    ),
)


def mood_liability(p: MoodParams, traits: PopulationState) -> np.ndarray:
    """Trait part of a person's log hazard of an episode (computed at synthesis)."""
    liability = (
        p.vulnerability_per_sd * traits.vulnerability
        + p.female * traits.female
        + p.age_per_decade * (traits.age - 45.0) / 10.0
        - p.low_ses_per_sd * traits.ses
        + p.job_strain * traits.job_strain
    )
    return liability.astype(np.float32)


def log_remission_frailty(p: MoodParams, person_noise: np.ndarray) -> np.ndarray:
    """Log of each person's multiplier of the remission hazard, log-normal with mean 1 (computed at
    synthesis)."""
    sigma = p.remission_heterogeneity
    return (sigma * person_noise - sigma**2 / 2).astype(np.float32)


def mood_setpoint(p: MoodParams, person_noise: np.ndarray) -> np.ndarray:
    """Each person's usual symptom level outside episodes, kept in 0-1 (computed at synthesis)."""
    return np.clip(p.setpoint_mean + p.setpoint_sd * person_noise, 0.0, 1.0).astype(np.float32)
