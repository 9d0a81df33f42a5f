"""Charts: tidy long data in, `alt.Chart` out, so a user can restyle them; HTML (offline), SVG and PNG on disk.

Charts are made to be put in a paper as they are: one colour per scenario in every chart of a
comparison and the reference always grey; percentages and percentage points where the tables use
them; units on every axis; a title saying what is shown and a subtitle saying for whom (population,
years, replicates) and which interval; clinical cut-offs on the distributions; no empty panels.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from simulation.instruments import INSTRUMENTS
from simulation.intervals import MIN_REPLICATES, NO_INTERVAL, outcome_interval
from simulation.outcomes import KEY_OUTCOMES, OUTCOMES, is_share, label_of
from simulation.units import DAYS_PER_YEAR
from simulation.verdicts import scale_of

# One colour per scenario in every chart of a comparison (Okabe-Ito, safe for colour-blind readers);
# the reference is always the same grey, so the eye finds it at once.
REFERENCE_GREY = "#8c8c8c"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
PERCENT_POINTS = "percentage points"


def scenario_colours(names: list[str], reference: str | None = None) -> alt.Scale:
    """The colour scale of a comparison: the reference grey, the others in palette order."""
    others = iter(PALETTE * (1 + len(names) // len(PALETTE)))
    return alt.Scale(domain=list(names), range=[REFERENCE_GREY if n == reference else next(others) for n in names])


def context(population: int, years: float, replicates: int, band: bool = True) -> str:
    """The subtitle line every chart carries: who, how long, how many replicates, which interval."""
    years = round(years, 2)
    who = f"{population:,} simulated adults, {years:g} year{'' if years == 1 else 's'}, {replicates} replicates"
    if not band:
        return who + "; mean across replicates"
    band_text = (
        "band: 95% t-interval across replicates (logit scale for shares)"
        if replicates >= MIN_REPLICATES
        else f"no band ({NO_INTERVAL})"
    )
    return f"{who}; {band_text}"


def band(series: pd.DataFrame, measures: list[str], difference: bool = False) -> pd.DataFrame:
    """Mean and 95% interval across replicates of each measure on each recorded day (long format),
    on the measure's scale (`simulation.intervals`); no interval with fewer than 5 replicates."""
    long = series.melt(id_vars=["replicate", "day"], value_vars=measures, var_name="measure")
    rows = []
    for (measure, day), part in long.groupby(["measure", "day"], sort=False):
        mean, low, high = outcome_interval(part["value"].to_numpy(), measure, difference=difference)
        rows.append({"measure": measure, "day": day, "mean": mean, "low": low, "high": high, "n": len(part)})
    out = pd.DataFrame(rows)
    out["year"] = out["day"] / DAYS_PER_YEAR
    out["label"] = out["measure"].map(label_of)
    return out


DEFAULT_MEASURES = (
    "chronic_pain",
    "high_impact_chronic_pain",
    "depression",
    "insomnia",
    "pain_and_depression",
)


def years_axis(data: pd.DataFrame) -> alt.X:
    """Time on x, from the first record to the last: Vega's "nice" rounding would run a 3-year
    run's axis on to 3.5 years, past the data."""
    domain = [float(data["year"].min()), float(data["year"].max())]
    return alt.X("year:Q", title="Years since the start of the run", scale=alt.Scale(domain=domain, nice=False))


def prevalence_chart(
    series: pd.DataFrame, measures: list[str] | None = None, title: str = "", subtitle: str = ""
) -> alt.Chart:
    """Prevalence over time: mean across replicates with its 95% interval as a band."""
    measures = list(measures or DEFAULT_MEASURES)
    data = band(series, measures)
    x = years_axis(data)
    color = alt.Color("label:N", title=None, sort=[label_of(m) for m in measures],
                      scale=alt.Scale(range=list(PALETTE)), legend=alt.Legend(orient="right"))  # fmt: skip
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("mean:Q", title="Prevalence (% of adults)", axis=alt.Axis(format="%")),
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
    layers = [lines]
    if data["low"].notna().any():
        layers.insert(0, alt.Chart(data).mark_area(opacity=0.2).encode(x=x, y="low:Q", y2="high:Q", color=color))
    return alt.layer(*layers).properties(
        width=560, height=320, title=alt.Title(title or "Prevalence over time", subtitle=subtitle or alt.Undefined)
    )


def distribution_chart(distributions: pd.DataFrame, title: str = "", subtitle: str = "") -> alt.Chart:
    """End-of-run distributions of pain, PHQ-9 and ISI (share of adults per bin, mean over
    replicates), with the clinical cut-offs drawn on them."""
    data = distributions.groupby(["measure", "bin_left", "bin_right"], as_index=False)["share"].mean()
    charts = []
    for measure in [m for m in INSTRUMENTS if m in set(data["measure"])]:
        part = data[data["measure"] == measure]
        bars = (
            alt.Chart(part)
            .mark_bar(color=PALETTE[0])
            .encode(
                x=alt.X("bin_left:Q", bin="binned", title=INSTRUMENTS[measure].axis_title),
                x2="bin_right:Q",
                y=alt.Y("share:Q", title="Adults (%)", axis=alt.Axis(format=".0%")),
                tooltip=["bin_left:Q", "bin_right:Q", alt.Tooltip("share:Q", format=".1%")],
            )
        )
        cuts = pd.DataFrame([{"value": c.value, "label": c.label} for c in INSTRUMENTS[measure].cut_offs])
        layers = [bars]
        if not cuts.empty:
            rule = alt.Chart(cuts).mark_rule(color="#D55E00", strokeDash=[4, 3]).encode(x="value:Q")
            texts = [
                alt.Chart(cuts.iloc[[i]])
                .mark_text(align="left", dx=3, color="#D55E00", fontSize=10, baseline="top")
                .encode(x="value:Q", y=alt.value(2 + 13 * i), text="label:N")
                for i in range(len(cuts))
            ]
            layers += [rule, *texts]
        charts.append(alt.layer(*layers).properties(width=240, height=200))
    return alt.hconcat(*charts).properties(
        title=alt.Title(
            title or "Distributions at the end of the run",
            subtitle=[subtitle or "Mean across replicates", "Dashed lines: clinical cut-offs"],
        )
    )


def save_chart(chart: alt.TopLevelMixin, path_stem: Path) -> list[Path]:
    """Write `chart` as HTML that works offline (Vega inlined), SVG and PNG (via vl-convert)."""
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    html, svg, png = (path_stem.with_suffix(s) for s in (".html", ".svg", ".png"))
    chart.save(str(html), inline=True)
    chart.save(str(svg))
    chart.save(str(png), ppi=150)
    return [html, svg, png]


def write_run_charts(
    series: pd.DataFrame, distributions: pd.DataFrame, folder: Path, name: str, scenario=None
) -> list[str]:
    """The charts of one run's results folder; returns the file names written."""
    sub = ""
    if scenario is not None:
        sub = context(scenario.population, scenario.duration_days / DAYS_PER_YEAR, scenario.replicates)
    written = save_chart(prevalence_chart(series, title=f"Prevalence over time: {name}", subtitle=sub),
                         folder / "prevalence")  # fmt: skip
    if scenario is not None:
        sub = context(scenario.population, scenario.duration_days / DAYS_PER_YEAR, scenario.replicates, band=False)
    written += save_chart(
        distribution_chart(distributions, title=f"Pain, PHQ-9 and ISI at the end of the run: {name}", subtitle=sub),
        folder / "distributions",
    )
    return [p.name for p in written]


COMPARE_TRAJECTORIES = ("chronic_pain", "depression", "insomnia", "mean_pain")
FOREST_OUTCOMES = (*KEY_OUTCOMES, "qalys_per_person")


def panel_title(outcome: str) -> str:
    """The title of a panel of differences: shares in percentage points, the rest in their units."""
    if is_share(outcome):
        return f"{label_of(outcome)} ({PERCENT_POINTS})"
    return OUTCOMES[outcome].with_unit if outcome in OUTCOMES else outcome


def trajectories_chart(
    series: pd.DataFrame, reference: str | None = None, measures=COMPARE_TRAJECTORIES, title: str = "",
    subtitle: str = "",
) -> alt.Chart:  # fmt: skip
    """Each scenario's paired difference from the reference over time (same people, same random
    numbers, replicate by replicate), with its 95% band; one panel per outcome, shares in
    percentage points."""
    reference = reference if reference is not None else series["scenario"].iloc[0]  # default: the first
    measures = [m for m in measures if m in series.columns]
    ref = series[series["scenario"] == reference].set_index(["replicate", "day"])[measures]
    parts = []
    for scenario, part in series.groupby("scenario", sort=False):
        if scenario == reference:
            continue
        diff = (part.set_index(["replicate", "day"])[measures] - ref).reset_index()
        parts.append(band(diff, measures, difference=True).assign(scenario=scenario))
    data = pd.concat(parts, ignore_index=True)
    scale = np.where(data["measure"].map(is_share), 100.0, 1.0)
    for col in ("mean", "low", "high"):
        data[col] = data[col] * scale
    data["panel"] = data["measure"].map(panel_title)
    names = list(dict.fromkeys(series["scenario"]))
    x = years_axis(data)
    color = alt.Color("scenario:N", scale=scenario_colours(names, reference), title="Scenario")
    base = alt.Chart(data)
    layers = [
        base.mark_rule(color=REFERENCE_GREY, strokeDash=[4, 3]).encode(y=alt.datum(0)),
        base.mark_line().encode(
            x=x,
            y=alt.Y("mean:Q", title="Difference from " + reference),
            color=color,
            tooltip=["scenario:N", "panel:N", alt.Tooltip("year:Q", format=".2f"), alt.Tooltip("mean:Q", format=".2f")],
        ),
    ]
    if data["low"].notna().any():
        layers.insert(1, base.mark_area(opacity=0.2).encode(x=x, y="low:Q", y2="high:Q", color=color))
    return (
        alt.layer(*layers)
        .properties(width=260, height=170)
        .facet(facet=alt.Facet("panel:N", title=None, sort=[panel_title(m) for m in measures]), columns=2)  # fmt: skip
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                title or f"Difference from {reference} over time",
                subtitle=[
                    subtitle or "Mean of paired differences across replicates",
                    "Prevalences in percentage points; the dashed line is the reference",
                ],
            )  # fmt: skip
        )
    )


def _present(table: pd.DataFrame) -> pd.DataFrame:
    """Drop the outcomes no scenario has (all levels zero or missing), so no panel is empty."""
    has = table.groupby("outcome")["level"].apply(lambda v: bool((v.fillna(0) != 0).any()))
    return table[table["outcome"].map(has)]


def forest_chart(table: pd.DataFrame, reference: str, title: str = "", subtitle: str = "") -> alt.Chart:
    """Paired differences from the reference with 95% intervals, one panel per outcome, in
    percentage points for prevalences."""
    names = list(dict.fromkeys(table["scenario"]))
    data = _present(table[table["outcome"].isin(FOREST_OUTCOMES)])
    data = data[data["scenario"] != reference].copy()
    scale = np.where(data["outcome"].map(is_share), 100.0, 1.0)
    for col in ("difference", "difference_low", "difference_high"):
        data[col] = data[col] * scale
    data["panel"] = data["outcome"].map(panel_title)
    order = [n for n in names if n != reference]
    y = alt.Y("scenario:N", sort=order, title=None)
    base = alt.Chart(data)
    layer = alt.layer(
        base.mark_rule(color=REFERENCE_GREY, strokeDash=[3, 3]).encode(x=alt.datum(0)),
        base.mark_rule().encode(
            x=alt.X("difference_low:Q", title="Difference from " + reference),
            x2="difference_high:Q",
            y=y,
            color=alt.Color("scenario:N", scale=scenario_colours(names, reference), legend=None),
        ),  # fmt: skip
        base.mark_point(filled=True, size=60).encode(
            x="difference:Q",
            y=y,
            color=alt.Color("scenario:N", scale=scenario_colours(names, reference), legend=None),
            tooltip=[
                "scenario:N",
                "panel:N",
                alt.Tooltip("difference:Q", format=".3f"),
                alt.Tooltip("difference_low:Q", format=".3f"),
                alt.Tooltip("difference_high:Q", format=".3f"),
            ],
        ),
    ).properties(width=220, height=max(60, 22 * len(order)))
    return (
        layer.facet(facet=alt.Facet("panel:N", title=None), columns=3)
        .resolve_scale(x="independent")
        .properties(
            title=alt.Title(
                title or f"Differences from {reference} at the end of the run",
                subtitle=[
                    subtitle or "Paired across replicates",
                    "Dot: mean paired difference; bar: 95% t-interval; dashed line: no difference",
                ],
            )  # fmt: skip
        )
    )


def prevalence_bars_chart(table: pd.DataFrame, reference: str | None = None, title: str = "",
                          subtitle: str = "") -> alt.Chart:  # fmt: skip
    """End-of-run prevalence by scenario, with 95% intervals; outcomes no scenario has are left out."""
    names = list(dict.fromkeys(table["scenario"]))
    data = _present(table[table["kind"] == "prevalence"])
    x = alt.X("scenario:N", sort=names, title=None, axis=alt.Axis(labelAngle=-30))
    base = alt.Chart(data)
    layers = [
        base.mark_bar().encode(
            x=x,
            y=alt.Y("level:Q", title="Prevalence at the end (% of adults)", axis=alt.Axis(format="%")),
            color=alt.Color("scenario:N", scale=scenario_colours(names, reference), legend=None),
            tooltip=["scenario:N", "label:N", alt.Tooltip("level:Q", format=".1%")],
        ),
    ]
    if data["level_low"].notna().any():
        layers.append(base.mark_rule(color="black").encode(x=x, y="level_low:Q", y2="level_high:Q"))
    return (
        alt.layer(*layers)
        .properties(width=max(120, 40 * len(names)), height=180)
        .facet(facet=alt.Facet("label:N", title=None), columns=3)
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                title or "Prevalence at the end of the run",
                subtitle=[subtitle or "Mean across replicates", "Black rules: 95% t-interval (logit scale)"],
            )
        )
    )


def write_comparison_charts(
    series: pd.DataFrame, table: pd.DataFrame, folder: Path, reference: str, scenario=None
) -> list[str]:
    """The charts of a comparison: differences over time, differences at the end, prevalence bars."""
    sub = ""
    if scenario is not None:
        sub = context(scenario.population, scenario.duration_days / DAYS_PER_YEAR, scenario.replicates)
    written = save_chart(trajectories_chart(series, reference, subtitle=sub), folder / "trajectories")
    written += save_chart(forest_chart(table, reference, subtitle=sub), folder / "differences")
    written += save_chart(prevalence_bars_chart(table, reference, subtitle=sub), folder / "prevalence_bars")
    return [p.name for p in written]


def trial_chart(result) -> alt.Chart:
    """Mean pain, PHQ-9 and ISI by arm at each follow-up, with 95% intervals across replicates."""
    data = result.summary[result.summary["metric"].isin(["mean_pain", "mean_phq9", "mean_isi"])].copy()
    data["measure"] = data["metric"].map(lambda name: OUTCOMES[name].with_unit)
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
    data = table.copy()
    data["result"] = data["verdict"]
    ratio = [scale_of(m, (lo, hi)) == "ratio" for m, lo, hi in zip(data["measure"], data["band_low"],
                                                                      data["band_high"], strict=True)]  # fmt: skip
    data["kind"] = np.where(ratio, "Ratios", "Shares")
    data["role"] = data["role"].map({"fit": "Fitted targets", "hold_out": "Held-out targets"})
    verdict = alt.Color(
        "result:N",
        scale=alt.Scale(
            domain=["in band", "touches", "outside", "no interval"], range=["#2a9d8f", "#e9c46a", "#e76f51", "#999"]
        ),
        title="interval",
    )

    def panel(part: pd.DataFrame, title: str) -> alt.LayerChart:
        base = alt.Chart(part)
        axis = "ratio" if part["kind"].iloc[0] == "Ratios" else "share (0-1)"
        y = alt.Y("name:N", sort=list(part["name"]), title=None)
        return alt.layer(
            base.mark_bar(color="#ddd", height=12).encode(x=alt.X("band_low:Q", title=axis), x2="band_high:Q", y=y),
            base.mark_tick(color="black", thickness=2, size=14).encode(x="published:Q", y=y),
            base.mark_rule().encode(x="simulated_low:Q", x2="simulated_high:Q", y=y, color=verdict),
            base.mark_point(filled=True, size=50).encode(
                x="simulated:Q",
                y=y,
                color=verdict,
                tooltip=["name:N", "published:Q", "band_low:Q", "band_high:Q",
                         alt.Tooltip("simulated:Q", format=".3f")],
            ),
        ).properties(width=380, height=22 * len(part), title=title)  # fmt: skip

    rows = []
    for kind in ("Shares", "Ratios"):
        panels = [panel(part, f"{role}: {kind.lower()}") for role in ("Fitted targets", "Held-out targets")
                  if not (part := data[(data["kind"] == kind) & (data["role"] == role)]).empty]  # fmt: skip
        if panels:
            rows.append(alt.hconcat(*panels).resolve_scale(color="shared"))
    return alt.vconcat(*rows).properties(
        title=alt.Title(
            f"Simulated vs published: {name}",
            subtitle="Grey: band; black tick: published; dot: simulated with its 95% interval "
            "(in band only if the whole interval is inside)",
        )
    )


def _outcome_panel(outcome: str, percent: bool = True) -> str:
    """A panel title with the outcome's unit: shares as % of adults (or as a share, 0-1, where the
    values are not scaled), means in their units."""
    if is_share(outcome):
        return f"{label_of(outcome)} ({'% of adults' if percent else 'share of adults, 0-1'})"
    return OUTCOMES[outcome].with_unit if outcome in OUTCOMES else outcome


def sweep_chart(summary: pd.DataFrame, key: str, keys: list[str], population: int, years: float,
                replicates: int) -> alt.FacetChart:  # fmt: skip
    """Each outcome against one varied key: mean across replicates with its 95% interval, one
    panel per outcome; with other keys varied too, one colour per combination of their values."""
    data = summary.copy()
    share = data["outcome"].map(is_share)
    for col in ("mean", "ci95_low", "ci95_high"):
        data[col] = np.where(share, data[col] * 100.0, data[col])
    data["panel"] = data["outcome"].map(_outcome_panel)
    data["x"] = data[key]
    others = [k for k in keys if k != key]
    data["others"] = [", ".join(f"{k.split('.')[-1]}={row[k]:.3g}" if isinstance(row[k], float)
                                else f"{k.split('.')[-1]}={row[k]}" for k in others)
                      for _, row in data.iterrows()] if others else "all points"  # fmt: skip
    numeric = pd.api.types.is_numeric_dtype(data["x"]) and not pd.api.types.is_bool_dtype(data["x"])
    x = alt.X("x:Q" if numeric else "x:N", title=key, scale=alt.Scale(zero=False) if numeric else alt.Undefined)
    many = data["others"].nunique() > 1
    colour = (alt.Color("others:N", title="other varied values", scale=alt.Scale(range=list(PALETTE)))
              if many and data["others"].nunique() <= len(PALETTE) else alt.value(PALETTE[0]))  # fmt: skip
    base = alt.Chart(data)
    tooltip = [alt.Tooltip("x:Q" if numeric else "x:N", title=key), "panel:N", alt.Tooltip("mean:Q", format=".3f"),
               alt.Tooltip("ci95_low:Q", format=".3f", title="95% low"),
               alt.Tooltip("ci95_high:Q", format=".3f", title="95% high")]  # fmt: skip
    layers = [base.mark_point(filled=True, size=40).encode(x=x, y=alt.Y("mean:Q", title=None,
                                                                        scale=alt.Scale(zero=False)),
                                                           color=colour, tooltip=tooltip)]  # fmt: skip
    if data["ci95_low"].notna().any():
        layers.insert(0, base.mark_rule().encode(x=x, y="ci95_low:Q", y2="ci95_high:Q", color=colour))
    if data.groupby(["outcome", "others"])["x"].nunique().max() > 1 and data["others"].nunique() <= len(PALETTE):
        layers.insert(0, base.mark_line(opacity=0.5).encode(x=x, y="mean:Q", color=colour, detail="others:N"))
    band = "bars: 95% t-interval across replicates" if replicates >= 5 else "no interval (fewer than 5 replicates)"
    return (
        alt.layer(*layers)
        .properties(width=220, height=160)
        .facet(facet=alt.Facet("panel:N", title=None, sort=list(dict.fromkeys(data["panel"]))), columns=3)
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                f"End-of-run outcomes against {key}",
                subtitle=[
                    context(population, years, replicates, band=False),
                    f"Dot: mean; {band}; the same people and random numbers at every point",
                ],
            )  # fmt: skip
        )
    )


def _top(indices: pd.DataFrame, by: str, most: int) -> pd.DataFrame:
    """The `most` highest-ranked parameters of each outcome, with the panel title."""
    data = indices.sort_values(by, ascending=False).groupby("outcome", sort=False).head(most).copy()
    data["panel"] = data["outcome"].map(lambda o: _outcome_panel(o, percent=False))
    return data


def _index_subtitle(population: int, years: float, replicates: int, what: str) -> list[str]:
    per = f"mean of {replicates} replicates" if replicates > 1 else "1 replicate"
    who = f"{population:,} simulated adults, {round(years, 2):g} years, {per} per point"
    return [who, what]


def morris_chart(indices: pd.DataFrame, kind: str, population: int, years: float, replicates: int,
                 samples: int, most: int = 15) -> alt.FacetChart:  # fmt: skip
    """Morris screening per outcome: `kind="scatter"` plots mu* against sigma (the top parameters
    labelled), `kind="bars"` ranks the parameters by mu* with its bootstrap 95% interval."""
    data = _top(indices, "mu_star", most)
    data["low"] = (data["mu_star"] - data["mu_star_conf"]).clip(lower=0)
    data["high"] = data["mu_star"] + data["mu_star_conf"]
    base = alt.Chart(data)
    tooltip = ["parameter:N", alt.Tooltip("mu_star:Q", format=".4g"), alt.Tooltip("mu_star_conf:Q", format=".4g"),
               alt.Tooltip("sigma:Q", format=".4g")]  # fmt: skip
    order = list(dict.fromkeys(data["panel"]))
    if kind == "scatter":
        layer = alt.layer(
            base.mark_point(filled=True, size=50, color=PALETTE[0]).encode(
                x=alt.X("mu_star:Q", title="mu* (mean absolute elementary effect)"),
                y=alt.Y("sigma:Q", title="sigma (interactions, non-linearity)"), tooltip=tooltip),
            base.transform_filter(alt.datum.rank <= 5).mark_text(align="left", dx=5, fontSize=9).encode(
                x="mu_star:Q", y="sigma:Q", text="parameter:N"),
        ).properties(width=230, height=180)  # fmt: skip
        title = "Morris screening: mu* against sigma"
        what = f"{samples} trajectories; labelled: the five largest mu*; far right = influential, high = interacting"
        resolve = {"x": "independent", "y": "independent"}
    else:
        y = alt.Y("parameter:N", sort="-x", title=None)
        layer = alt.layer(
            base.mark_bar(color=PALETTE[0]).encode(x=alt.X("mu_star:Q", title="mu*"), y=y, tooltip=tooltip),
            base.mark_rule(color="black").encode(x="low:Q", x2="high:Q", y=y),
        ).properties(width=230, height=alt.Step(14))  # fmt: skip
        title = "Morris screening: parameters ranked by mu*"
        what = f"{samples} trajectories; bar: mu*; line: bootstrap 95% interval; the {most} largest per outcome"
        resolve = {"x": "independent", "y": "independent"}
    return (
        layer.facet(facet=alt.Facet("panel:N", title=None, sort=order), columns=3)
        .resolve_scale(**resolve)
        .properties(title=alt.Title(title, subtitle=_index_subtitle(population, years, replicates, what)))
    )


def sobol_chart(indices: pd.DataFrame, population: int, years: float, replicates: int, samples: int,
                most: int = 15) -> alt.FacetChart:  # fmt: skip
    """Sobol indices per outcome: first-order S1 and total ST of each parameter, ranked by ST, with
    bootstrap 95% intervals."""
    top = _top(indices, "ST", most)
    long = pd.concat(
        [top.assign(index=name, value=top[name], low=top[name] - top[f"{name}_conf"],
                    high=top[name] + top[f"{name}_conf"]) for name in ("ST", "S1")],
        ignore_index=True,
    )  # fmt: skip
    long["sort_key"] = long.groupby(["outcome", "parameter"])["value"].transform("max")
    base = alt.Chart(long)
    y = alt.Y("parameter:N", sort=alt.EncodingSortField(field="sort_key", op="max", order="descending"), title=None)
    legend = alt.Legend(labelExpr="datum.label == 'ST' ? 'ST (total)' : 'S1 (first order)'")
    colour = alt.Color("index:N", title=None, scale=alt.Scale(domain=["ST", "S1"], range=[PALETTE[1], PALETTE[0]]),
                       legend=legend)  # fmt: skip
    layer = alt.layer(
        base.mark_bar().encode(x=alt.X("value:Q", title="share of the outcome's variance"), y=y,
                               yOffset=alt.YOffset("index:N", sort=["ST", "S1"]), color=colour,
                               tooltip=["parameter:N", "index:N", alt.Tooltip("value:Q", format=".3f"),
                                        alt.Tooltip("low:Q", format=".3f"), alt.Tooltip("high:Q", format=".3f")]),
        base.mark_rule(color="black").encode(x="low:Q", x2="high:Q", y=y,
                                             yOffset=alt.YOffset("index:N", sort=["ST", "S1"])),
    ).properties(width=230, height=alt.Step(10))  # fmt: skip
    what = f"{samples} base samples (Saltelli); bars: S1 and ST; lines: bootstrap 95% intervals"
    return (
        layer.facet(facet=alt.Facet("panel:N", title=None, sort=list(dict.fromkeys(long["panel"]))), columns=3)
        .resolve_scale(x="independent", y="independent")
        .properties(
            title=alt.Title(
                "Sobol indices: parameters ranked by total effect",
                subtitle=_index_subtitle(population, years, replicates, what),
            )
        )  # fmt: skip
    )
