"""Running a scenario: replicates in parallel behind a `concurrent.futures` executor.

Each replicate is a pure function of (scenario, replicate index): its random streams come from
the scenario seed and its index (`simulation.rng`), so results are identical whether the
replicates run in one process or spread over many, in any order.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from queue import Empty

import numpy as np
import pandas as pd
from scipy import stats

from simulation.model import PainCycleModel
from simulation.scenario import Scenario

ProgressCallback = Callable[[int, int], None]  # (replicate, days done)


@dataclass
class ReplicateResult:
    replicate: int
    series: pd.DataFrame
    panel: pd.DataFrame
    final: dict[str, float]
    distributions: pd.DataFrame
    seconds: float


def run_replicate(scenario: Scenario, replicate: int, progress: ProgressCallback | None = None) -> ReplicateResult:
    """Build, burn in and run one replicate of `scenario` (no mesa agent views: batch mode)."""
    start = time.perf_counter()
    model = PainCycleModel(scenario, replicate=replicate, agent_views=False)
    if progress is not None:
        progress(replicate, 0)
    model.run(progress=(lambda done: progress(replicate, done)) if progress else None)
    return ReplicateResult(
        replicate=replicate,
        series=model.population_series(),
        panel=model.panel(),
        final=model.metrics(),
        distributions=model.distributions(),
        seconds=time.perf_counter() - start,
    )


def _run_in_worker(scenario: Scenario, replicate: int, queue) -> ReplicateResult:
    def report(rep: int, done: int) -> None:
        queue.put((rep, done))

    return run_replicate(scenario, replicate, report if queue is not None else None)


@dataclass
class RunResult:
    """Everything a run produced, in memory; `simulation.results.write_results` puts it on disk."""

    scenario: Scenario
    replicates: list[ReplicateResult]
    jobs: int
    started: str
    wall_seconds: float
    extra: dict = field(default_factory=dict)

    def series(self) -> pd.DataFrame:
        """Population series of every replicate, one row per (replicate, day)."""
        return _stack(self.replicates, "series")

    def panel(self) -> pd.DataFrame:
        return _stack(self.replicates, "panel")

    def distributions(self) -> pd.DataFrame:
        return _stack(self.replicates, "distributions")

    def final(self) -> pd.DataFrame:
        """End-of-run outcomes, one row per replicate."""
        return pd.DataFrame([{"replicate": r.replicate, **r.final} for r in self.replicates])

    def summary(self) -> pd.DataFrame:
        """End-of-run outcomes across replicates: mean, SD and a 95% interval for the mean."""
        return summarise(self.final().drop(columns="replicate"))


def _stack(replicates: list[ReplicateResult], attribute: str) -> pd.DataFrame:
    frames = [getattr(r, attribute).assign(replicate=r.replicate) for r in replicates]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    return out[["replicate", *[c for c in out.columns if c != "replicate"]]]


def summarise(per_replicate: pd.DataFrame) -> pd.DataFrame:
    """Mean, SD and t-based 95% interval of the mean across replicates, per outcome column.

    With one replicate the interval is undefined (NaN): say so rather than pretend.
    """
    n = len(per_replicate)
    mean = per_replicate.mean()
    sd = per_replicate.std(ddof=1) if n > 1 else pd.Series(np.nan, index=per_replicate.columns)
    half = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n) if n > 1 else sd * np.nan
    return pd.DataFrame(
        {
            "outcome": per_replicate.columns,
            "mean": mean.to_numpy(),
            "sd": sd.to_numpy(),
            "ci95_low": (mean - half).to_numpy(),
            "ci95_high": (mean + half).to_numpy(),
            "min": per_replicate.min().to_numpy(),
            "max": per_replicate.max().to_numpy(),
            "replicates": n,
        }
    )


def default_jobs(replicates: int) -> int:
    return max(1, min(replicates, os.cpu_count() or 1))


def run_scenario(
    scenario: Scenario,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Run every replicate of `scenario`, in parallel when `jobs` > 1, and collect the results.

    Args:
        scenario: the validated scenario.
        jobs: worker processes (default: one per replicate, at most one per core). 1 runs in
            this process.
        progress: called with (replicate, days done) as replicates advance.
        executor: a ready executor to use instead of a local process pool (e.g. a Dask
            `distributed.Client().get_executor()`); progress is then reported per replicate.
    """
    jobs = default_jobs(scenario.replicates) if jobs is None else max(1, int(jobs))
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    indices = list(range(scenario.replicates))
    if executor is None and jobs == 1:
        results = [run_replicate(scenario, i, progress) for i in indices]
    elif executor is not None:
        futures = [executor.submit(run_replicate, scenario, i) for i in indices]
        results = []
        for i, future in enumerate(futures):
            results.append(future.result())
            if progress is not None:
                progress(i, scenario.duration_days)
    else:
        results = _run_pool(scenario, indices, jobs, progress)
    results.sort(key=lambda r: r.replicate)
    return RunResult(scenario, results, jobs, started, time.perf_counter() - t0)


def _run_pool(scenario: Scenario, indices: list[int], jobs: int, progress: ProgressCallback | None):
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(jobs, mp_context=context) as pool:
        queue = manager.Queue() if progress is not None else None
        pending = {pool.submit(_run_in_worker, scenario, i, queue) for i in indices}
        results = []
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            results.extend(f.result() for f in done)
            _drain(queue, progress)
        _drain(queue, progress)
        return results


def _drain(queue, progress: ProgressCallback | None) -> None:
    if queue is None or progress is None:
        return
    while True:
        try:
            replicate, days = queue.get_nowait()
        except Empty:
            return
        progress(replicate, days)
