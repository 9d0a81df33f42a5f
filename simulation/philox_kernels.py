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
# numba's fastmath flags for every compiled kernel here and in `simulation.rules.kernel`: never
# "reassoc", which lets LLVM regroup a sum differently where a function is inlined than where it is
# compiled alone, so results would depend on what numba's cache holds (see `kernel.FAST`)
FASTMATH = {"nsz", "arcp", "afn", "contract"}
INV_2_24 = np.float32(1.0 / (1 << 24))
# Taylor coefficients of sin and cos (float32)
S1, S3, S5, S7, S9, S11 = (np.float32(c) for c in (1.0, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880, -1 / 39916800))
C0, C2, C4, C6, C8, C10, C12 = (
    np.float32(c) for c in (1.0, -1 / 2, 1 / 24, -1 / 720, 1 / 40320, -1 / 3628800, 1 / 479001600)
)


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


@numba.njit(inline="always", fastmath=FASTMATH, cache=True)
def sincos_2pi(u):  # pragma: no cover - compiled
    """cos(2 pi u) and sin(2 pi u) for u in (0, 1), by polynomials (within 1e-6 of the exact values).

    With x = pi (2u - 1) in (-pi, pi), cos(2 pi u) = -cos x and sin(2 pi u) = -sin x; x is halved
    to h in (-pi/2, pi/2), where Taylor polynomials of degree 11 and 12 are accurate to 6e-8 and 5e-9,
    and doubled back (sin x = 2 sin h cos h, cos x = 1 - 2 sin^2 h). Plain arithmetic, so the loop
    vectorises, unlike the libm `sinf` and `cosf` calls that made Box-Muller three times slower.
    """
    h = np.float32(np.pi) * (u - np.float32(0.5))
    h2 = h * h
    s = h * (S1 + h2 * (S3 + h2 * (S5 + h2 * (S7 + h2 * (S9 + h2 * S11)))))
    c = C0 + h2 * (C2 + h2 * (C4 + h2 * (C6 + h2 * (C8 + h2 * (C10 + h2 * C12)))))
    return np.float32(2.0) * s * s - np.float32(1.0), np.float32(-2.0) * s * c


@numba.njit(inline="always", fastmath=FASTMATH, cache=True)
def box_muller(a, b):  # pragma: no cover - compiled
    """Two independent standard normals (float32) from two words."""
    r = np.sqrt(np.float32(-2.0) * np.log(uniform(a)))
    cos_t, sin_t = sincos_2pi(uniform(b))
    return r * cos_t, r * sin_t


@numba.njit(inline="always", fastmath=FASTMATH, cache=True)
def fill_people(normal, uniforms, k0, k1, day_word, word_a, word_b, lo, hi, first):  # pragma: no cover - compiled
    """Person i's draws of one day into column i - lo + first of normal (4, m) and uniforms (3, m),
    for lo <= i < hi: column i of the whole population's arrays (first = lo), or of a chunk's (first = 0).

    Written through row views indexed from 0: indexed by a column number from a run-time `first`,
    which might be negative as far as the compiler knows, the loop did not vectorise (2.9x slower)."""
    last = first + hi - lo
    n0, n1, n2, n3 = normal[0, first:last], normal[1, first:last], normal[2, first:last], normal[3, first:last]
    v0, v1, v2 = uniforms[0, first:last], uniforms[1, first:last], uniforms[2, first:last]
    for j in range(hi - lo):
        p = u32(lo + j)
        a0, a1, a2, a3 = philox4x32_10(p, day_word, u32(0), word_a, k0, k1)
        n0[j], n1[j] = box_muller(a0, a1)
        n2[j], n3[j] = box_muller(a2, a3)
        b0, b1, b2, _ = philox4x32_10(p, day_word, u32(0), word_b, k0, k1)
        v0[j], v1[j], v2[j] = uniform(b0), uniform(b1), uniform(b2)


@numba.njit(fastmath=FASTMATH, cache=True)
def fill_chunk(normal, uniforms, k0, k1, day_word, word_a, word_b, lo, hi):  # pragma: no cover - compiled
    """Persons lo to hi-1's draws into columns 0 to hi-lo-1 of a chunk's buffers: the kernel's
    (`simulation.rules.kernel`) call, compiled with these flags so its numbers equal `daily_noise`'s."""
    fill_people(normal, uniforms, k0, k1, day_word, word_a, word_b, lo, hi, 0)


@numba.njit(fastmath=FASTMATH, cache=True)
def fill_columns(normal, uniforms, k0, k1, day_word, word_a, word_b, lo, hi):  # pragma: no cover - compiled
    """Persons lo to hi-1's draws into their own columns of the whole population's buffers: the
    parallel loop's body, a compiled function of its own as the kernel's chunks are (`prange`
    bodies are compiled apart from the rest of the function)."""
    fill_people(normal, uniforms, k0, k1, day_word, word_a, word_b, lo, hi, lo)


@numba.njit(fastmath=FASTMATH, cache=True)
def daily_noise(normal, uniforms, k0, k1, day_word, word_a, word_b):  # pragma: no cover - compiled
    """One day's draws for everyone, on the calling thread."""
    fill_people(normal, uniforms, k0, k1, day_word, word_a, word_b, 0, normal.shape[1], 0)


@numba.njit(fastmath=FASTMATH, cache=True, parallel=True)
def daily_noise_parallel(normal, uniforms, k0, k1, day_word, word_a, word_b, chunk):  # pragma: no cover - compiled
    """One day's draws for everyone, chunks of `chunk` people spread over numba's threads."""
    n = normal.shape[1]
    for c in numba.prange((n + chunk - 1) // chunk):
        fill_columns(normal, uniforms, k0, k1, day_word, word_a, word_b, c * chunk, min(n, (c + 1) * chunk))


@numba.njit(cache=True)
def blocks(counters, k0, k1):  # pragma: no cover - compiled
    """Philox4x32-10 of each row of `counters` ((m, 4) uint32) under one key: (m, 4) uint32."""
    out = np.empty_like(counters)
    for j in range(counters.shape[0]):
        a, b, c, d = philox4x32_10(counters[j, 0], counters[j, 1], counters[j, 2], counters[j, 3], k0, k1)
        out[j, 0], out[j, 1], out[j, 2], out[j, 3] = a, b, c, d
    return out
