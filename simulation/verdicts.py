"""Verdicts against published bands, judged on intervals rather than point estimates.

A simulated result is "in band" only when its whole 95% interval lies inside the band; an interval
that straddles an edge of the band "touches" it; one wholly outside is "outside". With fewer than
two finite replicates there is no interval, and the verdict says so. Intervals are computed on the
quantity's own scale (logit for shares, log for ratios) and mapped back, so a prevalence interval
stays in [0, 1] and a ratio's stays positive.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import stats

from simulation.outcomes import kind_of

Scale = Literal["share", "ratio", "linear"]
VERDICTS = ("in band", "touches", "outside", "no interval")


def interval(values, scale: Scale = "linear") -> tuple[float, float, float]:
    """Mean across replicates and the t-based 95% interval of the mean, on `scale`."""
    values = np.asarray(values, float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(values.mean())
    if values.size < 2:
        return mean, float("nan"), float("nan")
    eps = 1e-6
    if scale == "share":
        clipped = np.clip(values, eps, 1 - eps)
        z = np.log(clipped / (1 - clipped))
        back = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
    elif scale == "ratio" and (values > 0).all():
        z = np.log(values)
        back = np.exp
    else:
        z = values
        back = lambda x: x  # noqa: E731
    half = stats.t.ppf(0.975, z.size - 1) * z.std(ddof=1) / np.sqrt(z.size)
    centre = z.mean()
    return mean, float(back(centre - half)), float(back(centre + half))


def verdict(low: float, high: float, band: tuple[float, float]) -> str:
    """Where a 95% interval stands against a band."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return "no interval"
    if band[0] <= low and high <= band[1]:
        return "in band"
    if high < band[0] or low > band[1]:
        return "outside"
    return "touches"


def scale_of(name: str, band: tuple[float, float]) -> Scale:
    """The natural scale of a target: ratios by their kind in `simulation.outcomes`, shares when the
    band lies in [0, 1], linear otherwise. `name` may carry its measure kind (`cohort:or_...`)."""
    if kind_of(name.split(":")[-1]) == "ratio":
        return "ratio"
    if band[0] >= 0.0 and band[1] <= 1.0:
        return "share"
    return "linear"
