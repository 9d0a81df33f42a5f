"""The causal graph drawn from the edge declarations: nodes are state variables and mechanisms,
arrows are signed (red raises, blue lowers) and as thick as their current effect.

The effect of an edge is what removing it does to its to-node under common random numbers
(`simulation.check_edges.edge_effects`), standardised by the to-node's spread across people so
that arrows into a 0-10 pain scale and into a 0-1 mechanism compare; without measuring, arrows are
weighted by the parameter's value as a share of its declared upper bound.
"""

from __future__ import annotations

import functools
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from simulation.edges import edge_rows, node_label

# Columns of the picture: traits on the left, the slow mechanisms and latent processes in the
# middle, the daily states (the cycle itself) on the right.
LAYERS: dict[str, int] = {
    "age": 0, "female": 0, "ses": 0, "job_strain": 0, "smoker": 0, "obese": 0, "exercises": 0,
    "vulnerability": 0, "mood_liability": 0,
    "log_nociception": 1, "opioid_exposure": 1, "opioid_dependence": 1, "depression_scar": 1,
    "hpa_load": 2, "inflammation": 2, "sensitisation": 2, "catastrophising": 2, "withdrawal": 2,
    "invalidation": 2, "in_central_pain": 2,
    "in_episode": 3, "sleep_recent": 3, "in_care": 3,
    "pain": 4, "mood": 4, "sleep": 4,
}  # fmt: skip


def layout(nodes: list[str]) -> dict[str, tuple[float, float]]:
    """Node positions: one column per layer, nodes spread evenly down each column."""
    columns: dict[int, list[str]] = {}
    for node in nodes:
        columns.setdefault(LAYERS.get(node, 2), []).append(node)
    positions = {}
    for layer, members in columns.items():
        members.sort(key=lambda n: list(LAYERS).index(n) if n in LAYERS else 99)
        for i, node in enumerate(members):
            positions[node] = (layer * 260.0, (i + 0.5) * 640.0 / len(members))
    return positions


def edge_weights(measured: bool = True, population: int = 3000) -> pd.DataFrame:
    """The edge table with a `weight` in 0-1 for drawing (see the module docstring)."""
    if not measured:
        return current_weights()
    from simulation.check_edges import edge_effects

    rows = pd.DataFrame(edge_rows())
    effects = {v.edge.parameter: abs(v.effect) for v in edge_effects(population=population)}
    rows["effect"] = rows["parameter"].map(effects)
    raw = rows["effect"] / rows.groupby("to")["effect"].transform("max").replace(0, np.nan)
    rows["weight"] = raw.fillna(0.0).clip(0.0, 1.0)
    return rows


@functools.lru_cache(maxsize=1)
def _upper_bounds() -> dict[str, float]:
    from simulation.parameters import parameter_rows

    return {r["name"]: r["upper"] for r in parameter_rows(interventions=False)}


def current_weights(params=None) -> pd.DataFrame:
    """The edge table with `weight` = each parameter's value (from `params`, else the defaults) as
    a share of its declared upper bound: how strong each arrow is set now, without simulating (what
    the dashboard draws as couplings change; a cut arrow has weight 0)."""
    rows = pd.DataFrame(edge_rows(params))
    upper = _upper_bounds()
    raw = rows.apply(lambda r: abs(r["value"]) / max(abs(upper[r["parameter"]]), 1e-9), axis=1)
    rows["weight"] = raw.fillna(0.0).clip(0.0, 1.0)
    return rows


def graph_chart(rows: pd.DataFrame, title: str = "painsim causal graph") -> alt.LayerChart:
    """Arrows from each edge's from-node to its to-node; hover an arrow for its parameter and source."""
    nodes = sorted({*rows["from"], *rows["to"]}, key=lambda n: (LAYERS.get(n, 2), n))
    pos = layout(nodes)
    segments = []
    for i, r in enumerate(rows.itertuples()):
        (x0, y0), (x1, y1) = pos[r._1], pos[r.to]
        bend = 18.0 * ((i % 3) - 1)  # parallel arrows between the same nodes stay apart
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2 + bend
        head_x, head_y = x0 + 0.82 * (x1 - x0), y0 + 0.82 * (y1 - y0) + bend * 0.6
        angle = float(np.degrees(np.arctan2(x1 - x0, -(y1 - y0))))
        common = {
            "edge": i,
            "sign": "raises" if r.sign == "+" else "lowers",
            "parameter": r.parameter,
            "mechanism": r.mechanism,
            "source": r.source,
            "width": 0.6 + 5.0 * r.weight,
        }
        for order, (x, y) in enumerate(((x0, y0), (xm, ym), (x1, y1))):
            segments.append({**common, "x": x, "y": y, "order": order, "head_x": head_x, "head_y": head_y,
                             "angle": angle})  # fmt: skip
    seg = pd.DataFrame(segments)
    colour = alt.Color(
        "sign:N",
        scale=alt.Scale(domain=["raises", "lowers"], range=["#c0392b", "#2471a3"]),
        legend=alt.Legend(title="edge"),
    )
    tooltip = ["parameter:N", "mechanism:N", "source:N"]
    x_scale = alt.Scale(domain=[-120, 4 * 260 + 120])
    y_scale = alt.Scale(domain=[660, -20])
    x = alt.X("x:Q", axis=None, scale=x_scale)
    y = alt.Y("y:Q", axis=None, scale=y_scale)
    lines = (
        alt.Chart(seg)
        .mark_line(opacity=0.55, interpolate="basis")
        .encode(x=x, y=y, detail="edge:N", order="order:Q", color=colour,
                strokeWidth=alt.StrokeWidth("width:Q", legend=None, scale=None), tooltip=tooltip)
    )  # fmt: skip
    heads = (
        alt.Chart(seg[seg["order"] == 0])
        .mark_point(shape="triangle-up", filled=True, size=70, opacity=0.8)
        .encode(x=alt.X("head_x:Q", axis=None, scale=x_scale), y=alt.Y("head_y:Q", axis=None, scale=y_scale),
                angle=alt.Angle("angle:Q", scale=None), color=colour, tooltip=tooltip)
    )  # fmt: skip
    node_frame = pd.DataFrame([{"node": n, "label": node_label(n), "x": xy[0], "y": xy[1]} for n, xy in pos.items()])
    boxes = (
        alt.Chart(node_frame)
        .mark_point(shape="circle", filled=True, size=900, color="white", stroke="#333", strokeWidth=1)
        .encode(x=alt.X("x:Q", axis=None, scale=x_scale), y=alt.Y("y:Q", axis=None, scale=y_scale), tooltip=["node:N"])
    )
    labels = (
        alt.Chart(node_frame)
        .mark_text(fontSize=11, dy=-20)
        .encode(x=alt.X("x:Q", axis=None, scale=x_scale), y=alt.Y("y:Q", axis=None, scale=y_scale), text="label:N")
    )
    return (lines + heads + boxes + labels).properties(
        width=1250,
        height=700,
        title=alt.Title(title, subtitle="arrow width: effect of removing the edge on its to-node (largest into "
                        "each node = widest); columns: traits, slow states, mechanisms, episodes, daily states"),
    )  # fmt: skip


def write_graph(folder: Path, measured: bool = True) -> list[Path]:
    """The causal graph as SVG, PNG and HTML, and the edge table as CSV and Markdown, in `folder`."""
    from simulation.edges import edge_markdown

    folder.mkdir(parents=True, exist_ok=True)
    rows = edge_weights(measured)
    chart = graph_chart(rows)
    paths = []
    for suffix in ("svg", "png", "html"):
        path = folder / f"causal_graph.{suffix}"
        chart.save(str(path), **({"ppi": 110} if suffix == "png" else {}))
        paths.append(path)
    rows.to_csv(folder / "edges.csv", index=False)
    (folder / "edges.md").write_text(edge_markdown(rows.to_dict("records")) + "\n")
    return [*paths, folder / "edges.csv", folder / "edges.md"]
