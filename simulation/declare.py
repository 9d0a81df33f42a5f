"""How a parameter is declared: default, unit, bounds, source and basis, in one call.

Each mechanism module declares its own group (a `ParamGroup`) beside the rule that uses it, so a
reader finds "poor sleep -> next-day pain" and its number in one place; `simulation.parameters`
assembles the groups and generates the parameter table from them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Basis = Literal["cited", "assumption", "calibrated"]


def param(
    default: float,
    *,
    lo: float,
    hi: float,
    unit: str,
    source: str,
    basis: Basis = "assumption",
    doc: str,
) -> Any:
    """Declare one parameter.

    Args:
        default: the shipped value.
        lo, hi: the plausible range; values outside are rejected when a scenario is loaded.
        unit: the unit, written so a reader can check the arithmetic ("per day", "NRS points").
        source: a seed file by name (e.g. ``seed 002``), a paper, or ``assumption``.
        basis: whether the value is cited, calibrated to targets, or an assumption.
        doc: one sentence on what the parameter does in the model.
    """
    return Field(
        default,
        ge=lo,
        le=hi,
        description=doc,
        json_schema_extra={"unit": unit, "source": source, "basis": basis},
    )


class ParamGroup(BaseModel):
    """Base for a mechanism's parameters: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def bounds_of(info: Any) -> tuple[float | None, float | None]:
    """The (lower, upper) bounds a pydantic field was declared with."""
    lower = upper = None
    for meta in info.metadata:
        lower = getattr(meta, "ge", lower)
        upper = getattr(meta, "le", upper)
    return lower, upper
