"""Parameter sweeps: run a scenario at many values of any field `--set` accepts, on one executor.

A sweep varies one or more dotted keys (`parameters.pain.from_poor_sleep`,
`interventions.cbt.coverage`, `population`, ...) over a full grid of the values given, or over a
Latin hypercube of `samples` points within the ranges given. Every point runs the scenario's
replicates with the scenario's seed, so replicate r of every point starts from the same people
and draws the same daily noise (common random numbers): differences between points are the
varied values' doing. Points that differ only in what happens from day 0 (intervention fields)
share each replicate's burn-in.

The result is one tidy table (one row per point, replicate and outcome) and a summary with a 95%
interval per point and outcome (`simulation.intervals`).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.inputs import InputError, excerpt, parse_value
from simulation.scenario import Scenario

DESIGNS = ("grid", "lhs")
MAX_POINTS = 100_000
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*(?::\s*(\d+)\s*)?$")

# Outcomes written by default: end-of-run prevalences and means, and QALYs and costs per person.
DEFAULT_OUTCOMES = (
    "chronic_pain",
    "high_impact_chronic_pain",
    "depression",
    "insomnia",
    "all_three",
    "mean_pain",
    "mean_phq9",
    "mean_isi",
    "qalys_per_person",
    "cost_per_person",
)


@dataclass
class Vary:
    """One `--vary KEY=...`: a list of values, or a range LO:HI (with N points for a grid)."""

    key: str
    values: list[Any] = field(default_factory=list)
    low: float | None = None
    high: float | None = None
    integer: bool = False  # a range written in whole numbers gives whole numbers

    @property
    def is_range(self) -> bool:
        return self.low is not None


def whole_field(key: str) -> bool:
    """Whether the scenario field at dotted `key` takes whole numbers (population, days,
    interventions.X.start_day, ...); model parameters are all real numbers."""
    from pydantic import BaseModel

    from simulation.interventions import REGISTRY

    parts = [p for p in key.split(".") if p]
    model: type[BaseModel] = Scenario
    if len(parts) >= 3 and parts[0] == "interventions":
        block = REGISTRY.get(parts[1])
        if block is None:  # a label: any family will do for the shared course fields
            block = next(iter(REGISTRY.values()))
        model, parts = block, parts[2:]
    for i, part in enumerate(parts):
        info = model.model_fields.get(part)
        if info is None:
            return False
        annotation = info.annotation
        if i == len(parts) - 1:
            return annotation is int or annotation == (int | None)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return False
        model = annotation
    return False


def parse_vary(text: str) -> Vary:
    """`KEY=V1,V2,...` (each value read as YAML, as --set reads it), `KEY=LO:HI:N` (N evenly
    spaced values) or `KEY=LO:HI` (a range, for --design lhs)."""
    shown = f"--vary {excerpt(text)[1:-1]}"
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or not raw.strip():
        raise InputError(f"{shown}: expected KEY=V1,V2,... or KEY=LO:HI:N, for example "
                         "--vary parameters.pain.from_poor_sleep=0.2:0.8:4")  # fmt: skip
    if key.split(".")[0] in ("extends", "name", "seed", "replicates"):
        raise InputError(f"{shown}: `{key}` cannot be varied (a sweep keeps one name, seed and replicates).")
    match = _RANGE.match(raw)
    if match:
        low, high, count = match.groups()
        lo, hi = float(low), float(high)
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            raise InputError(f"{shown}: a range LO:HI needs finite numbers with LO <= HI.")
        integer = whole_field(key)
        if integer and not (lo.is_integer() and hi.is_integer()):
            raise InputError(f"{shown}: `{key}` takes whole numbers; give LO and HI as whole numbers.")
        vary = Vary(key, low=lo, high=hi, integer=integer)
        if count is not None:
            n = int(count)
            if n < 1 or n > 10_000:
                raise InputError(f"{shown}: N (the number of values) must be 1 to 10000, got {n}.")
            values = np.linspace(lo, hi, n) if n > 1 else np.array([lo])
            vary.values = sorted({int(round(v)) for v in values}) if integer else [float(v) for v in values]
        return vary
    values = [parse_value(part.strip(), shown) for part in raw.split(",")]
    if any(isinstance(v, dict | list) or v is None for v in values):
        raise InputError(f"{shown}: each value must be a number, true/false or a word, separated by commas.")
    return Vary(key, values=values)


def design(varies: list[Vary], kind: str = "grid", samples: int | None = None, seed: int = 0) -> list[dict]:
    """The points of a sweep: every combination of the values (grid), or `samples` points of a
    Latin hypercube over the ranges (a list of values is sampled evenly), seeded by `seed`."""
    if kind not in DESIGNS:
        raise InputError(f"--design {excerpt(kind)}: must be one of {', '.join(DESIGNS)}.")
    if not varies:
        raise InputError("give at least one --vary KEY=V1,V2,... (or KEY=LO:HI:N).")
    keys = [v.key for v in varies]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if doubled:
        raise InputError(f"--vary {', '.join(doubled)}: each key may be varied once.")
    if kind == "grid":
        if samples is not None:
            raise InputError("--samples goes with --design lhs; a grid runs every combination of the values.")
        missing = [v.key for v in varies if not v.values]
        if missing:
            raise InputError(f"--vary {missing[0]}: a grid needs values (V1,V2,... or LO:HI:N), not a range LO:HI.")
        count = math.prod(len(v.values) for v in varies)
        if count > MAX_POINTS:
            raise InputError(f"--vary: the grid has {count:,} points; at most {MAX_POINTS:,}.")
        return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(v.values for v in varies))]
    if samples is None or not 1 <= samples <= MAX_POINTS:
        raise InputError(f"--design lhs needs --samples N (1 to {MAX_POINTS:,}).")
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(varies), seed=np.random.default_rng(seed)).random(samples)
    points = []
    for row in unit:
        point = {}
        for v, u in zip(varies, row, strict=True):
            if v.is_range:
                value = v.low + u * (v.high - v.low)
                point[v.key] = int(round(value)) if v.integer else float(value)
            else:
                point[v.key] = v.values[min(int(u * len(v.values)), len(v.values) - 1)]
        points.append(point)
    return points


def scenario_at(path: Path | None, overrides: list[str], point: dict[str, Any]) -> Scenario:
    """The scenario file (or the built-in baseline) with --set `overrides` and the point's values,
    validated; a bad key or value is an input error naming the --vary."""
    from simulation.scenario import _apply_override, _read_with_extends, parse_override, scenario_from_dict

    data: dict = _read_with_extends(Path(path)) if path is not None else {}
    for text in overrides:
        parts, value = parse_override(text)
        _apply_override(data, parts, value, text)
    shown = ", ".join(f"{k}={v}" for k, v in point.items())
    try:
        for key, value in point.items():
            _apply_override(data, [p for p in key.split(".") if p], value, f"{key}={value}")
        return scenario_from_dict(data, f"{path or 'built-in baseline'} (with --vary {excerpt(shown, 200)[1:-1]})")
    except InputError as exc:
        raise InputError(str(exc).replace("--set ", "--vary ")) from None


def final_outcomes(scenario: Scenario, replicate: int, progress=None, start=None) -> dict[str, float]:
    """One replicate, kept small: the end-of-run outcomes, QALYs and intervention cost per person."""
    from simulation.compare import qalys_per_person
    from simulation.model import PainCycleModel

    model = PainCycleModel(scenario, replicate=replicate, agent_views=False, start=start)
    days = scenario.duration_days
    model.run(progress=(lambda done: progress(done / days)) if progress is not None else None)
    out = dict(model.metrics())
    out["qalys_per_person"] = qalys_per_person(model.population_series())
    report = model.treatment_report()
    out["cost_per_person"] = float(report["cost"].sum()) / scenario.population if not report.empty else 0.0
    return out


def outcome_tasks(scenarios: list[Scenario]) -> list:
    """Study tasks (point, replicate) -> `final_outcomes`, cached by the resolved scenario."""
    from simulation.study import replicate_tasks

    return replicate_tasks(scenarios, final_outcomes)


def check_outcomes(outcomes: list[str] | None) -> list[str]:
    from simulation.outcomes import METRICS

    known = [*METRICS, "qalys_per_person", "cost_per_person"]
    chosen = list(outcomes or DEFAULT_OUTCOMES)
    unknown = [o for o in chosen if o not in known]
    if unknown:
        raise InputError(f"--outcomes {', '.join(unknown)}: not an outcome; known: {', '.join(known)}.")
    return chosen


@dataclass
class SweepResult:
    keys: list[str]
    points: pd.DataFrame  # one row per point: point, then the varied keys
    tidy: pd.DataFrame  # point, keys..., replicate, outcome, value
    scenario: Scenario  # the first point's scenario (population, duration, replicates for captions)
    design: str
    stats: dict

    def summary(self) -> pd.DataFrame:
        """Per point and outcome: mean across replicates and its 95% interval (none below 5 replicates)."""
        from simulation.intervals import interval_note, outcome_interval

        rows = []
        for (point, outcome), part in self.tidy.groupby(["point", "outcome"], sort=False):
            mean, low, high = outcome_interval(part["value"].to_numpy(float), outcome)
            first = part.iloc[0]
            rows.append({"point": point, **{k: first[k] for k in self.keys}, "outcome": outcome, "mean": mean,
                         "ci95_low": low, "ci95_high": high, "replicates": len(part),
                         "interval": interval_note(len(part))})  # fmt: skip
        return pd.DataFrame(rows)


def run_sweep(
    scenarios: list[Scenario],
    points: list[dict],
    outcomes: list[str],
    design_kind: str = "grid",
    jobs: int | None = None,
    dask: str | None = None,
    cache=None,
    progress=None,
) -> SweepResult:
    """Run every point's replicates as one study and gather the chosen outcomes in a tidy table."""
    from simulation.study import run_study

    study = run_study(outcome_tasks(scenarios), jobs=jobs, dask=dask, cache=cache, progress=progress)
    keys = list(points[0])
    rows = []
    for i, (s, point) in enumerate(zip(scenarios, points, strict=True)):
        for r in range(s.replicates):
            values = study[(i, r)]
            rows += [{"point": i, **point, "replicate": r, "outcome": o, "value": values[o]} for o in outcomes]
    frame = pd.DataFrame([{"point": i, **p} for i, p in enumerate(points)])
    return SweepResult(keys, frame, pd.DataFrame(rows), scenarios[0], design_kind, study.stats)


def write_sweep(result: SweepResult, out_root: str | Path = "results", charts: bool = True) -> Path:
    """One results folder (atomically): sweep.csv (tidy), summary.csv, points.csv, charts/, manifest.json."""
    from simulation.results import atomic_folder, write_manifest
    from simulation.study import study_manifest

    s = result.scenario
    with atomic_folder(out_root, f"sweep-{s.name}") as (staging, final):
        result.tidy.to_csv(staging / "sweep.csv", index=False)
        summary = result.summary()
        summary.to_csv(staging / "summary.csv", index=False)
        result.points.to_csv(staging / "points.csv", index=False)
        if charts:
            from simulation.charts import save_chart, sweep_chart
            from simulation.units import DAYS_PER_YEAR

            for key in result.keys:
                stem = re.sub(r"[^A-Za-z0-9_-]+", "_", key)
                chart = sweep_chart(summary, key, result.keys, s.population, s.duration_days / DAYS_PER_YEAR,
                                    s.replicates)  # fmt: skip
                save_chart(chart, staging / "charts" / f"sweep_{stem}")
        write_manifest(staging, study_manifest(
            result.stats, scenario=s.resolved(), sweep={"design": result.design, "keys": result.keys,
                                                        "points": len(result.points)},
        ))  # fmt: skip
    return final
