"""Daily diaries, analysed as diary studies analyse them.

Diary studies of people with chronic pain (seed 004's 80 patients with low back pain; Edwards et
al. 2008; Tang et al. 2012) record each night's sleep and each day's pain, then estimate two
within-person associations: last night's sleep with the next day's pain, and the day's pain with
the night that follows. Each is a regression on person-mean-centred values (so stable differences
between people drop out), reported standardised. Seed 004 and the diary literature find the first
stronger than the second.

`record_diary` follows chosen people in a running model; `diary_paths` analyses any panel, so a
user can rerun the analysis on a panel of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DiaryPaths:
    """The two within-person paths a diary study estimates, and how many people and days it used."""

    sleep_to_next_day_pain: float  # standardised within-person slope of day t's pain on night t-1
    pain_to_that_night_sleep: float  # standardised within-person slope of night t on day t's pain
    people: int
    days: int

    @property
    def ratio(self) -> float:
        """Pain -> sleep as a share of sleep -> pain (below 1: the seed's asymmetry)."""
        return self.pain_to_that_night_sleep / self.sleep_to_next_day_pain


def _within(x: np.ndarray) -> np.ndarray:
    """Person-mean centred: columns are people, rows are days."""
    return x - x.mean(axis=0, keepdims=True)


def standardised_slope(outcome: np.ndarray, predictor: np.ndarray) -> float:
    """Within-person standardised slope of `outcome` on `predictor` (both days x people)."""
    y, x = _within(outcome).ravel(), _within(predictor).ravel()
    sx, sy = x.std(), y.std()
    if sx == 0 or sy == 0:
        return float("nan")
    return float((x * y).mean() / (sx * sy))


def diary_paths(pain: np.ndarray, sleep: np.ndarray) -> DiaryPaths:
    """Both diary paths from a panel: row t holds day t's pain and the night after day t.

    Args:
        pain: days x people, daily pain (NRS).
        sleep: days x people, poor sleep of the night that follows each day (higher is worse).
    """
    pain, sleep = np.asarray(pain, float), np.asarray(sleep, float)
    if pain.shape != sleep.shape or pain.ndim != 2 or pain.shape[0] < 3:
        raise ValueError("pain and sleep must be (days, people) arrays of the same shape, with at least 3 days")
    return DiaryPaths(
        sleep_to_next_day_pain=standardised_slope(pain[1:], sleep[:-1]),
        pain_to_that_night_sleep=standardised_slope(sleep, pain),
        people=pain.shape[1],
        days=pain.shape[0],
    )


def record_diary(model, people: np.ndarray, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Step `model` for `days` days and return (pain, sleep) of `people`, row t = day t and its night."""
    pain = np.empty((days, people.size), np.float32)
    sleep = np.empty((days, people.size), np.float32)
    for t in range(days):
        model.step()
        pain[t], sleep[t] = model.state.pain[people], model.state.sleep[people]
    return pain, sleep
