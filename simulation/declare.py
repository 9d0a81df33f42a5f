"""How a parameter is declared: default, unit, bounds, source and basis, in one call.

Each mechanism module declares its own group (a `ParamGroup`) beside the rule that uses it, so a
reader finds "poor sleep -> next-day pain" and its number in one place; `simulation.parameters`
assembles the groups and generates the parameter table from them. Intervention families declare
their course fields and effect sizes with the same call.

Provenance is explicit, never guessed from the text: every value says its `basis`

- ``cited``: the value is the source's own number (the source must name a documented reference,
  see `simulation.sources`);
- ``calibrated``: fitted to targets; `fitted_to` says to what and by which command, and
  `hand_set` says whether the shipped number was set by hand from such a fit;
- ``assumption``: a modelling choice; the source says what it leans on.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from simulation.uncertainty import Uncertainty

Basis = Literal["cited", "assumption", "calibrated"]
BASES = get_args(Basis)

CALIBRATE_COMMAND = (
    "painsim calibrate on the fit targets of simulation/data/targets.yaml, applied with painsim apply-fit "
    "(record and objective trace: calibration/fitted.yaml, calibration/fitted.trace.csv)"
)


class DeclarationError(ValueError):
    """A parameter declared without the provenance the project requires."""


def param(
    default: float,
    *,
    lo: float,
    hi: float,
    unit: str,
    source: str,
    basis: Basis,
    doc: str,
    fitted_to: str | None = None,
    hand_set: bool = False,
    lo_exclusive: bool = False,
    price_year: int | None = None,
    uncertainty: Uncertainty | None = None,
) -> Any:
    """Declare one parameter.

    Args:
        default: the shipped value.
        lo: the lowest plausible value; values outside the range are rejected when a scenario is loaded.
        hi: the highest plausible value.
        unit: the unit, written so a reader can check the arithmetic ("per day", "NRS points").
        source: a seed file by name (e.g. ``seed 002``), a paper, or ``assumption``.
        basis: whether the value is cited, calibrated to targets, or an assumption.
        doc: one sentence on what the parameter does in the model.
        fitted_to: for a calibrated value, what it was fitted to and by which command.
        hand_set: for a calibrated value, whether the shipped number was set by hand.
        lo_exclusive: the lower bound itself is not allowed (a duration must be positive).
        price_year: for a cost, the year whose prices it is in (converted to a scenario's price year).
        uncertainty: the distribution a probabilistic sensitivity analysis draws it from
            (`simulation.uncertainty`); without one the parameter stays fixed in a PSA.
    """
    if basis not in BASES:
        raise DeclarationError(f"{doc!r}: basis {basis!r} is not one of {', '.join(BASES)}")
    if not source.strip() or not unit.strip():
        raise DeclarationError(f"{doc!r}: unit and source must be given")
    if basis == "calibrated" and not fitted_to:
        raise DeclarationError(f"{doc!r}: a calibrated value must say what it was fitted to (fitted_to=...)")
    if basis != "calibrated" and (fitted_to or hand_set):
        raise DeclarationError(f"{doc!r}: fitted_to and hand_set belong to calibrated values only")
    extra = {"unit": unit, "source": source, "basis": basis}
    if basis == "calibrated":
        extra.update({"fitted_to": fitted_to, "hand_set": hand_set})
    if price_year is not None:
        if str(price_year) not in unit:
            raise DeclarationError(f"{doc!r}: a cost's unit names its price year ({price_year})")
        extra["price_year"] = int(price_year)
    if uncertainty is not None:
        try:
            uncertainty.check(default)
        except ValueError as exc:
            raise DeclarationError(f"{doc!r}: {exc}") from None
        extra["uncertainty"] = uncertainty.as_dict()
    bounds = {"gt": lo} if lo_exclusive else {"ge": lo}
    return Field(default, le=hi, description=doc, json_schema_extra=extra, **bounds)


class ParamGroup(BaseModel):
    """Base for a mechanism's parameters: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def bounds_of(info: Any) -> tuple[float | None, float | None]:
    """The (lower, upper) bounds a pydantic field was declared with."""
    lower = upper = None
    for meta in info.metadata:
        lower = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else lower
        lower = getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else lower
        upper = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else upper
    return lower, upper


def provenance_of(info: Any) -> dict[str, Any]:
    """The declared unit, source, basis (and fit record) of a field; empty if it declared none."""
    return dict(info.json_schema_extra) if isinstance(info.json_schema_extra, dict) else {}
