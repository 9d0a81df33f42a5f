"""The daily rules, one module per mechanism, each with its parameters beside it.

Each module declares a mechanism's parameters, causal edges and equations (its docstring); the
equations are coded once, for one person, in `simulation.rules.kernel`, which runs the whole day
over the population in one compiled pass.

Order within a day (`advance_day`): tissue nociception drifts; today's pain is felt (amplified by
last night's sleep and yesterday's mood); mood follows today's pain; tonight's sleep follows
today's pain and mood; the slow mechanisms move a little toward where today's states push them.
"""

from __future__ import annotations

from simulation.rules.daily import DailyNoise, advance_day

__all__ = ["DailyNoise", "advance_day"]
