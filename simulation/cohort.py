"""A virtual cohort study: survey a sample, follow it, survey again, analyse as the paper did.

Seed 001's MIDUS analysis sampled adults, measured back pain and major depression at time 1 and
again 9 years later, and estimated the association of each condition at time 1 with the other at
time 2 by logistic regression adjusted for age and sex. `run_cohort` does the same on any scenario,
and also follows who *develops* chronic pain (among those free of it at time 1) within
`incidence_years`, for the risk ratios of seed 003 (depression) and seed 004 (poor sleep).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.model import PainCycleModel
from simulation.outcomes import statuses
from simulation.rng import stream
from simulation.scenario import Scenario
from simulation.units import years_to_days

STATUSES = ("chronic_pain", "midus_back_pain", "depression", "insomnia", "clinical_insomnia")


def survey(model, people: np.ndarray) -> pd.DataFrame:
    """One wave: age, sex and clinical statuses of `people` today."""
    flags = statuses(model, people)
    wave = pd.DataFrame({"person": people, "age": model.state.age[people], "female": model.state.female[people]})
    for name in STATUSES:
        wave[name] = flags[name]
    return wave


def odds_ratio(
    outcome: np.ndarray, exposure: np.ndarray, age: np.ndarray, female: np.ndarray
) -> tuple[float, float, float]:
    """Odds ratio of `outcome` for `exposure`, adjusted for age and sex (logistic regression), with
    its 95% confidence interval. NaN when the model cannot be fitted (no events, separation)."""
    import statsmodels.api as sm

    design = np.column_stack([np.ones(outcome.size), exposure.astype(float), (age - 45.0) / 10.0, female.astype(float)])
    try:
        fit = sm.Logit(outcome.astype(float), design).fit(disp=0)
    except Exception:  # noqa: BLE001 - statsmodels raises several kinds on degenerate data
        return float("nan"), float("nan"), float("nan")
    beta, se = fit.params[1], fit.bse[1]
    return float(np.exp(beta)), float(np.exp(beta - 1.96 * se)), float(np.exp(beta + 1.96 * se))


def risk_ratio(event: np.ndarray, exposed: np.ndarray) -> float:
    """Risk of `event` among the exposed over the risk among the unexposed."""
    if exposed.all() or not exposed.any():
        return float("nan")
    unexposed_risk = event[~exposed].mean()
    return float(event[exposed].mean() / unexposed_risk) if unexposed_risk > 0 else float("nan")


@dataclass
class CohortResult:
    time1: pd.DataFrame
    time2: pd.DataFrame
    onset_day: np.ndarray  # per sampled person: first day with chronic pain during follow-up (-1: none)
    follow_up_years: float
    incidence_years: float

    def statistics(self) -> dict[str, float]:
        """Cross-sectional (time 1) and longitudinal statistics, named as the targets name them."""
        t1, t2 = self.time1, self.time2
        out: dict[str, float] = {}
        for name in STATUSES:
            out[f"prevalence_{name}_t1"] = float(t1[name].mean())
        bp, dep = t1["midus_back_pain"].to_numpy(), t1["depression"].to_numpy()
        out["depression_given_back_pain_t1"] = float(dep[bp].mean()) if bp.any() else float("nan")
        out["depression_given_no_back_pain_t1"] = float(dep[~bp].mean()) if (~bp).any() else float("nan")
        age, female = t1["age"].to_numpy(), t1["female"].to_numpy()
        for name, outcome, exposure in (
            ("or_depression_t2_given_back_pain_t1", t2["depression"], t1["midus_back_pain"]),
            ("or_back_pain_t2_given_depression_t1", t2["midus_back_pain"], t1["depression"]),
        ):
            ratio, low, high = odds_ratio(outcome.to_numpy(), exposure.to_numpy(), age, female)
            out[name], out[name + "_low"], out[name + "_high"] = ratio, low, high
        free = ~t1["chronic_pain"].to_numpy()
        onset = self.onset_day[free]
        developed = (onset >= 1) & (onset <= years_to_days(self.incidence_years))
        out["incidence_chronic_pain"] = float(developed.mean()) if free.any() else float("nan")
        first_year = (onset >= 1) & (onset <= years_to_days(1.0))
        out["incidence_chronic_pain_1y"] = float(first_year.mean()) if free.any() else float("nan")
        out["rr_new_chronic_pain_given_depression"] = risk_ratio(developed, t1["depression"].to_numpy()[free])
        out["rr_new_chronic_pain_given_poor_sleep"] = risk_ratio(developed, t1["insomnia"].to_numpy()[free])
        return out


def run_cohort(
    scenario: Scenario,
    sample_size: int | None = None,
    follow_up_years: float = 9.0,
    incidence_years: float = 3.0,
    replicate: int = 0,
    model: PainCycleModel | None = None,
) -> CohortResult:
    """Survey a sample of `scenario`'s population, follow it `follow_up_years`, survey it again.

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
    time1 = survey(model, people)
    onset = np.full(size, -1, np.int32)
    watch_days = max(years_to_days(incidence_years), years_to_days(1.0))
    for day in range(1, years_to_days(follow_up_years) + 1):
        model.step()
        if day <= watch_days:
            onset[(onset < 0) & model.status.chronic_pain(people)] = day
    return CohortResult(time1, survey(model, people), onset, follow_up_years, incidence_years)
