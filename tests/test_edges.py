"""The causal graph's edges, one behavioural test each, generated from the declarations.

Each test removes one edge (its parameter set to 0) in an otherwise identical run on common random
numbers and checks that the edge's to-node moves against the declared sign by at least the edge's
declared `min_effect`. `python -m simulation.check_edges` (run in CI) proves these tests can fail:
zeroing or flipping any single edge makes its test fail.
"""

from __future__ import annotations

import pytest

from simulation.check_edges import Verdict, edge_effects, with_value
from simulation.edges import EdgeError, all_edges, check_parameters, edge
from simulation.parameters import ModelParams, parameter_rows

EDGES = all_edges()


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Verdict]:
    return {v.edge.parameter: v for v in edge_effects()}


@pytest.mark.parametrize("declared", EDGES, ids=[e.parameter for e in EDGES])
def test_removing_the_edge_moves_its_to_node(verdicts, declared):
    v = verdicts[declared.parameter]
    direction = "raises" if declared.sign > 0 else "lowers"
    assert v.passed, (
        f"{declared.label} ({declared.cites}) should {direction} {declared.target}: removing it moved the "
        f"{declared.measure} by {-v.effect:+.5f}, expected at least {declared.min_effect:g} against the sign"
    )


def test_a_zeroed_edge_fails_its_test():
    """The generated test is alive: with the edge already at zero, removing it changes nothing."""
    e = next(e for e in EDGES if e.parameter == "pain.from_mood")
    zeroed = with_value(ModelParams(), e.parameter, 0.0)
    assert not edge_effects(zeroed, [e], population=2000)[0].passed


def test_every_coupling_parameter_carries_a_declared_edge():
    """No arrow hides outside the graph: every parameter named like a coupling is an edge's."""
    declared = {e.parameter for e in EDGES}
    couplings = {
        r["name"]
        for r in parameter_rows(interventions=False)
        if any(mark in r["name"].split(".")[1] for mark in ("from_", "_from", "onset_from", "per_exposure"))
    }
    assert couplings <= declared, sorted(couplings - declared)
    assert len(EDGES) >= 60


def test_edge_on_an_unknown_state_is_a_clear_error():
    with pytest.raises(EdgeError, match="to-node 'happiness' is not a state column"):
        edge("pain", "happiness", "pain.from_mood", mechanism="m", cites="seed 000", min_effect=0.1)
    with pytest.raises(EdgeError, match="sign must be"):
        edge("pain", "mood", "pain.from_mood", sign=0, mechanism="m", cites="seed 000", min_effect=0.1)
    with pytest.raises(EdgeError, match="min_effect must be positive"):
        edge("pain", "mood", "pain.from_mood", mechanism="m", cites="seed 000", min_effect=0)


def test_edge_on_an_unknown_or_shared_parameter_is_a_clear_error():
    stray = edge("pain", "mood", "pain.from_happiness", mechanism="m", cites="seed 000", min_effect=0.1)
    with pytest.raises(EdgeError, match="'pain.from_happiness' is not a model parameter"):
        check_parameters([stray], ModelParams)
    twice = edge("sleep", "pain", "pain.from_mood", mechanism="m", cites="seed 000", min_effect=0.1)
    with pytest.raises(EdgeError, match="already carries"):
        check_parameters([EDGES[0], twice, twice], ModelParams)


def test_readme_causal_table_is_generated_from_the_declarations():
    """The README's causal table is `simulation.edges.edge_markdown()` between its markers
    (regenerate with `python -m simulation.edges --readme`)."""
    from simulation.edges import README_END, README_START, edge_markdown
    from tests.conftest import ROOT

    text = (ROOT / "README.md").read_text()
    block = text.split(README_START, 1)[1].split(README_END, 1)[0]
    assert block.strip() == edge_markdown().strip()
