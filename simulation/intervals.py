"""Intervals as the results tables show them: on the quantity's own scale, named, and only when
there are enough replicates for one to mean something.

`simulation.verdicts.interval` does the arithmetic (a t-interval of the mean across replicates,
computed on the logit scale for shares and the log scale for ratios, then mapped back). This
module decides which scale an outcome lives on, refuses an interval from fewer than
`MIN_REPLICATES` replicates (a t-interval from 2-4 replicates is so wide, or so unstable, that a
reader would be misled by it), and keeps every interval inside the quantity's range: a prevalence
interval never leaves [0, 1] and a mean NRS interval never leaves [0, 10].

Examples:
    >>> outcome_interval([0.2, 0.21, 0.19, 0.2, 0.22], "chronic_pain")[1] > 0
    True
    >>> outcome_interval([0.2, 0.21], "chronic_pain")[1]
    nan
"""

from __future__ import annotations

import numpy as np

from simulation.outcomes import kind_of, range_of
from simulation.verdicts import Scale, interval

MIN_REPLICATES = 5
METHOD = "95% t-interval of the mean across replicates, logit scale for shares, linear for means and differences"
NO_INTERVAL = f"n/a: fewer than {MIN_REPLICATES} replicates"
INTERVAL_SCALES: dict[str, Scale] = {"prevalence": "share", "ratio": "ratio", "mean": "linear", "count": "linear"}


def scale_of_outcome(name: str) -> Scale:
    """The scale an outcome's interval is computed on, from its kind in `simulation.outcomes`:
    'share' (logit) for prevalences, 'ratio' (log) for ratios, 'linear' for means and counts."""
    return INTERVAL_SCALES[kind_of(name)]


def outcome_range(name: str, difference: bool = False) -> tuple[float, float]:
    """The values the outcome (or a difference of two of it) can take."""
    low, high = range_of(name)
    if difference:
        return low - high, high - low
    return low, high


def outcome_interval(values, name: str, difference: bool = False) -> tuple[float, float, float]:
    """(mean, low, high) across replicates of outcome `name` (or of a paired difference of it).

    Shares get the logit-scale interval; means and paired differences the linear one, kept inside
    the quantity's range. Fewer than `MIN_REPLICATES` finite values give a NaN interval.
    """
    values = np.asarray(values, float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(finite.mean())
    if finite.size < MIN_REPLICATES:
        return mean, float("nan"), float("nan")
    if np.ptp(finite) == 0:
        return mean, mean, mean
    scale: Scale = "linear" if difference else scale_of_outcome(name)
    _, low, high = interval(finite, scale)
    lo_bound, hi_bound = outcome_range(name, difference)
    # The logit-scale interval is centred on the mean logit; keep the arithmetic mean inside it.
    low, high = min(low, mean), max(high, mean)
    return mean, float(max(low, lo_bound)), float(min(high, hi_bound))


def interval_note(replicates: int) -> str:
    """What a table's interval column holds, for its caption or its method column."""
    return METHOD if replicates >= MIN_REPLICATES else NO_INTERVAL
