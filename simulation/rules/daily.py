"""One day for everyone at once, in the order the causal graph runs within a day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.rules.mechanisms import update_mechanisms
from simulation.rules.mood import update_mood
from simulation.rules.nociception import update_nociception
from simulation.rules.pain import update_pain
from simulation.rules.sleep import update_sleep


@dataclass
class DailyNoise:
    """The day's random draws, a fixed block per person per day (common random numbers).

    Everyone draws the same amount every day whatever happens to them, so a treatment that
    changes one person's path leaves every other person's numbers where they were.
    """

    normal: np.ndarray  # shape (4, n): nociception, pain, mood, sleep
    uniform: np.ndarray  # shape (n,): episode switching

    @classmethod
    def allocate(cls, size: int) -> DailyNoise:
        return cls(np.empty((4, size), np.float32), np.empty(size, np.float32))

    def draw(self, rng: np.random.Generator) -> None:
        rng.standard_normal(dtype=np.float32, out=self.normal)
        rng.random(dtype=np.float32, out=self.uniform)


def advance_day(state, params, noise: DailyNoise, mods=None) -> None:
    """Move every person one day on: nociception, pain, mood, sleep, then the slow mechanisms.

    `mods` carries today's treatment effects (`simulation.interventions.effects.Modifiers`);
    None, or a Modifiers with nothing set, runs the untreated rules.
    """
    if mods is not None and not mods.active():
        mods = None
    update_nociception(state, params.nociception, noise.normal[0])
    update_pain(state, params.pain, noise.normal[1], mods)
    update_mood(state, params.mood, noise.normal[2], noise.uniform, mods)
    update_sleep(state, params.sleep, noise.normal[3], mods)
    update_mechanisms(state, params.mechanisms, mods)
