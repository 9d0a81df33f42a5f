"""Calibration: fit the free parameters to the targets with Optuna, resumably, with provenance.

The objective is the mean, over targets whose role is `fit`, of ((simulated - published) / half
band)^2: a miss of half a band costs 1, so tight targets weigh more; held-out targets never enter
it. Every evaluation runs the same replicates with the same seeds (common random numbers), so the
objective is a deterministic function of the parameters, which Optuna's CMA-ES sampler (the
default: it adapts to correlated parameters, where TPE wandered on a dozen of them) searches from
the current defaults. The study lives in a SQLite file: interrupt it and run the same command again
(several processes may share one study), and it carries on where it stopped. The trace of every
evaluation is written beside the fit.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml

from simulation.scenario import Scenario
from simulation.validation import Targets, measure


def with_parameters(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """A copy of `scenario` with the dotted parameter `values` set (validated)."""
    params = scenario.parameters.model_copy(deep=True)
    for path, value in values.items():
        group, _, name = path.partition(".")
        setattr(getattr(params, group), name, float(value))
    return scenario.model_copy(update={"parameters": params})


def loss(targets: Targets, simulated: dict[str, float]) -> float:
    """Mean squared miss in half-bands over the fitted targets (NaN counts as a large miss)."""
    misses = []
    for t in targets.targets:
        if not t.fit:
            continue
        value = simulated.get(t.name, np.nan)
        misses.append(((value - t.value) / t.half_band) ** 2 if np.isfinite(value) else 100.0)
    return float(np.mean(misses)) if misses else 0.0


def fit(
    objective: Callable[[dict[str, float]], float],
    space: dict[str, tuple[float, float]],
    n_trials: int,
    storage: str | Path,
    study_name: str = "painsim",
    seed: int = 0,
    start: dict[str, float] | None = None,
    progress: Callable[[int, float], None] | None = None,
    sampler: str = "cmaes",
):
    """Minimise `objective` over the box `space` with Optuna; resumable through `storage`.

    Runs until the study holds `n_trials` finished trials (so a rerun after an interruption does
    only the rest). Returns the study.
    """
    import warnings

    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", message=".*has been deprecated in v4.9.0.*", category=FutureWarning)
    storage_url = f"sqlite:///{Path(storage).resolve()}"
    if sampler == "cmaes":
        # CMA-ES converges on many correlated parameters where TPE wanders; it starts from the
        # current defaults, with steps of a sixth of each range (optuna scales every range to 0-1).
        x0 = {k: float(np.clip(start[k], *space[k])) for k in space} if start else None
        chosen = optuna.samplers.CmaEsSampler(x0=x0, sigma0=1 / 6, seed=seed)
    else:
        chosen = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(
        study_name=study_name,
        storage=storage_url,
        load_if_exists=True,
        direction="minimize",
        sampler=chosen,
    )
    finished = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if not finished and start and sampler != "cmaes":
        study.enqueue_trial({k: float(np.clip(v, *space[k])) for k, v in start.items() if k in space})

    def wrapped(trial) -> float:
        values = {name: trial.suggest_float(name, low, high) for name, (low, high) in space.items()}
        return objective(values)

    remaining = max(0, n_trials - len(finished))
    callbacks = [lambda study, trial: progress(len(study.trials), study.best_value)] if progress else []
    if remaining:
        study.optimize(wrapped, n_trials=remaining, callbacks=callbacks)
    return study


def calibrate(
    scenario: Scenario,
    targets: Targets,
    n_trials: int,
    storage: str | Path,
    jobs: int | None = 1,
    progress=None,
    dask: str | None = None,
    cache=None,
):
    """Fit `targets.free_parameters` of `scenario` to the fitted targets. Returns (study, best values,
    simulated values at the best point).

    Every evaluation's replicates run on one executor kept for the whole fit (`jobs` local
    processes, or Dask with `dask`); with a `cache` (`simulation.study.ResultCache`), replicates
    already measured at a point are not run again."""
    fitted = [t for t in targets.targets if t.fit]
    if not fitted:
        raise ValueError("no target is marked `fit: true`")
    if not targets.free_parameters:
        raise ValueError("the targets file lists no free_parameters")
    use_cohort = any(t.measure.kind == "cohort" for t in fitted)

    from simulation.study import study_executor

    with study_executor(jobs, dask, tasks=scenario.replicates) as executor:

        def objective(values: dict[str, float]) -> float:
            point = with_parameters(scenario, values)
            per_replicate = measure(point, targets, cohort=use_cohort, executor=executor, cache=cache)
            return loss(targets, per_replicate.mean(numeric_only=True).to_dict())

        start = {}
        for path in targets.free_parameters:
            group, _, name = path.partition(".")
            start[path] = getattr(getattr(scenario.parameters, group), name)
        study = fit(objective, targets.free_parameters, n_trials, storage, seed=scenario.seed, start=start,
                    progress=progress)  # fmt: skip
        best = dict(study.best_params)
        simulated = measure(with_parameters(scenario, best), targets, cohort=use_cohort, executor=executor, cache=cache)
    return study, best, simulated.mean(numeric_only=True).to_dict()


def objective_trace(study):
    """Every finished trial in order: its objective, the best so far, and its parameter values."""
    import pandas as pd

    rows = []
    best = np.inf
    for t in study.trials:
        if t.value is None:
            continue
        best = min(best, t.value)
        rows.append({"trial": t.number, "objective": t.value, "best_so_far": best, **t.params})
    return pd.DataFrame(rows)


def provenance(scenario, targets_path, targets, study, best, simulated) -> str:
    """The fitted parameter set as YAML, with everything needed to reproduce it."""
    from simulation.results import git_revision, package_versions

    digest = hashlib.sha256(Path(targets_path).read_bytes()).hexdigest()[:16]
    record = {
        "fitted_parameters": {k: float(v) for k, v in best.items()},
        "objective": float(study.best_value),
        "objective_definition": "mean over fitted targets of ((simulated - published) / half band)^2",
        "targets_file": os.path.relpath(targets_path),
        "targets_sha256_prefix": digest,
        "fitted_targets": {
            t.name: {"published": t.value, "band": list(t.band), "simulated": float(simulated[t.name])}
            for t in targets.targets
            if t.fit and t.name in simulated
        },  # fmt: skip
        "trials": len(study.trials),
        "scenario": {
            "name": scenario.name,
            "population": scenario.population,
            "replicates": scenario.replicates,
            "seed": scenario.seed,
            "burn_in_days": scenario.burn_in_days,
        },  # fmt: skip
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": package_versions(),
        "git": git_revision(),
    }
    return yaml.safe_dump(record, sort_keys=False)
