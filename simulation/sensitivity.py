"""Global sensitivity analysis over the parameters' declared bounds, with SALib.

Every model parameter declares a plausible range (`simulation.declare.param(lo=..., hi=...)`);
the analysis samples the chosen parameters jointly over those ranges and runs the scenario at each
point as one study (`simulation.study`: any executor, cached, resumable):

- **Morris** screening (elementary effects; `samples` trajectories of k+1 points for k
  parameters): mu* (the mean absolute effect of moving a parameter across its range, in the
  outcome's units; bootstrap 95% interval) and sigma (how much the effect depends on the other
  parameters: interactions or non-linearity);
- **Sobol** indices (Saltelli sampling, `samples` x (k+2) points; `samples` a power of 2): S1, the
  share of the outcome's variance due to the parameter alone, and ST, its total share with
  interactions, each with a bootstrap 95% interval.

Each point runs the scenario's replicates with the scenario's seed (common random numbers), and the
indices are computed on the mean across replicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.inputs import InputError, excerpt
from simulation.scenario import Scenario

METHODS = ("morris", "sobol")
MORRIS_LEVELS = 4
DEFAULT_OUTCOMES = ("chronic_pain", "depression", "insomnia", "mean_pain", "mean_phq9", "mean_isi")


def declared_parameters() -> dict[str, tuple[float, float]]:
    """Every model parameter as `group.name` -> (low, high) of its declared range; a lower bound
    that is itself excluded (`lo_exclusive`) is moved in by a millionth of the range."""
    from simulation.declare import bounds_of
    from simulation.parameters import ModelParams

    found = {}
    for group, info in ModelParams.model_fields.items():
        for name, field in info.annotation.model_fields.items():
            low, high = bounds_of(field)
            if low is None or high is None or not high > low:
                continue
            if any(getattr(meta, "gt", None) is not None for meta in field.metadata):
                low = low + 1e-6 * (high - low)
            found[f"{group}.{name}"] = (float(low), float(high))
    return found


def select_parameters(selectors: list[str] | None) -> dict[str, tuple[float, float]]:
    """The parameters named by `--params`: a group (`pain`), a parameter (`pain.from_poor_sleep`,
    optionally written `parameters.pain.from_poor_sleep`); none given: every parameter."""
    every = declared_parameters()
    if not selectors:
        return every
    chosen: dict[str, tuple[float, float]] = {}
    groups = sorted({k.split(".")[0] for k in every})
    for text in selectors:
        name = text.strip().removeprefix("parameters.")
        matches = {k: v for k, v in every.items() if k == name or k.split(".")[0] == name}
        if not matches:
            raise InputError(f"--params {excerpt(text)}: not a parameter group ({', '.join(groups)}) or a parameter "
                             "(group.name, see `painsim params`).")  # fmt: skip
        chosen.update(matches)
    return chosen


def problem(space: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """SALib's description of the parameter space."""
    return {"num_vars": len(space), "names": list(space), "bounds": [list(b) for b in space.values()]}


def sample(space: dict[str, tuple[float, float]], method: str, samples: int, seed: int) -> np.ndarray:
    """The points to run, one row each (columns in the order of `space`)."""
    if method not in METHODS:
        raise InputError(f"--method {excerpt(method)}: must be one of {', '.join(METHODS)}.")
    if len(space) < 2:
        raise InputError("--params: a sensitivity analysis needs at least two parameters.")
    if method == "morris":
        if samples < 2:
            raise InputError(f"--samples: Morris needs at least 2 trajectories, got {samples}.")
        from SALib.sample import morris

        return morris.sample(problem(space), samples, num_levels=MORRIS_LEVELS, seed=seed)
    if samples < 2 or samples & (samples - 1):
        raise InputError(f"--samples: Sobol sampling needs a power of 2 (e.g. 8, 16, 64), got {samples}.")
    from SALib.sample import sobol

    return sobol.sample(problem(space), samples, calc_second_order=False, seed=seed)


def analyse(space: dict[str, tuple[float, float]], method: str, points: np.ndarray, values: np.ndarray,
            seed: int) -> pd.DataFrame:  # fmt: skip
    """The indices of one outcome (`values`, one per point): one row per parameter."""
    names = list(space)
    values = np.asarray(values, float)
    if method == "morris":
        from SALib.analyze import morris

        si = morris.analyze(problem(space), points, values, num_levels=MORRIS_LEVELS, conf_level=0.95,
                            num_resamples=1000, seed=seed)  # fmt: skip
        return pd.DataFrame({"parameter": names, "mu_star": si["mu_star"], "mu_star_conf": si["mu_star_conf"],
                             "sigma": si["sigma"], "mu": si["mu"]})  # fmt: skip
    from SALib.analyze import sobol

    if np.nanstd(values) == 0:  # the outcome does not move at all: no variance to share out
        zero = np.zeros(len(names))
        return pd.DataFrame({"parameter": names, "S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero})
    si = sobol.analyze(problem(space), values, calc_second_order=False, num_resamples=1000, conf_level=0.95,
                       seed=seed)  # fmt: skip
    return pd.DataFrame({"parameter": names, "S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"],
                         "ST_conf": si["ST_conf"]})  # fmt: skip


def scenarios_at(scenario: Scenario, space: dict[str, tuple[float, float]], points: np.ndarray) -> list[Scenario]:
    """The scenario at each point; a combination the model refuses is an input error naming it."""
    from pydantic import ValidationError

    from simulation.calibration import with_parameters
    from simulation.parameters import ModelParams

    out = []
    for row in points:
        values = dict(zip(space, (float(v) for v in row), strict=True))
        try:
            point = with_parameters(scenario, values)
            ModelParams.model_validate(point.parameters.model_dump())  # the checks across groups
        except ValidationError as exc:
            problem_text = exc.errors()[0]["msg"]
            raise InputError(f"--params: a point of the sample is not a valid parameter set ({problem_text}); "
                             "leave one of the parameters named there out of --params.") from None  # fmt: skip
        out.append(point)
    return out


@dataclass
class SensitivityResult:
    method: str
    space: dict[str, tuple[float, float]]
    points: pd.DataFrame  # point, the parameters, then the mean of each outcome across replicates
    indices: pd.DataFrame  # outcome, parameter, the method's indices and intervals, rank
    scenario: Scenario
    samples: int
    stats: dict


def run_sensitivity(
    scenario: Scenario,
    space: dict[str, tuple[float, float]],
    method: str,
    samples: int,
    outcomes: list[str],
    jobs: int | None = None,
    dask: str | None = None,
    cache=None,
    progress=None,
) -> SensitivityResult:
    """Sample, run every point's replicates as one study, and compute the indices per outcome."""
    from simulation.study import run_study
    from simulation.sweep import outcome_tasks

    points = sample(space, method, samples, scenario.seed)
    scenarios = scenarios_at(scenario, space, points)
    study = run_study(outcome_tasks(scenarios), jobs=jobs, dask=dask, cache=cache, progress=progress)
    means = {o: np.array([np.mean([study[(i, r)][o] for r in range(s.replicates)]) for i, s in enumerate(scenarios)])
             for o in outcomes}  # fmt: skip
    table = pd.DataFrame(points, columns=list(space))
    table.insert(0, "point", range(len(table)))
    for o in outcomes:
        table[o] = means[o]
    frames = []
    key = "mu_star" if method == "morris" else "ST"
    for o in outcomes:
        part = analyse(space, method, points, means[o], scenario.seed)
        part.insert(0, "outcome", o)
        part["rank"] = part[key].rank(ascending=False, method="min").astype(int)
        frames.append(part.sort_values(["rank", "parameter"]))
    return SensitivityResult(method, space, table, pd.concat(frames, ignore_index=True), scenario, samples,
                             study.stats)  # fmt: skip


def write_sensitivity(result: SensitivityResult, out_root: str | Path = "results", charts: bool = True) -> Path:
    """One results folder (atomically): indices.csv, points.csv, parameters.csv, charts/, manifest.json."""
    from simulation.results import atomic_folder, write_manifest
    from simulation.study import study_manifest

    s = result.scenario
    with atomic_folder(out_root, f"sensitivity-{result.method}-{s.name}") as (staging, final):
        result.indices.to_csv(staging / "indices.csv", index=False)
        result.points.to_csv(staging / "points.csv", index=False)
        pd.DataFrame([{"parameter": k, "low": lo, "high": hi} for k, (lo, hi) in result.space.items()]).to_csv(
            staging / "parameters.csv", index=False
        )
        if charts:
            from simulation.charts import morris_chart, save_chart, sobol_chart
            from simulation.units import DAYS_PER_YEAR

            years = s.duration_days / DAYS_PER_YEAR
            if result.method == "morris":
                save_chart(morris_chart(result.indices, "scatter", s.population, years, s.replicates, result.samples),
                           staging / "charts" / "morris_mu_star_sigma")  # fmt: skip
                save_chart(morris_chart(result.indices, "bars", s.population, years, s.replicates, result.samples),
                           staging / "charts" / "morris_ranking")  # fmt: skip
            else:
                save_chart(sobol_chart(result.indices, s.population, years, s.replicates, result.samples),
                           staging / "charts" / "sobol_ranking")  # fmt: skip
        write_manifest(staging, study_manifest(
            result.stats, scenario=s.resolved(),
            sensitivity={"method": result.method, "samples": result.samples, "points": len(result.points),
                         "parameters": {k: list(v) for k, v in result.space.items()}},
        ))  # fmt: skip
    return final
