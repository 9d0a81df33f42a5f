"""Targets and validation: measure every published target in the model, the way it was measured.

`calibration/targets.yaml` lists the targets (value, band, source, how it is measured) and the free
parameters `painsim calibrate` may move. `validate` runs a scenario's replicates, takes the
cross-sectional survey of the whole population at the start of follow-up and runs the virtual
cohort study on a sample, and reports each target's simulated value with a 95% interval and
whether it falls within the band.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.inputs import short_path, validate_strict
from simulation.scenario import Scenario, _describe, _read_yaml

DEFAULT_TARGETS = Path(__file__).resolve().parents[1] / "calibration" / "targets.yaml"


class Measure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["metric", "cohort"]
    name: str


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    value: float
    band: tuple[float, float]
    source: str = Field(min_length=1)
    measure: Measure
    fit: bool = False

    @model_validator(mode="after")
    def _check(self) -> Target:
        from simulation.outcomes import METRICS

        if self.band[0] > self.band[1]:
            raise ValueError(f"band must be [low, high], got {list(self.band)}")
        if self.measure.kind == "metric" and self.measure.name not in METRICS:
            raise ValueError(f"measure.name {self.measure.name!r} is not a model metric; see simulation/outcomes.py")
        if self.measure.kind == "cohort" and self.measure.name not in COHORT_STATISTICS:
            raise ValueError(f"measure.name {self.measure.name!r} is not one of {', '.join(COHORT_STATISTICS)}")
        return self

    @property
    def half_band(self) -> float:
        return max((self.band[1] - self.band[0]) / 2.0, 1e-9)


COHORT_STATISTICS = (
    "or_depression_t2_given_back_pain_t1",
    "or_back_pain_t2_given_depression_t1",
    "rr_new_chronic_pain_given_depression",
    "rr_new_chronic_pain_given_poor_sleep",
    "incidence_chronic_pain",
    "incidence_chronic_pain_1y",
)


class CohortSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sample_size: int = Field(3000, ge=10, le=10_000_000)
    follow_up_years: float = Field(9.0, gt=0, le=50)
    incidence_years: float = Field(3.0, gt=0, le=50)


class Targets(BaseModel):
    model_config = ConfigDict(extra="forbid")
    targets: list[Target] = Field(min_length=1)
    cohort: CohortSettings = Field(default_factory=CohortSettings)
    free_parameters: dict[str, tuple[float, float]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _free_within_declared(self) -> Targets:
        from simulation.declare import bounds_of
        from simulation.parameters import ModelParams

        for path, (low, high) in self.free_parameters.items():
            group, _, name = path.partition(".")
            group_cls = ModelParams.model_fields.get(group)
            if group_cls is None or name not in group_cls.annotation.model_fields:
                raise ValueError(f"free parameter {path!r} is not a model parameter (see `painsim params`)")
            lo, hi = bounds_of(group_cls.annotation.model_fields[name])
            if low > high or (lo is not None and low < lo) or (hi is not None and high > hi):
                raise ValueError(f"free parameter {path}: [{low}, {high}] must lie within its declared [{lo}, {hi}]")
        return self

    @property
    def needs_cohort(self) -> bool:
        return any(t.measure.kind == "cohort" for t in self.targets)


def load_targets(path: str | Path = DEFAULT_TARGETS) -> Targets:
    """Load and validate a targets file strictly; errors name the file and the field (`ScenarioError`)."""
    path = Path(path)
    data = _read_yaml(path, "targets")
    return validate_strict(Targets, data, short_path(path), "targets", lambda e: _describe(e, Targets))


def measure_replicate(scenario: Scenario, targets: Targets, replicate: int, cohort: bool = True) -> dict[str, float]:
    """One replicate: the metrics at the start of follow-up and, if asked, the cohort statistics."""
    from simulation.cohort import run_cohort
    from simulation.model import PainCycleModel

    model = PainCycleModel(scenario, replicate=replicate, agent_views=False)
    values = dict(model.metrics())
    if cohort and targets.needs_cohort:
        c = targets.cohort
        result = run_cohort(scenario, c.sample_size, c.follow_up_years, c.incidence_years, model=model)
        values.update(result.statistics())
    return {t.name: values[t.measure.name] for t in targets.targets if t.measure.name in values}


def _measure_task(args) -> dict[str, float]:
    return measure_replicate(*args)


def measure(scenario: Scenario, targets: Targets, jobs: int = 1, cohort: bool = True, progress=None) -> pd.DataFrame:
    """Every target in every replicate: one row per replicate."""
    from simulation.runner import worker_pool

    tasks = [(scenario, targets, r, cohort) for r in range(scenario.replicates)]
    rows = []
    if jobs <= 1:
        for task in tasks:
            rows.append(_measure_task(task))
            if progress:
                progress()
    else:
        with worker_pool(jobs) as pool:
            for row in pool.map(_measure_task, tasks):
                rows.append(row)
                if progress:
                    progress()
    return pd.DataFrame(rows)


def validation_table(targets: Targets, per_replicate: pd.DataFrame) -> pd.DataFrame:
    from simulation.compare import _interval

    rows = []
    for t in targets.targets:
        if t.name not in per_replicate:
            continue
        values = per_replicate[t.name].to_numpy(float)
        values = values[np.isfinite(values)]
        mean, low, high = _interval(values) if values.size else (np.nan, np.nan, np.nan)
        rows.append({
            "name": t.name, "published": t.value, "band_low": t.band[0], "band_high": t.band[1],
            "simulated": mean, "simulated_low": low, "simulated_high": high,
            "within_band": bool(t.band[0] <= mean <= t.band[1]) if np.isfinite(mean) else False,
            "measure": f"{t.measure.kind}:{t.measure.name}", "fitted": t.fit, "source": t.source,
        })  # fmt: skip
    return pd.DataFrame(rows)


def report_markdown(table: pd.DataFrame, scenario: Scenario, targets: Targets, wall: float) -> str:
    hits = int(table["within_band"].sum())
    lines = [
        f"# Validation of `{scenario.name}`",
        "",
        f"{hits} of {len(table)} targets within their band. {scenario.population:,} people, {scenario.replicates} "
        f"replicates, seed {scenario.seed}; cohort of {targets.cohort.sample_size:,} followed "
        f"{targets.cohort.follow_up_years:g} years (incidence within {targets.cohort.incidence_years:g} years). "
        f"Simulated values are means across replicates with 95% intervals. Run time {wall:.0f} s.",
        "",
        "| target | published | band | simulated (95% interval) | within band | fitted | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        interval = "" if np.isnan(r.simulated_low) else f" ({r.simulated_low:.3g} to {r.simulated_high:.3g})"
        lines.append(
            f"| {r.name} | {r.published:g} | {r.band_low:g} to {r.band_high:g} | {r.simulated:.3g}{interval} | "
            f"{'yes' if r.within_band else '**no**'} | {'yes' if r.fitted else ''} | {r.source} |"
        )
    misses = table[~table["within_band"]]
    if not misses.empty:
        lines += ["", "## What misses", ""]
        for r in misses.itertuples():
            side = "above" if r.simulated > r.band_high else "below"
            lines.append(f"- **{r.name}**: {r.simulated:.3g}, {side} the band {r.band_low:g} to {r.band_high:g}.")
    return "\n".join(lines) + "\n"


def validate(scenario: Scenario, targets: Targets, jobs: int = 1, progress=None):
    t0 = time.perf_counter()
    per_replicate = measure(scenario, targets, jobs=jobs, progress=progress)
    return validation_table(targets, per_replicate), per_replicate, time.perf_counter() - t0


def write_validation(table, per_replicate, scenario, targets, wall, out_root="results", charts=True) -> Path:
    from simulation.results import atomic_folder, git_revision, list_files, package_versions

    with atomic_folder(out_root, f"validation-{scenario.name}") as (staging, final):
        table.to_csv(staging / "validation.csv", index=False)
        per_replicate.to_csv(staging / "replicates.csv", index=False)
        (staging / "report.md").write_text(report_markdown(table, scenario, targets, wall))
        if charts:
            from simulation.charts import save_chart, validation_chart

            save_chart(validation_chart(table, scenario.name), staging / "validation")
        info = {
            "scenario": scenario.resolved(),
            "targets": json.loads(targets.model_dump_json()),
            "wall_seconds": round(wall, 3),
            "versions": package_versions(),
            "git": git_revision(),
            "files": [*list_files(staging), "manifest.json"],
        }
        (staging / "manifest.json").write_text(json.dumps(info, indent=2, default=str) + "\n")
    return final
