"""Comparing scenarios on the same people with the same random numbers.

Every scenario is run with the reference's population size, duration, replicates, seed, burn-in
and settling, so replicate r of each scenario synthesises the same people and draws the same daily
noise (common random numbers): a difference between scenarios is the interventions' doing, not
noise, and paired differences across replicates get tight intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.inputs import InputError, excerpt
from simulation.intervals import interval_note, outcome_interval
from simulation.outcomes import KEY_OUTCOMES, OUTCOMES
from simulation.results import atomic_folder, manifest, write_manifest
from simulation.runner import RunResult, run_many
from simulation.scenario import Scenario
from simulation.units import DAYS_PER_YEAR

# The rows of the comparison table: the key outcomes, then the economics of each scenario.
TABLE_OUTCOMES = (*KEY_OUTCOMES, "qalys_per_person", "cost_per_person")
SHARED = ("population", "days", "years", "replicates", "seed", "burn_in_days", "settle_days", "economics", "demography")


def qalys_per_person(series: pd.DataFrame) -> float:
    """QALYs per person over the run: the area under the mean-utility curve, in years (with deaths,
    the mean utility of the living times the share alive: the dead count none)."""
    from simulation.economics.costs import per_person

    days = series["day"].to_numpy(float)
    utility = per_person(series, "mean_utility")
    return float(np.trapezoid(utility, days) / DAYS_PER_YEAR) if days.size > 1 else 0.0


@dataclass
class Comparison:
    """Levels, paired differences and economics of several scenarios against a reference."""

    runs: list[RunResult]
    reference: int
    notes: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """The scenario names, in the order they were given."""
        return [r.scenario.name for r in self.runs]

    def per_replicate(self) -> pd.DataFrame:
        """One row per scenario and replicate: end-of-run outcomes, QALYs, costs, numbers treated."""
        rows = []
        for run in self.runs:
            for rep in run.replicates:
                treated = int(rep.treatments["enrolled"].sum()) if not rep.treatments.empty else 0
                cost = float(rep.treatments["cost"].sum()) if not rep.treatments.empty else 0.0
                n = run.scenario.population
                rows.append(
                    {
                        "scenario": run.scenario.name,
                        "replicate": rep.replicate,
                        **rep.final,
                        "qalys_per_person": qalys_per_person(rep.series),
                        "cost_per_person": cost / n,
                        "treated": treated,
                    }
                )
        return pd.DataFrame(rows)

    def table(self) -> pd.DataFrame:
        """Long table: scenario x outcome, level and paired difference from the reference, each with
        its 95% interval (levels of shares on the logit scale, means and differences linear; none
        with fewer than 5 replicates, as the `interval` column says)."""
        data = self.per_replicate()
        ref_name = self.names[self.reference]
        ref = data[data["scenario"] == ref_name].set_index("replicate")
        rows = []
        for name in self.names:
            mine = data[data["scenario"] == name].set_index("replicate")
            for outcome in TABLE_OUTCOMES:
                level = outcome_interval(mine[outcome].to_numpy(), outcome)
                diff = outcome_interval((mine[outcome] - ref[outcome]).to_numpy(), outcome, difference=True)
                rows.append(
                    {
                        "scenario": name,
                        "outcome": outcome,
                        "label": OUTCOMES[outcome].with_unit,
                        "kind": OUTCOMES[outcome].kind,
                        "level": level[0],
                        "level_low": level[1],
                        "level_high": level[2],
                        "difference": diff[0],
                        "difference_low": diff[1],
                        "difference_high": diff[2],
                        "reference": ref_name,
                        "replicates": len(mine),
                        "interval": interval_note(len(mine)),
                    }
                )
        return pd.DataFrame(rows)

    def economics(self) -> pd.DataFrame:
        """Per scenario: people treated, costs, QALYs, ICER, and numbers needed to treat."""
        data = self.per_replicate()
        ref_name = self.names[self.reference]
        ref = data[data["scenario"] == ref_name].set_index("replicate")
        rows = []
        for run in self.runs:
            name, n = run.scenario.name, run.scenario.population
            mine = data[data["scenario"] == name].set_index("replicate")
            d_cost = float((mine["cost_per_person"] - ref["cost_per_person"]).mean())
            d_qaly = float((mine["qalys_per_person"] - ref["qalys_per_person"]).mean())
            treated = float((mine["treated"] - ref["treated"]).mean())
            row = {
                "scenario": name,
                "treated": float(mine["treated"].mean()),
                "cost_per_person": float(mine["cost_per_person"].mean()),
                "qalys_per_person": float(mine["qalys_per_person"].mean()),
                "incremental_cost_per_person": d_cost,
                "incremental_qalys_per_person": d_qaly,
                "icer_usd_per_qaly": d_cost / d_qaly if name != ref_name and d_qaly > 0 else float("nan"),
            }
            for outcome in (o for o in KEY_OUTCOMES if OUTCOMES[o].kind == "prevalence"):
                averted = -float((mine[outcome] - ref[outcome]).mean()) * n
                row[f"nnt_{outcome}"] = (
                    treated / averted if name != ref_name and averted > 0 and treated > 0 else np.nan
                )
            rows.append(row)
        return pd.DataFrame(rows)

    def series(self) -> pd.DataFrame:
        """Every scenario's population series, stacked, with a `scenario` column."""
        return pd.concat([r.series().assign(scenario=r.scenario.name) for r in self.runs], ignore_index=True)


def align(scenarios: list[Scenario], reference: int) -> tuple[list[Scenario], list[str]]:
    """Give every scenario the reference's run settings (same people, same draws); say what changed."""
    ref = scenarios[reference]
    shared = {key: getattr(ref, key) for key in SHARED}
    aligned, notes = [], []
    for s in scenarios:
        differs = [k for k in SHARED if getattr(s, k) != shared[k] and k not in ("days", "years")]
        if s.duration_days != ref.duration_days:
            differs.append("duration")
        if differs:
            notes.append(f"{s.name}: {', '.join(differs)} set to the reference's ({ref.name}) for a paired comparison")
        aligned.append(s.model_copy(update=shared))
    names = [s.name for s in aligned]
    for name in set(names):
        if names.count(name) > 1:
            raise ValueError(f"two scenarios are both named {name!r}; give each a distinct `name`")
    return aligned, notes


def check_distinct_names(scenarios: list[Scenario]) -> None:
    """Refuse scenarios that share a name: every table and chart of a comparison is keyed by it."""
    names = [s.name for s in scenarios]
    if len(set(names)) < len(names):
        raise InputError(f"scenario names must differ to be compared; got {', '.join(names)}.")


def reference_index(scenarios: list[Scenario], reference: str | None, paths: list | None = None) -> int:
    """Which scenario is the reference: the one named (or loaded from the file) `reference`, else the first."""
    if reference is None:
        return 0
    paths = paths if paths is not None else [None] * len(scenarios)
    matches = [
        i
        for i, (s, p) in enumerate(zip(scenarios, paths, strict=True))
        if reference == s.name or (p is not None and reference == str(p))
    ]
    if not matches:
        names = ", ".join(s.name for s in scenarios)
        raise InputError(f"--reference {excerpt(reference)} is none of the scenarios: {names}.")
    return matches[0]


def compare_scenarios(
    scenarios: list[Scenario],
    reference: int = 0,
    jobs: int | None = None,
    progress=None,
    dask: str | None = None,
    executor=None,
    cache=None,
) -> Comparison:
    """Run `scenarios` on the same people and seeds and compare each with `scenarios[reference]`.

    The scenarios share each replicate's settled, burned-in population (one burn-in per replicate,
    not one per scenario). `jobs`, `dask`, `executor` and `cache` choose where and how the tasks
    run (`simulation.study`); the results are the same on any.

    Examples:
        >>> from simulation import load_scenario
        >>> c = compare_scenarios([load_scenario("scenarios/baseline.yaml"), load_scenario("scenarios/cbt.yaml")])
        >>> c.table()  # doctest: +SKIP
    """
    aligned, notes = align(scenarios, reference)
    runs = run_many(aligned, jobs=jobs, progress=progress, executor=executor, dask=dask, cache=cache)
    return Comparison(runs, reference, notes)


def _subtitle(comparison: Comparison) -> str:
    from simulation.charts import context

    s = comparison.runs[comparison.reference].scenario
    return context(s.population, s.duration_days / DAYS_PER_YEAR, s.replicates, band=False)


def write_comparison(comparison: Comparison, out_root: str | Path = "results", charts: bool = True) -> Path:
    """Write a comparison as one new results folder (atomically) and return its path."""
    name = "compare-" + "-vs-".join(comparison.names)[:80]
    with atomic_folder(out_root, name) as (staging, final):
        table = comparison.table()
        table.to_csv(staging / "comparison.csv", index=False)
        comparison.economics().to_csv(staging / "economics.csv", index=False)
        comparison.per_replicate().to_csv(staging / "final.csv", index=False)
        series = comparison.series()
        series.to_parquet(staging / "timeseries.parquet", index=False)
        series.to_csv(staging / "timeseries.csv", index=False)
        treatments = [r.treatments().assign(scenario=r.scenario.name) for r in comparison.runs]
        treatments = [t for t in treatments if not t.empty]
        if treatments:
            pd.concat(treatments, ignore_index=True).to_csv(staging / "treatments.csv", index=False)
        if charts:
            from simulation.charts import write_comparison_charts

            write_comparison_charts(
                series, table, staging / "charts", comparison.names[comparison.reference],
                comparison.runs[comparison.reference].scenario,
            )  # fmt: skip
        from simulation.economics.report import write_economics

        write_economics(comparison, staging, charts=charts, subtitle=_subtitle(comparison))
        ref_run = comparison.runs[comparison.reference]
        info = manifest(ref_run)
        info["scenarios"] = {r.scenario.name: r.scenario.resolved() for r in comparison.runs}
        info["reference"] = comparison.names[comparison.reference]
        info["notes"] = comparison.notes
        write_manifest(staging, info)
    return final
