"""Parameter uncertainty as declared beside a value: the distribution a probabilistic sensitivity
analysis draws the parameter from.

A declaration names the family and a 95% interval (``low`` to ``high``) around the declared value;
the distribution's own parameters follow by the method of moments, with the standard deviation
taken as the interval's width over 2 x 1.96, so a reader checks one interval, not a shape and a
scale:

- ``beta`` for probabilities, shares and utility decrements (values in 0-1);
- ``gamma`` for costs and other positive quantities whose spread is roughly symmetric;
- ``lognormal`` for positive ratios and skewed costs: the interval is read on the log scale.

A parameter without an uncertainty declaration stays fixed in a PSA, and the PSA report lists it.

Examples:
    >>> u = Uncertainty("gamma", low=80.0, high=120.0, basis="assumption (+-20%)")
    >>> shape, scale = u.gamma_parameters(100.0)
    >>> round(shape * scale, 6)  # the declared value is the mean
    100.0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

import numpy as np

Kind = Literal["beta", "gamma", "lognormal"]
KINDS = get_args(Kind)
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Uncertainty:
    """A declared distribution: family, 95% interval around the declared value, and where the interval comes from."""

    kind: Kind
    low: float
    high: float
    basis: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"uncertainty kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if not self.low < self.high:
            raise ValueError(f"uncertainty interval {self.low:g} to {self.high:g} is empty")
        if not self.basis.strip():
            raise ValueError("an uncertainty declaration says where its interval comes from (basis)")
        if self.kind == "beta" and not (self.low >= 0.0 and self.high <= 1.0):
            raise ValueError("a beta interval lies within 0-1")
        if self.kind in ("gamma", "lognormal") and self.low <= 0:
            raise ValueError(f"a {self.kind} interval lies above 0")

    def check(self, value: float) -> None:
        """The declared value must lie inside its own interval."""
        if not self.low <= value <= self.high:
            raise ValueError(f"value {value:g} lies outside its uncertainty interval {self.low:g} to {self.high:g}")

    @property
    def sd(self) -> float:
        """Standard deviation implied by the 95% interval (normal approximation)."""
        return (self.high - self.low) / (2 * Z95)

    def beta_parameters(self, value: float) -> tuple[float, float]:
        """(alpha, beta) with mean `value` and the interval's SD (method of moments)."""
        var = min(self.sd**2, value * (1 - value) * 0.999)
        common = value * (1 - value) / var - 1
        return value * common, (1 - value) * common

    def gamma_parameters(self, value: float) -> tuple[float, float]:
        """(shape, scale) with mean `value` and the interval's SD."""
        return (value / self.sd) ** 2, self.sd**2 / value

    def lognormal_parameters(self, value: float) -> tuple[float, float]:
        """(mu, sigma) of log X: sigma from the interval on the log scale, median = `value`."""
        sigma = (math.log(self.high) - math.log(self.low)) / (2 * Z95)
        return math.log(value), sigma

    def draw(self, value: float, rng: np.random.Generator, size: int | None = None) -> Any:
        """Draws from the distribution centred on `value` (what a PSA samples)."""
        if self.kind == "beta":
            return rng.beta(*self.beta_parameters(value), size)
        if self.kind == "gamma":
            shape, scale = self.gamma_parameters(value)
            return rng.gamma(shape, scale, size)
        mu, sigma = self.lognormal_parameters(value)
        return rng.lognormal(mu, sigma, size)

    def as_dict(self) -> dict[str, Any]:
        """The declaration as plain data (for `painsim params --format json`)."""
        return asdict(self)


def uncertainty_of(extra: dict[str, Any]) -> Uncertainty | None:
    """The uncertainty a parameter's declared provenance carries, if any."""
    data = extra.get("uncertainty")
    return Uncertainty(**data) if isinstance(data, dict) else None


def describe_uncertainty(extra: dict[str, Any]) -> str:
    """One line for the parameter table: the distribution and its 95% interval, or "fixed".

    Examples:
        >>> describe_uncertainty({"uncertainty": {"kind": "beta", "low": 0.1, "high": 0.3, "basis": "assumption"}})
        'beta, 95% interval 0.1 to 0.3 (assumption)'
        >>> describe_uncertainty({})
        'fixed'
    """
    u = uncertainty_of(extra)
    return "fixed" if u is None else f"{u.kind}, 95% interval {u.low:g} to {u.high:g} ({u.basis})"
