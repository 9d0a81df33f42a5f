"""One study runner: a list of (scenario, replicate) tasks in, their results out, on any executor.

Every command that runs more than one simulation (run, compare, trial, validate, calibrate, cohort,
sweep, sensitivity) turns its work into `Task`s and hands them to `run_study`, which owns:

- **seeding**: a task is a pure function of its arguments (a scenario carries its seed, the
  replicate index picks the random streams, `simulation.rng`), so results are identical whatever
  the executor, the number of workers or the order tasks finish in;
- **executors** (`study_executor`): in this process (`jobs=1`), local worker processes (the
  default, `--jobs N`), or a Dask cluster (`--dask ADDRESS`, or `--dask local` for a
  `LocalCluster` on this machine; `pip install 'painsim[dask]'`);
- **progress**: fractions of tasks done, reported to one callback (the commands draw one rich bar
  over all tasks with the time remaining, `study_progress`);
- **retries**: a task whose worker died (killed, out of memory, lost with its Dask worker) runs
  again, up to `retries` times; a task that raises an error of its own fails the study at once;
- **a results cache** (`ResultCache`): each finished task is stored under a digest of its function,
  its arguments (the resolved scenario with its seed, the replicate), the package version and its
  source, so a study interrupted and rerun with the same command skips what was finished;
- **shared burn-in**: tasks whose scenarios differ only from day 0 on (interventions, duration,
  outputs) start from one settled, burned-in population per replicate (`simulation.model.burn_in`),
  bit-identical to recomputing it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from simulation.inputs import InputError

PACKAGE = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------------------------
# Tasks


@dataclass(frozen=True)
class Task:
    """One unit of a study: `function(*args)` in some process.

    Args:
        key: how the caller finds the result (e.g. (scenario index, replicate)).
        function: a module-level function (it is pickled to the worker by reference).
        args: its arguments (pickled to the worker).
        identity: plain data that, with the function, decides the result (for the cache);
            None: never cached.
        reports: the function takes `progress=` (called with the fraction of the task done).
        burn_in: (scenario, replicate) whose burn-in the function can take as `start=`; tasks
            with the same burn-in share one.
    """

    key: Hashable
    function: Callable[..., Any]
    args: tuple = ()
    identity: Any = None
    reports: bool = False
    burn_in: tuple[Any, int] | None = None


def replicate_tasks(scenarios: list, function: Callable[..., Any]) -> list[Task]:
    """One task per (scenario index, replicate): `function(scenario, replicate, progress=, start=)`,
    cached by the resolved scenario and replicate, sharing burn-ins where the scenarios allow."""
    return [
        Task(
            (i, r), function, (s, r), identity={"scenario": s.resolved(), "replicate": r}, reports=True, burn_in=(s, r)
        )  # fmt: skip
        for i, s in enumerate(scenarios)
        for r in range(s.replicates)
    ]


@dataclass
class StudyResult:
    """Every task's result by key, with what the study did (executor, cache hits, retries, timing)."""

    results: dict[Hashable, Any]
    stats: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: Hashable) -> Any:
        return self.results[key]


# ---------------------------------------------------------------------------------------------
# The cache


@lru_cache(maxsize=1)
def source_digest() -> str:
    """A digest of the package's code and data: a cached result is reused only by the same code."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml")]):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def package_version() -> str:
    """The installed painsim version (part of every cache key)."""
    from importlib import metadata

    try:
        return metadata.version("painsim")
    except metadata.PackageNotFoundError:
        return "unknown"


def task_digest(task: Task) -> str | None:
    """The cache key of a task: its function, its identity, the package version and source."""
    if task.identity is None:
        return None
    name = f"{task.function.__module__}.{task.function.__qualname__}"
    text = json.dumps(
        {"function": name, "identity": task.identity, "version": package_version(), "source": source_digest()},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


class ResultCache:
    """Finished tasks on disk, one pickle file each, written atomically (a killed study leaves
    whole files or none). The folder is the cache's only state: delete it to start afresh."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def _path(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.pkl"

    def get(self, digest: str) -> tuple[bool, Any]:
        """(True, value) if the cache holds `digest`, else (False, None)."""
        try:
            with open(self._path(digest), "rb") as handle:
                return True, pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return False, None

    def put(self, digest: str, value: Any) -> None:
        """Store `value` under `digest` atomically (a killed study never leaves half a file)."""
        path = self._path(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise

    def __len__(self) -> int:
        return sum(1 for _ in self.folder.rglob("*.pkl")) if self.folder.is_dir() else 0


def default_cache(out_root: str | Path) -> ResultCache:
    """The cache a command keeps under its --out folder (hidden, so never taken for a results folder)."""
    return ResultCache(Path(out_root) / ".painsim-cache")


# ---------------------------------------------------------------------------------------------
# Executors


@dataclass
class StudyExecutor:
    """Where tasks run: `kind` is "in-process", "processes" or "dask"."""

    kind: str
    workers: int
    address: str | None = None
    _submit: Callable[..., Future] | None = None
    _restart: Callable[[], None] | None = None
    progress_queue: Any = None

    def submit(self, function, *args, **kwargs) -> Future:
        """Start `function(*args, **kwargs)` on this executor; in-process runs it now."""
        if self._submit is None:  # in this process: run now
            future: Future = Future()
            try:
                future.set_result(function(*args, **kwargs))
            except Exception as exc:  # noqa: BLE001 - handed to the caller through the future
                future.set_exception(exc)
            return future
        return self._submit(function, *args, **kwargs)

    def restart(self) -> None:
        """Replace broken workers (after a worker died) so a retry can run."""
        if self._restart is not None:
            self._restart()

    def describe(self) -> dict[str, Any]:
        """What ran the study, for the manifest."""
        return {"kind": self.kind, "workers": self.workers, **({"address": self.address} if self.address else {})}


def check_executor_options(jobs: int | None, dask: str | None) -> None:
    """--jobs and --dask as given: bad values are input errors naming the option."""
    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs must be 1 or more, got {jobs}.")
    if dask is not None:
        if not dask.strip():
            raise InputError("--dask: give a scheduler address (tcp://HOST:8786) or `local`.")
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InputError(
                "--dask needs the dask extra, which is not installed: pip install 'painsim[dask]'."
            ) from None


@contextmanager
def study_executor(
    jobs: int | None = None, dask: str | None = None, tasks: int | None = None
) -> Iterator[StudyExecutor]:
    """An executor for a study, closed (workers stopped, cluster shut down) on leaving.

    Args:
        jobs: local worker processes (default: one per task, at most one per core); 1 runs in
            this process. With `dask="local"`, the number of Dask workers.
        dask: None for local processes; "local" for a Dask `LocalCluster` on this machine; else
            the address of a running Dask scheduler (e.g. tcp://10.0.0.5:8786).
        tasks: how many tasks the study has (caps the default number of workers).
    """
    check_executor_options(jobs, dask)
    cores = os.cpu_count() or 1
    if dask is not None:
        with _dask_executor(dask.strip(), jobs or cores) as executor:
            yield executor
        return
    workers = jobs if jobs is not None else max(1, min(tasks or cores, cores))
    if workers == 1:
        yield StudyExecutor("in-process", 1)
        return
    yield from _process_executor(workers)


def _process_executor(workers: int) -> Iterator[StudyExecutor]:
    import multiprocessing

    from simulation.workers import worker_pool

    queue = multiprocessing.get_context("spawn").Queue()
    stack = ExitStack()
    executor = StudyExecutor("processes", workers, progress_queue=queue)

    def start() -> None:
        pool = stack.enter_context(worker_pool(workers, progress_queue=queue))
        executor._submit = pool.submit

    def restart() -> None:  # a worker died: the pool is broken; stop what is left, start anew
        from simulation.workers import _stop_workers

        pool = executor._submit.__self__
        _stop_workers(pool)
        stack.pop_all()
        start()

    executor._restart = restart
    with stack:
        start()
        yield executor


CONNECT_TIMEOUT = "20s"  # how long to try reaching a Dask scheduler before calling it unreachable


@contextmanager
def _dask_executor(dask: str, workers: int) -> Iterator[StudyExecutor]:
    import logging

    from distributed import Client, LocalCluster

    from simulation.workers import single_threaded

    with ExitStack() as stack:
        if dask == "local":
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )  # fmt: skip
            )
            client = stack.enter_context(Client(cluster))
            address = "local"
        else:
            try:
                client = stack.enter_context(Client(dask, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(f"--dask {dask}: cannot reach a Dask scheduler there: {exc}") from None
            address = dask
        count = max(1, len(client.scheduler_info().get("workers", {})))
        executor = client.get_executor(pure=False)
        submit = partial(executor.submit, single_threaded)  # every task: kernel on one thread
        yield StudyExecutor("dask", count, address=address, _submit=submit)


# ---------------------------------------------------------------------------------------------
# Running a study

_RETRYABLE = (BrokenProcessPool, OSError, MemoryError, EOFError)


def _retryable(exc: BaseException) -> bool:
    """A failure of where the task ran (a worker died or was lost), not of the task itself."""
    if isinstance(exc, _RETRYABLE):
        return True
    return type(exc).__name__ in ("KilledWorker", "CommClosedError", "FutureCancelledError")


def _call(function, args, kwargs, key, reports: bool):
    """In a worker: run one task, reporting progress on the worker's queue when there is one."""
    from simulation import workers

    if reports and workers._PROGRESS is not None:
        queue = workers._PROGRESS
        kwargs = {**kwargs, "progress": lambda fraction: queue.put((key, fraction))}
    return function(*args, **kwargs)


def _burn_in_task(scenario, replicate):
    from simulation.model import burn_in

    return burn_in(scenario, replicate)


def run_study(
    tasks: list[Task],
    *,
    executor: StudyExecutor | None = None,
    jobs: int | None = None,
    dask: str | None = None,
    cache: ResultCache | None = None,
    retries: int = 1,
    progress: Callable[[Hashable, float], None] | None = None,
    share_burn_in: bool = True,
) -> StudyResult:
    """Run `tasks` and return their results by key (and counts of what was done).

    Args:
        tasks: the study; keys must be distinct.
        executor: a ready `study_executor` (kept open across several studies, as a calibration
            does); else one is made from `jobs` and `dask` and closed at the end.
        jobs: local worker processes when no executor is given (None: one per core, 1: in-process).
        dask: a Dask scheduler address, or "local" for a LocalCluster, instead of local processes.
        cache: where finished tasks are kept and found again (None: no cache).
        retries: how many times a task whose worker died runs again.
        progress: called with (key, fraction of that task done) as tasks advance and finish.
        share_burn_in: tasks with the same burn-in start from one shared snapshot.
    """
    keys = [t.key for t in tasks]
    if len(set(keys)) != len(keys):
        raise ValueError("the tasks of a study must have distinct keys")
    if executor is None:
        with study_executor(jobs, dask, tasks=len(tasks)) as made:
            return run_study(tasks, executor=made, cache=cache, retries=retries, progress=progress,
                             share_burn_in=share_burn_in)  # fmt: skip
    return _Study(tasks, executor, cache, retries, progress, share_burn_in).run()


class _Study:
    def __init__(self, tasks, executor: StudyExecutor, cache, retries, progress, share_burn_in):
        self.executor = executor
        self.cache = cache
        self.retries = retries
        self.progress = progress
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.results: dict[Hashable, Any] = {}
        self.digests = {t.key: task_digest(t) for t in tasks}
        self.stats = {"tasks": len(tasks), "cached": 0, "computed": 0, "retried": 0, "burn_ins": 0,
                      "executor": executor.describe(), "started": self.started}  # fmt: skip
        todo = []
        for task in tasks:
            digest = self.digests[task.key]
            if cache is not None and digest is not None:
                found, value = cache.get(digest)
                if found:
                    self.results[task.key] = value
                    self.stats["cached"] += 1
                    self._report(task.key, 1.0)
                    continue
            todo.append(task)
        # Burn-ins shared by two or more tasks to do are computed once; the rest burn in themselves.
        from simulation.model import burn_in_key

        groups: dict[str, list[Task]] = {}
        if share_burn_in:
            for task in todo:
                if task.burn_in is not None:
                    groups.setdefault(burn_in_key(*task.burn_in), []).append(task)
        self.shared = {k: g for k, g in groups.items() if len(g) > 1}
        waiting = {t.key for g in self.shared.values() for t in g}
        self.ready: list[tuple[str, Any, Task | None]] = [
            ("burn_in", k, None) for k in self.shared
        ] + [("task", t.key, t) for t in todo if t.key not in waiting]  # fmt: skip
        self.snapshots: dict[str, Any] = {}
        self.attempts: dict[tuple[str, Any], int] = {}

    def _report(self, key, fraction: float) -> None:
        if self.progress is not None:
            self.progress(key, fraction)

    def _submit(self, item) -> Future:
        kind, key, task = item
        if kind == "burn_in":
            scenario, replicate = self.shared[key][0].burn_in
            return self.executor.submit(_burn_in_task, scenario, replicate)
        kwargs = {}
        if task.burn_in is not None and (snapshot := self.snapshots.get(burn_key(task))) is not None:
            kwargs["start"] = snapshot
        if self.executor.kind == "in-process":
            if task.reports and self.progress is not None:
                kwargs["progress"] = lambda fraction, key=key: self._report(key, fraction)
            return self.executor.submit(task.function, *task.args, **kwargs)
        if self.executor.kind == "processes":
            return self.executor.submit(_call, task.function, task.args, kwargs, key, task.reports)
        return self.executor.submit(task.function, *task.args, **kwargs)

    def _finish(self, item, value) -> None:
        kind, key, task = item
        if kind == "burn_in":
            self.stats["burn_ins"] += 1
            self.snapshots[key] = value
            self.ready.extend(("task", t.key, t) for t in self.shared[key])
            return
        self.results[key] = value
        self.stats["computed"] += 1
        digest = self.digests[key]
        if self.cache is not None and digest is not None:
            self.cache.put(digest, value)
        if task.burn_in is not None:  # the snapshot is dropped once its last task is done
            group = burn_key(task)
            if group in self.shared and all(t.key in self.results for t in self.shared[group]):
                self.snapshots.pop(group, None)
        self._report(key, 1.0)

    def run(self) -> StudyResult:
        t0 = time.perf_counter()
        limit = max(2 * self.executor.workers, self.executor.workers + 2)
        if self.executor.kind == "in-process":
            limit = 1
        pending: dict[Future, Any] = {}
        while self.ready or pending:
            while self.ready and len(pending) < limit:
                item = self.ready.pop(0)
                pending[self._submit(item)] = item
            finished, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            self._drain()
            broken = False
            for future in finished:
                item = pending.pop(future)
                try:
                    value = future.result()
                except Exception as exc:  # noqa: BLE001 - retried or re-raised below
                    attempt = self.attempts.get(item[:2], 0) + 1
                    self.attempts[item[:2]] = attempt
                    if not _retryable(exc) or attempt > self.retries:
                        raise
                    self.stats["retried"] += 1
                    self.ready.insert(0, item)
                    broken = broken or isinstance(exc, BrokenProcessPool)
                    continue
                self._finish(item, value)
            if broken:  # every task still in the broken pool goes again, in a new one
                self.ready[:0] = list(pending.values())
                pending.clear()
                self.executor.restart()
        self._drain()
        self.stats["wall_seconds"] = round(time.perf_counter() - t0, 3)
        self.stats["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        return StudyResult(self.results, self.stats)

    def _drain(self) -> None:
        from queue import Empty

        queue = self.executor.progress_queue
        if queue is None:
            return
        while True:
            try:
                key, fraction = queue.get_nowait()
            except (Empty, OSError, ValueError):
                return
            if key not in self.results:
                self._report(key, min(float(fraction), 0.999))


def burn_key(task: Task) -> str:
    """The burn-in a task starts from: tasks with the same key share one settled population."""
    from simulation.model import burn_in_key

    return burn_in_key(*task.burn_in)


# ---------------------------------------------------------------------------------------------
# Progress: one bar over every task


@contextmanager
def study_progress(total: int, description: str = "tasks", quiet: bool = False, console=None):
    """One rich bar over all `total` tasks, with the time remaining; yields the `progress` callback
    `run_study` takes (it accepts fractions of a task as tasks advance)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[done]}/{task.total:.0f} tasks"),
        TimeElapsedColumn(),
        TextColumn("remaining"),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
        disable=quiet,
    )
    fractions: dict[Hashable, float] = {}
    with bar:
        task = bar.add_task(description, total=max(total, 1), done=0)

        def advance(key: Hashable, fraction: float) -> None:
            fractions[key] = max(fractions.get(key, 0.0), min(fraction, 1.0))
            done = sum(1 for f in fractions.values() if f >= 1.0)
            bar.update(task, completed=sum(fractions.values()), done=done)

        yield advance


# ---------------------------------------------------------------------------------------------
# One manifest
