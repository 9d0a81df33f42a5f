"""Incremental cost-effectiveness analysis across every strategy of a comparison.

The textbook procedure (e.g. Drummond et al. 2015, ch. 4; the `calculate_icers` of R's dampack):

1. sort the strategies by cost;
2. remove the strongly dominated: a strategy is dominated when another costs no more and yields
   no less, and is better on at least one of the two (of two identical strategies the one listed
   later is set aside, so every strategy keeps a status);
3. remove the extendedly dominated: among the rest, sorted by cost, a strategy whose ICER against
   the next cheaper one is above the next dearer one's ICER against it is beaten by a mix of its
   two neighbours; remove it and recompute, until the ICERs rise along the list;
4. the strategies left form the efficient frontier; each one's ICER is against the frontier
   strategy just below it.

Net monetary benefit at a willingness to pay `wtp` per unit of effect is ``wtp x effect - cost``;
the strategy with the largest is the one to adopt at that threshold, which is always the frontier
strategy with the largest ICER not above `wtp`.

Intervals come from replicates run with common random numbers: each replicate gives a paired
difference between two strategies; incremental costs, effects and NMB get a t-interval of the mean
difference, and an ICER gets Fieller's interval for a ratio of two correlated means (unbounded, so
not given, when the incremental effect's own interval includes zero).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from simulation.intervals import MIN_REPLICATES

NON_DOMINATED = "non-dominated"
DOMINATED = "dominated"
EXTENDED = "extendedly dominated"


def incremental_analysis(names: Sequence[str], costs: Sequence[float], effects: Sequence[float]) -> pd.DataFrame:
    """The incremental table: one row per strategy, sorted by cost (ties: larger effect first).

    Columns: strategy, cost, effect, status (non-dominated, dominated, extendedly dominated),
    dominated_by (for a dominated strategy: the cheapest strategy that dominates it; for an
    extendedly dominated one: its two frontier neighbours when it was removed, "A + B"),
    comparator (for a frontier strategy: the one just below it), incremental_cost,
    incremental_effect and icer (frontier strategies except the cheapest; NaN otherwise).

    Examples:
        >>> t = incremental_analysis(["a", "b", "c"], [0, 100, 150], [0.0, 0.01, 0.005])
        >>> list(t["status"])
        ['non-dominated', 'non-dominated', 'dominated']
        >>> float(t["icer"].iloc[1])
        10000.0
    """
    names = [str(n) for n in names]
    cost = np.asarray(costs, float)
    effect = np.asarray(effects, float)
    if not (len(names) == cost.size == effect.size):
        raise ValueError("names, costs and effects must have the same length")
    if len(set(names)) != len(names):
        raise ValueError("strategy names must be distinct")
    if not (np.all(np.isfinite(cost)) and np.all(np.isfinite(effect))):
        raise ValueError("costs and effects must be finite numbers")
    order = sorted(range(len(names)), key=lambda i: (cost[i], -effect[i], i))
    rank = {i: k for k, i in enumerate(order)}
    status = dict.fromkeys(range(len(names)), NON_DOMINATED)
    by: dict[int, str] = {}
    for j in order:
        for i in order:  # cheapest first, so `by` names the cheapest dominating strategy
            if i == j:
                continue
            better = cost[i] < cost[j] or effect[i] > effect[j]
            same = cost[i] == cost[j] and effect[i] == effect[j]
            if cost[i] <= cost[j] and effect[i] >= effect[j] and (better or (same and rank[i] < rank[j])):
                status[j], by[j] = DOMINATED, names[i]
                break
    frontier = [i for i in order if status[i] == NON_DOMINATED]
    while True:
        icers = [_ratio(frontier[k - 1], frontier[k], cost, effect) for k in range(1, len(frontier))]
        worse = next((k for k in range(len(icers) - 1) if icers[k] > icers[k + 1]), None)
        if worse is None:
            break
        removed = frontier.pop(worse + 1)
        status[removed] = EXTENDED
        by[removed] = f"{names[frontier[worse]]} + {names[frontier[worse + 1]]}"
    comparator = {frontier[k]: frontier[k - 1] for k in range(1, len(frontier))}
    rows = []
    for i in order:
        c = comparator.get(i)
        rows.append(
            {
                "strategy": names[i],
                "cost": float(cost[i]),
                "effect": float(effect[i]),
                "status": status[i],
                "dominated_by": by.get(i, ""),
                "comparator": names[c] if c is not None else "",
                "incremental_cost": float(cost[i] - cost[c]) if c is not None else math.nan,
                "incremental_effect": float(effect[i] - effect[c]) if c is not None else math.nan,
                "icer": _ratio(c, i, cost, effect) if c is not None else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _ratio(low: int, high: int, cost: np.ndarray, effect: np.ndarray) -> float:
    return float((cost[high] - cost[low]) / (effect[high] - effect[low]))


def net_monetary_benefit(cost, effect, wtp: float):
    """``wtp x effect - cost`` (arrays or numbers)."""
    return wtp * np.asarray(effect, float) - np.asarray(cost, float)


def best_at(names: Sequence[str], costs: Sequence[float], effects: Sequence[float], wtp: float) -> str:
    """The strategy with the largest net monetary benefit at `wtp` (the first listed on a tie)."""
    nmb = net_monetary_benefit(costs, effects, wtp)
    return str(list(names)[int(np.argmax(nmb))])


def paired_interval(differences) -> tuple[float, float, float]:
    """(mean, low, high): a 95% t-interval of the mean paired difference; none (NaN) with fewer than
    `MIN_REPLICATES` replicates."""
    d = np.asarray(differences, float)
    mean = float(d.mean()) if d.size else math.nan
    if d.size < MIN_REPLICATES:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.975, d.size - 1) * d.std(ddof=1) / math.sqrt(d.size))
    return mean, mean - half, mean + half


def fieller_interval(d_cost, d_effect, level: float = 0.95) -> tuple[float, float]:
    """Fieller's interval for the ratio of the means of paired differences (an ICER).

    NaN when there are fewer than `MIN_REPLICATES` replicates, or when the interval is unbounded
    (the incremental effect is not distinguishable from zero at this level).

    Examples:
        >>> low, high = fieller_interval([10.0, 12, 11, 9, 10], [1.0, 1.1, 1.0, 0.9, 1.0])
        >>> low < 10.4 < high
        True
    """
    dc, de = np.asarray(d_cost, float), np.asarray(d_effect, float)
    n = dc.size
    if n < MIN_REPLICATES:
        return math.nan, math.nan
    t2 = float(stats.t.ppf(0.5 + level / 2, n - 1)) ** 2
    mc, me = dc.mean(), de.mean()
    vc, ve = dc.var(ddof=1) / n, de.var(ddof=1) / n
    cov = float(np.cov(dc, de, ddof=1)[0, 1]) / n
    a = me**2 - t2 * ve
    b = -2 * (mc * me - t2 * cov)
    c = mc**2 - t2 * vc
    disc = b * b - 4 * a * c
    if a <= 0 or disc < 0:
        return math.nan, math.nan
    root = math.sqrt(disc)
    return float((-b - root) / (2 * a)), float((-b + root) / (2 * a))
