"""Charts of a probabilistic and a one-way sensitivity analysis, in the project's chart style
(`simulation.charts`): the cost-effectiveness plane of the samples with willingness-to-pay lines,
the cost-effectiveness acceptability curve with its frontier, the expected value of perfect
information, and the tornado of a one-way analysis."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from simulation.charts import REFERENCE_GREY, save_chart, scenario_colours
from simulation.economics.charts import PERSPECTIVE_LABELS, plane_axes_and_thresholds


def psa_plane_chart(result, perspective: str, subtitle: str = "") -> alt.LayerChart:
    """Each sample's incremental QALYs and cost of every strategy against the reference (paired by
    sample), the strategies' means, and a dashed line through the origin per threshold."""
    names, ref = result.names, result.reference
    table = result.evaluation.table.rename(columns={f"cost_{perspective}": "cost"})
    base = table[table["strategy"] == ref].set_index("point")
    data = table[table["strategy"] != ref].assign(
        d_qalys=lambda d: d["qalys"] - d["point"].map(base["qalys"]),
        d_cost=lambda d: d["cost"] - d["point"].map(base["cost"]),
    )[["point", "strategy", "d_qalys", "d_cost"]]
    means = data.groupby("strategy", sort=False)[["d_qalys", "d_cost"]].mean().reset_index()
    price_year = result.settings.price_year
    colour = alt.Color("strategy:N", scale=scenario_colours(names, ref), title="Strategy")
    x = alt.X("d_qalys:Q", title=f"Incremental QALYs per person vs {ref} (discounted)")
    y = alt.Y("d_cost:Q", title=f"Incremental cost per person vs {ref} (USD {price_year}, discounted)")
    layers = [
        *plane_axes_and_thresholds(data, result.settings.wtp_thresholds, x, y),
        alt.Chart(data)
        .mark_point(size=14, opacity=0.35)
        .encode(x=x, y=y, color=colour, tooltip=["strategy:N", "point:Q"]),
        alt.Chart(means)
        .mark_point(filled=True, size=120, stroke="#000000", strokeWidth=0.8)
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=[
                "strategy:N",
                alt.Tooltip("d_qalys:Q", format=".5f", title="mean incremental QALYs"),
                alt.Tooltip("d_cost:Q", format=",.0f", title="mean incremental cost"),
            ],
        ),
    ]
    return alt.layer(*layers).properties(
        width=560,
        height=380,
        title=alt.Title(
            f"Cost-effectiveness plane, {result.samples} PSA samples "
            f"({PERSPECTIVE_LABELS[perspective].lower()} perspective)",
            subtitle=[
                subtitle,
                "Small dots: samples (one parameter draw each); large dots: means; dashed grey lines: willingness "
                "to pay (below a line: worth its cost at that price)",
            ],
        ),
    )


def ceac_chart(acceptability: pd.DataFrame, names: list[str], reference: str, perspective: str,
               thresholds: list[float], price_year: int, subtitle: str = "") -> alt.LayerChart:  # fmt: skip
    """The probability that each strategy is cost-effective at each threshold (lines), and the
    acceptability frontier: the strategy with the largest expected net benefit (black dots)."""
    data = acceptability[acceptability["perspective"] == perspective]
    colour = alt.Color("strategy:N", scale=scenario_colours(names, reference), title="Strategy")
    x = alt.X("wtp_per_qaly:Q", title=f"Willingness to pay (USD {price_year} per QALY)", axis=alt.Axis(format=",.0f"))
    y = alt.Y("probability_cost_effective:Q", title="Probability cost-effective", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%"))  # fmt: skip
    tooltip = ["strategy:N", alt.Tooltip("wtp_per_qaly:Q", format=",.0f", title="USD/QALY"),
               alt.Tooltip("probability_cost_effective:Q", format=".1%", title="probability")]  # fmt: skip
    return alt.layer(
        alt.Chart(pd.DataFrame({"wtp": thresholds}))
        .mark_rule(color=REFERENCE_GREY, strokeDash=[3, 3])
        .encode(x="wtp:Q"),
        alt.Chart(data).mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, tooltip=tooltip),
        alt.Chart(data[data["on_frontier"]])
        .mark_point(filled=True, size=22, color="#000000")
        .encode(x=x, y=y, tooltip=tooltip),
    ).properties(
        width=560,
        height=320,
        title=alt.Title(
            f"Cost-effectiveness acceptability curve and frontier ({PERSPECTIVE_LABELS[perspective].lower()} "
            "perspective)",
            subtitle=[
                subtitle,
                "Lines: share of samples in which the strategy has the largest net benefit; black dots: the frontier "
                "(the strategy with the largest expected net benefit); dotted: stated thresholds",
            ],
        ),
    )


def evpi_chart(acceptability: pd.DataFrame, perspective: str, population: int, price_year: int,
               subtitle: str = "") -> alt.Chart:  # fmt: skip
    """Expected value of perfect information per person by threshold (population value in the tooltip)."""
    data = acceptability[acceptability["perspective"] == perspective].drop_duplicates("wtp_per_qaly")
    return (
        alt.Chart(data)
        .mark_line(color="#000000", strokeWidth=2)
        .encode(
            x=alt.X(
                "wtp_per_qaly:Q", title=f"Willingness to pay (USD {price_year} per QALY)", axis=alt.Axis(format=",.0f")
            ),  # fmt: skip
            y=alt.Y("evpi_per_person:Q", title=f"EVPI per person (USD {price_year})"),
            tooltip=[
                alt.Tooltip("wtp_per_qaly:Q", format=",.0f", title="USD/QALY"),
                alt.Tooltip("evpi_per_person:Q", format=",.2f", title="EVPI per person"),
                alt.Tooltip("evpi_population:Q", format=",.0f", title=f"EVPI for {population:,} people"),
            ],
        )
        .properties(
            width=560,
            height=280,
            title=alt.Title(
                f"Expected value of perfect information ({PERSPECTIVE_LABELS[perspective].lower()} perspective)",
                subtitle=[subtitle, f"For the population, multiply by {population:,} people (see report.md)"],
            ),
        )
    )


def tornado_chart(table: pd.DataFrame, price_year: int, subtitle: str = "", most: int = 20) -> alt.LayerChart:
    """Incremental net monetary benefit of the comparator against the reference with each parameter
    at the low and the high end of its interval: one bar per parameter from base to each end,
    widest swing on top."""
    base = float(table["base_incremental_nmb"].iloc[0])
    ends = table[table["end"] != "base"].copy()
    order = list(dict.fromkeys(ends["parameter"]))[:most]
    ends = ends[ends["parameter"].isin(order)].assign(base=base, label=lambda d: d["end"] + " end of interval")
    first = table.iloc[0]
    x = alt.X("incremental_nmb:Q", title=f"Incremental net monetary benefit per person (USD {price_year})",
              scale=alt.Scale(zero=False))  # fmt: skip
    y = alt.Y("parameter:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    colour = alt.Color("label:N", scale=alt.Scale(domain=["low end of interval", "high end of interval"],
                                                  range=["#56B4E9", "#D55E00"]), title="Parameter at")  # fmt: skip
    tooltip = ["parameter:N", "end:N", alt.Tooltip("value:Q", format=".4g"),
               alt.Tooltip("incremental_nmb:Q", format=",.2f", title="incremental NMB"),
               alt.Tooltip("icer:Q", format=",.0f", title="ICER (USD/QALY)")]  # fmt: skip
    return alt.layer(
        alt.Chart(ends).mark_bar(height=10).encode(x=x, x2="base:Q", y=y, color=colour, tooltip=tooltip),
        alt.Chart(pd.DataFrame({"base": [base]})).mark_rule(color="#000000").encode(x="base:Q"),
    ).properties(
        width=520,
        height=max(80, 22 * len(order)),
        title=alt.Title(
            f"One-way sensitivity: {first['comparator']} vs {first['reference']} at "
            f"{first['wtp_per_qaly']:,.0f} USD/QALY ({PERSPECTIVE_LABELS[first['perspective']].lower()} perspective)",
            subtitle=[
                subtitle,
                f"Black line: base case ({base:,.2f} USD per person); bars: each parameter at the ends of its "
                "declared 95% interval, the others at their values",
                "No bar: the perspective does not count the parameter, or it does not move the result",
            ],  # fmt: skip
        ),
    )


def write_psa_charts(result, acceptability: pd.DataFrame, folder: Path, subtitle: str = "") -> list[str]:
    """The PSA's CE plane, CEAC with frontier and EVPI, for the primary perspective."""
    s = result.settings
    perspective = s.perspective
    written = save_chart(psa_plane_chart(result, perspective, subtitle), folder / "psa_ce_plane")
    written += save_chart(ceac_chart(acceptability, result.names, result.reference, perspective, s.wtp_thresholds,
                                     s.price_year, subtitle), folder / "ceac")  # fmt: skip
    written += save_chart(evpi_chart(acceptability, perspective, result.population, s.price_year, subtitle),
                          folder / "evpi")  # fmt: skip
    return [p.name for p in written]
