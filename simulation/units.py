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


def switch_two_state(
    flag: np.ndarray, log_drive: np.ndarray, rate_on_per_year: float, rate_off_per_year: float, uniform: np.ndarray
) -> None:
    """One day of a two-state process (an episode, a spell in care), in place.

    Outside the state the hazard of entering is `rate_on_per_year` x exp(`log_drive`); inside it
    the hazard of leaving is `rate_off_per_year`. Each person switches when today's uniform draw
    falls below the probability of an event within the day. `log_drive` is overwritten.
    """
    with np.errstate(divide="ignore"):  # a zero rate is allowed: log 0 = -inf, hazard 0
        log_drive += np.float32(np.log(daily_rate(rate_on_per_year)))
    np.exp(log_drive, out=log_drive)
    log_drive[flag] = np.float32(daily_rate(rate_off_per_year))
    switch = uniform < probability_within_day(log_drive, out=log_drive)
    np.logical_xor(flag, switch, out=flag)


def relaxation_per_day(timescale_days: float) -> float:
    """Fraction of the gap to its target that a state closes in one day.

    Exact for first-order relaxation dx/dt = (target - x) / timescale held over a day, so a state
    with a 60-day timescale covers 1 - e^-1 (63%) of the gap in 60 daily steps.
    """
    return float(-np.expm1(-1.0 / timescale_days))


def years_to_days(years: float) -> int:
    """Whole days in a span of years (365.25 days a year), as scenario durations are counted."""
    return int(round(years * DAYS_PER_YEAR))
