"""The day's random draws under each engine (`Scenario.engine`).

`numpy` (the default): `DailyNoise` draws a fixed block per person per day from the replicate's
SFC64 "daily" stream. `compiled`: `CounterNoise` fills the same block from counter-based Philox
draws (`simulation.counter_rng`), person i's numbers on day d being a pure function of (seed,
replicate, d, i): they do not depend on the population's size or order, on threads or on workers.
Both give four standard normals and three uniforms in (0, 1) per person per day, in the layout
the rules read (`simulation.rules.daily`), so the rules and the per-agent oracle are unchanged.
Under `compiled` the kernel (`simulation.rules.kernel`) makes each chunk's numbers itself, inside
its one pass over the population, and never stores them: the buffers stay untouched (no memory)
unless `CounterNoise.fused` is switched off, when they are filled as before and read from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.counter_rng import fill_daily_noise
from simulation.rules.daily import UNIFORMS, DailyNoise

ENGINES = ("numpy", "compiled")


@dataclass
class CounterNoise(DailyNoise):
    """`DailyNoise` filled from counter-based draws keyed by (seed, replicate, day, person).

    It counts the days itself: the model draws once per day, from its first settling day on, so
    the n-th draw is day `first_day + n`.
    """

    seed: int = 0
    replicate: int = 0
    day: int = 0
    fused: bool = True  # the kernel makes the numbers inside its pass; False: fill the buffers (tests, tools)

    def today(self, rng: np.random.Generator | None = None) -> tuple:
        """Today's draws for the kernel: its counter words (it makes the numbers itself), or with
        `fused` off the filled buffers; then move to tomorrow. The numbers are the same either way."""
        if not self.fused:
            self.draw(rng)
            return self.normal, self.uniform, None
        from simulation.rules.kernel import counter_words

        words = counter_words(self.seed, self.replicate, self.day)
        self.day += 1
        return None, None, words

    def draw(self, rng: np.random.Generator | None = None) -> None:
        """Fill today's draws (`rng` is ignored: the numbers come from the counter) and move to tomorrow."""
        fill_daily_noise(self.normal, self.uniform, self.seed, self.replicate, self.day)
        self.day += 1


def allocate_noise(engine: str, size: int, seed: int, replicate: int, first_day: int) -> DailyNoise:
    """The draws' buffers of one replicate for `engine`, the first draw being for `first_day`."""
    if engine == "numpy":
        return DailyNoise.allocate(size)
    if engine == "compiled":
        normal = np.empty((4, size), np.float32)
        uniform = np.empty((len(UNIFORMS), size), np.float32)
        return CounterNoise(normal, uniform, seed=int(seed), replicate=int(replicate), day=int(first_day))
    raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
