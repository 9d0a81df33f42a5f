"""The compiled Philox4x32-10 kernels behind `simulation.counter_rng` (numba; imported on first use).

Defined at module level so numba's on-disk cache (`cache=True`) finds them again in the next
process: a second run starts compiled.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import uint32 as u32
from numba import uint64 as u64

PHILOX_M0 = 0xD2511F53
PHILOX_M1 = 0xCD9E8D57
PHILOX_W0 = 0x9E3779B9
PHILOX_W1 = 0xBB67AE85
MASK32 = 0xFFFFFFFF
TWO_PI = np.float32(2.0 * np.pi)
INV_2_24 = np.float32(1.0 / (1 << 24))


@numba.njit(inline="always", cache=True)
def philox4x32_10(c0, c1, c2, c3, k0, k1):  # pragma: no cover - compiled
    """Philox4x32-10 of one counter (four uint32) under one key (two uint32): four uint32."""
    for _ in range(10):
        p0 = u64(PHILOX_M0) * u64(c0)
        p1 = u64(PHILOX_M1) * u64(c2)
        hi0, lo0 = u32(p0 >> u64(32)), u32(p0 & u64(MASK32))
        hi1, lo1 = u32(p1 >> u64(32)), u32(p1 & u64(MASK32))
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
        k0 = u32((u64(k0) + u64(PHILOX_W0)) & u64(MASK32))
        k1 = u32((u64(k1) + u64(PHILOX_W1)) & u64(MASK32))
    return c0, c1, c2, c3


@numba.njit(inline="always", cache=True)
def uniform(word):  # pragma: no cover - compiled
    """A float32 in (0, 1) from the top 24 bits of a word: (k + 0.5) / 2**24."""
    return (np.float32(word >> u32(8)) + np.float32(0.5)) * INV_2_24


@numba.njit(inline="always", cache=True)
def box_muller(a, b):  # pragma: no cover - compiled
    """Two independent standard normals (float32) from two words."""
    r = np.sqrt(np.float32(-2.0) * np.log(uniform(a)))
    theta = TWO_PI * uniform(b)
    return r * np.cos(theta), r * np.sin(theta)


@numba.njit(cache=True, parallel=True)
def daily_noise(normal, uniforms, k0, k1, day_word, word_a, word_b):  # pragma: no cover - compiled
    """Fill normal (4, n) and uniforms (3, n) with person i's draws of one day, in parallel over people."""
    n = normal.shape[1]
    for i in numba.prange(n):
        p = u32(i)
        a0, a1, a2, a3 = philox4x32_10(p, day_word, u32(0), word_a, k0, k1)
        z0, z1 = box_muller(a0, a1)
        z2, z3 = box_muller(a2, a3)
        normal[0, i] = z0
        normal[1, i] = z1
        normal[2, i] = z2
        normal[3, i] = z3
        b0, b1, b2, _ = philox4x32_10(p, day_word, u32(0), word_b, k0, k1)
        uniforms[0, i] = uniform(b0)
        uniforms[1, i] = uniform(b1)
        uniforms[2, i] = uniform(b2)


@numba.njit(cache=True)
def blocks(counters, k0, k1):  # pragma: no cover - compiled
    """Philox4x32-10 of each row of `counters` ((m, 4) uint32) under one key: (m, 4) uint32."""
    out = np.empty_like(counters)
    for j in range(counters.shape[0]):
        a, b, c, d = philox4x32_10(counters[j, 0], counters[j, 1], counters[j, 2], counters[j, 3], k0, k1)
        out[j, 0], out[j, 1], out[j, 2], out[j, 3] = a, b, c, d
    return out
