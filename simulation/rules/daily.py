"""One day for everyone at once, in the order the causal graph runs within a day."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.rules.care import update_care
from simulation.rules.central import central_nociception, update_central_pain
from simulation.rules.mechanisms import update_mechanisms
from simulation.rules.mood import update_mood
from simulation.rules.nociception import update_nociception
from simulation.rules.pain import update_pain
from simulation.rules.sleep import update_sleep

if TYPE_CHECKING:  # types only: the rules import nothing more at run time
    from simulation.interventions.effects import Modifiers
    from simulation.parameters import ModelParams
    from simulation.state import PopulationState

UNIFORMS = ("depression episode", "central pain episode", "care")


@dataclass
class DailyNoise:
    """The day's random draws, a fixed block per person per day (common random numbers).

    Everyone draws the same amount every day whatever happens to them, so a treatment that
    changes one person's path leaves every other person's numbers where they were.
    """

    normal: np.ndarray  # shape (4, n): nociception, pain, mood, sleep
    uniform: np.ndarray  # shape (3, n): the switches of UNIFORMS, in that order

    @classmethod
    def allocate(cls, size: int) -> DailyNoise:
        return cls(np.empty((4, size), np.float32), np.empty((len(UNIFORMS), size), np.float32))

    def draw(self, rng: np.random.Generator) -> None:
        rng.standard_normal(dtype=np.float32, out=self.normal)
        rng.random(dtype=np.float32, out=self.uniform)


def advance_day(state: PopulationState, params: ModelParams, noise: DailyNoise, mods: Modifiers | None = None) -> None:
    """Move every person one day on: nociception and central pain episodes, pain, mood, sleep, the
    slow mechanisms, then care-seeking.

    `mods` carries today's treatment effects (`simulation.interventions.effects.Modifiers`);
    None, or a Modifiers with nothing set, runs the untreated rules.
    """
    if mods is not None and not mods.active():
        mods = None
    update_nociception(state, params.nociception, noise.normal[0])
    update_central_pain(state, params.central, noise.uniform[1])
    update_pain(state, params.pain, noise.normal[1], mods, central_nociception(state, params.central))
    update_mood(state, params.mood, noise.normal[2], noise.uniform[0], mods)
    update_sleep(state, params.sleep, noise.normal[3], mods)
    update_mechanisms(state, params.mechanisms, mods)
    update_care(state, params.care, noise.uniform[2])
