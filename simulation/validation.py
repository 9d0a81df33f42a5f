"""Targets and validation: measure every published target in the model, the way it was measured.

`simulation/data/targets.yaml` lists the targets (value, band, source, how it is measured) and the free
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

DEFAULT_TARGETS = Path(__file__).resolve().parent / "data" / "targets.yaml"  # package data: found from a wheel


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
    role: Literal["fit", "hold_out"] = Field(
        description="`fit`: used to set parameters (a check of the fit, not evidence); `hold_out`: nothing is "
        "fitted to it."
    )

    @property
    def fit(self) -> bool:
        return self.role == "fit"

    @model_validator(mode="after")
    def _check(self) -> Target:
        from simulation.outcomes import METRICS

        if not all(np.isfinite(self.band)) or not np.isfinite(self.value):
            raise ValueError("value and band must be finite numbers")
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
    "pr_back_pain_t2_given_depression_t1",
    "rr_new_chronic_pain_given_depression",
    "rr_new_chronic_pain_given_poor_sleep",
    "incidence_chronic_pain",
    "incidence_chronic_pain_1y",
    "persistence_chronic_pain_4y",
    "persistence_insomnia_1y",
    "incidence_insomnia_1y",
    "or_depression_given_insomnia",
    "depression_recovered_3m",
    "depression_recovered_6m",
    "depression_recovered_12m",
    "depression_recovered_24m",
    "depression_recurrence_5y",
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


def measure(
    scenario: Scenario,
    targets: Targets,
    jobs: int | None = 1,
    cohort: bool = True,
    progress=None,
    dask: str | None = None,
    executor=None,
    cache=None,
) -> pd.DataFrame:
    """Every target in every replicate, one row per replicate; the replicates run as one study
    (`simulation.study`), `progress()` is called as each finishes."""
    from simulation.study import Task, run_study

    identity = {"scenario": scenario.resolved(), "targets": targets.model_dump(mode="json"), "cohort": cohort}
    tasks = [Task(r, measure_replicate, (scenario, targets, r, cohort), identity={**identity, "replicate": r})
             for r in range(scenario.replicates)]  # fmt: skip
    report = (lambda r, fraction: progress() if fraction >= 1.0 else None) if progress else None
    study = run_study(tasks, executor=executor, jobs=jobs, dask=dask, cache=cache, progress=report)
    return pd.DataFrame([study[r] for r in range(scenario.replicates)])


def validation_table(targets: Targets, per_replicate: pd.DataFrame) -> pd.DataFrame:
    """One row per target: published value and band, simulated mean and 95% interval (on the
    quantity's scale), the interval verdict, the role, and how many replicates came out NaN."""
    from simulation.verdicts import interval, scale_of, verdict

    rows = []
    for t in targets.targets:
        if t.name not in per_replicate:
            continue
        values = per_replicate[t.name].to_numpy(float)
        mean, low, high = interval(values, scale_of(t.measure.name, t.band))
        rows.append({
            "name": t.name, "role": t.role, "published": t.value, "band_low": t.band[0], "band_high": t.band[1],
            "simulated": mean, "simulated_low": low, "simulated_high": high,
            "verdict": verdict(low, high, t.band), "within_band": verdict(low, high, t.band) == "in band",
            "nan_replicates": int((~np.isfinite(values)).sum()), "replicates": int(values.size),
            "measure": f"{t.measure.kind}:{t.measure.name}", "source": t.source,
        })  # fmt: skip
    return pd.DataFrame(rows)


def counts(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per role (fit, hold_out): how many targets got each verdict, and in all."""
    out = {}
    for role in ("fit", "hold_out"):
        part = table[table["role"] == role]
        out[role] = {v: int((part["verdict"] == v).sum()) for v in ("in band", "touches", "outside", "no interval")}
        out[role]["total"] = int(len(part))
    return out


def counts_sentence(table: pd.DataFrame) -> str:
    c = counts(table)
    f, h = c["fit"], c["hold_out"]
    return (
        f"Fitted targets: {f['in band']} of {f['total']} in band ({f['touches']} touch, {f['outside']} outside). "
        f"Held-out targets: {h['in band']} of {h['total']} in band ({h['touches']} touch, {h['outside']} outside)."
    )


def report_markdown(
    table: pd.DataFrame, scenario: Scenario, targets: Targets, wall: float, command: str | None = None
) -> str:
    nan = int(table["nan_replicates"].sum())
    lines = [
        f"# Validation of `{scenario.name}`",
        "",
        counts_sentence(table),
        "",
        *([f"Command: `{command}`", ""] if command else []),
        f"{scenario.population:,} people, {scenario.replicates} replicates, seed {scenario.seed}; cohort of "
        f"{targets.cohort.sample_size:,} surveyed in waves over {targets.cohort.follow_up_years:g} years. Simulated "
        "values are means across replicates with 95% intervals on the quantity's scale (logit for shares, log for "
        "ratios). A target is *in band* only when its whole interval lies inside the band; an interval across an "
        f"edge *touches*. {nan} replicate value(s) came out NaN (counted per target below, never dropped silently). "
        f"Run time {wall:.0f} s.",
    ]
    for role, title in (("fit", "Fitted targets (used to set parameters: a check of the fit, not evidence)"),
                        ("hold_out", "Held-out targets (nothing fitted to them: the evidence)")):  # fmt: skip
        lines += ["", f"## {title}", "",
                  "| target | published | band | simulated (95% interval) | verdict | NaN | source |",
                  "|---|---|---|---|---|---|---|"]  # fmt: skip
        for r in table[table["role"] == role].itertuples():
            interval = "" if np.isnan(r.simulated_low) else f" ({r.simulated_low:.3g} to {r.simulated_high:.3g})"
            mark = r.verdict if r.verdict == "in band" else f"**{r.verdict}**"
            lines.append(
                f"| {r.name} | {r.published:g} | {r.band_low:g} to {r.band_high:g} | {r.simulated:.3g}{interval} | "
                f"{mark} | {r.nan_replicates} | {r.source} |"
            )
    misses = table[table["verdict"] != "in band"]
    if not misses.empty:
        lines += ["", "## What misses", ""]
        for r in misses.itertuples():
            side = "above" if r.simulated > r.band_high else "below" if r.simulated < r.band_low else "inside"
            lines.append(f"- **{r.name}** ({r.role}): {r.simulated:.3g}, {r.verdict}; mean {side} the band "
                         f"{r.band_low:g} to {r.band_high:g}.")  # fmt: skip
    return "\n".join(lines) + "\n"


def validate(scenario: Scenario, targets: Targets, jobs: int | None = 1, progress=None, dask=None, executor=None):
    t0 = time.perf_counter()
    per_replicate = measure(scenario, targets, jobs=jobs, progress=progress, dask=dask, executor=executor)
    return validation_table(targets, per_replicate), per_replicate, time.perf_counter() - t0


def write_validation(
    table, per_replicate, scenario, targets, wall, out_root="results", charts=True, command: str | None = None
) -> Path:
    from simulation.results import atomic_folder, write_manifest
    from simulation.study import study_manifest

    with atomic_folder(out_root, f"validation-{scenario.name}") as (staging, final):
        table.to_csv(staging / "validation.csv", index=False)
        per_replicate.to_csv(staging / "replicates.csv", index=False)
        (staging / "report.md").write_text(report_markdown(table, scenario, targets, wall, command))
        if charts:
            from simulation.charts import save_chart, validation_chart

            save_chart(validation_chart(table, scenario.name), staging / "validation")
        write_manifest(staging, study_manifest(
            scenario=scenario.resolved(), targets=json.loads(targets.model_dump_json()), wall_seconds=round(wall, 3)
        ))  # fmt: skip
    return final
