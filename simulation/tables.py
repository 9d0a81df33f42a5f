"""The terminal tables of `run` and `compare`: the numbers a reader looks at first.

Kept apart from the command line so that a notebook can print the same tables, and so that the
formatting rules live in one place: prevalences in percent, differences of prevalences in
percentage points, means in their own units, intervals on the quantity's scale with the method
named in the caption, and no interval (said so) with fewer than 5 replicates.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
from rich.table import Table

from simulation.edges import node_label
from simulation.fits import declared_in
from simulation.intervals import MIN_REPLICATES, NO_INTERVAL, interval_note
from simulation.outcomes import OUTCOMES, is_share
from simulation.validation import counts_sentence

# Which outcomes each table shows; labels, units and kinds come from `simulation.outcomes`.
RUN_OUTCOMES = (
    "chronic_pain",
    "high_impact_chronic_pain",
    "depression",
    "insomnia",
    "depression_given_chronic_pain",
    "depression_given_no_chronic_pain",
    "mean_pain",
    "mean_phq9",
    "mean_isi",
)
COMPARE_OUTCOMES = ("chronic_pain", "depression", "insomnia", "mean_pain")


def level_text(value: float, outcome: str) -> str:
    """A level as tables show it: percent for shares, two decimals for means."""
    if np.isnan(value):
        return "n/a"
    return f"{value:.1%}" if is_share(outcome) else f"{value:.2f}"


def difference_text(value: float, outcome: str) -> str:
    """A paired difference: percentage points for shares, units for means."""
    if np.isnan(value):
        return "n/a"
    return f"{100 * value:+.1f}" if is_share(outcome) else f"{value:+.2f}"


def interval_text(low: float, high: float, fmt) -> str:
    """The interval as a cell; "n/a" when there is none (the caption says why)."""
    return "n/a" if np.isnan(low) or np.isnan(high) else f"{fmt(low)} to {fmt(high)}"


def run_rows(summary: pd.DataFrame) -> list[dict]:
    """The rows of the run table as plain data (what `painsim run --json` prints)."""
    indexed = summary.set_index("outcome")
    rows = []
    for name in RUN_OUTCOMES:
        if name not in indexed.index:
            continue
        r = indexed.loc[name]
        unit = "share" if is_share(name) else "scale points"
        rows.append({"outcome": name, "label": OUTCOMES[name].with_scale, "mean": float(r["mean"]),
                     "ci95_low": float(r["ci95_low"]), "ci95_high": float(r["ci95_high"]), "unit": unit})  # fmt: skip
    return rows


def run_table(summary: pd.DataFrame, name: str, population: int, years: float) -> Table:
    """End-of-run outcomes of one scenario with their intervals, the method in the caption."""
    replicates = int(summary["replicates"].iloc[0]) if len(summary) else 0
    table = Table(
        title=f"{name}: end of run, {population:,} people, {years:.3g} years, {replicates} replicates",
        caption=interval_note(replicates) + ".",
    )
    table.add_column("outcome", overflow="fold")
    table.add_column("mean", justify="right")
    table.add_column("95% interval", justify="right")
    for row in run_rows(summary):
        fmt = functools.partial(level_text, outcome=row["outcome"])
        table.add_row(row["label"], fmt(row["mean"]), interval_text(row["ci95_low"], row["ci95_high"], fmt))
    return table


def comparison_tables(comparison) -> list[Table]:
    """Two tables that each fit an 80-column terminal: paired differences from the reference
    (percentage points for prevalences, NRS points for pain), then people treated, costs and QALYs."""
    table_data = comparison.table().set_index(["scenario", "outcome"])
    econ = comparison.economics().set_index("scenario")
    ref = comparison.names[comparison.reference]
    s = comparison.runs[comparison.reference].scenario
    method = (
        "95% t-interval of the paired differences across replicates in brackets"
        if s.replicates >= MIN_REPLICATES
        else f"No intervals ({NO_INTERVAL})"
    )
    differences = Table(
        title=f"Differences from {ref} at the end of the run",
        caption=f"{s.population:,} people, {s.duration_days / 365.25:.3g} years, {s.replicates} replicates, paired "
        f"by replicate. Prevalences in percentage points, pain in NRS points; the reference row shows its levels. "
        f"{method}.",
    )
    differences.add_column("scenario", no_wrap=True)
    for outcome in COMPARE_OUTCOMES:
        header = OUTCOMES[outcome].header
        differences.add_column(header, justify="right", min_width=len(header))
    for name in comparison.names:
        cells = []
        for outcome in COMPARE_OUTCOMES:
            row = table_data.loc[(name, outcome)]
            if name == ref:
                cells.append(level_text(row["level"], outcome))
                continue
            text = difference_text(row["difference"], outcome)
            if not np.isnan(row["difference_low"]):
                fmt = functools.partial(difference_text, outcome=outcome)
                text += f" ({fmt(row['difference_low'])} to {fmt(row['difference_high'])})"
            cells.append(text)
        differences.add_row(name, *cells)
    economics = Table(title=f"Treatment, costs and QALYs against {ref}",
                      caption="Means across replicates; QALYs gained per 1,000 people over the run.")  # fmt: skip
    economics.add_column("scenario", no_wrap=True)
    for label in ("people treated", "cost per person (USD)", "QALYs per 1,000", "USD per QALY"):
        economics.add_column(label, justify="right")
    for name in comparison.names:
        e = econ.loc[name]
        icer = "" if np.isnan(e["icer_usd_per_qaly"]) else f"{e['icer_usd_per_qaly']:,.0f}"
        qalys = f"{1000 * e['incremental_qalys_per_person']:+.2f}" if name != ref else ""
        economics.add_row(name, f"{e['treated']:,.0f}", f"{e['cost_per_person']:,.2f}", qalys, icer)
    return [differences, economics]


def run_json(folder, scenario, summary: pd.DataFrame) -> dict:
    """What `painsim run --json` prints: the folder, the scenario, and the run table's rows, with
    a missing interval as null."""
    rows = [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()} for r in run_rows(summary)]
    return {"folder": str(folder), "scenario": scenario.name, "replicates": scenario.replicates,
            "interval": interval_note(scenario.replicates), "outcomes": rows}  # fmt: skip


def bracketed_interval(low: float, high: float, fmt=lambda v: f"{v:.3g}") -> str:
    """An interval to follow a value, " (low, high)", or nothing when there is none."""
    return "" if np.isnan(low) else f" ({fmt(low)}, {fmt(high)})"


def targets_table(table: pd.DataFrame, name: str) -> Table:
    """`painsim validate`: each target's published value and band, the simulated value with its
    interval, and the verdict."""
    view = Table(title=f"Validation of {name}", caption=counts_sentence(table))
    for col in ("target", "role", "published", "band", "simulated (95% interval)", "verdict", "NaN"):
        view.add_column(col)
    for r in table.itertuples():
        interval = bracketed_interval(r.simulated_low, r.simulated_high)
        view.add_row(r.name, r.role, f"{r.published:g}", f"{r.band_low:g} to {r.band_high:g}",
                     f"{r.simulated:.3g}{interval}", r.verdict, str(r.nan_replicates))  # fmt: skip
    return view


def trials_table(published: pd.DataFrame) -> Table:
    """`painsim trial`: every published trial result beside the simulated one, with its verdict."""
    table = Table(title="Virtual trials: published vs simulated (mean across replicates, 95% interval)",
                  caption=counts_sentence(published))  # fmt: skip
    for col in ("trial", "outcome", "arm", "week", "published", "band", "simulated", "verdict", "role", "fitted_to"):
        table.add_column(col, justify="right" if col in ("week", "published", "simulated") else "left")
    for r in published.itertuples():
        interval = bracketed_interval(r.simulated_low, r.simulated_high)
        table.add_row(r.trial, r.metric, r.arm, f"{r.week:g}", f"{r.published:g}",
                      f"{r.band_low:g} to {r.band_high:g}", f"{r.simulated:.3g}{interval}",
                      r.verdict, r.role, r.fitted_to)  # fmt: skip
    return table


def fit_table(trials: int, objective: float, best: dict[str, float]) -> Table:
    """`painsim calibrate`: the best parameter values found."""
    view = Table(title=f"Best of {trials} trials: objective {objective:.3g}")
    view.add_column("parameter")
    view.add_column("fitted", justify="right")
    for name, value in best.items():
        view.add_row(name, f"{value:.4g}")
    return view


def fit_changes_table(changes: list[tuple[str, str, str, str]], fit, dry_run: bool) -> Table:
    """`painsim apply-fit`: each shipped default a fit changes (or would change), old and new."""
    table = Table(title=f"{'Would change' if dry_run else 'Changed'} {len(changes)} shipped defaults from {fit}")
    for col in ("parameter", "old", "new", "declared in"):
        table.add_column(col, overflow="fold")
    for name, source, old, new in changes:
        table.add_row(name, old, new, declared_in(source))
    return table


def cohort_table(statistics: dict[str, float], name: str, sample: int, follow_up_years: float) -> Table:
    """`painsim cohort`: every statistic of the cohort study."""
    view = Table(title=f"Cohort study of {name}: {sample:,} people, {follow_up_years:g} years")
    view.add_column("statistic", overflow="fold")
    view.add_column("value", justify="right")
    for stat, value in statistics.items():
        view.add_row(stat, f"{value:.4g}")
    return view


def parameter_table(rows: list[dict], shown: str) -> Table:
    """`painsim params`: every parameter with its value, unit, bounds, basis and source."""
    table = Table(show_lines=False, title=f"painsim parameters{shown} ({len(rows)})")
    table.add_column("name", no_wrap=True)
    for col in ("value", "unit", "bounds", "basis", "source"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["name"], f"{r['value']:g}", r["unit"], f"{r['lower']:g} .. {r['upper']:g}", r["basis"],
                      r["source"])  # fmt: skip
    return table


def edge_table(rows: list[dict]) -> Table:
    """`painsim graph`: every edge of the causal graph with its parameter, mechanism and source."""
    table = Table(title=f"painsim causal graph: {len(rows)} edges, one parameter each")
    for col in ("from", "to", "sign", "parameter", "value", "mechanism", "source"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(node_label(r["from"]), node_label(r["to"]), r["sign"], r["parameter"], f"{r['value']:.4g}",
                      r["mechanism"], r["source"])  # fmt: skip
    return table
