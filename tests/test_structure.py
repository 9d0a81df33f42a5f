"""The package's structure: one outcome catalogue that every report reads, and no import cycles
among the modules that compute and report outcomes."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from simulation import compare, tables
from simulation.charts import COMPARE_TRAJECTORIES, FOREST_OUTCOMES
from simulation.instruments import INSTRUMENTS, ISI_CUT_OFF, ISI_MAX, NRS_MAX, PHQ9_CUT_OFF, PHQ9_MAX
from simulation.intervals import outcome_range, scale_of_outcome
from simulation.model import PainCycleModel
from simulation.outcomes import COHORT_STATISTICS, KEY_OUTCOMES, METRICS, OUTCOMES, is_share
from simulation.scenario import Scenario
from simulation.status import StatusParams
from simulation.verdicts import scale_of

PACKAGE = Path(__file__).resolve().parents[1] / "simulation"

# Deliberate registries, whose collecting function imports the modules that declare into it:
# `edges.all_edges` gathers the causal edges that the rules, the population and the parameters
# declare, and the `simulation.interventions` package registers each intervention module. Any
# other cycle is a mistake.
EDGE_REGISTRY = ("simulation.edges", "simulation.parameters", "simulation.population", "simulation.rules.")
INTERVENTION_REGISTRY = ("simulation.interventions",)
# Command modules register their commands on cli.py's typer app, and cli.py imports them to load them.
COMMAND_REGISTRY = ("simulation.cli",)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(node: ast.AST):
    """`node` and everything under it, except what sits under `if TYPE_CHECKING:` (read by type
    checkers only, never imported when the code runs)."""
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and getattr(child.test, "id", getattr(child.test, "attr", "")) == "TYPE_CHECKING":
            yield from (n for branch in child.orelse for n in _runtime_nodes(branch))
            continue
        yield from _runtime_nodes(child)


def import_graph() -> nx.DiGraph:
    """Every import between simulation modules that runs, at module level or inside functions."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _runtime_nodes(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            graph.add_edges_from((name, t) for t in targets if t in modules and t != name)
    return graph


def _registry(members: set[str]) -> bool:
    return any(
        all(m.startswith(registry) for m in members)
        for registry in (EDGE_REGISTRY, INTERVENTION_REGISTRY, COMMAND_REGISTRY)
    )


def test_the_only_import_cycles_are_the_declared_registries():
    graph = import_graph()
    assert "simulation.outcomes" in graph and graph.number_of_edges() > 50  # the graph was really built
    tangles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    unexpected = [sorted(c) for c in tangles if not _registry(c)]
    assert not unexpected, f"import cycles among simulation modules: {unexpected}"


@pytest.mark.parametrize(
    "module",
    ["outcomes", "instruments", "intervals", "verdicts", "charts", "compare", "results", "tables", "validation"],
)
def test_outcome_modules_are_in_no_import_cycle(module):
    graph = import_graph()
    name = f"simulation.{module}"
    for cycle in nx.strongly_connected_components(graph):
        assert name not in cycle or len(cycle) == 1, sorted(cycle)


def test_every_outcome_a_report_names_is_in_the_catalogue():
    named = {
        *METRICS,
        *KEY_OUTCOMES,
        *compare.TABLE_OUTCOMES,
        *tables.RUN_OUTCOMES,
        *tables.COMPARE_OUTCOMES,
        *COMPARE_TRAJECTORIES,
        *FOREST_OUTCOMES,
        *COHORT_STATISTICS,
    }
    assert named <= set(OUTCOMES), named - set(OUTCOMES)
    for o in OUTCOMES.values():
        assert o.label and o.description and o.unit and o.scale, o
        assert o.kind in ("prevalence", "mean", "ratio", "count"), o
        assert o.low < o.high, o


def test_the_daily_outcomes_are_exactly_what_the_model_computes():
    model = PainCycleModel(Scenario(population=200, burn_in_days=5, settle_days=0), seed=1, agent_views=False)
    assert list(model.metrics()) == list(METRICS)


def test_kinds_decide_scales_ranges_and_formats():
    for name, o in OUTCOMES.items():
        expected = {"prevalence": "share", "ratio": "ratio"}.get(o.kind, "linear")
        assert scale_of_outcome(name) == expected, name
        assert outcome_range(name) == (o.low, o.high)
        assert is_share(name) == (o.kind == "prevalence")
    assert outcome_range("mean_pain") == (0.0, NRS_MAX)
    assert outcome_range("mean_phq9") == (0.0, PHQ9_MAX)
    assert outcome_range("mean_isi") == (0.0, ISI_MAX)
    assert outcome_range("mean_sensitisation") == (0.0, 1.0)  # a 0-1 state: its mean too
    assert scale_of("cohort:or_depression_given_insomnia", (1.0, 3.0)) == "ratio"
    assert scale_of("metric:chronic_pain", (0.1, 0.3)) == "share"
    assert math.isinf(OUTCOMES["qalys_per_person"].high)


def test_instrument_constants_match_the_declared_cut_offs_and_bins():
    status = StatusParams()
    assert status.mde_phq9_threshold == PHQ9_CUT_OFF
    assert status.clinical_isi_threshold == ISI_CUT_OFF
    assert [c.value for c in INSTRUMENTS["ISI"].cut_offs] == [ISI_CUT_OFF]
    from simulation.outcomes import DISTRIBUTION_BINS

    assert np.array_equal(DISTRIBUTION_BINS["PHQ-9"], np.arange(0.0, 28.0, 1.0))
    assert np.array_equal(DISTRIBUTION_BINS["pain (NRS)"], np.arange(0.0, 10.5, 0.5))
