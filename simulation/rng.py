"""Random-number streams: one seed per run, split by replicate and by purpose.

Each (replicate, purpose) pair gets its own generator from `numpy.random.SeedSequence`, keyed by a
fixed index. Two consequences the design relies on:

- a replicate's numbers depend only on the run seed and the replicate index, never on which worker
  ran it or how many workers there were;
- a purpose draws from its own stream, so adding draws for one purpose (an intervention's uptake,
  say) shifts nobody's daily noise: common random numbers across scenarios.

The index of a stream is part of the results' identity: append new purposes, never reorder.
"""

from __future__ import annotations

import numpy as np

STREAMS: dict[str, int] = {
    "population": 0,  # traits and initial states
    "daily": 1,  # the day-to-day noise of the rules
    "panel": 2,  # which individuals are followed in the panel
    "mesa": 3,  # mesa.Model's own generators (agent shuffles); the rules never use it
    "uptake": 4,  # interventions: who takes a treatment up, individual response
    "adherence": 5,  # interventions: session attendance
    "dropout": 6,  # interventions: stopping treatment (per intervention sub-streams)
    "trial": 7,  # virtual trials: recruitment and randomisation
    "cohort": 8,  # virtual cohort studies: who is sampled
    "demography": 9,  # deaths and the traits of the adults who replace the dead
    "instruments": 10,  # survey instruments' misreadings (a screen's false positives and misses)
}


DAY_KEY_OFFSET = 1 << 31  # days before day 0 are negative; a SeedSequence key must not be


def seed_sequence(seed: int, replicate: int, purpose: str) -> np.random.SeedSequence:
    """The seed sequence of one purpose in one replicate of a run."""
    if purpose not in STREAMS:
        raise KeyError(f"unknown random stream {purpose!r}; known: {', '.join(STREAMS)}")
    return np.random.SeedSequence(entropy=seed, spawn_key=(replicate, STREAMS[purpose]))


def generator(sequence: np.random.SeedSequence) -> np.random.Generator:
    """The project's generator for a seed sequence: SFC64, the fastest of numpy's bit generators
    here (drawing the daily noise is about a third of a day's cost), with good statistical quality."""
    return np.random.Generator(np.random.SFC64(sequence))


def survey_draws(seed: int, replicate: int, day: int, size: int) -> np.ndarray:
    """One uniform per person for the survey instruments read on `day`: a pure function of (seed,
    replicate, day), so two readings on one day agree and readings on different days are independent
    (a screen's error is the reading's, not a trait of the person)."""
    return stream(seed, replicate, "instruments", key=int(day) + DAY_KEY_OFFSET).random(size)


def stream(seed: int, replicate: int, purpose: str, key: int | None = None) -> np.random.Generator:
    """A generator for one purpose in one replicate of a run; `key` splits a purpose further
    (one sub-stream per intervention, keyed by a stable hash of its label)."""
    sequence = seed_sequence(seed, replicate, purpose)
    if key is not None:
        sequence = np.random.SeedSequence(sequence.entropy, spawn_key=(*sequence.spawn_key, key))
    return generator(sequence)
