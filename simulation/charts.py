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
    "mean_pain": "Mean pain (NRS)",
    "mean_phq9": "Mean PHQ-9",
    "mean_isi": "Mean ISI",
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


COMPARE_TRAJECTORIES = ("chronic_pain", "depression", "insomnia", "mean_pain")


def trajectories_chart(series: pd.DataFrame, measures=COMPARE_TRAJECTORIES, title: str = "") -> alt.Chart:
    """Each scenario's outcome over time (mean and 95% band across replicates), one panel per outcome."""
    parts = []
    for scenario, part in series.groupby("scenario", sort=False):
        parts.append(band(part, list(measures)).assign(scenario=scenario))
    data = pd.concat(parts, ignore_index=True)
    order = list(dict.fromkeys(series["scenario"]))
    x = alt.X("year:Q", title="Years since start")
    color = alt.Color("scenario:N", sort=order, title="Scenario")
    base = alt.Chart(data)
    layer = alt.layer(
        base.mark_area(opacity=0.2).encode(
            x=x, y=alt.Y("low:Q", title=None, scale=alt.Scale(zero=False)), y2="high:Q", color=color
        ),
        base.mark_line().encode(
            x=x, y="mean:Q", color=color, tooltip=["scenario:N", "label:N", alt.Tooltip("mean:Q", format=".3f")]
        ),
    ).properties(width=260, height=170)
    return (
        layer.facet(facet=alt.Facet("label:N", title=None), columns=2)
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                title or "Outcomes over time by scenario", subtitle="Mean across replicates; band: 95% interval"
            )
        )
    )


def forest_chart(table: pd.DataFrame, reference: str, title: str = "") -> alt.Chart:
    """Paired differences from the reference with 95% intervals, one panel per outcome."""
    data = table[(table["scenario"] != reference) & table["outcome"].isin([o for o, *_ in _forest_outcomes()])]
    order = list(dict.fromkeys(data["scenario"]))
    y = alt.Y("scenario:N", sort=order, title=None)
    base = alt.Chart(data)
    layer = alt.layer(
        base.mark_rule(color="#999", strokeDash=[3, 3]).encode(x=alt.datum(0)),
        base.mark_rule().encode(
            x=alt.X("difference_low:Q", title="Difference from " + reference), x2="difference_high:Q", y=y
        ),
        base.mark_point(filled=True, size=60).encode(
            x="difference:Q",
            y=y,
            color=alt.Color("scenario:N", sort=order, legend=None),
            tooltip=[
                "scenario:N",
                "label:N",
                alt.Tooltip("difference:Q", format=".4f"),
                alt.Tooltip("difference_low:Q", format=".4f"),
                alt.Tooltip("difference_high:Q", format=".4f"),
            ],
        ),
    ).properties(width=220, height=max(60, 22 * len(order)))
    return (
        layer.facet(facet=alt.Facet("label:N", title=None), columns=3)
        .resolve_scale(x="independent")
        .properties(
            title=alt.Title(
                title or f"Differences from {reference}", subtitle="Paired across replicates; bars: 95% interval"
            )
        )
    )


def _forest_outcomes():
    from simulation.compare import KEY_OUTCOMES

    return [o for o in KEY_OUTCOMES if o[0] != "opioid_misuse"] + [("qalys_per_person", "QALYs per person", "mean")]


def prevalence_bars_chart(table: pd.DataFrame, title: str = "") -> alt.Chart:
    """End-of-run prevalence by scenario, with 95% intervals."""
    data = table[table["kind"] == "prevalence"]
    order = list(dict.fromkeys(data["scenario"]))
    x = alt.X("scenario:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30))
    base = alt.Chart(data)
    layer = alt.layer(
        base.mark_bar().encode(
            x=x,
            y=alt.Y("level:Q", title="Prevalence at end", axis=alt.Axis(format="%")),
            color=alt.Color("scenario:N", sort=order, legend=None),
            tooltip=["scenario:N", "label:N", alt.Tooltip("level:Q", format=".1%")],
        ),
        base.mark_rule().encode(x=x, y="level_low:Q", y2="level_high:Q"),
    ).properties(width=max(120, 40 * len(order)), height=180)
    return (
        layer.facet(facet=alt.Facet("label:N", title=None), columns=3)
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                title or "Prevalence at the end of the run", subtitle="Mean across replicates; rules: 95% interval"
            )
        )
    )


def write_comparison_charts(series: pd.DataFrame, table: pd.DataFrame, folder: Path, reference: str) -> list[str]:
    written = save_chart(trajectories_chart(series), folder / "trajectories")
    written += save_chart(forest_chart(table, reference), folder / "differences")
    written += save_chart(prevalence_bars_chart(table), folder / "prevalence_bars")
    return [p.name for p in written]


def trial_chart(result) -> alt.Chart:
    """Mean pain, PHQ-9 and ISI by arm at each follow-up, with 95% intervals across replicates."""
    data = result.summary[result.summary["metric"].isin(["mean_pain", "mean_phq9", "mean_isi"])].copy()
    data["measure"] = data["metric"].map({"mean_pain": "Pain (NRS)", "mean_phq9": "PHQ-9", "mean_isi": "ISI"})
    order = [a.name for a in result.trial.arms]
    x = alt.X("week:Q", title="Weeks after randomisation")
    color = alt.Color("arm:N", sort=order, title="Arm")
    base = alt.Chart(data)
    layer = alt.layer(
        base.mark_line(point=True).encode(
            x=x,
            y=alt.Y("mean:Q", title=None, scale=alt.Scale(zero=False)),
            color=color,
            tooltip=["arm:N", "week:Q", alt.Tooltip("mean:Q", format=".2f")],
        ),
        base.mark_rule().encode(x=x, y="ci95_low:Q", y2="ci95_high:Q", color=color),
    ).properties(width=220, height=180)
    return (
        layer.facet(facet=alt.Facet("measure:N", title=None), columns=3)
        .resolve_scale(y="independent")
        .properties(title=alt.Title(f"Virtual trial: {result.trial.name}", subtitle="Mean by arm; rules: 95% interval"))
    )


def validation_chart(table: pd.DataFrame, name: str = "") -> alt.Chart:
    """Each target: its band (grey bar), the published value (tick) and the simulated value (point
    with 95% interval), on the target's own scale; hits and misses coloured."""
    from simulation.verdicts import scale_of

    data = table.copy()
    data["result"] = data["verdict"]
    ratio = [scale_of(m, (lo, hi)) == "ratio" for m, lo, hi in zip(data["measure"], data["band_low"],
                                                                      data["band_high"], strict=True)]  # fmt: skip
    data["kind"] = np.where(ratio, "Ratios", "Shares")
    data["role"] = data["role"].map({"fit": "Fitted targets", "hold_out": "Held-out targets"})
    order = list(data["name"])
    y = alt.Y("name:N", sort=order, title=None)
    verdict = alt.Color(
        "result:N",
        scale=alt.Scale(
            domain=["in band", "touches", "outside", "no interval"], range=["#2a9d8f", "#e9c46a", "#e76f51", "#999"]
        ),
        title="interval",
    )
    base = alt.Chart(data)
    layer = alt.layer(
        base.mark_bar(color="#ddd", height=12).encode(x=alt.X("band_low:Q", title="Value"), x2="band_high:Q", y=y),
        base.mark_tick(color="black", thickness=2, size=14).encode(x="published:Q", y=y),
        base.mark_rule().encode(x="simulated_low:Q", x2="simulated_high:Q", y=y, color=verdict),
        base.mark_point(filled=True, size=50).encode(
            x="simulated:Q",
            y=y,
            color=verdict,
            tooltip=["name:N", "published:Q", "band_low:Q", "band_high:Q", alt.Tooltip("simulated:Q", format=".3f")],
        ),
    ).properties(width=420)
    return (
        layer.facet(row=alt.Row("kind:N", title=None), column=alt.Column("role:N", title=None))
        .resolve_scale(x="independent", y="independent")
        .properties(
            title=alt.Title(
                f"Simulated vs published: {name}",
                subtitle="Grey: band; black tick: published; dot: simulated with its 95% interval "
                "(in band only if the whole interval is inside)",
            )
        )
    )
