"""A virtual cohort study: survey a sample in waves, as surveys do, and analyse as the papers did.

Statuses are read at each wave (a survey asks about the last 3 months or 12 months on the day it
is run); course statistics that need dates (recovery from a depressive episode, recurrence after
remission) read the clinical episodes of `simulation.status.EpisodeTracker`, never the day-level
flags, so a reading that flickers at a threshold does not count as onset and remission.

- seed 001 (MIDUS): odds ratios of depression at the 9-year wave given back pain at the first, and
  the prevalence ratio of back pain given depression, adjusted for the covariates the paper used
  that the model has (age, sex, SES, exercise, smoking, obesity);
- seed 003 / seed 004: among people free of chronic pain at baseline, the risk ratio of chronic
  pain at the `incidence_years` wave given depression (12-month MDE) or poor sleep (ISI >= 15);
- Elliott et al. 2002: 1-year incidence and 4-year persistence of chronic pain;
- Spijker et al. 2002: recovery of new depressive episodes by 3, 6, 12 and 24 months;
- Hardeveld et al. 2013: recurrence within 5 years of remission;
- insomnia persistence and incidence at 1 year; Baglioni et al. 2011: depression at the 3-year
  wave given insomnia among the non-depressed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.inputs import InputError
from simulation.model import PainCycleModel
from simulation.outcomes import statuses
from simulation.rng import stream
from simulation.scenario import Scenario
from simulation.units import years_to_days

STATUSES = (
    "chronic_pain",
    "midus_back_pain",
    "depression",
    "midus_depression",
    "insomnia",
    "clinical_insomnia",
    "in_care",
)
COVARIATES = ("age", "female", "ses", "exercises", "smoker", "obese")
RECOVERY_MONTHS = (3, 6, 12, 24)
DAYS_PER_MONTH = 30.4375


def survey(model, people: np.ndarray) -> pd.DataFrame:
    """One wave: covariates and clinical statuses of `people` today."""
    flags = statuses(model, people)
    wave = pd.DataFrame({"person": people})
    for name in COVARIATES:
        wave[name] = model.state.column(name)[people]
    for name in STATUSES:
        wave[name] = flags[name]
    return wave


def _design(covariates: pd.DataFrame | None, exposure: np.ndarray) -> np.ndarray:
    columns = [np.ones(exposure.size), exposure.astype(float)]
    if covariates is not None:
        for name in covariates.columns:
            values = covariates[name].to_numpy(float)
            columns.append((values - 45.0) / 10.0 if name == "age" else values)
    return np.column_stack(columns)


def odds_ratio(outcome: np.ndarray, exposure: np.ndarray, covariates: pd.DataFrame | None = None):
    """Odds ratio of `outcome` for `exposure` adjusted for `covariates` (logistic regression), with its
    95% confidence interval; NaN when the model cannot be fitted (no events, separation)."""
    import statsmodels.api as sm

    try:
        fit = sm.Logit(outcome.astype(float), _design(covariates, exposure)).fit(disp=0)
    except Exception:  # noqa: BLE001 - statsmodels raises several kinds on degenerate data
        return float("nan"), float("nan"), float("nan")
    beta, se = fit.params[1], fit.bse[1]
    return float(np.exp(beta)), float(np.exp(beta - 1.96 * se)), float(np.exp(beta + 1.96 * se))


def prevalence_ratio(outcome: np.ndarray, exposure: np.ndarray, covariates: pd.DataFrame | None = None):
    """Adjusted prevalence ratio: Poisson regression with robust errors (Zou 2004's modified Poisson)."""
    import statsmodels.api as sm

    try:
        fit = sm.GLM(outcome.astype(float), _design(covariates, exposure), family=sm.families.Poisson()).fit(
            cov_type="HC0"
        )
    except Exception:  # noqa: BLE001
        return float("nan"), float("nan"), float("nan")
    beta, se = fit.params[1], fit.bse[1]
    return float(np.exp(beta)), float(np.exp(beta - 1.96 * se)), float(np.exp(beta + 1.96 * se))


def risk_ratio(event: np.ndarray, exposed: np.ndarray) -> tuple[float, float, float]:
    """Risk of `event` among the exposed over the risk among the unexposed, with its 95% confidence
    interval (Katz's, on the log scale). NaN when a group is empty or the unexposed have no events;
    no interval when the exposed have none (the ratio is then 0)."""
    n1, n0 = int(exposed.sum()), int((~exposed).sum())
    a, c = int(event[exposed].sum()), int(event[~exposed].sum())
    if not (n1 and n0 and c):
        return float("nan"), float("nan"), float("nan")
    ratio = (a / n1) / (c / n0)
    if not a:
        return 0.0, float("nan"), float("nan")
    se = np.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0)
    return float(ratio), float(ratio * np.exp(-1.96 * se)), float(ratio * np.exp(1.96 * se))


def _share(flags: np.ndarray, among: np.ndarray) -> float:
    """Share of `flags` among the people `among` (NaN when nobody qualifies or the wave is missing)."""
    return float(np.mean(flags[among])) if among.any() else float("nan")


@dataclass
class CohortResult:
    """The surveys of a virtual cohort and the dates of its depressive episodes, ready to analyse."""

    waves: dict[float, pd.DataFrame]  # years after baseline -> survey
    follow_up_years: float
    incidence_years: float
    episode_onset: np.ndarray  # per new depressive episode: onset day
    episode_recovered: np.ndarray  # per new depressive episode: day recovery began, or -1
    remission_day: np.ndarray  # per sampled person: first remission during follow-up (-1: none)
    recurrence_day: np.ndarray  # per sampled person: first new episode after that remission (-1: none)
    last_day: int

    def wave(self, years: float, name: str) -> np.ndarray:
        """One status at the wave `years` after baseline; all NaN if the follow-up ended before it."""
        if years not in self.waves:
            return np.full(len(self.waves[0.0]), np.nan)
        return self.waves[years][name].to_numpy()

    @property
    def time1(self) -> pd.DataFrame:
        """The baseline survey (the first wave)."""
        return self.waves[0.0]

    @property
    def time2(self) -> pd.DataFrame:
        """The survey at the end of follow-up (the last wave)."""
        return self.waves[self.follow_up_years]

    def statistics(self) -> dict[str, float]:
        """Cross-sectional and longitudinal statistics, named as the targets name them."""
        t1, t2 = self.time1, self.time2
        out: dict[str, float] = {}
        for name in STATUSES:
            out[f"prevalence_{name}_t1"] = float(t1[name].mean())
        # MIDUS's statistics read depression through its own instrument, at each wave.
        bp, midus_dep = t1["midus_back_pain"].to_numpy(), t1["midus_depression"].to_numpy()
        out["depression_given_back_pain_t1"] = _share(midus_dep, bp)
        out["depression_given_no_back_pain_t1"] = _share(midus_dep, ~bp)
        covariates = t1[list(COVARIATES)]
        ratio, low, high = odds_ratio(t2["midus_depression"].to_numpy(), bp, covariates)
        out["or_depression_t2_given_back_pain_t1"] = ratio
        out["or_depression_t2_given_back_pain_t1_low"], out["or_depression_t2_given_back_pain_t1_high"] = low, high
        ratio, low, high = odds_ratio(t2["midus_back_pain"].to_numpy(), midus_dep, covariates)
        out["or_back_pain_t2_given_depression_t1"] = ratio
        out["or_back_pain_t2_given_depression_t1_low"], out["or_back_pain_t2_given_depression_t1_high"] = low, high
        ratio, low, high = prevalence_ratio(t2["midus_back_pain"].to_numpy(), midus_dep, covariates[["age", "female"]])
        out["pr_back_pain_t2_given_depression_t1"] = ratio

        cp, dep = t1["chronic_pain"].to_numpy(), t1["depression"].to_numpy()
        at_incidence = self.wave(self.incidence_years, "chronic_pain")
        free = ~cp
        out["incidence_chronic_pain"] = _share(at_incidence, free)
        out["incidence_chronic_pain_1y"] = _share(self.wave(1.0, "chronic_pain"), free)
        out["persistence_chronic_pain_4y"] = _share(self.wave(4.0, "chronic_pain"), cp)
        poor_sleep = t1["clinical_insomnia"].to_numpy()
        missing = self.incidence_years not in self.waves
        for name, exposure in (("depression", dep), ("poor_sleep", poor_sleep)):
            key = f"rr_new_chronic_pain_given_{name}"
            ratio = (np.nan,) * 3 if missing else risk_ratio(at_incidence[free], exposure[free])
            out[key], out[f"{key}_low"], out[f"{key}_high"] = ratio

        ins = t1["insomnia"].to_numpy()
        ins1 = self.wave(1.0, "insomnia")
        out["persistence_insomnia_1y"] = _share(ins1, ins)
        out["incidence_insomnia_1y"] = _share(ins1, ~ins)
        out["or_depression_given_insomnia"] = np.nan
        if 3.0 in self.waves:
            dep3 = self.wave(3.0, "depression")
            ratio, _, _ = odds_ratio(dep3[~dep], ins[~dep], covariates.loc[~dep, ["age", "female"]])
            out["or_depression_given_insomnia"] = ratio

        # Recovery of new episodes (Spijker 2002): those with at least 24 months of follow-up.
        onset, recovered = self.episode_onset, self.episode_recovered
        observable = onset <= self.last_day - years_to_days(2.0)
        for months in RECOVERY_MONTHS:
            by = onset + int(round(months * DAYS_PER_MONTH))
            done = (recovered >= 0) & (recovered <= by)
            out[f"depression_recovered_{months}m"] = _share(done, observable)
        # Recurrence within 5 years of a remission during follow-up (Hardeveld 2013).
        remitted = (self.remission_day >= 0) & (self.remission_day <= self.last_day - years_to_days(5.0))
        recurred = (self.recurrence_day >= 0) & (self.recurrence_day - self.remission_day <= years_to_days(5.0))
        out["depression_recurrence_5y"] = _share(recurred, remitted)
        return out


WAVE_YEARS = (1.0, 3.0, 4.0)


def run_cohort(
    scenario: Scenario,
    sample_size: int | None = None,
    follow_up_years: float = 9.0,
    incidence_years: float = 3.0,
    replicate: int = 0,
    model: PainCycleModel | None = None,
) -> CohortResult:
    """Survey a sample of `scenario`'s population now and in waves until `follow_up_years`.

    Examples:
        >>> from simulation import Scenario
        >>> result = run_cohort(Scenario(population=2000), sample_size=500, follow_up_years=1)  # doctest: +SKIP
        >>> result.statistics()["or_depression_t2_given_back_pain_t1"]  # doctest: +SKIP
    """
    if model is None:
        model = PainCycleModel(scenario, replicate=replicate, agent_views=False)
    n = model.state.size
    size = n if sample_size is None else min(int(sample_size), n)
    people = np.sort(stream(model.seed, model.replicate, "cohort").choice(n, size=size, replace=False))
    waves = {0.0: survey(model, people)}
    wave_days = {years_to_days(y): y for y in (*WAVE_YEARS, incidence_years, follow_up_years) if y <= follow_up_years}
    tracker = model.status.mde_episode
    start = model.day
    was_active = tracker.active[people].copy()
    open_episode = np.full(size, -1, np.int64)  # index into the episode log of each person's open new episode
    onsets: list[int] = []
    recoveries: list[int] = []
    remission = np.full(size, -1, np.int32)
    recurrence = np.full(size, -1, np.int32)
    last = years_to_days(follow_up_years)
    for day in range(1, last + 1):
        model.step()
        active = tracker.active[people]
        started = active & ~was_active
        ended = was_active & ~active
        if ended.any():
            who = np.flatnonzero(ended)
            began = tracker.remission_day[people[who]] - start - tracker.remission_days
            for i, b in zip(who, began, strict=True):
                if open_episode[i] >= 0:
                    recoveries[open_episode[i]] = int(b)
                    open_episode[i] = -1
            first = who[remission[who] < 0]
            remission[first] = day
        if started.any():
            who = np.flatnonzero(started)
            for i in who:
                open_episode[i] = len(onsets)
                onsets.append(tracker.onset_day[people[i]] - start)
                recoveries.append(-1)
            again = who[(remission[who] >= 0) & (recurrence[who] < 0)]
            recurrence[again] = day
        was_active = active
        if day in wave_days:
            waves[wave_days[day]] = survey(model, people)
    return CohortResult(
        waves,
        follow_up_years,
        incidence_years,
        np.asarray(onsets, np.int64),
        np.asarray(recoveries, np.int64),
        remission,
        recurrence,
        last,
    )


def check_cohort_design(sample: int, population: int, follow_up: float, incidence: float, where: str) -> None:
    """Refuse, before any simulating, a cohort study that cannot be run as asked (`where` names the
    input that asked for it): the sample must fit in the population, the windows in 0-50 years."""
    if not 10 <= sample <= population:
        raise InputError(
            f"{where}: the cohort sample ({sample:,}) must be at least 10 and at most the population ({population:,})."
        )
    for label, years in (("follow-up", follow_up), ("incidence window", incidence)):
        if not (math.isfinite(years) and 0 < years <= 50):
            raise InputError(f"{where}: the {label} must be more than 0 and at most 50 years, got {years:g}.")


def write_cohort(
    statistics: dict[str, float],
    scenario: Scenario,
    sample: int,
    follow_up_years: float,
    incidence_years: float,
    out_root: str | Path = "results",
) -> Path:
    """Write a cohort study's statistics (statistics.csv, manifest.json) as a new results folder."""
    from simulation.results import atomic_folder, study_manifest, write_manifest

    with atomic_folder(out_root, f"cohort-{scenario.name}") as (staging, folder):
        table = pd.DataFrame({"statistic": list(statistics), "value": list(statistics.values())})
        table.to_csv(staging / "statistics.csv", index=False)
        cohort = {"sample": sample, "follow_up_years": follow_up_years, "incidence_years": incidence_years}
        write_manifest(staging, study_manifest(None, scenario=scenario.resolved(), cohort=cohort))
    return folder


def _cohort_task(scenario: Scenario, sample_size, follow_up_years, incidence_years) -> dict[str, float]:
    return run_cohort(scenario, sample_size, follow_up_years, incidence_years).statistics()


def cohort_statistics(
    scenario: Scenario,
    sample_size: int | None = None,
    follow_up_years: float = 9.0,
    incidence_years: float = 3.0,
    jobs: int | None = None,
    dask: str | None = None,
) -> dict[str, float]:
    """`run_cohort(...).statistics()` as a study task: here, in a worker process or on Dask."""
    from simulation.study import Task, run_study

    task = Task(0, _cohort_task, (scenario, sample_size, follow_up_years, incidence_years))
    return run_study([task], jobs=jobs, dask=dask)[0]
