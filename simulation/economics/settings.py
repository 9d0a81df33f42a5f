"""A scenario's `economics:` block: perspective, discounting, price year and willingness to pay.

Every field has a default, so a scenario without the block is evaluated as US guidance suggests
(Sanders et al. 2016: 3% a year for costs and for effects; the health-care payer perspective as
the primary one, with the societal one reported beside it). The default willingness-to-pay
thresholds are the US$50,000, 100,000 and 150,000 per QALY that US analyses conventionally report
(Neumann et al. 2014). In a comparison the reference scenario's block applies to every strategy.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from simulation.economics.costs import FIRST_PRICE_YEAR, LAST_PRICE_YEAR

Perspective = Literal["healthcare_payer", "societal"]


class EconomicsSettings(BaseModel):
    """How costs and effects are counted in a comparison."""

    model_config = ConfigDict(extra="forbid")

    perspective: Perspective = Field(
        "healthcare_payer",
        description="Primary perspective of the incremental analysis: `healthcare_payer` (intervention and "
        "health-care costs) or `societal` (also productivity losses); both are always reported.",
    )
    discount_rate_costs: float = Field(
        0.03, ge=0.0, le=0.2, description="Yearly discount rate for costs (share; Sanders et al. 2016: 0.03)."
    )
    discount_rate_effects: float = Field(
        0.03, ge=0.0, le=0.2, description="Yearly discount rate for QALYs (share; Sanders et al. 2016: 0.03)."
    )
    price_year: int = Field(
        2023,
        ge=FIRST_PRICE_YEAR,
        le=LAST_PRICE_YEAR,
        description="Year whose US prices every cost is expressed in (converted with the CPI-U).",
    )
    wtp_thresholds: list[float] = Field(
        default_factory=lambda: [50_000.0, 100_000.0, 150_000.0],
        min_length=1,
        max_length=50,
        description="Willingness to pay per QALY (USD of the price year) at which net monetary benefit is "
        "reported (Neumann et al. 2014: 50,000, 100,000, 150,000).",
    )

    @field_validator("wtp_thresholds")
    @classmethod
    def _thresholds(cls, values: list[float]) -> list[float]:
        bad = [v for v in values if not 0 <= v <= 10_000_000]
        if bad:
            raise ValueError(f"each threshold must be between 0 and 10,000,000 USD per QALY; got {bad[0]:g}")
        return sorted(set(values))
