"""Fitted parameter sets: reading a fit file, and making a fit the shipped defaults on purpose.

`painsim calibrate` writes its fit into its own results folder and never touches the shipped
defaults, so an exploratory calibration cannot silently change every later run. A fit becomes the
defaults only through `painsim apply-fit FIT.yaml` (or `painsim calibrate --apply FIT.yaml`),
which rewrites the `default` of each fitted parameter where it is declared (`param(<value>, ...`
in `simulation/rules/*.py`, `simulation/status.py`, ...) and reports every change, so the change is
a reviewable diff. A scenario can instead name a fit (`parameters_from: FIT.yaml`) to use its values
for that scenario only.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from simulation.inputs import InputError, read_yaml, short_path
from simulation.parameters import ModelParams

SOURCE_ROOT = Path(__file__).resolve().parents[1]  # the folder that holds the `simulation` package


def read_fit(path: str | Path) -> dict[str, float]:
    """The `fitted_parameters` of a fit file (as `painsim calibrate` writes it), checked: every name
    is a model parameter and every value a number within its bounds."""
    data = read_yaml(path, "fit")
    values = data.get("fitted_parameters")
    if not isinstance(values, dict) or not values:
        raise InputError(f"{short_path(path)}: field `fitted_parameters`: must map parameter names to numbers.")
    checked: dict[str, float] = {}
    for name, value in values.items():
        group, _, field = str(name).partition(".")
        cls = _group_class(group)
        if cls is None or field not in cls.model_fields:
            raise InputError(f"{short_path(path)}: field `fitted_parameters.{name}`: not a model parameter "
                             "(see `painsim params`).")  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"{short_path(path)}: field `fitted_parameters.{name}`: must be a number.")
        checked[str(name)] = float(value)
    try:
        nested_parameters(checked, validate=True)
    except ValueError as exc:
        raise InputError(f"{short_path(path)}: field `fitted_parameters`: {exc}") from None
    return checked


def nested_parameters(values: dict[str, float], validate: bool = False) -> dict[str, dict[str, float]]:
    """Dotted names to the nested `parameters:` mapping of a scenario."""
    nested: dict[str, dict[str, float]] = {}
    for name, value in values.items():
        group, _, field = name.partition(".")
        nested.setdefault(group, {})[field] = value
    if validate:
        ModelParams.model_validate(nested)
    return nested


def _group_class(group: str):
    info = ModelParams.model_fields.get(group)
    return info.annotation if info is not None else None


def _declaration(name: str) -> tuple[Path, re.Pattern]:
    group, _, field = name.partition(".")
    cls = _group_class(group)
    source = Path(inspect.getsourcefile(cls))
    pattern = re.compile(rf"(\n    {re.escape(field)}: float = param\(\s*)([-+0-9.eE_]+)(\s*,)")
    return source, pattern


def _number(value: float) -> str:
    """A default as the declarations write them: four significant digits, never scientific."""
    text = f"{value:.4g}"
    if "e" in text:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text


def apply_fit(values: dict[str, float], dry_run: bool = False) -> list[tuple[str, str, str, str]]:
    """Rewrite the declared default of each parameter in `values`; return (name, file, old, new)
    for each. Nothing is written if any declaration cannot be found."""
    edits: dict[Path, str] = {}
    changes = []
    for name, value in values.items():
        source, pattern = _declaration(name)
        text = edits.get(source) or source.read_text()
        match = pattern.search(text)
        if match is None:
            raise InputError(f"{name}: cannot find its declaration `param(<value>, ...` in {source}.")
        new = _number(value)
        changes.append((name, str(source), match.group(2), new))
        edits[source] = text[: match.start(2)] + new + text[match.end(2) :]
    if not dry_run:
        for source, text in edits.items():
            tmp = source.with_suffix(".py.partial")
            tmp.write_text(text)
            tmp.replace(source)
    return changes


def write_fit_copy(path: str | Path, text: str) -> None:
    """Write a fit file's `text` to `path` whole or not at all (a partial file, then a rename), so a
    reader never finds half a fit."""
    path = Path(path)
    tmp = path.with_suffix(path.suffix + ".partial")
    tmp.write_text(text)
    tmp.replace(path)


def declared_in(source: str | Path) -> str:
    """Where a parameter is declared, relative to the project folder, as the apply-fit table shows it."""
    return str(Path(source).relative_to(SOURCE_ROOT))
