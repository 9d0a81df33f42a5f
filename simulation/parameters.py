"""All model parameters, assembled from the groups each mechanism module declares.

The parameter table (`painsim params`, the README) is generated from these declarations, never
written by hand, so the default in the code is the only one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from simulation.declare import bounds_of
from simulation.population import PopulationParams
from simulation.rules.mechanisms import MechanismParams
from simulation.rules.mood import MoodParams
from simulation.rules.nociception import NociceptionParams
from simulation.rules.pain import PainParams
from simulation.rules.sleep import SleepParams
from simulation.status import StatusParams


class ModelParams(BaseModel):
    """Every parameter of the model, grouped by mechanism.

    Examples:
        >>> p = ModelParams()
        >>> p.pain.from_poor_sleep  # amplification of next-day pain per unit of poor sleep
        0.45
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    population: PopulationParams = Field(default_factory=PopulationParams)
    nociception: NociceptionParams = Field(default_factory=NociceptionParams)
    pain: PainParams = Field(default_factory=PainParams)
    sleep: SleepParams = Field(default_factory=SleepParams)
    mood: MoodParams = Field(default_factory=MoodParams)
    mechanisms: MechanismParams = Field(default_factory=MechanismParams)
    status: StatusParams = Field(default_factory=StatusParams)


def parameter_rows(params: BaseModel | None = None) -> list[dict[str, Any]]:
    """Flatten the parameters into table rows: name, value, default, unit, bounds, basis, source."""
    rows: list[dict[str, Any]] = []
    _collect(params if params is not None else ModelParams(), "", rows)
    return rows


def _collect(model: BaseModel, prefix: str, rows: list[dict[str, Any]]) -> None:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            _collect(value, path + ".", rows)
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        lower, upper = bounds_of(info)
        rows.append(
            {
                "name": path,
                "value": value,
                "default": info.default,
                "unit": extra.get("unit", ""),
                "lower": lower,
                "upper": upper,
                "basis": extra.get("basis", ""),
                "source": extra.get("source", ""),
                "description": info.description or "",
            }
        )


def parameter_markdown(rows: list[dict[str, Any]]) -> str:
    """The parameter table as Markdown (the README's docs/parameters.md is this)."""
    lines = ["| parameter | value | unit | bounds | basis | source |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| `{r['name']}` | {r['value']:g} | {r['unit']} | {r['lower']:g} to {r['upper']:g} | {r['basis']} "
            f"| {r['source']} |"
        )
    return "\n".join(lines)
