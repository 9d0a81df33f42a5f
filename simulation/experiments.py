"""`PainCycleModel` as mesa's tools expect a model: keyword parameters, a fresh seed, a DataCollector.

`mesa.batch_run` and mesa's visualisation build models from plain keyword arguments, read a
`datacollector`, and expect `seed=None` to mean "a new random seed". This module turns those
keywords into a validated `Scenario` and declares the outcomes the DataCollector records, so the
model itself only calls three functions.

Keyword parameters (all optional, combined with the `Scenario` if one is given):

- a model parameter by its dotted path with `__` for the dots: ``pain__from_poor_sleep=0.6``;
- ``parameters={"pain.from_poor_sleep": 0.6}`` or the nested form ``{"pain": {"from_poor_sleep": 0.6}}``;
- a field of an intervention by its label (or type): ``cbt__coverage=0.5`` (the scenario must
  offer it), or new interventions with ``interventions=["cbt", {"type": "exercise", "coverage": 0.3}]``;
- a scenario field: ``years=2``, ``days=90``, ``settle_days=100``, ...

Every value is validated as a scenario file is, with the same error messages.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

import mesa
import numpy as np

from simulation.instruments import PHQ9_MAX
from simulation.scenario import Scenario, ScenarioError, _apply_override, scenario_from_dict


def fresh_seed() -> int:
    """A new random seed (what `seed=None` draws): 32 bits, as mesa draws, so it survives a float column."""
    return secrets.randbits(32)


def _plain(value: Any) -> Any:
    """Numpy scalars (as `np.linspace` sweeps give) as the Python numbers validation expects."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _parameter_items(parameters: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[list[str], Any]]:
    """`{"pain.from_mood": 1}` or `{"pain": {"from_mood": 1}}` as (dotted parts, value) pairs."""
    items = []
    for key, value in parameters.items():
        parts = (*prefix, *str(key).replace("__", ".").split("."))
        if isinstance(value, Mapping):
            items += _parameter_items(value, parts)
        else:
            items.append((list(parts), value))
    return items


def scenario_with(scenario: Scenario | None, keywords: Mapping[str, Any]) -> Scenario:
    """`scenario` (the default one if None) changed by mesa-style keyword parameters (see the module
    docstring); the scenario itself when there are none. Raises `ScenarioError` naming the keyword."""
    scenario = scenario if scenario is not None else Scenario()
    keywords = {k: _plain(v) for k, v in keywords.items()}
    if not keywords:
        return scenario
    from simulation.parameters import ModelParams

    data = scenario.resolved()
    data["parameters_from"] = None  # its values are already in `parameters`
    if "interventions" in keywords:  # first, so that `cbt__coverage` can name one added here
        blocks = [{"type": v} if isinstance(v, str) else dict(v) for v in keywords["interventions"]]
        data["interventions"] = [*data["interventions"], *blocks]
    offered = {b.get("label") or b["type"] for b in data["interventions"]} | {b["type"] for b in data["interventions"]}
    for key, value in keywords.items():
        if key == "interventions":
            continue
        if key == "parameters":
            if not isinstance(value, Mapping):
                raise ScenarioError(f"parameters={value!r}: give a mapping such as {{'pain.from_poor_sleep': 0.6}}.")
            for parts, item in _parameter_items(value):
                _apply_override(data, ["parameters", *parts], item, f"parameters[{'.'.join(parts)}]={item!r}")
            continue
        parts = key.split("__")
        if key in Scenario.model_fields:
            path = [key]
        elif parts[0] in ModelParams.model_fields:
            path = ["parameters", *parts]
        elif parts[0] in offered and len(parts) > 1:
            path = ["interventions", *parts]
        else:
            listed = f"; this scenario offers {', '.join(sorted(offered))}" if offered else ""
            raise ScenarioError(
                f"{key}={value!r}: not a model parameter (such as pain__from_poor_sleep), a scenario field "
                f"(such as years) or a field of an offered intervention (such as cbt__coverage){listed}."
            )
        _apply_override(data, path, value, f"{key}={value!r}")
    return scenario_from_dict(data, f"{scenario.name} (with {', '.join(keywords)})")


# -- what the DataCollector records ------------------------------------------------------------


def _share(flags: np.ndarray) -> float:
    return float(np.count_nonzero(flags)) / max(flags.size, 1)


def _summed(name: str, compute: Callable[[Any], float]) -> Callable[[Any], float]:
    """A reporter that reads today's sum from the kernel's pass (`PainCycleModel.today`) when it is
    current, and computes it from the arrays otherwise (day 0, or after deaths changed the population)."""

    def report(m: Any) -> float:
        today = getattr(m, "today", None)
        return today[name] if today is not None and today["day"] == m.day else compute(m)

    return report


# name -> reporter; the model collects daily, so these are read from the day's pass over everyone
# (simulation/rules/kernel.py KEY_OUTCOMES) rather than costing passes of their own.
MODEL_REPORTERS: dict[str, Callable[[Any], float]] = {
    "day": lambda m: m.day,
    "seed": lambda m: m.seed,
    "chronic_pain": _summed("chronic_pain", lambda m: _share(m.status.chronic_pain())),
    "depression": _summed("depression", lambda m: _share(m.status.mde_12m(m.day))),
    "insomnia": _summed("insomnia", lambda m: _share(m.status.insomnia_disorder())),
    "mean_pain": _summed("mean_pain", lambda m: float(m.state.pain.mean(dtype=np.float64))),
    "mean_phq9": lambda m: _summed("mean_mood", lambda m: float(m.state.mood.mean(dtype=np.float64)))(m) * PHQ9_MAX,
    "mean_isi": _summed("mean_isi", lambda m: float(m.state.isi.mean(dtype=np.float64))),
}


def make_datacollector() -> mesa.DataCollector:
    """The model's DataCollector: the key outcomes each day (agent reporters are left to the user,
    since 20,000 people x every day is large; add them with `mesa.DataCollector(agent_reporters=...)`)."""
    return mesa.DataCollector(model_reporters=dict(MODEL_REPORTERS))
