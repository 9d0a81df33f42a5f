"""Unit tests of `ClinicalStatus` with hand-built daily inputs: every window, threshold and the ring buffer.

Each person (a column of the state) gets a hand-written schedule; `ClinicalStatus.update(state, day)`
is called once a day, as the model calls it, starting on day 1.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.state import PopulationState
from simulation.status import NEVER, RING_BYTES, WINDOW_DAYS, ClinicalStatus, StatusParams

PAIN_DAY = 3.0  # the default threshold (NRS, inclusive)
NO_PAIN = 2.99
LOW_MOOD = np.float32(10.0 / 27.0)  # PHQ-9 of exactly 10 counts
OK_MOOD = np.float32(9.9 / 27.0)
BAD_NIGHT = 0.5
GOOD_NIGHT = 0.49


class Runner:
    """A population of `n` people whose daily pain, mood and sleep the test sets by hand."""

    def __init__(self, n: int, params: StatusParams | None = None):
        self.state = PopulationState(n)
        self.state.pain[:] = 0.0
        self.state.mood[:] = 0.0
        self.state.sleep[:] = 0.0
        self.status = ClinicalStatus(n, params or StatusParams())
        self.day = 0

    def run(self, pain=None, mood=None, sleep=None, days: int | None = None) -> None:
        """Advance `days` days; pain/mood/sleep are (days, n) arrays of each day's values (or None)."""
        given = [x for x in (pain, mood, sleep) if x is not None]
        days = days if days is not None else len(given[0])
        for t in range(days):
            if pain is not None:
                self.state.pain[:] = pain[t]
            if mood is not None:
                self.state.mood[:] = mood[t]
            if sleep is not None:
                self.state.sleep[:] = sleep[t]
            self.day += 1
            self.status.update(self.state, self.day)


def schedule(days: int, *people: np.ndarray) -> np.ndarray:
    """Stack per-person day schedules (each of length `days`) into a (days, n) array."""
    out = np.column_stack(people).astype(np.float32)
    assert out.shape[0] == days
    return out


def flags_to_values(flags: np.ndarray, yes: float, no: float) -> np.ndarray:
    return np.where(flags, yes, no).astype(np.float32)


# -- chronic pain: more than half of 91 days ---------------------------------------------------


def test_chronic_pain_needs_46_pain_days_of_91():
    days = WINDOW_DAYS
    rng = np.random.default_rng(1)
    people = []
    for count in (46, 45, 91, 0):
        flags = np.zeros(days, bool)
        flags[rng.choice(days, count, replace=False)] = True  # scattered, not consecutive
        people.append(flags_to_values(flags, PAIN_DAY, NO_PAIN))
    r = Runner(4)
    r.run(pain=schedule(days, *people))
    np.testing.assert_array_equal(r.status.pain_days, [46, 45, 91, 0])
    np.testing.assert_array_equal(r.status.chronic_pain(), [True, False, True, False])


def test_pain_threshold_is_inclusive():
    r = Runner(3)
    pain = np.tile(np.float32([3.0, 2.999, 10.0]), (WINDOW_DAYS, 1))
    r.run(pain=pain)
    np.testing.assert_array_equal(r.status.pain_days, [91, 0, 91])
    np.testing.assert_array_equal(r.status.chronic_pain(), [True, False, True])


def test_chronic_pain_expires_as_old_pain_days_leave_the_window():
    """46 pain days on days 1-46, then none: chronic until day 91, not from day 92 (day 1 leaves)."""
    flags = np.arange(1, 200) <= 46
    r = Runner(1)
    pain = flags_to_values(flags, PAIN_DAY, NO_PAIN)[:, None]
    r.run(pain=pain[:91])
    assert r.day == 91 and r.status.chronic_pain()[0]
    r.run(pain=pain[91:92])
    assert r.day == 92
    assert r.status.pain_days[0] == 45
    assert not r.status.chronic_pain()[0]
    r.run(pain=pain[92:137])  # up to day 137: days 1-46 have all left the window
    assert r.status.pain_days[0] == 0


def test_chronic_pain_threshold_follows_the_parameter():
    params = StatusParams(chronic_pain_min_days=30, pain_day_threshold=5.0)
    flags = np.arange(WINDOW_DAYS) < 30
    r = Runner(2, params)
    r.run(pain=schedule(WINDOW_DAYS, flags_to_values(flags, 5.0, 4.9), flags_to_values(flags, 4.9, 4.9)))
    np.testing.assert_array_equal(r.status.chronic_pain(), [True, False])


# -- MIDUS back pain: 12 pain days in the last 30 ---------------------------------------------


def test_midus_needs_12_pain_days_in_the_last_30():
    days = 120
    p12 = np.zeros(days, bool)
    p12[-30:][::2][:12] = True  # 12 pain days inside the last 30
    p11 = np.zeros(days, bool)
    p11[-30:][::2][:11] = True
    old = np.zeros(days, bool)
    old[-60:-30] = True  # 30 pain days, all just outside the 30-day window
    r = Runner(3, StatusParams(midus_min_days=12.0))
    r.run(
        pain=schedule(
            days,
            flags_to_values(p12, PAIN_DAY, 0),
            flags_to_values(p11, PAIN_DAY, 0),
            flags_to_values(old, PAIN_DAY, 0),
        )
    )
    np.testing.assert_array_equal(r.status.pain_days_midus, [12, 11, 0])
    np.testing.assert_array_equal(r.status.midus_back_pain(), [True, False, False])
    # the 91-day count still holds the older pain days
    np.testing.assert_array_equal(r.status.pain_days, [12, 11, 30])


def test_midus_window_slides_one_day_at_a_time():
    """12 pain days on days 1-12: MIDUS back pain on day 30 (window 1-30), not on day 31."""
    flags = np.arange(1, 40) <= 12
    pain = flags_to_values(flags, PAIN_DAY, 0)[:, None]
    r = Runner(1, StatusParams(midus_min_days=12.0))
    r.run(pain=pain[:30])
    assert r.status.midus_back_pain()[0]
    r.run(pain=pain[30:31])
    assert r.status.pain_days_midus[0] == 11
    assert not r.status.midus_back_pain()[0]


# -- major depressive episode: 14 consecutive low-mood days; 12-month lookback ---------------


def test_fourteen_consecutive_low_mood_days_make_an_episode_thirteen_do_not():
    days = 20
    m14 = np.r_[np.ones(14, bool), np.zeros(6, bool)]
    m13 = np.r_[np.ones(13, bool), np.zeros(7, bool)]
    split = np.r_[np.ones(13, bool), False, np.ones(6, bool)]  # 13, a break, 6: no episode
    r = Runner(3)
    r.run(
        mood=schedule(
            days,
            flags_to_values(m14, LOW_MOOD, OK_MOOD),
            flags_to_values(m13, LOW_MOOD, OK_MOOD),
            flags_to_values(split, LOW_MOOD, OK_MOOD),
        ),
        days=13,
    )
    assert not r.status.mde_current().any()
    r.run(mood=schedule(days, *(np.full(days, v) for v in (LOW_MOOD, OK_MOOD, OK_MOOD))), days=1)
    assert r.day == 14
    np.testing.assert_array_equal(r.status.mde_current(), [True, False, False])
    np.testing.assert_array_equal(r.status.last_mde_day, [14, NEVER, NEVER])
    np.testing.assert_array_equal(r.status.mde_12m(r.day), [True, False, False])


def test_phq9_threshold_of_ten_is_inclusive():
    r = Runner(2)
    mood = np.tile(np.float32([LOW_MOOD, np.nextafter(LOW_MOOD, np.float32(0))]), (14, 1))
    r.run(mood=mood)
    np.testing.assert_array_equal(r.status.mde_current(), [True, False])


def test_episode_stays_current_while_low_mood_lasts_and_ends_the_day_it_lifts():
    r = Runner(1)
    r.run(mood=np.full((40, 1), LOW_MOOD))
    assert r.status.mde_current()[0]
    assert r.status.last_mde_day[0] == 40  # the last day that met the criterion
    r.run(mood=np.full((1, 1), OK_MOOD))
    assert not r.status.mde_current()[0]
    assert r.status.low_mood_run[0] == 0
    assert r.status.last_mde_day[0] == 40


def test_twelve_month_depression_expires_after_365_days():
    """An episode that last met the criterion on day 14 counts until day 378 (364 days on), not 379."""
    r = Runner(1)
    r.run(mood=np.full((14, 1), LOW_MOOD))
    r.run(mood=np.full((1, 1), OK_MOOD))
    assert r.status.last_mde_day[0] == 14
    assert r.status.mde_12m(14 + 364)[0]
    assert not r.status.mde_12m(14 + 365)[0]
    # and by stepping: the flag is still set on day 378 and gone on day 379
    r.run(mood=np.full((378 - r.day, 1), OK_MOOD))
    assert r.day == 378 and r.status.mde_12m(r.day)[0]
    r.run(mood=np.full((1, 1), OK_MOOD))
    assert not r.status.mde_12m(r.day)[0]


def test_nobody_is_depressed_without_an_episode():
    r = Runner(5)
    r.run(mood=np.full((400, 5), OK_MOOD))
    assert not r.status.mde_12m(r.day).any()
    assert not r.status.mde_current().any()


# -- insomnia disorder: 39 bad nights of 91 -------------------------------------------------


def test_insomnia_needs_39_bad_nights_of_91():
    days = WINDOW_DAYS
    rng = np.random.default_rng(2)
    people = []
    for count in (39, 38, 91):
        flags = np.zeros(days, bool)
        flags[rng.choice(days, count, replace=False)] = True
        people.append(flags_to_values(flags, BAD_NIGHT, GOOD_NIGHT))
    r = Runner(3)
    r.run(sleep=schedule(days, *people))
    np.testing.assert_array_equal(r.status.bad_nights, [39, 38, 91])
    np.testing.assert_array_equal(r.status.insomnia_disorder(), [True, False, True])
    # pain and nights are separate flags in the same byte: no pain days were recorded
    np.testing.assert_array_equal(r.status.pain_days, [0, 0, 0])


def test_clinical_insomnia_reads_isi_of_the_fortnight_average():
    state = PopulationState(3)
    state.sleep_recent[:] = np.float32([15 / 28, 14.9 / 28, 1.0])
    status = ClinicalStatus(3, StatusParams())
    np.testing.assert_array_equal(status.clinical_insomnia(state), [True, False, True])


def test_high_impact_needs_chronic_pain_and_withdrawal():
    r = Runner(3)
    cut = r.status.params.high_impact_withdrawal
    r.state.withdrawal[:] = np.float32([cut + 0.001, cut + 0.1, cut - 0.01])
    r.run(pain=np.tile(np.float32([PAIN_DAY, 0.0, PAIN_DAY]), (WINDOW_DAYS, 1)))
    np.testing.assert_array_equal(r.status.high_impact_chronic_pain(r.state), [True, False, False])


# -- the ring buffer -------------------------------------------------------------------------


def _rolling(flags: np.ndarray, window: int) -> np.ndarray:
    """Brute-force count of flags over the trailing `window` days, for every day and person."""
    c = np.cumsum(np.vstack([np.zeros((1, flags.shape[1]), int), flags.astype(int)]), axis=0)
    idx = np.arange(1, flags.shape[0] + 1)
    return c[idx] - c[np.maximum(idx - window, 0)]


@pytest.mark.parametrize("midus_window", [7, 30, 90, 91])
def test_ring_buffer_counts_match_brute_force_over_many_wraps(midus_window):
    """Random pain days and bad nights for 400 days (4+ wraps of the 91-day ring): every day, each
    window count equals the brute-force count of the trailing window."""
    rng = np.random.default_rng(midus_window)
    n, days = 60, 400
    # per-person propensities, so counts span the whole range, including 0 and 91
    p_pain = rng.uniform(0, 1, n)
    p_pain[:2] = (0.0, 1.0)
    pain_flags = rng.random((days, n)) < p_pain
    night_flags = rng.random((days, n)) < rng.uniform(0, 1, n)
    pain = flags_to_values(pain_flags, 7.0, 1.0)
    sleep = flags_to_values(night_flags, 0.9, 0.1)
    expect_91 = _rolling(pain_flags, 91)
    expect_midus = _rolling(pain_flags, midus_window)
    expect_nights = _rolling(night_flags, 91)

    r = Runner(n, StatusParams(midus_window_days=midus_window))
    for t in range(days):
        r.run(pain=pain[t : t + 1], sleep=sleep[t : t + 1])
        np.testing.assert_array_equal(r.status.pain_days, expect_91[t], err_msg=f"day {t + 1}")
        np.testing.assert_array_equal(r.status.pain_days_midus, expect_midus[t], err_msg=f"day {t + 1}")
        np.testing.assert_array_equal(r.status.bad_nights, expect_nights[t], err_msg=f"day {t + 1}")
    assert r.status.cursor == days % WINDOW_DAYS
    # the packed ring (four days a byte) still holds each of the last 91 days' two flags
    assert r.status.flags.shape == (RING_BYTES, n) and RING_BYTES == 23
    for days_ago in range(WINDOW_DAYS):
        pain_day, bad_night = r.status.recorded(days_ago)
        np.testing.assert_array_equal(pain_day, pain_flags[days - 1 - days_ago], err_msg=f"{days_ago} days ago")
        np.testing.assert_array_equal(bad_night, night_flags[days - 1 - days_ago], err_msg=f"{days_ago} days ago")
    with pytest.raises(ValueError, match="91 days"):
        r.status.recorded(WINDOW_DAYS)


def test_low_mood_run_matches_brute_force_and_episode_days():
    rng = np.random.default_rng(5)
    n, days = 40, 300
    # spells of low mood of a person-specific mean length (2-20 days): a two-state chain each
    low = np.zeros((days, n), bool)
    state = np.zeros(n, bool)
    p_end = rng.uniform(0.05, 0.5, n)
    for t in range(days):
        flip = rng.random(n) < np.where(state, p_end, 0.03)
        state ^= flip
        low[t] = state
    r = Runner(n)
    run = np.zeros(n, int)
    last = np.full(n, NEVER)
    for t in range(days):
        r.run(mood=flags_to_values(low[t : t + 1], LOW_MOOD, OK_MOOD))
        run = np.where(low[t], run + 1, 0)
        last = np.where(run >= 14, t + 1, last)
        np.testing.assert_array_equal(r.status.low_mood_run, run)
        np.testing.assert_array_equal(r.status.last_mde_day, last)
    assert (last > 0).any() and (last == NEVER).any()  # the schedule exercised both outcomes


# -- MIDUS's short-form interview: a screen over the 12-month episode ---------------------------


def test_a_perfect_screen_reads_the_diagnosis():
    status = ClinicalStatus(4, StatusParams(cidi_sf_sensitivity=1.0, cidi_sf_specificity=1.0))
    depressed = np.array([True, False, True, False])
    draws = np.array([0.999, 0.999, 0.001, 0.001])
    np.testing.assert_array_equal(status.cidi_sf_reading(depressed, draws), depressed)


def test_the_screen_misses_and_false_alarms_at_its_rates():
    n = 400_000
    rng = np.random.default_rng(3)
    depressed = rng.random(n) < 0.09
    status = ClinicalStatus(n, StatusParams(cidi_sf_sensitivity=0.9, cidi_sf_specificity=0.94))
    read = status.cidi_sf_reading(depressed, rng.random(n))
    assert read[depressed].mean() == pytest.approx(0.90, abs=0.005)
    assert read[~depressed].mean() == pytest.approx(0.06, abs=0.002)
    # about half as common again as the diagnosis (Patten 1997's overestimate)
    assert read.mean() / depressed.mean() == pytest.approx(0.9 + 0.06 * 0.91 / 0.09, abs=0.03)


def test_the_screen_dilutes_an_association_it_does_not_create_one():
    n = 400_000
    rng = np.random.default_rng(4)
    pain = rng.random(n) < 0.2
    depressed = rng.random(n) < np.where(pain, 0.2, 0.05)  # a risk ratio of 4 by diagnosis
    status = ClinicalStatus(n, StatusParams(cidi_sf_sensitivity=0.9, cidi_sf_specificity=0.94))
    read = status.cidi_sf_reading(depressed, rng.random(n))
    ratio_true = depressed[pain].mean() / depressed[~pain].mean()
    ratio_read = read[pain].mean() / read[~pain].mean()
    assert 1.5 < ratio_read < ratio_true - 1.0
