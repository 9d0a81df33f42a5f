"""Worker processes that never outlive the run: the one process pool every study uses.

Kept apart from `simulation.runner` (what a run is) and `simulation.study` (how tasks are
scheduled), which both start pools, so neither has to import the other to get one.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any

_PROGRESS = None  # in a worker: the queue progress is reported on (set by `_init_worker`)


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
            with _main_module_hidden():
                launch()
    finally:
        _restore_sigint(previous)
    try:
        yield pool
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start workers without re-running the user's script in them.

    A spawned worker normally imports the parent's `__main__` (as `__mp_main__`), so a plain
    script that calls `run_scenario` without an `if __name__ == "__main__":` guard would run again
    in every worker and fail there. Workers only ever run functions of this package, so they do
    not need the script: while they start, `__main__` shows neither a file nor a module name, and
    multiprocessing leaves it out of what each worker prepares. Results do not depend on it, so
    determinism across worker counts holds.
    """
    main = sys.modules.get("__main__")
    names = ("__file__", "__spec__") if main is not None else ()
    saved = {name: main.__dict__[name] for name in names if name in main.__dict__}
    try:
        for name in saved:
            if name == "__spec__":
                main.__spec__ = None
            else:
                del main.__dict__[name]
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


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
    # Let the pool's manager thread finish closing its wake-up pipe before the interpreter's exit
    # wakes it (Python 3.11 races there and prints a traceback: EBADF on a pipe being closed).
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        with suppress(Exception):
            manager.join(timeout=3)


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
    _one_numba_thread()


def single_threaded(function, *args, **kwargs):
    """`function(*args, **kwargs)` with the kernel on one numba thread. Numba's thread count is
    per calling thread, so a Dask task sets it in the worker thread that runs it: a worker already
    runs one task per core, and two tasks on a multi-threaded worker must not both start the
    kernel's parallel pass."""
    _one_numba_thread()
    return function(*args, **kwargs)


def _one_numba_thread() -> None:
    """The pool already keeps every core busy with one replicate each: the kernel's threads
    (`simulation.rules.kernel`) inside a worker would only oversubscribe the cores."""
    import numba

    numba.set_num_threads(1)


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)
