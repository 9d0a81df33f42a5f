"""Scenario files: YAML, loaded safely, validated into typed models, with errors a person can act on.

A scenario says who is simulated (population size, parameter overrides), for how long, how many
replicates with which seed, which interventions are offered, and what is written. It may
`extends:` another file (resolved relative to its own folder; mappings merge key by key, the
extending file wins, lists are replaced). Unknown keys are errors everywhere: a silently ignored
`coverge:` is the worst bug a modeller can meet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulation.declare import bounds_of
from simulation.parameters import ModelParams
from simulation.units import years_to_days

DEFAULT_YEARS = 10.0
# The two ways of giving a duration: setting one (in an extending file or with --set) drops the other.
_DURATION_KEYS = ("years", "days")


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names the file, the field and what is allowed."""


class Outputs(BaseModel):
    """What a run records and writes."""

    model_config = ConfigDict(extra="forbid")

    record_every_days: int = Field(7, ge=1, le=365, description="Days between rows of the population series.")
    panel_size: int = Field(
        100, ge=0, le=100_000, description="Individuals followed day by day per replicate (the panel)."
    )
    panel_every_days: int = Field(1, ge=1, le=365, description="Days between panel rows.")
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
    replicates: int = Field(4, ge=1, le=1000, description="Independent replicates (seeds split from `seed`).")
    seed: int = Field(20261126, ge=0, le=2**63 - 1, description="The run's seed; replicates derive from it.")
    parameters: ModelParams = Field(default_factory=ModelParams, description="Overrides of model parameters.")
    interventions: list[InterventionBlock] = Field(
        default_factory=list, description="Interventions offered (see `painsim schema` for each type's fields)."
    )
    outputs: Outputs = Field(default_factory=Outputs)

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
        return self

    @property
    def duration_days(self) -> int:
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
# Loading


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys instead of keeping the last one silently."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(
            f"{path}: scenario file not found. Give the path of a YAML scenario file, "
            "for example scenarios/baseline.yaml."
        ) from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise ScenarioError(
            f"{path}: cannot read the scenario file ({exc}). A scenario is a UTF-8 YAML text file."
        ) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(
            f"{path}: malformed YAML{where}: {problem}. "
            "Fix the syntax; a scenario is a YAML mapping of `key: value` lines."
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: the top level must be a mapping of fields (`population: 10000`, ...), "
            f"not a {type(data).__name__}."
        )
    return data


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_with_extends(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve() if path.exists() else path
    if path in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(f"{chain[0]}: field `extends`: the files extend each other in a loop ({cycle}).")
    data = _read_yaml(path)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: field `extends`: must be the path of another scenario file, got {parent!r}.")
    parent_path = (path.parent / parent) if not Path(parent).is_absolute() else Path(parent)
    if not parent_path.exists():
        raise ScenarioError(
            f"{path}: field `extends`: file {parent_path} not found (paths are relative "
            "to the extending file's folder)."
        )
    inherited = _read_with_extends(parent_path, (*chain, path))
    if any(key in data for key in _DURATION_KEYS):
        inherited = {k: v for k, v in inherited.items() if k not in _DURATION_KEYS}
    merged = _merge(inherited, data)
    merged["extends"] = parent
    return merged


def parse_override(text: str) -> tuple[list[str], Any]:
    """Parse one `--set path.to.field=value` (the value is read as YAML: 0.5, true, [1, 2])."""
    if "=" not in text:
        raise ScenarioError(f"--set {text}: expected KEY=VALUE, for example --set parameters.pain.from_poor_sleep=0.6")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ScenarioError(f"--set {text}: the key before '=' is empty.")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        value = raw
    return parts, value


def _apply_override(data: dict[str, Any], parts: list[str], value: Any, text: str) -> None:
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


def _describe(error: dict[str, Any]) -> str:
    loc = tuple(error["loc"])
    path = ".".join(str(p) for p in loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_fields(Scenario, loc[:-1])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"field `{path}` is not a known field{hint}"
    got = error.get("input")
    got_text = "" if isinstance(got, dict) else f" (got {got!r})"
    return f"field `{path}`: {error['msg'].replace('Value error, ', '')}{got_text}{_field_help(loc)}"


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate plain data into a `Scenario`, raising `ScenarioError` naming `source`."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(e) for e in exc.errors()]
        head = f"{source}: {len(problems)} problem{'s' if len(problems) > 1 else ''} in the scenario: "
        raise ScenarioError(
            head + "; ".join(problems) + ". See `painsim schema` for every field and "
            "`painsim params` for parameter names, units and bounds."
        ) from None


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
    source = str(path) + (f" (with --set {', '.join(overrides)})" if overrides else "")
    return scenario_from_dict(data, source)
