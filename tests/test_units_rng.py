"""Unit tests of the time conversions (`simulation.units`) and the random streams (`simulation.rng`)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulation.rng import STREAMS, seed_sequence, stream
from simulation.units import (
    DAYS_PER_YEAR,
    daily_rate,
    probability_within_day,
    relaxation_per_day,
    years_to_days,
)

# -- units -------------------------------------------------------------------------------------


def test_daily_rate_divides_by_days_per_year():
    assert DAYS_PER_YEAR == 365.25
    assert daily_rate(365.25) == pytest.approx(1.0)
    assert daily_rate(2.5) == pytest.approx(2.5 / 365.25)
    assert daily_rate(0.0) == 0.0


def test_probability_within_day_is_one_minus_exp_of_minus_rate():
    rates = np.array([0.0, 1e-9, 0.01, 0.5, 1.0, 5.0, 50.0])
    p = probability_within_day(rates)
    assert p.shape == rates.shape
    np.testing.assert_allclose(p, 1.0 - np.exp(-rates), rtol=1e-6, atol=1e-15)
    # accurate for tiny hazards (where 1 - exp(-r) in floating point would lose everything)
    assert probability_within_day(1e-12) == pytest.approx(1e-12, rel=1e-9)
    # a probability: in [0, 1), increasing in the rate, and below the rate itself
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(p) > 0)
    assert np.all(p[1:] < rates[1:])


def test_probability_within_day_of_scalar():
    assert float(probability_within_day(math.log(2.0))) == pytest.approx(0.5)


@pytest.mark.parametrize("timescale", [1.0, 7.0, 30.0, 60.0, 365.0, 3650.0])
def test_relaxation_closes_one_minus_one_over_e_of_the_gap_in_one_timescale(timescale):
    """A state relaxing daily by `relaxation_per_day(T)` covers 1 - 1/e of the gap in T days
    (whole T), exactly as the continuous first-order process dx/dt = (target - x) / T."""
    rate = relaxation_per_day(timescale)
    assert 0.0 < rate < 1.0
    assert rate == pytest.approx(1.0 - math.exp(-1.0 / timescale), rel=1e-12)
    x, target = 0.0, 1.0
    days = round(timescale)
    for _ in range(days):
        x += (target - x) * rate
    assert x == pytest.approx(1.0 - math.exp(-days / timescale), rel=1e-9)
    if days == timescale:
        assert x == pytest.approx(1.0 - math.exp(-1.0), rel=1e-9)


def test_relaxation_is_slower_for_longer_timescales_and_never_overshoots():
    rates = [relaxation_per_day(t) for t in (1.0, 2.0, 10.0, 100.0, 1000.0)]
    assert rates == sorted(rates, reverse=True)
    assert rates[0] == pytest.approx(1 - math.exp(-1))
    assert rates[-1] == pytest.approx(1 / 1000, rel=1e-3)  # ~1/T for long timescales


def test_years_to_days():
    assert years_to_days(1) == 365
    assert years_to_days(4) == 1461
    assert years_to_days(0.5) == 183  # 182.625 rounds to 183
    assert isinstance(years_to_days(10), int)
    assert abs(years_to_days(10) - 3652.5) <= 0.5


# -- random streams ----------------------------------------------------------------------------


def _draw(seed: int, replicate: int, purpose: str, n: int = 8) -> np.ndarray:
    return stream(seed, replicate, purpose).random(n)


def test_stream_is_reproducible():
    np.testing.assert_array_equal(_draw(42, 0, "daily"), _draw(42, 0, "daily"))
    np.testing.assert_array_equal(_draw(42, 3, "uptake"), _draw(42, 3, "uptake"))


def test_streams_differ_by_purpose():
    draws = {purpose: _draw(42, 0, purpose) for purpose in STREAMS}
    names = list(draws)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not np.array_equal(draws[a], draws[b]), (a, b)


def test_streams_differ_by_replicate_and_by_seed():
    assert not np.array_equal(_draw(42, 0, "daily"), _draw(42, 1, "daily"))
    assert not np.array_equal(_draw(42, 0, "daily"), _draw(43, 0, "daily"))
    # replicate r of purpose p is not purpose p' of replicate r' swapped
    assert not np.array_equal(_draw(42, 0, "panel"), _draw(42, 2, "daily"))


def test_stream_indices_are_fixed_and_unique():
    """The index of a purpose is part of the results' identity: it must never be reordered."""
    assert STREAMS["population"] == 0
    assert STREAMS["daily"] == 1
    assert STREAMS["panel"] == 2
    assert STREAMS["mesa"] == 3
    assert len(set(STREAMS.values())) == len(STREAMS)


def test_seed_sequence_keys_on_replicate_and_purpose():
    seq = seed_sequence(7, 2, "dropout")
    assert seq.entropy == 7
    assert tuple(seq.spawn_key) == (2, STREAMS["dropout"])


def test_drawing_from_one_purpose_does_not_shift_another():
    """Common random numbers: the daily stream is the same whether or not uptake draws happen."""
    untouched = stream(9, 0, "daily").standard_normal(5)
    uptake = stream(9, 0, "uptake")
    uptake.random(1000)
    again = stream(9, 0, "daily").standard_normal(5)
    np.testing.assert_array_equal(untouched, again)


@pytest.mark.parametrize("purpose", ["noise", "Daily", "", "uptake "])
def test_unknown_purpose_raises_key_error(purpose):
    with pytest.raises(KeyError, match="unknown random stream"):
        stream(1, 0, purpose)
    with pytest.raises(KeyError):
        seed_sequence(1, 0, purpose)


def test_probability_within_day_in_place_matches():
    rates = np.array([0.0, 1e-6, 0.5, 3.0], np.float32)
    expected = probability_within_day(rates.copy())
    buffer = rates.copy()
    assert probability_within_day(buffer, out=buffer) is buffer
    np.testing.assert_array_equal(buffer, expected)


def test_two_state_switch_enters_at_the_driven_hazard_and_leaves_at_its_rate():
    """`switch_two_state`: per-day switching probabilities 1 - exp(-rate/365.25 x e^drive) in and
    1 - exp(-rate/365.25) out, judged against the day's uniform draws."""
    import numpy as np

    from simulation.units import DAYS_PER_YEAR, switch_two_state

    flag = np.array([False, False, True, True])
    drive = np.array([0.0, np.log(2.0), 0.0, 0.0], np.float32)
    p_in = 1 - np.exp(-36.525 / DAYS_PER_YEAR)  # 0.0952 at drive 0
    p_in2 = 1 - np.exp(-2 * 36.525 / DAYS_PER_YEAR)
    p_out = 1 - np.exp(-73.05 / DAYS_PER_YEAR)
    uniform = np.array([p_in - 1e-4, p_in2 - 1e-4, p_out - 1e-4, p_out + 1e-4], np.float32)
    switch_two_state(flag, drive, 36.525, 73.05, uniform)
    assert flag.tolist() == [True, True, False, True]
    flag = np.array([False])
    switch_two_state(flag, np.zeros(1, np.float32), 0.0, 1.0, np.zeros(1, np.float32))
    assert not flag[0]  # a zero entry rate never switches anyone on
