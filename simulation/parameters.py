"""All model parameters, assembled from the groups each mechanism module declares.

The parameter table (`painsim params`, the README) is generated from these declarations, never
written by hand, so the default in the code is the only one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.declare import bounds_of, provenance_of
from simulation.demography import DemographyParams
from simulation.economics.costs import CostParams
from simulation.population import PopulationParams
from simulation.rules.care import CareParams
from simulation.rules.central import CentralPainParams
from simulation.rules.mechanisms import MechanismParams
from simulation.rules.mood import MoodParams
from simulation.rules.nociception import NociceptionParams
from simulation.rules.pain import PainParams
from simulation.rules.sleep import SleepParams
from simulation.status import StatusParams
from simulation.uncertainty import describe_uncertainty
from simulation.utility import UtilityParams


class ModelParams(BaseModel):
    """Every parameter of the model, grouped by mechanism.

    Examples:
        >>> p = ModelParams()
        >>> p.pain.from_poor_sleep > 0  # amplification of next-day pain per unit of poor sleep (calibrated)
        True
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    population: PopulationParams = Field(default_factory=PopulationParams)
    nociception: NociceptionParams = Field(default_factory=NociceptionParams)
    central: CentralPainParams = Field(default_factory=CentralPainParams)
    pain: PainParams = Field(default_factory=PainParams)
    sleep: SleepParams = Field(default_factory=SleepParams)
    mood: MoodParams = Field(default_factory=MoodParams)
    mechanisms: MechanismParams = Field(default_factory=MechanismParams)
    care: CareParams = Field(default_factory=CareParams)
    status: StatusParams = Field(default_factory=StatusParams)
    utility: UtilityParams = Field(default_factory=UtilityParams)
    costs: CostParams = Field(default_factory=CostParams)
    demography: DemographyParams = Field(default_factory=DemographyParams)

    @model_validator(mode="after")
    def _consistent_windows(self) -> ModelParams:
        """Status thresholds that could never be met, or that contradict each other, are errors."""
        st = self.status
        pairs = (
            ("midus_min_days", "midus_window_days", "pain days needed cannot exceed the days of the window"),
            ("mde_min_days", "mde_lookback_days", "an episode cannot be longer than the window it is counted in"),
            ("opioid_misuse_dependence", "opioid_addiction_dependence", "misuse begins at or below addiction"),
        )
        for low, high, why in pairs:
            if getattr(st, low) > getattr(st, high):
                raise ValueError(
                    f"status.{low} ({getattr(st, low):g}) is above status.{high} ({getattr(st, high):g}): {why}"
                )
        return self


COURSE_UNITS = {
    "coverage": "share of eligible",
    "duration_weeks": "weeks",
    "sessions_per_week": "per week",
    "adherence": "share attended",
    "dropout_per_week": "probability per week",
    "side_effect_dropout": "probability",
    "onset_delay_days": "days",
    "ramp_days": "days",
    "waning_half_life_days": "days",
    "response_sd": "SD (log-normal)",
    "cost_per_session": "USD",
    "cost_per_day": "USD",
}


def parameter_rows(params: BaseModel | None = None, interventions: bool = True) -> list[dict[str, Any]]:
    """Flatten the parameters into table rows: name, value, default, unit, bounds, basis, source.

    With `interventions`, each registered intervention's course defaults and effect sizes follow
    the model parameters, named `interventions.<type>.<field>`.
    """
    rows: list[dict[str, Any]] = []
    _collect(params if params is not None else ModelParams(), "", rows)
    if interventions:
        rows += intervention_rows()
    return rows


def intervention_rows() -> list[dict[str, Any]]:
    """Course defaults and effect sizes of every registered intervention type."""
    from simulation.interventions import REGISTRY

    rows: list[dict[str, Any]] = []
    for kind, cls in REGISTRY.items():
        for name, info in cls.model_fields.items():
            extra = provenance_of(info)
            if not extra:
                continue  # not a declared number (type, label, eligibility, enrolment)
            lower, upper = bounds_of(info)
            rows.append(_row(f"interventions.{kind}.{name}", info.default, info, extra, lower, upper))
    return rows


def _collect(model: BaseModel, prefix: str, rows: list[dict[str, Any]]) -> None:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            _collect(value, path + ".", rows)
            continue
        lower, upper = bounds_of(info)
        rows.append(_row(path, value, info, provenance_of(info), lower, upper))


def _row(name: str, value, info, extra: dict, lower, upper) -> dict[str, Any]:
    """One table row; the provenance is read as declared, never inferred from the text."""
    return {
        "name": name,
        "value": value,
        "default": info.default,
        "unit": extra.get("unit", ""),
        "lower": lower,
        "upper": upper,
        "basis": extra.get("basis", ""),
        "fitted_to": extra.get("fitted_to", ""),
        "hand_set": bool(extra.get("hand_set", False)),
        "source": extra.get("source", ""),
        "description": info.description or "",
        "uncertainty": describe_uncertainty(extra),
    }


def parameter_markdown(rows: list[dict[str, Any]]) -> str:
    """The parameter table as Markdown (the README's docs/parameters.md is this)."""
    lines = ["| parameter | value | unit | bounds | basis | source |", "|---|---|---|---|---|---|"]
    for r in rows:
        basis = r["basis"]
        if basis == "calibrated":
            basis += f" ({'set by hand; ' if r['hand_set'] else ''}fitted to {r['fitted_to']})"
        lines.append(
            f"| `{r['name']}` | {r['value']:g} | {r['unit']} | {r['lower']:g} to {r['upper']:g} | {basis} "
            f"| {r['source']} |"
        )
    return "\n".join(lines)


def parameter_document() -> str:
    """docs/parameters.md: the table of every parameter with a short preface, then the causal edges."""
    from simulation.edges import edge_markdown

    return (
        "# Parameters\n\n"
        "Generated by `painsim params --format markdown > docs/parameters.md` from the declarations in "
        "`simulation/`; do not edit by hand (a test checks it is current). Basis, declared with every value (never "
        "guessed): *cited* (the value is the source's own number; sources are described in `docs/sources.md`), "
        "*calibrated* (fitted to the named targets by the named command, or set by hand from such a fit), "
        "*assumption* (a modelling choice; the source says what it leans on). Intervention course fields and "
        "effect sizes are declared beside each intervention (`simulation/interventions/`).\n\n"
        + parameter_markdown(parameter_rows())
        + "\n\n## Causal edges\n\nEach edge of the causal graph is carried by one of the parameters above, "
        "declared beside its rule (`EDGES` in `simulation/rules/`); `painsim graph` prints and draws them.\n\n"
        + edge_markdown()
    )
