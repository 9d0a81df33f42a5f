"""Costs of illness by category, perspectives, price years and discounting, from a run's series.

Each condition's yearly cost per person who has it is a declared parameter (`CostParams`, under
`parameters.costs` in a scenario) in the price year of its source. A day's cost of illness is each
prevalence in the population series times its yearly cost over 365.25; intervention costs come
from the cumulative intervention spending the series records. Every cost is converted to the
scenario's price year with the US consumer price index (CPI-U, all items; `CPI_U`) and discounted
to day 0 of the run at the scenario's rate, as QALYs are at theirs (`simulation.economics.settings`).

Categories and the perspectives that count them:

| category | health-care payer | societal |
|---|---|---|
| intervention (the programmes' sessions and drugs) | yes | yes |
| healthcare_pain, healthcare_depression, healthcare_insomnia | yes | yes |
| absenteeism, presenteeism (productivity losses) | no | yes |

The conditions' costs come from separate studies that each compare people with one condition to
people without it, so a person with two or three conditions is counted two or three times; the
studies adjust for some comorbidity, not for each other's condition. This overstatement is an
assumption the report states; it affects levels more than differences between strategies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from simulation.declare import ParamGroup, param
from simulation.uncertainty import Uncertainty
from simulation.units import DAYS_PER_YEAR

if TYPE_CHECKING:  # pandas is loaded by whoever passes a frame; `painsim --help` does not pay for it
    import pandas as pd

# US CPI-U, U.S. city average, all items, annual averages (1982-84 = 100).
CPI_SOURCE = "BLS CPI-U"
CPI_U: dict[int, float] = {
    2007: 207.342, 2008: 215.303, 2009: 214.537, 2010: 218.056, 2011: 224.939, 2012: 229.594,
    2013: 232.957, 2014: 236.736, 2015: 237.017, 2016: 240.007, 2017: 245.120, 2018: 251.107,
    2019: 255.657, 2020: 258.811, 2021: 270.970, 2022: 292.655, 2023: 304.702, 2024: 313.689,
}  # fmt: skip
FIRST_PRICE_YEAR, LAST_PRICE_YEAR = min(CPI_U), max(CPI_U)


def price_index(year: float) -> float:
    """The CPI-U of `year`; a fractional year lies on the straight line between two years' averages."""
    if not FIRST_PRICE_YEAR <= year <= LAST_PRICE_YEAR:
        raise ValueError(f"no CPI-U for {year:g}: price years {FIRST_PRICE_YEAR}-{LAST_PRICE_YEAR} are covered")
    return float(np.interp(year, list(CPI_U), list(CPI_U.values())))


def inflate(value: float, from_year: float, to_year: float) -> float:
    """`value` in `from_year` prices expressed in `to_year` prices (CPI-U ratio).

    Examples:
        >>> round(inflate(100.0, 2010, 2020), 2)
        118.69
    """
    return value * price_index(to_year) / price_index(from_year)


def _cost(value: float, year: int, source: str, basis: str, doc: str, spread: float = 0.25) -> Any:
    """A yearly cost per person with the condition, in USD of `year`, with a gamma uncertainty of
    +-`spread` around it (an assumption where the source gives no usable interval)."""
    return param(
        value,
        lo=0.0,
        hi=100_000.0,
        unit=f"USD ({year} prices) per person-year with the condition",
        source=source,
        basis=basis,  # type: ignore[arg-type]
        doc=doc,
        price_year=year,
        uncertainty=Uncertainty(
            "gamma",
            low=round(value * (1 - spread), 2),
            high=round(value * (1 + spread), 2),
            basis=f"assumption (+-{spread:.0%} around the value; the source's own interval is not used)",
        ),
    )


_GASKIN_PROD = (
    "Gaskin & Richard 2012, converted: the lower ends of its national losses (2010 USD: days of work missed "
    "$11.6 billion; hours of work lost $95.2 billion and lower wages $190.6 billion, read here as presenteeism) "
    "divided by its about 100 million US adults with pain; its pain includes joint pain and arthritis, a wider "
    "group than the model's chronic pain"
)
_GREENBERG = "Greenberg et al. 2023, converted: its 2019 national {what} divided by its 19.8 million US adults with MDD"


class CostParams(ParamGroup):
    """Yearly costs per person with each condition (health care, productivity) and the price year of
    intervention fees."""

    pain_healthcare: float = _cost(
        4516.0, 2010,
        "Gaskin & Richard 2012 (health-care spending of adults with moderate pain over those without pain, MEPS "
        "2008); applied to every person with chronic pain",
        "cited", "Extra health-care spending of a person with chronic pain.",
    )  # fmt: skip
    high_impact_pain_healthcare_extra: float = _cost(
        3210.0, 2010,
        "Gaskin & Richard 2012 (severe over moderate pain); applied to high-impact chronic pain on top of the "
        "chronic-pain cost",
        "cited", "Further health-care spending when chronic pain is high-impact.",
    )  # fmt: skip
    pain_absenteeism: float = _cost(
        116.0, 2010, "assumption: " + _GASKIN_PROD, "assumption",
        "Work days missed for chronic pain (value of the lost work, per person with chronic pain).",
    )  # fmt: skip
    pain_presenteeism: float = _cost(
        2858.0, 2010, "assumption: " + _GASKIN_PROD, "assumption",
        "Reduced productivity at work for chronic pain (lost hours and lower wages, per person with chronic pain).",
    )  # fmt: skip
    depression_healthcare: float = _cost(
        6429.0, 2019, _GREENBERG.format(what="incremental health-care costs ($127.3 billion)"), "cited",
        "Extra health-care spending of a person with 12-month major depression.",
    )  # fmt: skip
    depression_absenteeism: float = _cost(
        1939.0, 2019, _GREENBERG.format(what="absenteeism costs ($38.4 billion)"), "cited",
        "Work days missed for major depression (per person with 12-month depression, employed or not).",
    )  # fmt: skip
    depression_presenteeism: float = _cost(
        2187.0, 2019, _GREENBERG.format(what="presenteeism costs ($43.3 billion)"), "cited",
        "Reduced productivity at work for major depression (per person with 12-month depression, employed or not).",
    )  # fmt: skip
    insomnia_healthcare: float = _cost(
        1486.0, 2008,
        "Kleinman et al. 2009 (employees with insomnia over matched controls: medical $751 plus drugs $735 a year); "
        "its price year is not stated in the abstract and is taken as 2008 (an assumption); it counts diagnosed or "
        "treated insomnia, the model's insomnia disorder includes the untreated",
        "cited", "Extra health-care spending of a person with insomnia disorder.",
    )  # fmt: skip
    insomnia_absenteeism: float = _cost(
        238.0, 2008,
        "assumption: Kleinman et al. 2009 sick leave, short- and long-term disability ($397 per employee with "
        "insomnia a year) times 0.6, about the US employment-population ratio (BLS employment-population ratio), to "
        "count per person rather than per employee",
        "assumption", "Work days missed for insomnia (per person with insomnia disorder, employed or not).",
    )  # fmt: skip
    insomnia_presenteeism: float = _cost(
        1368.0, 2009,
        "assumption: Kessler et al. 2011 ($2,280 of lost work performance per worker with insomnia a year, net of "
        "comorbid conditions, survey of 2008-2009) times 0.6, about the US employment-population ratio (BLS "
        "employment-population ratio), to count per person rather than per worker",
        "assumption", "Reduced productivity at work for insomnia (per person with insomnia disorder, employed or not).",
    )  # fmt: skip
    intervention_price_year: float = param(
        2023.0,
        lo=FIRST_PRICE_YEAR,
        hi=LAST_PRICE_YEAR,
        unit="calendar year",
        source="assumption (intervention fees and drug prices are declared as approximate current US prices)",
        basis="assumption",
        doc="Price year of the interventions' session and daily costs.",
    )


# category -> the (series column, cost parameter) pairs it sums
ILLNESS_CATEGORIES: dict[str, tuple[tuple[str, str], ...]] = {
    "healthcare_pain": (("chronic_pain", "pain_healthcare"),
                        ("high_impact_chronic_pain", "high_impact_pain_healthcare_extra")),
    "healthcare_depression": (("depression", "depression_healthcare"),),
    "healthcare_insomnia": (("insomnia", "insomnia_healthcare"),),
    "absenteeism": (("chronic_pain", "pain_absenteeism"), ("depression", "depression_absenteeism"),
                    ("insomnia", "insomnia_absenteeism")),
    "presenteeism": (("chronic_pain", "pain_presenteeism"), ("depression", "depression_presenteeism"),
                     ("insomnia", "insomnia_presenteeism")),
}  # fmt: skip
CATEGORIES = ("intervention", *ILLNESS_CATEGORIES)
PERSPECTIVES: dict[str, tuple[str, ...]] = {
    "healthcare_payer": ("intervention", "healthcare_pain", "healthcare_depression", "healthcare_insomnia"),
    "societal": CATEGORIES,
}
INTERVENTION_COST_COLUMN = "intervention_cost"


def discount_factors(days, rate: float) -> np.ndarray:
    """Continuous-time discount factor of each day: (1 + rate) ** -(day / 365.25)."""
    return (1.0 + rate) ** (-np.asarray(days, float) / DAYS_PER_YEAR)


def discounted_person_years(days, values, rate: float) -> float:
    """The area under `values` (a rate per person-year, sampled on `days`) in years, discounted."""
    days = np.asarray(days, float)
    if days.size < 2:
        return 0.0
    weighted = np.asarray(values, float) * discount_factors(days, rate)
    return float(np.trapezoid(weighted, days) / DAYS_PER_YEAR)


def discounted_increments(days, cumulative, rate: float) -> float:
    """A cumulative spending series, each interval's spending discounted at the interval's midpoint."""
    days = np.asarray(days, float)
    spent = np.diff(np.asarray(cumulative, float), prepend=0.0)
    mid = np.concatenate([[days[0]], (days[1:] + days[:-1]) / 2]) if days.size else days
    return float(np.sum(spent * discount_factors(mid, rate)))


ALIVE_COLUMN = "alive"  # share of the day-0 population alive; only in runs with demography on


def per_person(series: pd.DataFrame, column: str) -> np.ndarray:
    """`column` of a population series per person of the day-0 population: outcomes are reported
    among the living, so with deaths they are weighted by the share alive (the dead count nothing)."""
    values = series[column].to_numpy(float)
    if ALIVE_COLUMN in series.columns:
        values = values * series[ALIVE_COLUMN].to_numpy(float)
    return values


def replicate_costs(series: pd.DataFrame, costs: CostParams, price_year: int, rate: float) -> dict[str, float]:
    """Per person, discounted at `rate` to day 0 and in `price_year` prices: each cost category of one
    replicate's population series."""
    if INTERVENTION_COST_COLUMN not in series.columns:
        raise ValueError(f"the series has no `{INTERVENTION_COST_COLUMN}` column (made by an older version?)")
    days = series["day"].to_numpy(float)
    out = {
        "intervention": inflate(
            discounted_increments(days, series[INTERVENTION_COST_COLUMN], rate),
            costs.intervention_price_year,
            price_year,
        )
    }
    fields = CostParams.model_fields
    for category, parts in ILLNESS_CATEGORIES.items():
        total = 0.0
        for column, name in parts:
            yearly = inflate(getattr(costs, name), fields[name].json_schema_extra["price_year"], price_year)
            total += yearly * discounted_person_years(days, per_person(series, column), rate)
        out[category] = total
    return out
