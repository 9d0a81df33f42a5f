"""Charts of a cost-effectiveness analysis, in the project's chart style (`simulation.charts`):
the cost-effectiveness plane with the efficient frontier and willingness-to-pay lines, and the
discounted costs by category of each strategy under each perspective."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from simulation.charts import REFERENCE_GREY, save_chart, scenario_colours
from simulation.economics.costs import CATEGORIES, PERSPECTIVES
from simulation.economics.incremental import NON_DOMINATED

CATEGORY_LABELS = {
    "intervention": "Interventions",
    "healthcare_pain": "Health care: chronic pain",
    "healthcare_depression": "Health care: depression",
    "healthcare_insomnia": "Health care: insomnia",
    "absenteeism": "Productivity: absenteeism",
    "presenteeism": "Productivity: presenteeism",
}
PERSPECTIVE_LABELS = {"healthcare_payer": "Health-care payer", "societal": "Societal"}
CATEGORY_COLOURS = ("#000000", "#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00")


def plane_axes_and_thresholds(data: pd.DataFrame, thresholds, x: alt.X, y: alt.Y) -> list[alt.Chart]:
    """The layers every CE plane has: the axes through the origin, and one dashed line through it per
    willingness-to-pay threshold, spanning the data's `d_qalys` range and cut where it would leave
    its `d_cost` range."""
    span = float(max(abs(data["d_qalys"]).max(), 1e-6))
    cap = 1.2 * float(max(abs(data["d_cost"]).max(), 1.0))
    reach = {w: min(span, cap / w) if w > 0 else span for w in thresholds}
    lines = pd.DataFrame(
        [
            {"wtp": f"{w:,.0f} USD/QALY", "d_qalys": q * r, "d_cost": w * q * r}
            for w, r in reach.items()
            for q in (-1.0, 1.0)
        ]  # fmt: skip
    )
    return [
        alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=REFERENCE_GREY).encode(x="zero:Q"),
        alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=REFERENCE_GREY).encode(y="zero:Q"),
        alt.Chart(lines)
        .mark_line(color=REFERENCE_GREY, clip=True)
        .encode(
            x=x,
            y=y,
            strokeDash=alt.StrokeDash("wtp:N", title="Willingness to pay", sort=list(dict.fromkeys(lines["wtp"]))),
            tooltip=["wtp:N"],
        ),
    ]


def ce_plane_chart(ce, perspective: str, subtitle: str = "") -> alt.LayerChart:
    """Incremental QALYs and costs per person against the reference: each replicate's paired
    difference (small dots), each strategy's mean (large dots), the efficient frontier (line) and
    a dashed line through the reference for each willingness-to-pay threshold."""
    names, ref = ce.strategies, ce.reference
    data = ce.per_replicate[["strategy", "replicate", "qalys", f"cost_{perspective}"]].rename(
        columns={f"cost_{perspective}": "cost"}
    )
    base = data[data["strategy"] == ref].set_index("replicate")
    data = data.assign(
        d_qalys=data["qalys"] - data["replicate"].map(base["qalys"]),
        d_cost=data["cost"] - data["replicate"].map(base["cost"]),
    )
    means = data.groupby("strategy", sort=False)[["d_qalys", "d_cost"]].mean().reset_index()
    table = ce.incremental_table()
    table = table[table["perspective"] == perspective].set_index("strategy")
    means["status"] = means["strategy"].map(table["status"])
    front = means[means["status"] == NON_DOMINATED].sort_values("d_cost")
    colour = alt.Color("strategy:N", scale=scenario_colours(names, ref), title="Strategy")
    x = alt.X("d_qalys:Q", title=f"Incremental QALYs per person vs {ref} (discounted)")
    y = alt.Y("d_cost:Q", title=f"Incremental cost per person vs {ref} (USD {ce.settings.price_year}, discounted)")
    layers = [
        *plane_axes_and_thresholds(data, ce.settings.wtp_thresholds, x, y),
        alt.Chart(data).mark_point(size=18, opacity=0.45).encode(x=x, y=y, color=colour),
        alt.Chart(front).mark_line(color="#000000").encode(x=x, y=y, order="d_cost:Q"),
        alt.Chart(means)
        .mark_point(filled=True, size=110, stroke="#000000", strokeWidth=0.6)
        .encode(
            x=x,
            y=y,
            color=colour,
            shape=alt.Shape("status:N", title="Status"),
            tooltip=[
                "strategy:N",
                "status:N",
                alt.Tooltip("d_qalys:Q", format=".4f", title="incremental QALYs"),
                alt.Tooltip("d_cost:Q", format=",.0f", title="incremental cost"),
            ],
        ),
    ]
    return alt.layer(*layers).properties(
        width=560,
        height=380,
        title=alt.Title(
            f"Cost-effectiveness plane ({PERSPECTIVE_LABELS[perspective].lower()} perspective)",
            subtitle=[
                subtitle or "Paired across replicates",
                "Small dots: replicates; large dots: means; black line: efficient frontier; grey lines: willingness "
                "to pay (a strategy below a line is worth its cost at that price)",
            ],
        ),
    )


def cost_breakdown_chart(ce, subtitle: str = "") -> alt.FacetChart:
    """Mean discounted cost per person by category, stacked, per strategy and perspective."""
    rows = []
    means = ce.per_replicate.groupby("strategy", sort=False).mean(numeric_only=True)
    for perspective, categories in PERSPECTIVES.items():
        for strategy in ce.strategies:
            for category in categories:
                rows.append(
                    {
                        "perspective": PERSPECTIVE_LABELS[perspective],
                        "strategy": strategy,
                        "category": CATEGORY_LABELS[category],
                        "order": CATEGORIES.index(category),
                        "cost": float(means.loc[strategy, f"cost_{category}"]),
                    }
                )
    data = pd.DataFrame(rows)
    labels = [CATEGORY_LABELS[c] for c in CATEGORIES]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("strategy:N", sort=ce.strategies, title=None),
            x=alt.X("sum(cost):Q", title=f"Cost per person (USD {ce.settings.price_year}, discounted)"),
            color=alt.Color(
                "category:N",
                sort=labels,
                scale=alt.Scale(domain=labels, range=list(CATEGORY_COLOURS)),
                title="Category",
            ),  # fmt: skip
            order=alt.Order("order:Q"),
            tooltip=["strategy:N", "category:N", alt.Tooltip("cost:Q", format=",.0f")],
        )
        .properties(width=420, height=max(60, 24 * len(ce.strategies)))
    )
    return chart.facet(row=alt.Row("perspective:N", title=None, sort=list(PERSPECTIVE_LABELS.values()))).properties(
        title=alt.Title("Discounted costs per person by category", subtitle=subtitle or alt.Undefined)
    )


def write_economic_charts(ce, folder: Path, subtitle: str = "") -> list[str]:
    """CE plane of each perspective and the cost breakdown; returns the file names written."""
    written = []
    for perspective in PERSPECTIVES:
        written += save_chart(ce_plane_chart(ce, perspective, subtitle), folder / f"ce_plane_{perspective}")
    written += save_chart(cost_breakdown_chart(ce, subtitle), folder / "cost_breakdown")
    return [p.name for p in written]
