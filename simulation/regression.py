"""A frozen regression baseline: a reduced validation and one virtual trial at fixed seeds.

`python -m simulation.regression --write` stores what the model gives today in
`tests/regression/baseline.json`; `tests/test_regression.py` reruns the same reduced study and
compares every number with the stored one within a Monte Carlo tolerance, so an unintended change of
behaviour shows as a failing test (and an intended one is recorded by rewriting the file, with a
line in the commit saying why the numbers moved).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

BASELINE = Path(__file__).resolve().parents[1] / "tests" / "regression" / "baseline.json"
TRIAL = Path(__file__).resolve().parents[1] / "trials" / "cbt_williams2012.yaml"
POPULATION = 8000
SEED = 20261127

# Tolerances: the same seed reproduces a run exactly on one machine; these allow for float32
# rounding differences between platforms and library versions, and are far below the changes a
# modelling edit makes (a coupling changed by a tenth moves prevalences by more than a point).
ABSOLUTE = 0.01  # shares and SMDs
RELATIVE = 0.08  # ratios and everything else, as a share of the stored value


def reduced_study() -> dict[str, float]:
    """Every target of the shipped targets file on a small population, and one trial's results."""
    from simulation.scenario import Scenario
    from simulation.trial import load_trial, run_trial
    from simulation.validation import load_targets, measure

    targets = load_targets()
    targets = targets.model_copy(update={"cohort": targets.cohort.model_copy(update={"sample_size": POPULATION})})
    scenario = Scenario(name="regression", population=POPULATION, replicates=1, seed=SEED)
    values = {f"validation:{k}": float(v) for k, v in measure(scenario, targets).iloc[0].items()}
    trial = load_trial(TRIAL).model_copy(
        update={"population": POPULATION, "per_arm": 200, "replicates": 1, "seed": SEED}
    )
    for r in run_trial(trial, jobs=1).published.itertuples():
        values[f"trial:{r.trial}:{r.arm}:{r.metric}:week{r.week:g}"] = float(r.simulated)
    return values


def differences(stored: dict[str, float], fresh: dict[str, float]) -> list[str]:
    """What moved beyond tolerance (and what appeared or disappeared)."""
    problems = [f"{k}: missing from the fresh run" for k in stored if k not in fresh]
    problems += [f"{k}: new, not in the stored baseline" for k in fresh if k not in stored]
    for key in sorted(set(stored) & set(fresh)):
        a, b = stored[key], fresh[key]
        if np.isnan(a) and np.isnan(b):
            continue
        allowed = max(ABSOLUTE, RELATIVE * abs(a))
        if not abs(a - b) <= allowed:
            problems.append(f"{key}: stored {a:.4g}, now {b:.4g} (allowed +/- {allowed:.3g})")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Compare today's numbers with the frozen baseline (or store them with --write); exit 1 on a difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="Store today's numbers as the baseline.")
    args = parser.parse_args(argv)
    fresh = reduced_study()
    if args.write:
        BASELINE.parent.mkdir(parents=True, exist_ok=True)
        BASELINE.write_text(json.dumps(fresh, indent=1, sort_keys=True) + "\n")
        print(f"wrote {BASELINE} ({len(fresh)} numbers)")
        return 0
    problems = differences(json.loads(BASELINE.read_text()), fresh)
    print("\n".join(problems) if problems else f"all {len(fresh)} numbers within tolerance")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
