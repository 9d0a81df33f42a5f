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

from simulation.inputs import InputError
from simulation.scenario import Scenario
from simulation.validation import Targets, measure


def with_parameters(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """A copy of `scenario` with the dotted parameter `values` set (validated)."""
    params = scenario.parameters.model_copy(deep=True)
    for path, value in values.items():
        group, _, name = path.partition(".")
        setattr(getattr(params, group), name, float(value))
    return scenario.model_copy(update={"parameters": params})


# The objectives `calibrate` can minimise, with the definition each fit records.
OBJECTIVES = {
    "squared": "mean over fitted targets of ((simulated - published) / half band)^2",
    "band": "mean over fitted targets of (distance from simulated to the band's inner half / half band)^2",
}
# Share of each half band kept as a margin at either edge by the "band" objective: a value at the
# margin's inner edge leaves room for its replicates' interval inside the band.
BAND_MARGIN = 0.5


def _band_miss(value: float, low: float, high: float, half_band: float) -> float:
    margin = BAND_MARGIN * half_band
    inner_low, inner_high = low + margin, high - margin
    return max(inner_low - value, value - inner_high, 0.0) / half_band


def loss(targets: Targets, simulated: dict[str, float], objective: str = "squared") -> float:
    """Mean squared miss in half-bands over the fitted targets (NaN counts as a large miss).

    "squared" measures the miss from the published value; "band" from the band's inner half, so
    every value well inside its band costs nothing: the band is the published uncertainty, and a fit
    that trades a target's bullseye for another's band is what "in band" asks for.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective {objective!r}: choose one of {', '.join(OBJECTIVES)}")
    misses = []
    for t in targets.targets:
        if not t.fit:
            continue
        value = simulated.get(t.name, np.nan)
        if not np.isfinite(value):
            misses.append(100.0)
        elif objective == "band":
            misses.append(_band_miss(value, t.band[0], t.band[1], t.half_band) ** 2)
        else:
            misses.append(((value - t.value) / t.half_band) ** 2)
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
    step: float = 0.17,
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
        # current defaults, with steps of `step` of each range (optuna scales every range to 0-1):
        # about a sixth (the default) explores; a few hundredths polish a start that is already good, whose basin the
        # wide steps jump straight out of.
        x0 = {k: float(np.clip(start[k], *space[k])) for k in space} if start else None
        chosen = optuna.samplers.CmaEsSampler(x0=x0, sigma0=step, seed=seed)
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
    if not finished and start:  # the start is measured first, so the fit can only improve on it
        study.enqueue_trial({k: float(np.clip(v, *space[k])) for k, v in start.items() if k in space})

    def wrapped(trial) -> float:
        values = {name: trial.suggest_float(name, low, high) for name, (low, high) in space.items()}
        return objective(values)

    remaining = max(0, n_trials - len(finished))
    callbacks = [lambda study, trial: progress(len(study.trials), study.best_value)] if progress else []
    if remaining:
        study.optimize(wrapped, n_trials=remaining, callbacks=callbacks)
    return study


def restrict_free(targets: Targets, free: list[str] | None, targets_path: str | Path) -> Targets:
    """`targets` fitting only the free parameters named in `free` (all of them when None or empty);
    a name the targets file does not free is an error naming `targets_path`."""
    if not free:
        return targets
    unknown = sorted(set(free) - set(targets.free_parameters))
    if unknown:
        raise InputError(
            f"--free {', '.join(unknown)}: not among the free parameters of {targets_path}: "
            f"{', '.join(targets.free_parameters)}."
        )
    return targets.model_copy(update={"free_parameters": {k: targets.free_parameters[k] for k in free}})


def calibrate(
    scenario: Scenario,
    targets: Targets,
    n_trials: int,
    storage: str | Path,
    jobs: int | None = 1,
    progress=None,
    dask: str | None = None,
    cache=None,
    objective: str = "squared",
    step: float = 0.17,
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

        def evaluate(values: dict[str, float]) -> float:
            point = with_parameters(scenario, values)
            per_replicate = measure(point, targets, cohort=use_cohort, executor=executor, cache=cache)
            return loss(targets, per_replicate.mean(numeric_only=True).to_dict(), objective)

        start = {}
        for path in targets.free_parameters:
            group, _, name = path.partition(".")
            start[path] = getattr(getattr(scenario.parameters, group), name)
        study = fit(evaluate, targets.free_parameters, n_trials, storage, seed=scenario.seed, start=start,
                    progress=progress, step=step)  # fmt: skip
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


def provenance(scenario, targets_path, targets, study, best, simulated, objective: str = "squared") -> str:
    """The fitted parameter set as YAML, with everything needed to reproduce it."""
    from simulation.results import git_revision, package_versions

    digest = hashlib.sha256(Path(targets_path).read_bytes()).hexdigest()[:16]
    record = {
        "fitted_parameters": {k: float(v) for k, v in best.items()},
        "objective": float(study.best_value),
        "objective_definition": OBJECTIVES[objective],
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


def save_fit(folder: Path, text: str, study) -> None:
    """Write a calibration's fit (fitted.yaml, from `provenance`) and its objective trace (trace.csv)
    into its results folder."""
    (folder / "fitted.yaml").write_text(text)
    objective_trace(study).to_csv(folder / "trace.csv", index=False)
