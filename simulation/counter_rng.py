"""Counter-based random numbers: every draw a pure function of (seed, replicate, purpose, day,
person, slot).

The generator is Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy
as 1, 2, 3", SC 2011), the counter-based generator of the Random123 library, also used by
cuRAND, Apple's and JAX's random number libraries. Its authors report that it passes the whole
of TestU01's BigCrush battery on many independent streams (with counters that count up and with
keys that count up), and it is the default bit generator of several GPU frameworks. This module's
implementation reproduces the Random123 known-answer vectors (tests/test_counter_rng.py), and the
tests check the moments and the independence of the draws this project makes from it.

How the words are used. The 64-bit key is the run's seed and the replicate mixed by SplitMix64
(so nearby seeds give unrelated keys); the 128-bit counter is (person, day, purpose, block). One
block gives four 32-bit words; a person's day of `DailyNoise` uses two blocks: four uniforms that
Box-Muller turns into the four normals, and three uniforms for the switches. So:

- the draws do not depend on how the population is split into threads, chunks or machines, on its
  size, or on its order: person 7's numbers on day 12 are the same in a run of 10 or 10 million;
- a purpose that draws more (an intervention's uptake, say) cannot shift another purpose's
  numbers: common random numbers across scenarios hold by construction.

A uniform is the top 24 bits of a word, offset by half a step: (k + 0.5) / 2**24, never 0 or 1,
so `log` in Box-Muller is finite and a uniform compared with a probability of 0 or 1 behaves.
"""

from __future__ import annotations

import numpy as np

from simulation.rng import STREAMS

MASK32 = 0xFFFFFFFF
DAY_OFFSET = 1 << 31  # days before day 0 (settling, burn-in) are negative; the counter word is unsigned
# Threads pay off only for large populations: waking numba's thread pool costs tens of microseconds
# on a quiet machine and milliseconds on a busy one, against about 10 ns a person on one thread.
PARALLEL_FROM = 200_000
PARALLEL_CHUNK = 32_768


def splitmix64(x: int) -> int:
    """One step of SplitMix64's output function (Steele, Lea and Flood 2014) on a 64-bit integer."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def key_of(seed: int, replicate: int) -> tuple[int, int]:
    """The Philox key (two 32-bit words) of one replicate of a run."""
    k = splitmix64(splitmix64(int(seed) & 0xFFFFFFFFFFFFFFFF) ^ (int(replicate) & 0xFFFFFFFFFFFFFFFF))
    return k & MASK32, k >> 32


def purpose_word(purpose: str, block: int) -> int:
    """The counter's last word: the purpose's stream index (as in `simulation.rng.STREAMS`) and a block."""
    if purpose not in STREAMS:
        raise KeyError(f"unknown random stream {purpose!r}; known: {', '.join(STREAMS)}")
    return (STREAMS[purpose] << 16) | (block & 0xFFFF)


def kernels():
    """The compiled kernels (`simulation.philox_kernels`), imported on first use: numba costs
    about half a second to import, and compiling takes seconds the first time (then numba's cache
    under `__pycache__` loads them)."""
    from simulation import philox_kernels

    return philox_kernels.daily_noise, philox_kernels.blocks, philox_kernels.daily_noise_parallel


def warm_up() -> None:
    """Load (or compile) every kernel now, so that no later call pays for it."""
    serial, blocks, parallel = kernels()
    normal, uniforms = np.empty((4, 2), np.float32), np.empty((3, 2), np.float32)
    words = (np.uint32(1), np.uint32(2), np.uint32(3), np.uint32(4), np.uint32(5))
    serial(normal, uniforms, *words)
    parallel(normal, uniforms, *words, PARALLEL_CHUNK)
    blocks(np.zeros((1, 4), np.uint32), np.uint32(0), np.uint32(0))


def philox_blocks(counters: np.ndarray, key: tuple[int, int]) -> np.ndarray:
    """Philox4x32-10 of each row of `counters` ((m, 4) uint32) under `key`: (m, 4) uint32."""
    counters = np.ascontiguousarray(counters, dtype=np.uint32)
    return kernels()[1](counters, np.uint32(key[0]), np.uint32(key[1]))


def fill_daily_noise(normal: np.ndarray, uniforms: np.ndarray, seed: int, replicate: int, day: int) -> None:
    """Person i's four normals and three uniforms of `day` into column i of `normal` and `uniforms`."""
    k0, k1 = key_of(seed, replicate)
    day_word = (int(day) + DAY_OFFSET) & MASK32
    serial, _, parallel = kernels()
    args = (normal, uniforms, np.uint32(k0), np.uint32(k1), np.uint32(day_word))
    args += (np.uint32(purpose_word("daily", 0)), np.uint32(purpose_word("daily", 1)))
    if normal.shape[1] >= PARALLEL_FROM and _threads() > 1:
        parallel(*args, PARALLEL_CHUNK)
    else:
        serial(*args)


def _threads() -> int:
    import numba

    return numba.get_num_threads()
