"""Running a scenario: replicates in parallel behind a `concurrent.futures` executor.

Each replicate is a pure function of (scenario, replicate index): its random streams come from
the scenario seed and its index (`simulation.rng`), so results are identical whether the
replicates run in one process or spread over many, in any order.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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
    treatments: pd.DataFrame
    seconds: float


def run_replicate(
    scenario: Scenario, replicate: int, progress: Callable[[int], None] | None = None, start=None
) -> ReplicateResult:
    """Build, burn in (or start from the `BurnIn` `start`) and run one replicate of `scenario`
    (no mesa agent views: batch mode)."""
    began = time.perf_counter()
    model = PainCycleModel(scenario, replicate=replicate, agent_views=False, start=start)
    if progress is not None:
        progress(0)
    model.run(progress=progress)
    return ReplicateResult(
        replicate=replicate,
        series=model.population_series(),
        panel=model.panel(),
        final=model.metrics(),
        distributions=model.distributions(),
        treatments=model.treatment_report(),
        seconds=time.perf_counter() - began,
    )


_PROGRESS = None  # in a worker: the queue progress is reported on (set by `_init_worker`)


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

    def treatments(self) -> pd.DataFrame:
        """Per replicate and intervention: enrolled, stopped early, sessions, cost."""
        return _stack(self.replicates, "treatments")

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
    """Mean, SD and 95% interval of the mean across replicates, per outcome column, on the
    outcome's scale (`simulation.intervals`: logit for shares, linear for means).

    With fewer than 5 replicates there is no interval (NaN), and the `interval` column says so
    rather than showing a misleading one.
    """
    import warnings

    from simulation.intervals import interval_note, outcome_interval, scale_of_outcome

    n = len(per_replicate)
    rows = []
    warnings.filterwarnings("ignore", message="(All-NaN slice|Degrees of freedom)", category=RuntimeWarning)
    for name in per_replicate.columns:
        values = per_replicate[name].to_numpy(float)
        mean, low, high = outcome_interval(values, name)
        rows.append(
            {
                "outcome": name,
                "mean": mean,
                "sd": float(np.nanstd(values, ddof=1)) if n > 1 else float("nan"),
                "ci95_low": low,
                "ci95_high": high,
                "min": float(np.nanmin(values)) if n else float("nan"),
                "max": float(np.nanmax(values)) if n else float("nan"),
                "replicates": n,
                "scale": "logit" if scale_of_outcome(name) == "share" else "linear",
                "interval": interval_note(n),
            }
        )
    return pd.DataFrame(rows)


def default_jobs(replicates: int) -> int:
    return max(1, min(replicates, os.cpu_count() or 1))


def run_scenario(
    scenario: Scenario,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    executor=None,
    dask: str | None = None,
    cache=None,
) -> RunResult:
    """Run every replicate of `scenario`, in parallel when `jobs` > 1, and collect the results.

    Args:
        scenario: the validated scenario.
        jobs: worker processes (default: one per replicate, at most one per core). 1 runs in
            this process.
        progress: called with (replicate, days done) as replicates advance.
        executor: a ready executor to use instead of a local process pool: a
            `simulation.study.study_executor`, or any `concurrent.futures` executor (e.g. a Dask
            `distributed.Client().get_executor()`).
        dask: run on Dask: a scheduler address, or "local" for a `LocalCluster` (see `simulation.study`).
        cache: a `simulation.study.ResultCache`: replicates found there are not run again.
    """
    wrapped = (lambda key, done: progress(key[1], done)) if progress is not None else None
    return run_many([scenario], jobs, wrapped, executor, dask=dask, cache=cache)[0]


def _replicate_task(scenario: Scenario, replicate: int, progress=None, start=None) -> ReplicateResult:
    """One replicate as a study task: progress in fractions of the run, optionally from a shared burn-in."""
    days = scenario.duration_days
    report = (lambda done: progress(done / days)) if progress is not None else None
    return run_replicate(scenario, replicate, report, start=start)


def run_many(
    scenarios: list[Scenario],
    jobs: int | None = None,
    progress: Callable[[tuple[int, int], int], None] | None = None,
    executor=None,
    dask: str | None = None,
    cache=None,
) -> list[RunResult]:
    """Run every replicate of every scenario as one study (`simulation.study`); progress keys are
    (scenario index, replicate). Scenarios that differ only from day 0 on share each replicate's
    burn-in. Results come back in scenario order, replicates sorted."""
    from simulation.study import StudyExecutor, replicate_tasks, run_study

    tasks = replicate_tasks(scenarios, _replicate_task)
    if executor is not None and not isinstance(executor, StudyExecutor):  # a concurrent.futures executor
        executor = StudyExecutor("executor", getattr(executor, "_max_workers", 1) or 1, _submit=executor.submit)
    days = {i: s.duration_days for i, s in enumerate(scenarios)}
    report = (lambda key, fraction: progress(key, round(fraction * days[key[0]]))) if progress is not None else None
    study = run_study(tasks, executor=executor, jobs=jobs, dask=dask, cache=cache, progress=report)
    stats = study.stats
    workers = stats["executor"]["workers"]
    extra = {"study": {k: v for k, v in stats.items() if k not in ("started", "finished", "wall_seconds")}}
    return [
        RunResult(
            s,
            [study[(i, r)] for r in range(s.replicates)],
            workers,
            stats["started"],
            stats["wall_seconds"],
            extra=dict(extra),
        )  # fmt: skip
        for i, s in enumerate(scenarios)
    ]


# ---------------------------------------------------------------------------------------------
# Worker processes that never outlive the run


@contextmanager
def worker_pool(jobs: int, progress_queue=None) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers leave interrupts to the parent and die with it.

    Workers are started at once with SIGINT ignored (the setting survives the spawn, so a Ctrl-C
    in the first seconds, while they still import, prints no traceback from them); each watches
    its parent and exits when the parent is gone, even after SIGKILL. If the `with` block is left
    by an exception (an interrupt, SIGTERM, an error), the workers are terminated at once rather
    than waited for. No manager process: progress goes through `progress_queue`, given to each
    worker when it starts.
    """
    context = multiprocessing.get_context("spawn")
    previous = _ignore_sigint()
    try:
        pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_init_worker, initargs=(os.getpid(), progress_queue)
        )
        launch = getattr(pool, "_launch_processes", None)  # start every worker while SIGINT is ignored
        if launch is not None:
            launch()
    finally:
        _restore_sigint(previous)
    try:
        yield pool
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def _ignore_sigint():
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.SIG_IGN)


def _restore_sigint(previous) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with suppress(Exception):
            process.join(timeout=3)
            if process.is_alive():
                process.kill()


def _init_worker(parent: int, progress_queue) -> None:
    """First thing a worker runs: keep the progress queue, ignore Ctrl-C, die with the parent."""
    global _PROGRESS
    _PROGRESS = progress_queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with suppress(Exception):  # PR_SET_PDEATHSIG: the kernel kills us when the parent dies
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="painsim-watch-parent").start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)
