"""Time conversions, in one tested place: rates, timescales and per-day probabilities.

One model step is one day. Parameters are declared in the units the literature uses (rates per
year, timescales in days); the rules use these helpers to turn them into per-step quantities.
"""

from __future__ import annotations

import numpy as np

DAYS_PER_YEAR = 365.25


def daily_rate(rate_per_year: float) -> float:
    """A hazard rate per year expressed per day."""
    return rate_per_year / DAYS_PER_YEAR


def probability_within_day(rate_per_day, out: np.ndarray | None = None):
    """Probability of at least one event in a day under a constant hazard: 1 - exp(-rate).

    Works on arrays; `out` (which may be the rate array itself) avoids allocating on the daily path.
    """
    if out is None:
        return -np.expm1(-np.asarray(rate_per_day))
    np.negative(rate_per_day, out=out)
    np.expm1(out, out=out)
    return np.negative(out, out=out)


def relaxation_per_day(timescale_days: float) -> float:
    """Fraction of the gap to its target that a state closes in one day.

    Exact for first-order relaxation dx/dt = (target - x) / timescale held over a day, so a state
    with a 60-day timescale covers 1 - e^-1 (63%) of the gap in 60 daily steps.
    """
    return float(-np.expm1(-1.0 / timescale_days))


def years_to_days(years: float) -> int:
    """Whole days in a span of years (365.25 days a year), as scenario durations are counted."""
    return int(round(years * DAYS_PER_YEAR))
