"""Population outcomes: every outcome declared once (the catalogue), and the daily ones computed.

The catalogue `OUTCOMES` says, for each outcome a table, chart, interval or target can name, its
human label, unit, scale and kind, and where it is computed. Results, comparisons, charts,
intervals, verdicts, validation and the terminal tables all read it, so an outcome cannot be a
share in one place and a mean in another, or carry two different labels.

All prevalences are shares of the simulated adults (0-1). "depression" is the 12-month prevalence
of a major depressive episode (the diagnostic measure of Hasin 2018); "midus_depression" is that
episode as MIDUS's short-form interview reads it (a screen: some misses, more false alarms), and
MIDUS's conditional shares read depression that way; "depression_current" is an episode under way
today.

Examples:
    >>> OUTCOMES["mean_phq9"].scale, OUTCOMES["mean_phq9"].kind
    ('PHQ-9 0-27', 'mean')
    >>> is_share("insomnia"), is_share("mean_isi")
    (True, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from simulation.instruments import INSTRUMENTS, ISI_MAX, NRS_MAX, PHQ9_MAX
from simulation.rng import survey_draws
from simulation.state import COLUMN_BY_NAME, SLOW_STATES, isi_reading
from simulation.status import ALL, Selector
from simulation.utility import utility

if TYPE_CHECKING:  # the model computes its outcomes with this module
    from simulation.model import PainCycleModel

Kind = Literal["prevalence", "mean", "ratio", "count"]
# Where the value comes from: the population each recorded day (`population_metrics`), a whole
# run's replicate (`simulation.compare`), or the virtual cohort study (`simulation.cohort`).
# `demography`: each recorded day, only in runs whose scenario has a `demography:` block switched on.
Computed = Literal["daily", "run", "cohort", "demography"]
SHARE = "0-1 share"


@dataclass(frozen=True)
class Outcome:
    """One outcome as every table and chart shows it.

    `label` is what a reader sees; `description` what exactly is counted; `unit` what one step
    of the value is; `scale` its range in words; `low`/`high` the values it can take (intervals
    are kept inside them); `short` a column header for narrow terminal tables.
    """

    name: str
    label: str
    description: str
    kind: Kind
    unit: str = "share of adults"
    scale: str = SHARE
    low: float = 0.0
    high: float = 1.0
    computed: Computed = "daily"
    short: str = ""

    @property
    def header(self) -> str:
        """The column header of narrow tables (the label, lower case, unless a short one is set)."""
        return self.short or self.label.lower()

    @property
    def with_unit(self) -> str:
        """The label with its unit, as an axis or panel title: "Mean pain (NRS points)"."""
        return self.label if self.kind in ("prevalence", "count") else f"{self.label} ({self.unit})"

    @property
    def with_scale(self) -> str:
        """The label with its range, as a table row: "Mean pain (NRS 0-10)"."""
        return self.label if self.kind == "prevalence" else f"{self.label} ({self.scale})"


def _prevalence(name: str, label: str, description: str, computed: Computed = "daily", short: str = "") -> Outcome:
    return Outcome(name, label, description, "prevalence", computed=computed, short=short)


def _cohort_share(name: str, label: str, description: str) -> Outcome:
    return Outcome(name, label, description, "prevalence", "share of the cohort at risk", computed="cohort")


def _ratio(name: str, label: str, description: str) -> Outcome:
    return Outcome(name, label, description, "ratio", "ratio", "ratio (1 = no association)", 0.0, math.inf, "cohort")


def _slow_mean(name: str) -> Outcome:
    column = COLUMN_BY_NAME[name]
    words = name.replace("_", " ")
    return Outcome(
        f"mean_{name}",
        f"Mean {words}",
        f"mean {words} (0-1)",
        "mean",
        column.unit,
        column.unit,
        column.lower,
        column.upper,
    )


_CATALOGUE: tuple[Outcome, ...] = (
    Outcome(
        "mean_pain",
        "Mean pain",
        "mean pain today (NRS 0-10)",
        "mean",
        "NRS points",
        "NRS 0-10",
        0.0,
        NRS_MAX,
        short="pain (NRS)",
    ),
    Outcome(
        "mean_phq9",
        "Mean depressive symptoms",
        "mean PHQ-9 equivalent today (0-27)",
        "mean",
        "PHQ-9 points",
        "PHQ-9 0-27",
        0.0,
        PHQ9_MAX,
        short="PHQ-9",
    ),
    Outcome(
        "mean_isi",
        "Mean insomnia severity",
        "mean ISI equivalent, last fortnight (0-28)",
        "mean",
        "ISI points",
        "ISI 0-28",
        0.0,
        ISI_MAX,
        short="ISI",
    ),
    _prevalence("chronic_pain", "Chronic pain", "chronic pain: pain on most days of the last 3 months"),
    _prevalence("high_impact_chronic_pain", "High-impact chronic pain", "chronic pain that limits life or work"),
    _prevalence(
        "midus_back_pain",
        "Back pain (MIDUS definition)",
        "MIDUS back pain: pain several times a week in the last 30 days",
    ),
    _prevalence(
        "depression",
        "Major depression (12-month)",
        "major depressive episode in the last 12 months",
        short="depression",
    ),
    _prevalence(
        "midus_depression",
        "Depression as MIDUS reads it (12-month)",
        "12-month depression read by MIDUS's short-form interview (CIDI-SF)",
    ),
    _prevalence("depression_current", "Major depression (current)", "major depressive episode under way"),
    _prevalence(
        "insomnia", "Insomnia disorder", "insomnia disorder: 3 bad nights a week for 3 months", short="insomnia"
    ),
    _prevalence("clinical_insomnia", "Clinical insomnia (ISI >= 15)", "ISI 15 or more"),
    _prevalence("pain_and_depression", "Chronic pain + depression", "chronic pain and 12-month depression"),
    _prevalence("pain_and_insomnia", "Chronic pain + insomnia", "chronic pain and insomnia disorder"),
    _prevalence("depression_and_insomnia", "Depression + insomnia", "12-month depression and insomnia disorder"),
    _prevalence("all_three", "Pain + depression + insomnia", "chronic pain, 12-month depression and insomnia disorder"),
    _prevalence(
        "depression_given_chronic_pain",
        "Depression among people with chronic pain",
        "12-month depression among people with chronic pain",
    ),
    _prevalence(
        "depression_given_no_chronic_pain",
        "Depression among people without chronic pain",
        "12-month depression among people without chronic pain",
    ),
    _prevalence(
        "depression_given_back_pain",
        "Depression among people with back pain",
        "12-month depression (as MIDUS reads it) among people with MIDUS back pain",
    ),
    _prevalence(
        "depression_given_no_back_pain",
        "Depression among people without back pain",
        "12-month depression (as MIDUS reads it) among people without MIDUS back pain",
    ),
    _prevalence(
        "back_pain_given_depression",
        "Back pain among people with depression",
        "MIDUS back pain among people with 12-month depression (as MIDUS reads it)",
    ),
    _prevalence(
        "back_pain_given_no_depression",
        "Back pain among people without depression",
        "MIDUS back pain among people without 12-month depression (as MIDUS reads it)",
    ),
    _prevalence(
        "insomnia_given_chronic_pain",
        "Insomnia among people with chronic pain",
        "insomnia disorder among people with chronic pain",
    ),
    _prevalence(
        "depression_given_high_impact_pain",
        "Depression among people with high-impact pain",
        "12-month depression among people with high-impact chronic pain",
    ),
    _prevalence(
        "depression_given_chronic_pain_in_care",
        "Depression among pain patients in care",
        "12-month depression among people with chronic pain who are in care",
    ),
    _prevalence(
        "clinical_insomnia_given_chronic_pain_in_care",
        "Clinical insomnia among pain patients in care",
        "ISI 15 or more among people with chronic pain who are in care",
    ),
    _prevalence("in_care", "In care", "seeing a clinician for pain, low mood or sleep"),
    _prevalence("in_episode", "In a depressive episode", "in a depressive episode (latent state)"),
    _prevalence("in_central_pain", "In central pain", "in an episode of centrally driven pain (latent state)"),
    _prevalence("opioid_use", "Opioid use", "taking opioids (exposure above 0.05)"),
    _prevalence("opioid_misuse", "Opioid misuse", "opioid dependence at the misuse level"),
    _prevalence("opioid_addiction", "Opioid addiction", "opioid dependence at the addiction level"),
    # The floor of utility is kept open: the interval of a mean utility is bounded above only.
    Outcome(
        "mean_utility",
        "Mean health utility",
        "mean health utility today (for QALYs)",
        "mean",
        "utility",
        "utility, 1 = full health",
        -math.inf,
        1.0,
    ),
    *(_slow_mean(name) for name in SLOW_STATES),
    # Recorded each day only with demography on (`simulation.demography`): per person of the day-0 population.
    Outcome(
        "alive",
        "Alive",
        "share of the day-0 population alive",
        "prevalence",
        "share of the day-0 population",
        computed="demography",
    ),
    Outcome(
        "deaths_per_1000",
        "Deaths per 1,000",
        "deaths since day 0 per 1,000 of the day-0 population (replaced or not)",
        "mean",
        "deaths per 1,000",
        "deaths per 1,000",
        0.0,
        1000.0,
        "demography",
        short="deaths/1000",
    ),
    Outcome(
        "life_years_per_person",
        "Life-years per person",
        "person-years lived since day 0 per person of the day-0 population (undiscounted)",
        "mean",
        "life-years",
        "life-years",
        0.0,
        math.inf,
        "demography",
    ),
    Outcome("mean_age", "Mean age", "mean age of the living", "mean", "years", "years", 18.0, 120.0, "demography"),
    # Per replicate of a whole run, in comparisons.
    Outcome(
        "qalys_per_person",
        "Quality-adjusted life years per person",
        "QALYs per person over the run (area under mean utility)",
        "mean",
        "QALYs",
        "QALYs",
        -math.inf,
        math.inf,
        "run",
    ),
    Outcome(
        "cost_per_person",
        "Intervention cost per person",
        "intervention cost per person over the run",
        "mean",
        "USD",
        "USD",
        0.0,
        math.inf,
        "run",
    ),
    Outcome(
        "treated",
        "People treated",
        "people enrolled in any intervention over the run",
        "count",
        "people",
        "people",
        0.0,
        math.inf,
        "run",
    ),
    # The cohort study's statistics that targets can name (`simulation.cohort.CohortResult.statistics`).
    _ratio(
        "or_depression_t2_given_back_pain_t1",
        "Odds ratio: depression at follow-up given back pain",
        "adjusted odds ratio of 12-month depression (as MIDUS reads it) at the last wave given MIDUS back pain "
        "at the first",
    ),
    _ratio(
        "or_back_pain_t2_given_depression_t1",
        "Odds ratio: back pain at follow-up given depression",
        "adjusted odds ratio of MIDUS back pain at the last wave given 12-month depression (as MIDUS reads it) "
        "at the first",
    ),
    _ratio(
        "pr_back_pain_t2_given_depression_t1",
        "Prevalence ratio: back pain at follow-up given depression",
        "prevalence ratio of MIDUS back pain at the last wave given 12-month depression (as MIDUS reads it) "
        "at the first",
    ),
    _ratio(
        "rr_new_chronic_pain_given_depression",
        "Risk ratio: new chronic pain given depression",
        "risk ratio of new chronic pain at the incidence wave given 12-month depression at baseline",
    ),
    _ratio(
        "rr_new_chronic_pain_given_poor_sleep",
        "Risk ratio: new chronic pain given poor sleep",
        "risk ratio of new chronic pain at the incidence wave given ISI 15 or more at baseline",
    ),
    _cohort_share(
        "incidence_chronic_pain",
        "Incidence of chronic pain",
        "new chronic pain at the incidence wave among people free of it at baseline",
    ),
    _cohort_share(
        "incidence_chronic_pain_1y",
        "Incidence of chronic pain, 1 year",
        "new chronic pain after 1 year among people free of it at baseline",
    ),
    _cohort_share(
        "persistence_chronic_pain_4y",
        "Persistence of chronic pain, 4 years",
        "chronic pain after 4 years among people with it at baseline",
    ),
    _cohort_share(
        "persistence_insomnia_1y",
        "Persistence of insomnia, 1 year",
        "insomnia disorder after 1 year among people with it at baseline",
    ),
    _cohort_share(
        "incidence_insomnia_1y",
        "Incidence of insomnia, 1 year",
        "insomnia disorder after 1 year among people without it at baseline",
    ),
    _ratio(
        "or_depression_given_insomnia",
        "Odds ratio: depression given insomnia",
        "odds ratio of 12-month depression at 3 years given insomnia among the non-depressed at baseline",
    ),
    *(
        _cohort_share(
            f"depression_recovered_{months}m",
            f"Recovered from depression by {months} months",
            f"new depressive episodes recovered within {months} months",
        )
        for months in (3, 6, 12, 24)
    ),
    _cohort_share(
        "depression_recurrence_5y",
        "Recurrence of depression, 5 years",
        "a new depressive episode within 5 years of remission",
    ),
)
OUTCOMES: dict[str, Outcome] = {o.name: o for o in _CATALOGUE}


def computed_by(where: Computed) -> tuple[str, ...]:
    """The names of the outcomes computed in one place, in catalogue order."""
    return tuple(o.name for o in _CATALOGUE if o.computed == where)


# name -> what it means, for the daily outcomes; the order is the column order of the series and the summary
METRICS: dict[str, str] = {o.name: o.description for o in _CATALOGUE if o.computed == "daily"}
# The cohort statistics a validation target can name.
COHORT_STATISTICS = computed_by("cohort")

PREVALENCES = (
    "chronic_pain",
    "high_impact_chronic_pain",
    "midus_back_pain",
    "depression",
    "insomnia",
    "clinical_insomnia",
)
# Outcomes compared by default (`painsim compare`, its CSV and its charts).
KEY_OUTCOMES = (
    "chronic_pain",
    "high_impact_chronic_pain",
    "depression",
    "insomnia",
    "all_three",
    "opioid_misuse",
    "mean_pain",
    "mean_phq9",
    "mean_isi",
)


def kind_of(name: str) -> Kind:
    """The kind of outcome `name`; a name outside the catalogue (a user's own column) is read by
    its prefix: "mean_" a mean, "or_"/"rr_"/"pr_" a ratio, anything else a prevalence."""
    if name in OUTCOMES:
        return OUTCOMES[name].kind
    if name.startswith(("mean_", "mean ")):
        return "mean"
    return "ratio" if name.startswith(("or_", "rr_", "pr_")) else "prevalence"


def is_share(name: str) -> bool:
    """Whether outcome `name` is a share (shown in percent, differences in percentage points)."""
    return kind_of(name) == "prevalence"


def label_of(name: str) -> str:
    """What a reader sees for outcome `name` (the name itself outside the catalogue)."""
    return OUTCOMES[name].label if name in OUTCOMES else name


def range_of(name: str) -> tuple[float, float]:
    """The values outcome `name` can take: its declared range, or by kind outside the catalogue."""
    if name in OUTCOMES:
        return OUTCOMES[name].low, OUTCOMES[name].high
    return (0.0, 1.0) if is_share(name) else (-math.inf, math.inf)


def _share(flags: np.ndarray, among: np.ndarray | None = None) -> float:
    if among is None:
        return float(np.count_nonzero(flags)) / max(flags.size, 1)
    n = np.count_nonzero(among)
    return float(np.count_nonzero(flags & among)) / n if n else float("nan")


def statuses(model: PainCycleModel, at: Selector = ALL, only: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """Clinical statuses today, as boolean columns (everyone, or the people selected by `at`);
    `only` names the ones wanted, so a daily eligibility check reads no more than it needs (the
    MIDUS screen alone draws a number for everyone)."""
    st, state, day = model.status, model.state, model.day

    def midus_depression() -> np.ndarray:
        draws = survey_draws(model.seed, model.replicate, day, state.size)[at]
        return st.cidi_sf_reading(st.mde_12m(day, at), draws)

    readers = {
        "chronic_pain": lambda: st.chronic_pain(at),
        "high_impact_chronic_pain": lambda: st.high_impact_chronic_pain(state, at),
        "midus_back_pain": lambda: st.midus_back_pain(at),
        "depression": lambda: st.mde_12m(day, at),
        "midus_depression": midus_depression,
        "depression_current": lambda: st.mde_current(at),
        "insomnia": lambda: st.insomnia_disorder(at),
        "clinical_insomnia": lambda: st.clinical_insomnia(state, at),
        "in_care": lambda: state.in_care[at],
    }
    return {name: read() for name, read in readers.items() if only is None or name in only}


def status_combinations(flags, share) -> dict[str, float]:
    """The overlaps and conditional shares of the statuses, defined once: `flags` maps each status
    of `statuses` to a mask (a column of people, or of `simulation.tally`'s histogram bins) and
    `share(flag, among=None)` counts with it. MIDUS's conditionals read depression through its
    screen."""
    cp, dep, ins, bp = flags["chronic_pain"], flags["depression"], flags["insomnia"], flags["midus_back_pain"]
    midus_dep, care = flags["midus_depression"], flags["in_care"]
    return {
        "pain_and_depression": share(cp & dep),
        "pain_and_insomnia": share(cp & ins),
        "depression_and_insomnia": share(dep & ins),
        "all_three": share(cp & dep & ins),
        "depression_given_chronic_pain": share(dep, cp),
        "depression_given_no_chronic_pain": share(dep, ~cp),
        "depression_given_back_pain": share(midus_dep, bp),
        "depression_given_no_back_pain": share(midus_dep, ~bp),
        "back_pain_given_depression": share(bp, midus_dep),
        "back_pain_given_no_depression": share(bp, ~midus_dep),
        "insomnia_given_chronic_pain": share(ins, cp),
        "depression_given_high_impact_pain": share(dep, flags["high_impact_chronic_pain"]),
        "depression_given_chronic_pain_in_care": share(dep, cp & care),
        "clinical_insomnia_given_chronic_pain_in_care": share(flags["clinical_insomnia"], cp & care),
        "in_care": share(care),
    }


def population_metrics(model: PainCycleModel) -> dict[str, float]:
    """Every metric of `METRICS` for the population today (among the living, when some have died)."""
    living = model.living() if hasattr(model, "living") else None
    if living is None:
        share, mean = _share, _mean
    else:

        def share(flags: np.ndarray, among: np.ndarray | None = None) -> float:
            return _share(flags, living if among is None else among & living)

        def mean(values: np.ndarray) -> float:
            return _mean(values[living])

    s = model.state
    flags = statuses(model)
    out = {
        "mean_pain": mean(s.pain),
        "mean_phq9": mean(s.mood) * PHQ9_MAX,
        "mean_isi": mean(s.isi),
        **{name: share(flag) for name, flag in flags.items() if name != "in_care"},
        **status_combinations(flags, share),
        "in_episode": share(s.in_episode),
        "in_central_pain": share(s.in_central_pain),
        "opioid_use": share(s.opioid_exposure > np.float32(0.05)),
        "opioid_misuse": share(model.status.opioid_misuse(s)),
        "opioid_addiction": share(model.status.opioid_addiction(s)),
        "mean_utility": mean(utility(model.params.utility, s.pain, s.phq9, s.isi)),
    }
    for name in SLOW_STATES:
        out[f"mean_{name}"] = mean(getattr(s, name))
    return {name: out[name] for name in METRICS}


def _mean(values: np.ndarray) -> float:
    return float(values.mean(dtype=np.float64))


PANEL_COLUMNS = ("age", "female", "pain", "sleep", "in_episode", "in_central_pain", "in_care", *SLOW_STATES)


def panel_rows(model: PainCycleModel, index: np.ndarray) -> dict[str, np.ndarray]:
    """Today's values for the panel members `index` (one row each), read only at those rows."""
    s = model.state
    rows: dict[str, np.ndarray] = {
        "day": np.full(index.size, model.day, np.int32),
        "person": index.astype(np.int32),
    }
    for name in PANEL_COLUMNS:
        rows[name] = getattr(s, name)[index]
    rows["phq9"] = s.mood[index] * np.float32(PHQ9_MAX)
    rows["isi"] = isi_reading(s.sleep_recent[index], s.isi_offset[index])
    rows["nociception"] = np.exp(s.log_nociception[index])
    kept = ("chronic_pain", "depression", "insomnia")
    flags = statuses(model, index, only=kept)  # not the MIDUS screen, which draws a number for everyone
    for name in kept:
        rows[name] = flags[name]
    return rows


# Bins of the end-of-run distributions (left edges; the last bin is closed on the right), one per
# instrument, keyed by the measure name `distributions.csv` uses.
DISTRIBUTION_BINS: dict[str, np.ndarray] = {
    measure: np.arange(0.0, i.maximum + i.bin_width, i.bin_width) for measure, i in INSTRUMENTS.items()
}


def distributions(model: PainCycleModel) -> list[dict[str, float]]:
    """Shares of the population in each bin of pain, PHQ-9 and ISI today."""
    values = {"pain (NRS)": model.state.pain, "PHQ-9": model.state.phq9, "ISI": model.state.isi}
    living = model.living() if hasattr(model, "living") else None
    if living is not None:  # among the living
        values = {measure: column[living] for measure, column in values.items()}
    rows = []
    for measure, edges in DISTRIBUTION_BINS.items():
        counts, _ = np.histogram(values[measure], bins=edges)
        shares = counts / max(values[measure].size, 1)
        for left, right, share in zip(edges[:-1], edges[1:], shares, strict=True):
            rows.append({"measure": measure, "bin_left": float(left), "bin_right": float(right), "share": share})
    return rows
