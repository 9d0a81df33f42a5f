"""Every edge alive: measure each declared edge's effect, and prove the edge tests can fail.

`edge_effects()` runs the model once as declared and once per edge with that edge removed (its
parameter set to 0), all on the same seed (common random numbers: the same people, the same daily
draws), and reads how far each edge's to-node moved. `tests/test_edges.py` asserts, per edge, that
removing it moves the to-node against its declared sign by at least its `min_effect`.

The mutation check (`python -m simulation.check_edges`) then breaks the model one edge at a time
(the parameter zeroed, or its sign flipped) and reruns that edge's test on the broken model: every
mutant must be caught. It exits 1, naming the survivors, if any is not.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import numpy as np

from simulation.edges import Edge, all_edges

POPULATION = 6000
SEED = 20261127
SETTLE_DAYS = 200
BURN_IN_DAYS = 120
HORIZON_DAYS = 120
SAMPLE_EVERY = 6

OPIOID_PROGRAMME = {
    "type": "opioids",
    "eligibility": {"conditions": ["chronic_pain"]},
    "coverage": 0.5,
    "enrolment": "continuous",
}


@dataclass(frozen=True)
class Verdict:
    """One edge's check: the measured effect of the edge against the sign and size it declares."""

    edge: Edge
    effect: float  # (as declared) - (edge removed), in the to-node's unit

    @property
    def passed(self) -> bool:
        """Whether the edge moves its target in the declared direction by at least its minimum effect."""
        return self.edge.sign * self.effect >= self.edge.min_effect


def with_value(params, dotted: str, value: float):
    """A copy of `params` with one parameter set without bound checks (a mutant may leave them)."""
    group, _, name = dotted.partition(".")
    changed = getattr(params, group).model_copy(update={name: value})
    return params.model_copy(update={group: changed})


def value_of(params, dotted: str) -> float:
    """The value of the dotted parameter `dotted` (`group.name`) in `params`."""
    group, _, name = dotted.partition(".")
    return float(getattr(getattr(params, group), name))


def readings(params, edges, context: str, population: int = POPULATION, seed: int = SEED) -> dict[str, float]:
    """One run: every reading the given edges' tests need ("mean:target" and "slope:target:source")."""
    from simulation.model import PainCycleModel
    from simulation.scenario import Scenario

    scenario = Scenario(
        population=population,
        days=HORIZON_DAYS,
        settle_days=SETTLE_DAYS,
        burn_in_days=BURN_IN_DAYS,
        interventions=[OPIOID_PROGRAMME] if context == "opioids" else [],
        outputs={"panel_size": 0, "record_every_days": 365, "charts": False},
    )
    scenario = scenario.model_copy(update={"parameters": params})
    model = PainCycleModel(scenario, seed=seed, agent_views=False)
    wanted = {reading_key(e): e for e in edges}  # one reading per key, however many edges share it
    sums = dict.fromkeys(wanted, 0.0)
    samples = 0
    for day in range(1, HORIZON_DAYS + 1):
        model.step()
        if day % SAMPLE_EVERY:
            continue
        samples += 1
        for key, e in wanted.items():
            target = model.state.column(e.target).astype(np.float64)
            if e.measure == "mean":
                value = float(target.mean())
            else:
                source = model.state.column(e.source).astype(np.float64)
                spread = source.var()
                value = float(np.cov(source, target, bias=True)[0, 1] / spread) if spread > 0 else 0.0
            sums[key] += value
    return {k: v / samples for k, v in sums.items()}


def reading_key(e: Edge) -> str:
    """The name under which an edge's reading is stored: a mean of the target, or a slope on the source."""
    return f"mean:{e.target}" if e.measure == "mean" else f"slope:{e.target}:{e.source}"


def edge_effects(params=None, edges=None, population: int = POPULATION, seed: int = SEED) -> list[Verdict]:
    """Each edge's effect: the run as given minus the run with that edge removed (same seed)."""
    from simulation.parameters import ModelParams

    params = params if params is not None else ModelParams()
    edges = tuple(edges) if edges is not None else all_edges()
    every = all_edges()
    base = {
        context: readings(params, [e for e in every if e.context == context], context, population, seed)
        for context in {e.context for e in edges}
    }
    verdicts = []
    for e in edges:
        removed = readings(with_value(params, e.parameter, 0.0), [e], e.context, population, seed)
        key = reading_key(e)
        verdicts.append(Verdict(e, base[e.context][key] - removed[key]))
    return verdicts


def mutation_check(params=None, population: int = POPULATION, seed: int = SEED, progress=None) -> list[dict]:
    """Zero, then flip, each edge's parameter and rerun its test on the mutant: rows of what happened."""
    from simulation.parameters import ModelParams

    params = params if params is not None else ModelParams()
    rows = []
    for e in all_edges():
        value = value_of(params, e.parameter)
        for mutation, mutated in (("zeroed", 0.0), ("flipped", -value)):
            verdict = edge_effects(with_value(params, e.parameter, mutated), [e], population, seed)[0]
            rows.append(
                {
                    "edge": e.label,
                    "mutation": mutation,
                    "effect": verdict.effect,
                    "min_effect": e.min_effect,
                    "caught": not verdict.passed,
                }
            )
            if progress:
                progress(rows[-1])
    return rows


def main(argv: list[str] | None = None) -> int:
    """Check that zeroing or flipping each edge is caught by a test (or, with --effects, print each
    edge's effect); exit 1 if a mutant survives."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--effects", action="store_true", help="Only print each edge's effect at the defaults.")
    args = parser.parse_args(argv)
    if args.effects:
        for v in edge_effects():
            flag = "ok" if v.passed else "FAILS"
            print(f"{flag:5} {v.edge.label:75} effect {v.effect:+.5f} (min {v.edge.min_effect:g})")
        return 0

    def show(row):
        print(f"{'caught' if row['caught'] else 'SURVIVED':8} {row['mutation']:7} {row['edge']}", flush=True)

    rows = mutation_check(progress=show)
    survivors = [r for r in rows if not r["caught"]]
    print(f"{len(rows) - len(survivors)} of {len(rows)} mutants caught ({len(rows) // 2} edges, zeroed and flipped)")
    if survivors:
        print("survivors: " + "; ".join(f"{r['edge']} {r['mutation']}" for r in survivors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
