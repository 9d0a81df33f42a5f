"""Scenario files: YAML, loaded safely, validated into typed models, with errors a person can act on.

A scenario says who is simulated (population size, parameter overrides), for how long, how many
replicates with which seed, which interventions are offered, and what is written. It may
`extends:` another file (resolved relative to its own folder; mappings merge key by key, the
extending file wins, lists are replaced). Unknown keys are errors everywhere: a silently ignored
`coverge:` is the worst bug a modeller can meet.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.declare import bounds_of
from simulation.demography import DemographySettings
from simulation.economics.settings import EconomicsSettings
from simulation.inputs import (
    InputError,
    check_values,
    error_words,
    excerpt,
    parse_value,
    read_yaml,
    short_path,
    validate_strict,
)
from simulation.parameters import ModelParams
from simulation.units import years_to_days

DEFAULT_YEARS = 10.0
# The two ways of giving a duration: setting one (in an extending file or with --set) drops the other.
_DURATION_KEYS = ("years", "days")


# A scenario (or trial, or targets file) that cannot be used; the message names the file, the field
# and what is allowed. One class for every input file, so every command handles them alike.
ScenarioError = InputError


class Outputs(BaseModel):
    """What a run records and writes."""

    model_config = ConfigDict(extra="forbid")

    record_every_days: int = Field(7, ge=1, le=365, description="Days between rows of the population series.")
    panel_size: int = Field(50, ge=0, le=100_000, description="Individuals followed per replicate (the panel).")
    panel_every_days: int = Field(
        7,
        ge=1,
        le=365,
        description="Days between panel rows (1 for daily trajectories: `painsim run --panel full`). The default "
        "keeps a 10-year run's results folder near 10 MB; daily rows make the panel about 7 times larger.",
    )
    charts: bool = Field(True, description="Write charts (HTML and PNG).")


def _intervention_union():
    from simulation.interventions import REGISTRY

    return Annotated[Union[tuple(REGISTRY.values())], Field(discriminator="type")]  # noqa: UP007


InterventionBlock = _intervention_union()


class Scenario(BaseModel):
    """A validated scenario.

    Examples:
        >>> s = Scenario(seed=1, population=1000, years=1)
        >>> s.duration_days
        365
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        "baseline",
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Short name, used in the results folder name.",
    )
    description: str = Field("", description="Free text for people reading the results.")
    extends: str | None = Field(None, description="Path of a scenario this one builds on (relative to this file).")
    population: int = Field(20_000, ge=10, le=20_000_000, description="Number of simulated adults.")
    years: float | None = Field(None, gt=0, le=100, description="Duration in years (or give `days`).")
    days: int | None = Field(None, ge=1, le=36_525, description="Duration in days (or give `years`).")
    burn_in_days: int = Field(
        365,
        ge=0,
        le=3650,
        description="Days simulated before day 0 so that the couplings and the 12-month windows settle.",
    )
    settle_days: int = Field(
        700,
        ge=0,
        le=3650,
        description="Accelerated days (10x) before the burn-in that bring the slow states near steady state; the "
        "loop of depressive episodes and the scar they leave settles over about 15 years of real time.",
    )
    replicates: int = Field(5, ge=1, le=1000, description="Independent replicates (seeds split from `seed`).")
    seed: int = Field(20261126, ge=0, le=2**63 - 1, description="The run's seed; replicates derive from it.")
    engine: Literal["numpy", "compiled"] = Field(
        "numpy",
        description="Where the day's random numbers come from. `numpy`: SFC64 streams (the validated default). "
        "`compiled`: counter-based Philox4x32-10 draws made by a compiled kernel (numba), a pure function of "
        "(seed, replicate, day, person): the same in distribution, different numbers (see "
        "`simulation.counter_rng`). Both run the same compiled rules (`simulation.rules.kernel`).",
    )
    parameters_from: str | None = Field(
        None,
        description="A fit file (as `painsim calibrate` writes it) whose fitted parameters this scenario uses, "
        "without changing the shipped defaults; relative to this file. `parameters` set here win over it.",
    )
    parameters: ModelParams = Field(default_factory=ModelParams, description="Overrides of model parameters.")
    interventions: list[InterventionBlock] = Field(
        default_factory=list, description="Interventions offered (see `painsim schema` for each type's fields)."
    )
    outputs: Outputs = Field(default_factory=Outputs)
    economics: EconomicsSettings = Field(
        default_factory=EconomicsSettings,
        description="Perspective, discount rates, price year and willingness-to-pay thresholds of a comparison.",
    )
    demography: DemographySettings = Field(
        default_factory=DemographySettings,
        description="Ageing, deaths and replacement of the dead from day 0 on (all off: a closed cohort at fixed "
        "ages, as before).",
    )

    @model_validator(mode="after")
    def _unique_labels(self) -> Scenario:
        names = [i.name for i in self.interventions]
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            raise ValueError(f"two interventions share the name {', '.join(doubled)}; give each a distinct `label`")
        return self

    @model_validator(mode="after")
    def _one_duration(self) -> Scenario:
        if self.years is not None and self.days is not None:
            raise ValueError("give the duration as `years` or as `days`, not both")
        if self.years is None and self.days is None:
            self.years = DEFAULT_YEARS
        if self.duration_days < 1:
            raise ValueError(f"`years: {self.years:g}` is less than one day; a run lasts at least one day")
        for i, block in enumerate(self.interventions):
            if block.start_day >= self.duration_days:
                raise ValueError(
                    f"interventions.{i}.start_day ({block.start_day}) is not before the end of the run "
                    f"(day {self.duration_days}); the programme would never open"
                )
        return self

    @property
    def duration_days(self) -> int:
        """How long the run is, in days (from `days`, else from `years`)."""
        return self.days if self.days is not None else years_to_days(self.years)

    def resolved(self) -> dict[str, Any]:
        """The scenario as plain data, every default filled in: what a manifest records."""
        return self.model_dump(mode="json")


def scenario_schema() -> dict[str, Any]:
    """JSON Schema of scenario files, for editors and validators."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "painsim scenario"
    return schema


# ---------------------------------------------------------------------------------------------
# Loading (the guards themselves are in `simulation.inputs`)

MAX_EXTENDS = 16  # files in one `extends:` chain; the shipped scenarios use 2


def _read_yaml(path: Path, kind: str = "scenario") -> dict[str, Any]:
    """A scenario (or `kind`) file read within the input limits into a mapping."""
    return read_yaml(path, kind)


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_with_extends(path: Path, chain: tuple[str, ...] = ()) -> dict[str, Any]:
    """The file's data merged over its `extends:` chain. A problem in a parent is reported as a
    problem of the extending file's field `extends`, naming the parent; loops and chains longer
    than `MAX_EXTENDS` are errors."""
    data = _read_yaml(path)
    fit = data.get("parameters_from")
    if isinstance(fit, str) and fit.strip() and not Path(fit).is_absolute():
        data["parameters_from"] = str(path.parent / fit)  # relative to the file that names it
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(
            f"{short_path(path)}: field `extends`: must be the path of another scenario file, got {excerpt(parent)}."
        )
    here = os.path.realpath(path)
    chain = (*chain, here)
    parent_path = (path.parent / parent) if not Path(parent).is_absolute() else Path(parent)
    try:
        there = os.path.realpath(parent_path)
    except (OSError, ValueError):
        there = str(parent_path)
    where = f"{short_path(path)}: field `extends`"
    if there in chain:
        cycle = " -> ".join(short_path(p, 80) for p in (*chain, there))
        raise ScenarioError(f"{where}: the files extend each other in a loop ({cycle}).")
    if len(chain) >= MAX_EXTENDS:
        raise ScenarioError(f"{where}: more than {MAX_EXTENDS} files extend one another; shorten the chain.")
    if not os.path.lexists(parent_path):
        raise ScenarioError(
            f"{where}: file {short_path(parent_path)} not found (paths are relative to the extending file's folder)."
        )
    try:
        inherited = _read_with_extends(parent_path, chain)
    except InputError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    if any(key in data for key in _DURATION_KEYS):
        inherited = {k: v for k, v in inherited.items() if k not in _DURATION_KEYS}
    merged = _merge(inherited, data)
    merged["extends"] = parent
    return merged


MAX_SET_DEPTH = 8  # dotted parts of a --set key


def parse_override(text: str) -> tuple[list[str], Any]:
    """Parse one `--set path.to.field=value` (the value is read as YAML: 0.5, true, [1, 2])."""
    shown = excerpt(text)[1:-1]
    if "=" not in text:
        raise ScenarioError(f"--set {shown}: expected KEY=VALUE, for example --set parameters.pain.from_poor_sleep=0.6")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ScenarioError(f"--set {shown}: the key before '=' is empty.")
    if len(parts) > MAX_SET_DEPTH:
        raise ScenarioError(f"--set {shown}: a key has at most {MAX_SET_DEPTH} dotted parts.")
    if parts[0] == "extends":
        raise ScenarioError(f"--set {shown}: `extends` can be given only in a scenario file, not with --set.")
    value = parse_value(raw, f"--set {shown}") if raw.strip() else None
    check_values(value, f"--set {shown}")
    return parts, value


def _apply_override(data: dict[str, Any], parts: list[str], value: Any, text: str) -> None:
    text = excerpt(text)[1:-1]
    if len(parts) == 1 and parts[0] in _DURATION_KEYS and value is not None:
        for key in _DURATION_KEYS:
            data.pop(key, None)
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        where = ".".join(parts[: i + 1])
        if isinstance(node, list):
            node = _list_item(node, part, text, where)
            continue
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict | list):
            raise ScenarioError(f"--set {text}: `{where}` is a value, not a group of fields.")
        node = child
    if isinstance(node, list):
        raise ScenarioError(f"--set {text}: name a field of one item, e.g. interventions.cbt.coverage=0.5.")
    node[parts[-1]] = value


def _list_item(items: list, part: str, text: str, where: str) -> dict:
    """An item of a list by position (`interventions.0`) or by label or type (`interventions.cbt`)."""
    if part.isdigit() and int(part) < len(items):
        return items[int(part)]
    named = [item for item in items if isinstance(item, dict) and part in (item.get("label"), item.get("type"))]
    if len(named) == 1:
        return named[0]
    names = [str(item.get("label") or item.get("type")) for item in items if isinstance(item, dict)]
    problem = "matches more than one item" if named else "matches no item"
    raise ScenarioError(
        f"--set {text}: `{where}` {problem}; give a position (0-{len(items) - 1}) or one of: {', '.join(names)}."
    )


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """The field names allowed at `loc` (the parent of an unknown key), if a model lives there."""
    from simulation.interventions import REGISTRY

    if len(loc) >= 3 and loc[0] == "interventions" and loc[2] in REGISTRY:
        model, loc = REGISTRY[loc[2]], loc[3:]
    for part in loc:
        if not isinstance(part, str) or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return list(model.model_fields)


def _field_help(loc: tuple[Any, ...]) -> str:
    """Unit and bounds of a model parameter at `loc`, if it is one."""
    if len(loc) != 3 or loc[0] != "parameters":
        return ""
    group = ModelParams.model_fields.get(loc[1])
    if group is None or loc[2] not in group.annotation.model_fields:
        return ""
    info = group.annotation.model_fields[loc[2]]
    lo, hi = bounds_of(info)
    unit = (info.json_schema_extra or {}).get("unit", "")
    return f" (allowed: {lo} to {hi}, unit: {unit})"


def _describe(error: dict[str, Any], model: type[BaseModel] | None = None) -> str:
    """One validation error in the project's words: the dotted field, what is wrong, what is allowed."""
    loc = tuple(error["loc"])
    path = ".".join(str(p) for p in loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model or Scenario, loc[:-1])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"field `{path}` is not a known field{hint}"
    if not loc:
        return error_words(error)
    got = error.get("input")
    got_text = "" if isinstance(got, dict) or kind == "missing" else f" (got {excerpt(got)})"
    return f"field `{path}`: {error_words(error)}{got_text}{_field_help(loc)}"


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate plain data (from a file or the command line) strictly into a `Scenario`, raising
    `ScenarioError` naming `source`: no string or boolean passes for a number, no NaN."""
    data = _with_fit(data, source)
    return validate_strict(
        Scenario,
        data,
        source,
        "scenario",
        _describe,
        "See `painsim schema` for every field and `painsim params` for parameter names, units and bounds.",
    )


def _with_fit(data: dict[str, Any], source: str) -> dict[str, Any]:
    """`parameters_from: FIT.yaml`: the fit's values under the scenario's own `parameters`."""
    fit = data.get("parameters_from")
    if fit is None:
        return data
    if not isinstance(fit, str) or not fit.strip():
        raise ScenarioError(f"{source}: field `parameters_from`: must be the path of a fit file, got {excerpt(fit)}.")
    from simulation.fits import nested_parameters, read_fit

    try:
        values = read_fit(fit)
    except InputError as exc:
        raise ScenarioError(f"{source}: field `parameters_from`: {exc}") from None
    own = data.get("parameters") or {}
    if not isinstance(own, dict):
        return data  # validation reports the bad `parameters`
    return {**data, "parameters": _merge(nested_parameters(values), own)}


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> Scenario:
    """Load, merge (`extends:`), override (`--set`) and validate a scenario file.

    Examples:
        >>> s = load_scenario("scenarios/baseline.yaml", overrides=["population=2000"])
        >>> s.population
        2000
    """
    path = Path(path)
    data = _read_with_extends(path)
    for text in overrides or []:
        parts, value = parse_override(text)
        _apply_override(data, parts, value, text)
    source = short_path(path) + (f" (with --set {excerpt(', '.join(overrides), 200)[1:-1]})" if overrides else "")
    return scenario_from_dict(data, source)


def yaml_number(value: float | int, option: str) -> str:
    """A number as YAML reads it back as that number (1e-05 becomes 1.0e-05), for an override;
    `option` names where it came from in the error a non-finite number raises."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{option} must be a finite number, got {value}.")
        text = repr(value)
        mantissa, _, exponent = text.partition("e")
        if exponent and "." not in mantissa:
            text = f"{mantissa}.0e{exponent if exponent[0] in '+-' else '+' + exponent}"
        return text
    return str(value)


def option_overrides(
    population: int | None = None,
    years: float | None = None,
    days: int | None = None,
    replicates: int | None = None,
    seed: int | None = None,
) -> list[str]:
    """The `--set` overrides that the run-size options of the commands stand for (None: not given).

    Examples:
        >>> option_overrides(population=500, years=2.5)
        ['population=500', 'years=2.5']
    """
    if years is not None and days is not None:
        raise InputError("give --years or --days, not both.")
    overrides = []
    if population is not None:
        overrides.append(f"population={population}")
    if years is not None:
        overrides.append(f"years={yaml_number(years, '--years')}")
    if days is not None:
        overrides.append(f"days={days}")
    if replicates is not None:
        overrides.append(f"replicates={replicates}")
    if seed is not None:
        overrides.append(f"seed={seed}")
    return overrides


def resolve_scenario(path: str | Path | None, overrides: list[str] | None = None) -> Scenario:
    """A scenario file, or the built-in baseline when `path` is None, with `--set` style overrides.

    Examples:
        >>> resolve_scenario(None, ["population=800"]).population
        800
    """
    if path is not None:
        return load_scenario(path, overrides)
    overrides = overrides or []
    data: dict[str, Any] = {}
    for text in overrides:
        parts, value = parse_override(text)
        _apply_override(data, parts, value, text)
    shown = f" (with {excerpt(', '.join(overrides), 200)[1:-1]})" if overrides else ""
    return scenario_from_dict(data, "built-in baseline" + shown)
