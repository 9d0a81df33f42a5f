"""Settling: bring a freshly synthesised population close to its steady state, fast.

A new population starts everyone at their set points, with no one in an episode and every slow
mechanism at zero. Left to the normal rules it would take years of simulated time to settle (the
slow states and the episode process have timescales of months). Settling runs the same rules
with every timescale shortened and both episode hazards raised by the same factor: the targets
and the odds of being in an episode (onset / remission) are unchanged, so the population moves
to the same steady state in a fraction of the days. The burn-in that follows runs the real rules
and fills the clinical windows.
"""

from __future__ import annotations

SPEEDUP = 10.0


def accelerated(params, speedup: float = SPEEDUP):
    """A copy of `params` whose slow processes run `speedup` times faster toward the same targets.

    The copy is internal to settling and may leave the declared bounds (a 6-day timescale), so it
    is made with `model_copy(update=...)`, which does not re-validate.
    """
    m = params.mechanisms
    mechanisms = m.model_copy(
        update={
            name: max(getattr(m, name) / speedup, 1.0)
            for name in type(m).model_fields
            if name.endswith("_timescale_days")
        }
    )
    nociception = params.nociception.model_copy(
        update={"timescale_days": max(params.nociception.timescale_days / speedup, 1.0)}
    )
    mood = params.mood.model_copy(
        update={
            "onset_rate_per_year": params.mood.onset_rate_per_year * speedup,
            "remission_rate_per_year": params.mood.remission_rate_per_year * speedup,
        }
    )
    central = params.central.model_copy(
        update={
            name: getattr(params.central, name) * speedup for name in ("onset_rate_per_year", "remission_rate_per_year")
        }
    )
    care = params.care.model_copy(
        update={name: getattr(params.care, name) * speedup for name in ("entry_rate_per_year", "exit_rate_per_year")}
    )
    return params.model_copy(
        update={"mechanisms": mechanisms, "nociception": nociception, "mood": mood, "central": central, "care": care}
    )
