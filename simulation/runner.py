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
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from queue import Empty
from typing import Any

import numpy as np
import pandas as pd

from simulation.model import PainCycleModel
from simulation.scenario import Scenario

ProgressCallback = Callable[[int, int], None]  # (replicate, days done)
TaskKey = tuple[int, int]  # (scenario index, replicate)
TaskProgress = Callable[[TaskKey, int], None]  # (task key, days done)
Task = tuple[int, Scenario, int]  # (scenario index, scenario, replicate)


@dataclass
class ReplicateResult:
    """What one replicate produced: its series, panel, end-of-run outcomes, distributions and treatments."""

    replicate: int
    series: pd.DataFrame
    panel: pd.DataFrame
    final: dict[str, float]
    distributions: pd.DataFrame
    treatments: pd.DataFrame
    seconds: float


def run_replicate(scenario: Scenario, replicate: int, progress: Callable[[int], None] | None = None) -> ReplicateResult:
    """Build, burn in and run one replicate of `scenario` (no mesa agent views: batch mode)."""
    start = time.perf_counter()
    model = PainCycleModel(scenario, replicate=replicate, agent_views=False)
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
        seconds=time.perf_counter() - start,
    )


_PROGRESS = None  # in a worker: the queue progress is reported on (set by `_init_worker`)


def _run_task(scenario: Scenario, replicate: int, key: Hashable) -> ReplicateResult:
    queue = _PROGRESS
    report = (lambda done: queue.put((key, done))) if queue is not None else None
    return run_replicate(scenario, replicate, report)


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
        """The panel members' daily rows from every replicate, with a `replicate` column."""
        return _stack(self.replicates, "panel")

    def distributions(self) -> pd.DataFrame:
        """The end-of-run distributions of every replicate, with a `replicate` column."""
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
                "scale": {"share": "logit", "ratio": "log"}.get(scale_of_outcome(name), "linear"),
                "interval": interval_note(n),
            }
        )
    return pd.DataFrame(rows)


def default_jobs(replicates: int) -> int:
    """One worker per replicate, up to the number of cores."""
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
    wrapped = (lambda key, done: progress(key[1], done)) if progress is not None else None
    return run_many([scenario], jobs, wrapped, executor)[0]


def run_many(
    scenarios: list[Scenario],
    jobs: int | None = None,
    progress: TaskProgress | None = None,
    executor: Executor | None = None,
) -> list[RunResult]:
    """Run every replicate of every scenario as one pool of tasks; progress keys are
    (scenario index, replicate). Results come back in scenario order, replicates sorted."""
    tasks = [(i, s, r) for i, s in enumerate(scenarios) for r in range(s.replicates)]
    jobs = default_jobs(len(tasks)) if jobs is None else max(1, int(jobs))
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    done: dict[TaskKey, ReplicateResult] = {}
    if executor is None and jobs == 1:
        for i, s, r in tasks:
            report = (lambda days, key=(i, r): progress(key, days)) if progress else None
            done[(i, r)] = run_replicate(s, r, report)
    elif executor is not None:
        futures = {(i, r): executor.submit(run_replicate, s, r) for i, s, r in tasks}
        for key, future in futures.items():
            done[key] = future.result()
            if progress is not None:
                progress(key, scenarios[key[0]].duration_days)
    else:
        done = _run_pool(tasks, jobs, progress)
    wall = time.perf_counter() - t0
    return [
        RunResult(s, [done[(i, r)] for r in range(s.replicates)], jobs, started, wall) for i, s in enumerate(scenarios)
    ]


def _run_pool(tasks: list[Task], jobs: int, progress: TaskProgress | None) -> dict[TaskKey, ReplicateResult]:
    queue = multiprocessing.get_context("spawn").Queue() if progress is not None else None
    with worker_pool(jobs, progress_queue=queue) as pool:
        pending = {pool.submit(_run_task, s, r, (i, r)): (i, r) for i, s, r in tasks}
        results = {}
        while pending:
            finished, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in finished:
                results[pending.pop(future)] = future.result()
            _drain(queue, progress)
        _drain(queue, progress)
        return results


# ---------------------------------------------------------------------------------------------
# Worker processes that never outlive the run


@contextmanager
def worker_pool(jobs: int, progress_queue: Any = None) -> Iterator[ProcessPoolExecutor]:
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


def _ignore_sigint() -> Any:
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.SIG_IGN)


def _restore_sigint(previous: Any) -> None:
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


def _init_worker(parent: int, progress_queue: Any) -> None:
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


def _drain(queue: Any, progress: TaskProgress | None) -> None:
    if queue is None or progress is None:
        return
    while True:
        try:
            key, days = queue.get_nowait()
        except Empty:
            return
        progress(key, days)
