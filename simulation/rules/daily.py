"""One day for everyone at once, in the order the causal graph runs within a day.

The rules themselves are written once, for one person, in `simulation.rules.kernel`, and run over
the whole population in one compiled pass together with the clinical windows. This module holds
the day's random draws (`DailyNoise`) and `advance_day`, the model's one call a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # types only
    from simulation.interventions.effects import Modifiers
    from simulation.parameters import ModelParams
    from simulation.state import PopulationState
    from simulation.status import ClinicalStatus

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
        """Buffers for `size` people (filled by `draw`)."""
        return cls(np.empty((4, size), np.float32), np.empty((len(UNIFORMS), size), np.float32))

    def draw(self, rng: np.random.Generator) -> None:
        """Fill the buffers with today's numbers from `rng`."""
        rng.standard_normal(dtype=np.float32, out=self.normal)
        rng.random(dtype=np.float32, out=self.uniform)

    def today(self, rng: np.random.Generator) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
        """Today's draws as the kernel takes them: (normal, uniform, None) once drawn here, or
        (None, None, counter words) when the kernel makes them itself (`simulation.noise.CounterNoise`)."""
        self.draw(rng)
        return self.normal, self.uniform, None


def advance_day(
    state: PopulationState,
    status: ClinicalStatus,
    params: ModelParams,
    noise: DailyNoise,
    rng: np.random.Generator,
    mods: Modifiers | None,
    day: int,
) -> dict[str, float]:
    """Move every person one day on, to day number `day`: nociception and central pain episodes,
    pain, mood, sleep, the slow mechanisms, care-seeking, then the clinical windows.

    `mods` carries today's treatment effects (`simulation.interventions.effects.Modifiers`);
    None, or a Modifiers with nothing set, runs the untreated rules. With more than one numba
    thread a large population is split over them (the results do not change). Returns the day's
    key outcomes, summed in the same pass (`simulation.rules.kernel.KEY_OUTCOMES`).
    """
    from simulation.rules.kernel import run_day, threads  # numba loads here, not when the package is imported

    if mods is not None and not mods.active():
        mods = None
    normal, uniform, words = noise.today(rng)
    return run_day(state, status, params, mods, day, normal, uniform, words, threads=threads())
