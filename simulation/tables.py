"""The terminal tables of `run` and `compare`: the numbers a reader looks at first.

Kept apart from the command line so that a notebook can print the same tables, and so that the
formatting rules live in one place: prevalences in percent, differences of prevalences in
percentage points, means in their own units, intervals on the quantity's scale with the method
named in the caption, and no interval (said so) with fewer than 5 replicates.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from rich.table import Table

from simulation.intervals import MIN_REPLICATES, NO_INTERVAL, interval_note
from simulation.outcomes import OUTCOMES, is_share

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
