"""A comparison's cost-effectiveness files: the tables as CSV, charts, and a CHEERS-style summary
(`report.md`; Husereau et al. 2022) saying perspective, horizon, discounting, price year,
strategies, the incremental table with its intervals, and the assumptions with their sources."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from simulation.economics.costs import CATEGORIES, PERSPECTIVES, CostParams
from simulation.economics.evaluate import CostEffectiveness, cost_effectiveness
from simulation.intervals import MIN_REPLICATES

FILES = {
    "cost_effectiveness.csv": "incremental analysis per perspective: status, frontier ICERs, intervals",
    "net_monetary_benefit.csv": "net monetary benefit per perspective, threshold and strategy",
    "costs_and_qalys.csv": "discounted costs by category and QALYs per strategy, with paired differences",
    "economics_replicates.csv": "the same per replicate (the pairs the intervals come from)",
}
ASSUMPTIONS = (
    "The time horizon is the run: people do not age or die during it (a closed cohort), so life-years are the "
    "same in every strategy and are not reported; nothing after the last day is counted.",
    "Costs of illness are each condition's yearly cost per person who has it, times the share of people who have "
    "it on each recorded day (chronic pain, high-impact chronic pain, 12-month major depression, insomnia "
    "disorder). The yearly costs come from separate studies, so a person with two or three conditions is counted "
    "two or three times: levels are overstated, differences between strategies less so.",
    "Productivity costs are per person with the condition, employed or not, as their sources report or as "
    "converted with the US employment-population ratio; the model's own employment is not used.",
    "Intervention costs are what the programmes spend on sessions and drugs, discounted by the day they are paid; "
    "costs of side effects and of adverse events are not counted.",
    "Every cost is converted to the price year with the all-items CPI-U (not the medical-care index).",
    "QALYs integrate each day's mean health utility (decrements by pain, PHQ-9 and ISI band, `parameters.utility`, "
    "themselves assumptions of the size EQ-5D studies report).",
)


def write_economics(comparison, folder: Path, charts: bool = True, subtitle: str = "") -> list[str]:
    """Write the cost-effectiveness files of `comparison` into `folder` (a staging folder); return their names."""
    ce = cost_effectiveness(comparison)
    incremental = ce.incremental_table()
    incremental.to_csv(folder / "cost_effectiveness.csv", index=False)
    nmb = ce.nmb_table()
    nmb.to_csv(folder / "net_monetary_benefit.csv", index=False)
    strategies = ce.strategy_table()
    strategies.to_csv(folder / "costs_and_qalys.csv", index=False)
    ce.per_replicate.to_csv(folder / "economics_replicates.csv", index=False)
    written = list(FILES)
    if charts:
        from simulation.economics.charts import write_economic_charts

        written += [f"charts/{name}" for name in write_economic_charts(ce, folder / "charts", subtitle)]
    ref = comparison.runs[comparison.reference].scenario
    (folder / "report.md").write_text(report_markdown(ce, incremental, nmb, strategies, ref.population))
    return [*written, "report.md"]


def _money(value: float) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.0f}"


def _qaly(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.4f}"


def _interval(low: float, high: float, fmt) -> str:
    return "" if math.isnan(low) or math.isnan(high) else f" ({fmt(low)} to {fmt(high)})"


def _incremental_markdown(table: pd.DataFrame) -> str:
    lines = [
        "| strategy | cost per person | QALYs per person | status | compared with | incremental cost | "
        "incremental QALYs | ICER (USD/QALY) |",
        "|---|---:|---:|---|---|---:|---:|---:|",
    ]
    for _, r in table.iterrows():
        status = r["status"] + (f" by {r['dominated_by']}" if r["dominated_by"] else "")
        lines.append(
            f"| {r['strategy']} | {_money(r['cost_per_person'])} | {_qaly(r['qalys_per_person'])} | {status} "
            f"| {r['comparator']} "
            f"| {_money(r['incremental_cost'])}"
            f"{_interval(r['incremental_cost_low'], r['incremental_cost_high'], _money)} "
            f"| {_qaly(r['incremental_effect'])}"
            f"{_interval(r['incremental_effect_low'], r['incremental_effect_high'], _qaly)} "
            f"| {_money(r['icer'])}{_interval(r['icer_low'], r['icer_high'], _money)} |"
        )  # fmt: skip
    return "\n".join(lines)


def _costs_markdown(ce: CostEffectiveness, strategies: pd.DataFrame) -> str:
    means = strategies.pivot(index="strategy", columns="measure", values="mean").loc[ce.strategies]
    columns = [f"cost_{c}" for c in CATEGORIES] + [f"cost_{p}" for p in PERSPECTIVES] + ["qalys", "qalys_undiscounted"]
    head = "| strategy | " + " | ".join(c.removeprefix("cost_") for c in columns) + " |"
    lines = [head, "|---|" + "---:|" * len(columns)]
    for name, row in means.iterrows():
        cells = [_qaly(row[c]) if c.startswith("qalys") else _money(row[c]) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _nmb_markdown(nmb: pd.DataFrame) -> str:
    lines = ["| perspective | willingness to pay (USD/QALY) | best strategy | share of replicates where it is best |",
             "|---|---:|---|---:|"]  # fmt: skip
    for _, r in nmb[nmb["best"]].iterrows():
        lines.append(
            f"| {r['perspective']} | {_money(r['wtp_per_qaly'])} | {r['strategy']} | "
            f"{r['share_of_replicates_best']:.0%} |"
        )
    return "\n".join(lines)


def _sources_markdown() -> str:
    lines = ["| parameter | value | unit | basis | source |", "|---|---:|---|---|---|"]
    for name, info in CostParams.model_fields.items():
        extra = info.json_schema_extra
        lines.append(f"| `costs.{name}` | {info.default:g} | {extra['unit']} | {extra['basis']} | {extra['source']} |")
    return "\n".join(lines)


def report_markdown(
    ce: CostEffectiveness, incremental: pd.DataFrame, nmb: pd.DataFrame, strategies: pd.DataFrame, population: int
) -> str:
    """The CHEERS-style summary of a comparison's cost-effectiveness."""
    s = ce.settings
    n = int(incremental["replicates"].iloc[0])
    primary = s.perspective
    other = next(p for p in PERSPECTIVES if p != primary)
    intervals = (
        "95% t-intervals of paired differences across replicates; ICERs with Fieller's interval (left blank when "
        "the incremental QALYs are not distinguishable from zero)"
        if n >= MIN_REPLICATES
        else f"none: fewer than {MIN_REPLICATES} replicates"
    )
    parts = [
        "# Cost-effectiveness",
        f"Strategies: {', '.join(ce.strategies)} (reference: {ce.reference}). Each is run on the same "
        f"{population:,} simulated US adults with the same random numbers in each of {n} replicates, so "
        "differences are paired.",
        "## Setting",
        "\n".join(
            [
                f"- Perspective: **{primary}** (primary); {other} reported beside it.",
                f"- Time horizon: {round(ce.horizon_years, 2):g} years (the run).",
                f"- Discounting: costs {s.discount_rate_costs:.1%} a year, QALYs {s.discount_rate_effects:.1%} "
                "a year, to day 0 of the run.",
                f"- Currency and price year: USD, {s.price_year} prices (CPI-U).",
                f"- Willingness-to-pay thresholds: {', '.join(_money(w) for w in s.wtp_thresholds)} USD per QALY.",
                "- Effects: QALYs per person from daily health utility.",
                f"- Intervals: {intervals}.",
            ]
        ),
        f"## Incremental analysis: {primary} perspective",
        "Strategies sorted by cost; dominated strategies (another costs no more and yields no fewer QALYs) and "
        "extendedly dominated ones (beaten by a mix of two others) are set aside; each strategy left on the "
        "efficient frontier is compared with the one below it. Costs and QALYs are discounted, per person.",
        _incremental_markdown(incremental[incremental["perspective"] == primary]),
        f"## Incremental analysis: {other} perspective",
        _incremental_markdown(incremental[incremental["perspective"] == other]),
        "## Net monetary benefit",
        "The best strategy at each threshold has the largest mean net monetary benefit (threshold x QALYs - cost); "
        "the share of replicates in which it is also best says how firm that is (Monte Carlo noise only, not "
        "parameter uncertainty).",
        _nmb_markdown(nmb),
        "## Discounted costs by category and QALYs (means per person)",
        _costs_markdown(ce, strategies),
        "## Assumptions",
        "\n".join(f"- {a}" for a in ASSUMPTIONS),
        "## Cost parameters and their sources",
        "Full references in `docs/sources.md`; uncertainty intervals (for a probabilistic sensitivity analysis) in "
        "`painsim params --format json`.",
        _sources_markdown(),
        "## Files",
        "\n".join(f"- `{name}`: {what}" for name, what in FILES.items())
        + "\n- `charts/ce_plane_*`, `charts/cost_breakdown`: CE plane and cost breakdown (HTML, SVG, PNG)",
    ]
    return "\n\n".join(parts) + "\n"
