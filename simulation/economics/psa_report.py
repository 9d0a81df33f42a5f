"""The results folders of a probabilistic (`painsim psa`) and a one-way (`painsim dsa`) sensitivity
analysis: tidy tables as CSV, charts, a report.md and the manifest, written atomically."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from simulation.economics.costs import PERSPECTIVES
from simulation.economics.psa import OneWayResult, PSAResult, describe
from simulation.units import DAYS_PER_YEAR

PSA_FILES = {
    "psa.csv": "one row per sample and strategy: discounted QALYs, costs by category and perspective, and net "
    "monetary benefit of the primary perspective at each stated threshold",
    "psa_summary.csv": "per perspective and strategy: mean cost and QALYs, and their differences from the reference, "
    "with 2.5 and 97.5 percentiles across samples",
    "ceac.csv": "per perspective, threshold and strategy: probability cost-effective, expected net benefit, whether "
    "on the acceptability frontier, and the EVPI per person and for the population",
    "draws.csv": "the drawn value of every uncertain parameter, per sample and strategy",
    "uncertain_parameters.csv": "the parameters drawn: value, distribution and its 95% interval, basis",
    "fixed_parameters.csv": "the parameters held fixed (no uncertainty declared)",
}
DSA_FILES = {
    "one_way.csv": "per parameter and end of its interval: incremental cost, QALYs, ICER and net monetary benefit of "
    "the comparator against the reference, sorted by swing",
    "uncertain_parameters.csv": "the parameters varied: value, distribution and its 95% interval, basis",
    "fixed_parameters.csv": "the parameters held fixed (no uncertainty declared)",
}


def _money(value: float, digits: int = 0) -> str:
    return "" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _icer(row, ratio: str = "icer_of_means") -> str:
    """An ICER in USD per QALY, or the quadrant that makes a ratio meaningless (dominant, dominated)."""
    d_cost, d_qaly = row["incremental_cost"], row["incremental_qalys"]
    if row.get("strategy", None) == row.get("reference", None) or (d_cost == 0 and d_qaly == 0):
        return ""
    if d_qaly > 0 and d_cost <= 0:
        return "dominant (more QALYs, lower cost)"
    if d_qaly <= 0 and d_cost >= 0:
        return "dominated (fewer QALYs, higher cost)"
    return f"{_money(row[ratio])} USD/QALY"


def _setting_lines(evaluation, extra: list[str]) -> str:
    ref = next(s for s in evaluation.strategies if s.name == evaluation.reference)
    s = ref.economics
    other = next(p for p in PERSPECTIVES if p != s.perspective)
    years = round(ref.duration_days / DAYS_PER_YEAR, 2)
    return "\n".join([
        f"- Strategies: {', '.join(evaluation.names)} (reference: {evaluation.reference}).",
        f"- Simulated people: {ref.population:,} US-like adults per strategy, {ref.replicates} replicates (seed "
        f"{ref.seed}), the same people and random numbers in every strategy; each value is the mean over the "
        "replicates.",
        f"- Time horizon: {years:g} year{'' if years == 1 else 's'} (the run). Perspective: **{s.perspective}** "
        f"(primary); {other} in the tables.",
        f"- Discounting: costs {s.discount_rate_costs:.1%} a year, QALYs {s.discount_rate_effects:.1%} a year, "
        "to day 0.",
        f"- Currency and price year: USD, {s.price_year} prices (CPI-U). Thresholds: "
        f"{', '.join(_money(w) for w in s.wtp_thresholds)} USD per QALY.",
        *extra,
    ])  # fmt: skip


def _parameters_markdown(parameters) -> str:
    lines = ["| parameter | value | distribution | 95% interval | basis |", "|---|---:|---|---|---|"]
    for row in describe(parameters):
        lines.append(f"| `{row['parameter']}` | {row['value']:g} | {row['distribution']} | {row['low']:g} to "
                     f"{row['high']:g} | {row['basis']} |")  # fmt: skip
    return "\n".join(lines)


def _fixed_markdown(fixed: pd.DataFrame) -> str:
    if fixed.empty:
        return "None."
    groups: dict[str, list[str]] = {}
    for name in fixed["name"]:
        head, _, tail = name.rpartition(".")
        groups.setdefault(head, []).append(tail)
    lines = [f"{len(fixed)} parameters have no uncertainty declaration and keep their values in every sample "
             "(values, units and sources: `fixed_parameters.csv`):", ""]  # fmt: skip
    lines += [f"- `{head}`: {', '.join(names)}" for head, names in groups.items()]
    return "\n".join(lines)


def _simulation_note(evaluation, samples_or_points: str) -> str:
    aligned = "".join(f"\n- Note: {note}." for note in evaluation.notes)
    stats = evaluation.stats
    cached = f", {stats['cached']} taken from the cache of an earlier run" if stats.get("cached") else ""
    return (f"- Simulations: {evaluation.simulations} distinct simulated scenarios x their replicates = "
            f"{stats['tasks']} runs ({stats['computed']} run now{cached}) for {samples_or_points}. Health utilities "
            "and costs only value the states a run went through, so a draw of them values the recorded runs again "
            "(shares of people in each pain, PHQ-9 and ISI band combination, prevalences, intervention spending) "
            "without a new run; a drawn parameter that changes the dynamics gets its own runs." + aligned)  # fmt: skip


def psa_markdown(result: PSAResult, acceptability: pd.DataFrame, summary: pd.DataFrame) -> str:
    """The PSA's report."""
    s = result.settings
    primary = s.perspective
    n_clipped = result.clipped
    extra = [
        f"- Samples: {result.samples}, parameter draws seeded by {result.seed} (a draw depends on the seed, the "
        "sample and the parameter only, so any number of workers gives the same results).",
        _simulation_note(result.evaluation, f"{result.samples} samples"),
        f"- Draws outside a parameter's declared bounds, set to the bound: {n_clipped}.",
    ]
    parts = ["# Probabilistic sensitivity analysis", "## Setting", _setting_lines(result.evaluation, extra)]
    for perspective in (primary, *(p for p in PERSPECTIVES if p != primary)):
        part = summary[summary["perspective"] == perspective]
        lines = ["| strategy | cost per person | QALYs per person | incremental cost | incremental QALYs | "
                 "ICER of the means |", "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        for _, r in part.iterrows():
            lines.append(
                f"| {r['strategy']} | {_money(r['cost'])} ({_money(r['cost_p2.5'])} to {_money(r['cost_p97.5'])}) "
                f"| {r['qalys']:.4f} ({r['qalys_p2.5']:.4f} to {r['qalys_p97.5']:.4f}) "
                f"| {_money(r['incremental_cost'])} ({_money(r['incremental_cost_p2.5'])} to "
                f"{_money(r['incremental_cost_p97.5'])}) "
                f"| {r['incremental_qalys']:.5f} ({r['incremental_qalys_p2.5']:.5f} to "
                f"{r['incremental_qalys_p97.5']:.5f}) | {_icer(r)} |"
            )  # fmt: skip
        parts += [f"## Costs and QALYs across samples: {perspective} perspective",
                  "Means per person (discounted), with the 2.5 and 97.5 percentiles across samples; differences "
                  f"from {result.reference} are paired by sample.", "\n".join(lines)]  # fmt: skip
    lines = ["| perspective | willingness to pay (USD/QALY) | strategy with the largest expected net benefit | "
             "probability it is cost-effective | EVPI per person (USD) | "
             f"EVPI for {result.population:,} people (USD) |", "|---|---:|---|---:|---:|---:|"]  # fmt: skip
    for perspective in PERSPECTIVES:
        for wtp in s.wtp_thresholds:
            rows = acceptability[(acceptability["perspective"] == perspective) & (acceptability["wtp_per_qaly"] == wtp)]
            best = rows[rows["on_frontier"]].iloc[0]
            lines.append(f"| {perspective} | {_money(wtp)} | {best['strategy']} | "
                         f"{best['probability_cost_effective']:.1%} | {_money(best['evpi_per_person'], 2)} | "
                         f"{_money(best['evpi_population'])} |")  # fmt: skip
    parts += [
        "## Acceptability and the value of information",
        "The probability a strategy is cost-effective is the share of samples in which it has the largest net "
        "monetary benefit (threshold x QALYs - cost). The acceptability frontier is the strategy with the largest "
        "expected net benefit, which is the one to choose at that threshold. The expected value of perfect "
        "information (EVPI) is what resolving all the drawn uncertainty would be worth per person: the mean over "
        "samples of the net benefit of the best strategy in each sample, minus the expected net benefit of the "
        f"frontier strategy. For the population it is multiplied by {result.population:,} people "
        f"({result.population_source}), one decision over the horizon, with no later cohorts.",
        "\n".join(lines),
        "## Parameters drawn",
        "Each is drawn from its declared distribution centred on the strategy's value; the interval is the declared "
        "95% interval (`painsim params`).",
        _parameters_markdown(result.parameters),
        "## Parameters held fixed",
        _fixed_markdown(result.fixed),
        "## Limits",
        "\n".join(
            [
                "- Only parameters with an uncertainty declaration are drawn. Today those are the health-utility "
                "decrements and the yearly costs of illness; the interventions' effect sizes, uptake and prices, and "
                "every parameter of the disease dynamics, are fixed, so the spread shown is that of the valuation, not "
                "of the interventions' effects.",
                "- The runs' own Monte Carlo noise is not part of the spread: every sample values the same simulated "
                "runs (the mean over the replicates), so it shifts all samples alike.",
                "- The assumptions of the cost-effectiveness analysis (`painsim compare`'s report.md) apply here too.",
            ]
        ),  # fmt: skip
        "## Files",
        "\n".join(f"- `{name}`: {what}" for name, what in PSA_FILES.items())
        + "\n- `charts/psa_ce_plane`, `charts/ceac`, `charts/evpi`: CE plane, CEAC with frontier, EVPI of the "
        "primary perspective (HTML, SVG, PNG)\n- `manifest.json`: what was run, how, with which versions",
    ]
    return "\n\n".join(parts) + "\n"


def _subtitle(evaluation) -> str:
    from simulation.charts import context

    ref = next(s for s in evaluation.strategies if s.name == evaluation.reference)
    return context(ref.population, ref.duration_days / DAYS_PER_YEAR, ref.replicates, band=False)


def _manifest(staging: Path, evaluation, **content) -> None:
    from simulation.results import study_manifest, write_manifest

    write_manifest(staging, study_manifest(
        evaluation.stats, scenarios={s.name: s.resolved() for s in evaluation.strategies},
        reference=evaluation.reference, **content,
    ))  # fmt: skip


def write_psa(result: PSAResult, out_root: str | Path = "results", charts: bool = True) -> Path:
    """One results folder (atomically): the PSA's tables, charts, report.md and manifest.json."""
    from simulation.results import atomic_folder

    name = "psa-" + "-vs-".join(result.names)[:80]
    with atomic_folder(out_root, name) as (staging, final):
        result.table().to_csv(staging / "psa.csv", index=False)
        summary = result.summary()
        summary.to_csv(staging / "psa_summary.csv", index=False)
        acceptability = result.acceptability()
        acceptability.to_csv(staging / "ceac.csv", index=False)
        result.draws.to_csv(staging / "draws.csv", index=False)
        pd.DataFrame(describe(result.parameters)).to_csv(staging / "uncertain_parameters.csv", index=False)
        result.fixed.to_csv(staging / "fixed_parameters.csv", index=False)
        if charts:
            from simulation.economics.psa_charts import write_psa_charts

            write_psa_charts(result, acceptability, staging / "charts", _subtitle(result.evaluation))
        (staging / "report.md").write_text(psa_markdown(result, acceptability, summary))
        _manifest(staging, result.evaluation, psa={"samples": result.samples, "seed": result.seed,
                                                   "population": result.population, "clipped_draws": result.clipped,
                                                   "parameters": [p.key for p in result.parameters]})  # fmt: skip
    return final


def one_way_markdown(result: OneWayResult, table: pd.DataFrame) -> str:
    """The one-way analysis's report."""
    base = table.iloc[0]
    lines = ["| parameter | low end | high end | incremental NMB at low | incremental NMB at high | ICER at low | "
             "ICER at high |", "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    ends = table[table["end"] != "base"]
    for parameter, part in ends.groupby("parameter", sort=False):
        low, high = part[part["end"] == "low"].iloc[0], part[part["end"] == "high"].iloc[0]
        cells = [f"`{parameter}`", f"{low['value']:g}", f"{high['value']:g}", _money(low["incremental_nmb"], 2),
                 _money(high["incremental_nmb"], 2), _icer(low, "icer"), _icer(high, "icer")]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    extra = [
        f"- Compared: **{result.comparator}** against {result.reference}, net monetary benefit at "
        f"{_money(result.wtp)} USD per QALY, {result.perspective} perspective.",
        _simulation_note(result.evaluation, f"the base case and {2 * len(result.parameters)} one-way settings"),
    ]
    parts = [
        "# One-way sensitivity analysis",
        "## Setting",
        _setting_lines(result.evaluation, extra),
        "## Base case",
        f"Incremental cost {_money(base['incremental_cost'], 2)} USD, incremental QALYs "
        f"{base['incremental_qalys']:.5f}, ICER: {_icer(base, 'icer') or 'not defined'}; incremental "
        f"net monetary benefit {_money(base['incremental_nmb'], 2)} USD per person.",
        "## Each parameter at the ends of its declared 95% interval",
        "Sorted by the swing in incremental net monetary benefit (widest first); the others at their values. The "
        "same value is set in every strategy.",
        "\n".join(lines),
        "## Parameters varied",
        _parameters_markdown(result.parameters),
        "## Parameters held fixed",
        _fixed_markdown(result.fixed),
        "## Files",
        "\n".join(f"- `{name}`: {what}" for name, what in DSA_FILES.items())
        + "\n- `charts/tornado`: the tornado chart (HTML, SVG, PNG)\n- `manifest.json`: what was run, how, with which "
        "versions",
    ]
    return "\n\n".join(parts) + "\n"


def write_one_way(result: OneWayResult, out_root: str | Path = "results", charts: bool = True) -> Path:
    """One results folder (atomically): one_way.csv, the tornado chart, report.md and manifest.json."""
    from simulation.results import atomic_folder

    name = f"dsa-{result.comparator}-vs-{result.reference}"[:90]
    with atomic_folder(out_root, name) as (staging, final):
        table = result.table()
        table.to_csv(staging / "one_way.csv", index=False)
        pd.DataFrame(describe(result.parameters)).to_csv(staging / "uncertain_parameters.csv", index=False)
        result.fixed.to_csv(staging / "fixed_parameters.csv", index=False)
        if charts:
            from simulation.charts import save_chart
            from simulation.economics.psa_charts import tornado_chart

            price_year = result.evaluation.settings.price_year
            save_chart(tornado_chart(table, price_year, _subtitle(result.evaluation)), staging / "charts" / "tornado")
        (staging / "report.md").write_text(one_way_markdown(result, table))
        _manifest(staging, result.evaluation, one_way={"comparator": result.comparator, "wtp": result.wtp,
                                                       "perspective": result.perspective,
                                                       "parameters": [p.key for p in result.parameters]})  # fmt: skip
    return final
