"""Counter-based random numbers (`simulation.counter_rng`) and the `compiled` engine that uses them.

- Philox4x32-10 reproduces the Random123 known-answer vectors;
- the polynomial sine and cosine of Box-Muller are within 1e-6 of the exact ones;
- the daily draws have the moments of standard normals and uniforms, and no correlation between
  slots, people, days or replicates that 400,000 draws could show;
- a person's draws are a pure function of (seed, replicate, day, person): the same in a population
  of 50 or 200,000, with 1 or 2 threads, and a run gives identical results with 1 or 2 workers;
- the `compiled` engine's model is the `numpy` engine's model in distribution (same people, same
  rules, other numbers: paired per-person means agree within sampling error), and the per-agent
  oracle follows its paths when fed its draws.
"""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation import PainCycleModel, Scenario
from simulation.counter_rng import fill_daily_noise, key_of, philox_blocks, purpose_word
from simulation.noise import CounterNoise
from simulation.runner import run_scenario
from tests.conftest import tiny_scenario

# Random123's kat_vectors: counter (4 words), key (2 words), output (4 words)
KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    (
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
    ),
]


def _day(n: int, seed: int = 7, replicate: int = 0, day: int = 0) -> tuple[np.ndarray, np.ndarray]:
    normal, uniform = np.empty((4, n), np.float32), np.empty((3, n), np.float32)
    fill_daily_noise(normal, uniform, seed, replicate, day)
    return normal, uniform


@pytest.mark.parametrize(("counter", "key", "expected"), KNOWN_ANSWERS)
def test_philox_reproduces_the_random123_known_answers(counter, key, expected):
    out = philox_blocks(np.array([counter], np.uint32), key)
    assert tuple(int(w) for w in out[0]) == expected


def test_keys_and_counters_separate_seeds_replicates_and_purposes():
    keys = {key_of(seed, replicate) for seed in range(50) for replicate in range(20)}
    assert len(keys) == 1000
    assert purpose_word("daily", 0) != purpose_word("daily", 1) != purpose_word("uptake", 0)
    with pytest.raises(KeyError):
        purpose_word("nonsense", 0)


def test_daily_draws_have_the_moments_of_normals_and_uniforms():
    n = 400_000
    normal, uniform = _day(n)
    se = 1 / np.sqrt(n)
    for row in normal.astype(float):
        assert abs(row.mean()) < 5 * se
        assert abs(row.var() - 1) < 5 * np.sqrt(2) * se
        assert abs(stats.skew(row)) < 5 * np.sqrt(6) * se
        assert abs(stats.kurtosis(row)) < 5 * np.sqrt(24) * se
        assert stats.kstest(row, "norm").pvalue > 1e-4
    for row in uniform.astype(float):
        assert row.min() > 0 and row.max() < 1
        assert abs(row.mean() - 0.5) < 5 * se * np.sqrt(1 / 12)
        assert stats.kstest(row, "uniform").pvalue > 1e-4
    # tails: the share beyond 3 SD is the normal's 0.27% (Box-Muller in float32 keeps the tails)
    beyond = np.mean(np.abs(normal) > 3)
    assert abs(beyond - 2 * stats.norm.sf(3)) < 5 * np.sqrt(2 * stats.norm.sf(3) / (4 * n))


def test_draws_are_uncorrelated_across_slots_people_days_and_replicates():
    n = 200_000
    normal, uniform = _day(n)
    slots = np.vstack([normal, uniform]).astype(float)
    bound = 5 / np.sqrt(n)
    corr = np.corrcoef(slots)
    assert np.max(np.abs(corr - np.eye(7))) < bound
    assert np.max(np.abs([np.corrcoef(row[:-1], row[1:])[0, 1] for row in slots])) < bound  # neighbours
    others = [_day(n, day=1), _day(n, replicate=1), _day(n, seed=8)]
    for other_normal, other_uniform in others:
        other = np.vstack([other_normal, other_uniform]).astype(float)
        for a, b in zip(slots, other, strict=True):
            assert abs(np.corrcoef(a, b)[0, 1]) < bound
            assert not np.array_equal(a, b)


def test_a_persons_draws_do_not_depend_on_population_size_threads_or_order():
    small_normal, small_uniform = _day(50, day=-300)
    big_normal, big_uniform = _day(200_000, day=-300)
    np.testing.assert_array_equal(small_normal, big_normal[:, :50])
    np.testing.assert_array_equal(small_uniform, big_uniform[:, :50])
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = _day(200_000, day=3)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = _day(200_000, day=3)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])


def test_counter_noise_counts_days_from_the_first_settling_day():
    model = PainCycleModel(Scenario(population=30, engine="compiled", settle_days=3, burn_in_days=2), seed=5)
    noise = model._noise
    assert isinstance(noise, CounterNoise) and noise.day == 0 and model.day == 0
    noise.fused = False  # fill the buffers, so that the day's numbers can be read
    model.step()
    assert noise.day == 1
    np.testing.assert_array_equal(noise.normal, _day(30, seed=5, day=0)[0])


def test_compiled_engine_gives_identical_results_with_one_and_two_workers():
    s = tiny_scenario(replicates=3, engine="compiled")
    serial = run_scenario(s, jobs=1)
    parallel = run_scenario(s, jobs=2)
    pd.testing.assert_frame_equal(serial.series(), parallel.series())
    pd.testing.assert_frame_equal(serial.panel(), parallel.panel())
    pd.testing.assert_frame_equal(serial.final(), parallel.final())
    numpy_engine = run_scenario(tiny_scenario(replicates=3), jobs=1)
    assert not serial.final().equals(numpy_engine.final())  # other numbers, as documented


def test_compiled_engine_is_the_numpy_engine_in_distribution():
    """Same people (the population stream is shared), other daily numbers: each person's mean pain,
    mood and sleep over 200 days, and the end-of-run prevalences, agree within sampling error."""
    base = {"population": 6000, "settle_days": 100, "burn_in_days": 200, "seed": 3}
    days = 200
    means = {}
    for engine in ("numpy", "compiled"):
        model = PainCycleModel(Scenario(engine=engine, **base), agent_views=False)
        totals = {name: np.zeros(base["population"]) for name in ("pain", "mood", "sleep")}
        for _ in range(days):
            model.step()
            for name in totals:
                totals[name] += getattr(model.state, name)
        means[engine] = {name: total / days for name, total in totals.items()} | {"metrics": model.metrics()}
    for name in ("pain", "mood", "sleep"):
        difference = means["compiled"][name] - means["numpy"][name]
        se = difference.std() / np.sqrt(difference.size)
        assert abs(difference.mean()) < 4 * se + 1e-4, (name, difference.mean(), se)
    for name in ("chronic_pain", "depression", "insomnia"):
        a, b = means["numpy"]["metrics"][name], means["compiled"]["metrics"][name]
        assert abs(a - b) < 4 * np.sqrt(max(a * (1 - a), 1e-4) * 2 / base["population"]) + 0.01, name


def test_the_oracle_follows_the_compiled_engine_when_fed_its_draws(monkeypatch):
    import tests.test_reference_oracle as oracle

    plain = oracle._scenario
    monkeypatch.setattr(
        oracle, "_scenario", lambda population: plain(population).model_copy(update={"engine": "compiled"})
    )
    oracle.test_same_paths_with_common_random_numbers(settled=False, population=800, days=60)


def test_the_polynomial_sine_and_cosine_are_within_a_millionth():
    from simulation.philox_kernels import sincos_2pi

    @numba.njit
    def both(u):
        out = np.empty((2, u.size), np.float32)
        for i in range(u.size):
            out[0, i], out[1, i] = sincos_2pi(u[i])
        return out

    u = np.linspace(2**-25, 1 - 2**-25, 200_001).astype(np.float32)
    out = both(u).astype(float)
    angle = 2 * np.pi * u.astype(float)
    assert np.max(np.abs(out[0] - np.cos(angle))) < 1e-6
    assert np.max(np.abs(out[1] - np.sin(angle))) < 1e-6
