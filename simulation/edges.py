"""The causal graph as data: every edge declared once, beside the rule that carries it.

An edge names its from-node and to-node (state columns of `simulation.state`), its sign (+1: more
of the from-node brings more of the to-node), the one parameter that carries it, the mechanism in
a few words and its source. One parameter carries one edge, so "switch this arrow off" always means
"set this parameter to 0". From the declarations come:

- the edge table and the causal-graph picture (`painsim graph`, `docs/causal_graph.*`), and the
  README's causal table;
- one behavioural test per edge (`tests/test_edges.py`): remove the edge in an otherwise identical
  run on common random numbers and the to-node must move against the declared sign by at least
  `min_effect`;
- the mutation check (`python -m simulation.check_edges`): zero or flip any single edge and at
  least one test must fail, so the suite is known to be alive.

How the effect is read (`measure`): "mean" compares the to-node's population mean (for a nonnegative
from-node); "slope" compares the slope of the to-node on the from-node across people (for a trait
whose effect is a difference between people, such as age or sex).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from simulation.state import COLUMN_BY_NAME


class EdgeError(ValueError):
    """An edge declared on something the model does not have."""


Measure = Literal["mean", "slope"]
Context = Literal["baseline", "opioids"]

# Nodes are state columns; a few read better under a clinical name in the graph.
NODE_LABELS: dict[str, str] = {
    "pain": "pain",
    "mood": "low mood (symptoms)",
    "in_episode": "depressive episode",
    "sleep": "poor sleep (night)",
    "sleep_recent": "poor sleep (fortnight)",
    "log_nociception": "tissue nociception",
    "in_central_pain": "central pain episode",
    "hpa_load": "HPA load",
    "sensitisation": "central sensitisation",
    "inflammation": "neuro-inflammation",
    "catastrophising": "catastrophising",
    "withdrawal": "withdrawal, deconditioning",
    "invalidation": "social invalidation",
    "opioid_exposure": "opioid exposure",
    "opioid_dependence": "opioid dependence",
    "depression_scar": "scar of past depression",
    "in_care": "in care",
    "mood_liability": "depression liability (trait)",
}


@dataclass(frozen=True)
class Edge:
    """One arrow of the causal graph: the parameter that carries it, its sign, mechanism and source."""

    source: str
    target: str
    parameter: str
    sign: int
    mechanism: str
    cites: str
    min_effect: float
    measure: Measure = "mean"
    context: Context = "baseline"

    @property
    def label(self) -> str:
        """The arrow as text, for messages: `source -> target (parameter)`."""
        return f"{self.source} -> {self.target} ({self.parameter})"


def node_label(name: str) -> str:
    """What a reader sees for a graph node: its declared label, or the state column's label."""
    return NODE_LABELS.get(name, COLUMN_BY_NAME[name].label if name in COLUMN_BY_NAME else name)


def edge(
    source: str,
    target: str,
    parameter: str,
    *,
    mechanism: str,
    cites: str,
    min_effect: float,
    sign: int = 1,
    measure: Measure = "mean",
    context: Context = "baseline",
) -> Edge:
    """Declare one edge of the causal graph (checked here: nodes, sign, measure, effect)."""
    where = f"edge {source} -> {target} ({parameter})"
    for role, node in (("from-node", source), ("to-node", target)):
        if node not in COLUMN_BY_NAME:
            raise EdgeError(f"{where}: {role} {node!r} is not a state column; known: {', '.join(COLUMN_BY_NAME)}")
    if sign not in (1, -1):
        raise EdgeError(f"{where}: sign must be +1 or -1, got {sign!r}")
    if measure not in ("mean", "slope"):
        raise EdgeError(f"{where}: measure must be 'mean' or 'slope', got {measure!r}")
    if context not in ("baseline", "opioids"):
        raise EdgeError(f"{where}: context must be 'baseline' or 'opioids', got {context!r}")
    if not min_effect > 0:
        raise EdgeError(f"{where}: min_effect must be positive, got {min_effect!r}")
    if "." not in parameter:
        raise EdgeError(f"{where}: parameter must be a dotted name such as pain.from_mood")
    if not cites.strip():
        raise EdgeError(f"{where}: cites must name the edge's source")
    return Edge(source, target, parameter, sign, mechanism, cites, float(min_effect), measure, context)


def all_edges() -> tuple[Edge, ...]:
    """Every declared edge, checked against the parameters (each a declared model parameter, each
    carrying one edge)."""
    from simulation.parameters import ModelParams
    from simulation.population import EDGES as population
    from simulation.rules.care import EDGES as care
    from simulation.rules.central import EDGES as central
    from simulation.rules.mechanisms import EDGES as mechanisms
    from simulation.rules.mood import EDGES as mood
    from simulation.rules.nociception import EDGES as nociception
    from simulation.rules.pain import EDGES as pain
    from simulation.rules.sleep import EDGES as sleep

    edges = (*nociception, *central, *pain, *mood, *sleep, *mechanisms, *care, *population)
    check_parameters(edges, ModelParams)
    return edges


def check_parameters(edges, params_cls) -> None:
    """Refuse an edge whose parameter is not in `params_cls`, or that another edge already carries."""
    seen: dict[str, Edge] = {}
    for e in edges:
        group, _, name = e.parameter.partition(".")
        group_field = params_cls.model_fields.get(group)
        if group_field is None or name not in group_field.annotation.model_fields:
            raise EdgeError(f"edge {e.label}: {e.parameter!r} is not a model parameter (see `painsim params`)")
        if e.parameter in seen:
            raise EdgeError(f"edge {e.label}: {e.parameter} already carries {seen[e.parameter].label}")
        seen[e.parameter] = e


def edge_rows(params=None) -> list[dict]:
    """The edge table: one row per edge with the parameter's current value."""
    from simulation.parameters import ModelParams

    params = params if params is not None else ModelParams()
    rows = []
    for e in all_edges():
        group, _, name = e.parameter.partition(".")
        rows.append(
            {
                "from": e.source,
                "to": e.target,
                "sign": "+" if e.sign > 0 else "-",
                "parameter": e.parameter,
                "value": getattr(getattr(params, group), name),
                "mechanism": e.mechanism,
                "source": e.cites,
                "test": f"{e.measure}, min {e.min_effect:g}" + ("" if e.context == "baseline" else f", {e.context}"),
            }
        )
    return rows


def edge_markdown(rows: list[dict] | None = None) -> str:
    """The edge table as Markdown, for the README and docs/edges.md."""
    rows = rows if rows is not None else edge_rows()
    lines = [
        "| from | to | sign | parameter | value | mechanism | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {node_label(r['from'])} | {node_label(r['to'])} | {r['sign']} | `{r['parameter']}` | {r['value']:.4g} "
            f"| {r['mechanism']} | {r['source']} |"
        )
    return "\n".join(lines)


README_START = "<!-- causal edges: generated by `python -m simulation.edges --readme`; do not edit -->"
README_END = "<!-- end of causal edges -->"


def update_readme(path) -> None:
    """Rewrite the README's causal table from the declarations."""
    from pathlib import Path

    path = Path(path)
    text = path.read_text()
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    path.write_text(f"{head}{README_START}\n{edge_markdown()}\n{README_END}{tail}")


if __name__ == "__main__":
    import sys
    from pathlib import Path

    if "--readme" in sys.argv:
        update_readme(Path(__file__).resolve().parents[1] / "README.md")
    else:
        print(edge_markdown())
