"""Charts: tidy long data in, `alt.Chart` out, so a user can restyle them; HTML and PNG on disk."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from simulation.outcomes import DISTRIBUTION_BINS
from simulation.units import DAYS_PER_YEAR

LABELS = {
    "chronic_pain": "Chronic pain",
    "high_impact_chronic_pain": "High-impact chronic pain",
    "midus_back_pain": "Back pain (MIDUS definition)",
    "depression": "Major depression (12-month)",
    "insomnia": "Insomnia disorder",
    "clinical_insomnia": "Clinical insomnia (ISI >= 15)",
    "pain_and_depression": "Chronic pain + depression",
    "all_three": "Pain + depression + insomnia",
}


def band(series: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """Mean and 95% interval across replicates of each measure on each recorded day (long format)."""
    long = series.melt(id_vars=["replicate", "day"], value_vars=measures, var_name="measure")
    grouped = long.groupby(["measure", "day"])["value"]
    out = grouped.agg(mean="mean", sd="std", n="count").reset_index()
    tcrit = np.where(out["n"] > 1, stats.t.ppf(0.975, np.maximum(out["n"] - 1, 1)), np.nan)
    half = tcrit * out["sd"].fillna(0.0) / np.sqrt(out["n"])
    out["low"] = (out["mean"] - np.nan_to_num(half)).clip(lower=0.0)
    out["high"] = out["mean"] + np.nan_to_num(half)
    out["year"] = out["day"] / DAYS_PER_YEAR
    out["label"] = out["measure"].map(LABELS).fillna(out["measure"])
    return out


DEFAULT_MEASURES = (
    "chronic_pain",
    "high_impact_chronic_pain",
    "depression",
    "insomnia",
    "pain_and_depression",
)


def prevalence_chart(series: pd.DataFrame, measures: list[str] | None = None, title: str = "") -> alt.Chart:
    """Prevalence over time: mean across replicates with its 95% interval as a band."""
    measures = list(measures or DEFAULT_MEASURES)
    data = band(series, measures)
    x = alt.X("year:Q", title="Years since start")
    color = alt.Color("label:N", title=None, sort=[LABELS.get(m, m) for m in measures])
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("mean:Q", title="Prevalence", axis=alt.Axis(format="%")),
            color=color,
            tooltip=[
                "label:N",
                alt.Tooltip("year:Q", format=".2f"),
                alt.Tooltip("mean:Q", format=".1%"),
                alt.Tooltip("low:Q", format=".1%", title="95% low"),
                alt.Tooltip("high:Q", format=".1%", title="95% high"),
            ],
        )
    )
    bands = alt.Chart(data).mark_area(opacity=0.25).encode(x=x, y="low:Q", y2="high:Q", color=color)
    subtitle = "Mean across replicates; band: 95% interval of the mean"
    return (bands + lines).properties(
        width=560, height=320, title=alt.Title(title or "Prevalence over time", subtitle=subtitle)
    )


def distribution_chart(distributions: pd.DataFrame, title: str = "") -> alt.Chart:
    """End-of-run distributions of pain, PHQ-9 and ISI (share of people per bin, mean over replicates)."""
    data = distributions.groupby(["measure", "bin_left", "bin_right"], as_index=False)["share"].mean()
    charts = []
    for measure in [m for m in DISTRIBUTION_BINS if m in set(data["measure"])]:
        part = data[data["measure"] == measure]
        charts.append(
            alt.Chart(part)
            .mark_bar()
            .encode(
                x=alt.X("bin_left:Q", bin="binned", title=measure),
                x2="bin_right:Q",
                y=alt.Y("share:Q", title="Share of people", axis=alt.Axis(format="%")),
                tooltip=["bin_left:Q", "bin_right:Q", alt.Tooltip("share:Q", format=".1%")],
            )
            .properties(width=240, height=200)
        )
    return alt.hconcat(*charts).properties(
        title=alt.Title(title or "Distributions at the end of the run", subtitle="Mean across replicates")
    )


def save_chart(chart: alt.TopLevelMixin, path_stem: Path) -> list[Path]:
    """Write `chart` as interactive HTML and static PNG (via vl-convert)."""
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    html, png = path_stem.with_suffix(".html"), path_stem.with_suffix(".png")
    chart.save(str(html))
    chart.save(str(png), ppi=150)
    return [html, png]


def write_run_charts(series: pd.DataFrame, distributions: pd.DataFrame, folder: Path, name: str) -> list[str]:
    """The charts of one run's results folder; returns the file names written."""
    written = save_chart(prevalence_chart(series, title=f"Prevalence over time: {name}"), folder / "prevalence")
    written += save_chart(
        distribution_chart(distributions, title=f"Distributions at end: {name}"), folder / "distributions"
    )
    return [p.name for p in written]
