"""One error path for every `painsim` command, present and future.

Every command registered on a `GuardedTyper` runs inside `guarded`, so that no command can forget
a case: bad input (`InputError`) exits 2 with the message; Ctrl-C and SIGTERM exit 130 with
nothing written (SIGTERM is raised as an interrupt in the main thread, so staging folders and
worker pools unwind exactly as for Ctrl-C); anything unexpected exits 1 with a one-line message
and the path of a saved traceback, never a traceback on the terminal.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from simulation.inputs import InputError, excerpt

LOG_FOLDER = Path(tempfile.gettempdir()) / "painsim-logs"


class Terminated(KeyboardInterrupt):
    """SIGTERM, delivered as an interrupt so that it unwinds like Ctrl-C."""


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """While a command runs, SIGTERM raises `Terminated` (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: Any) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def save_traceback(exc: BaseException) -> Path | None:
    """Write the traceback of an unexpected error to a log file; its path, or None if that failed."""
    try:
        LOG_FOLDER.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = LOG_FOLDER / f"crash-{stamp}-{os.getpid()}.log"
        text = "".join(traceback.format_exception(exc))
        path.write_text(f"command: {excerpt(sys.argv, 2000)}\npython: {sys.version}\n\n{text}")
        return path
    except Exception:  # noqa: BLE001 - a failing log must not hide the error itself
        return None


def _is_cli_exception(exc: BaseException) -> bool:
    """Whether `exc` is Typer's or click's own (an exit, a usage error): it carries its exit code already."""
    return type(exc).__module__.split(".")[0] in ("typer", "click")


def guarded(command: Callable[..., Any], fail: Callable[[str, int], None]) -> Callable[..., Any]:
    """`command` with the one error path; `fail(message, code)` prints and exits."""

    @functools.wraps(command)
    def run_guarded(*args: Any, **kwargs: Any) -> Any:
        with signals_as_interrupts():
            try:
                return command(*args, **kwargs)
            except (typer.Exit, typer.Abort):
                raise
            except InputError as exc:
                fail(str(exc), 2)
            except KeyboardInterrupt as exc:
                how = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
                fail(f"{how}; no results were written.", 130)
            except MemoryError:
                fail("ran out of memory; try a smaller --population or fewer --jobs.", 1)
            except BrokenPipeError:
                # The reader went away (`painsim params | head`): stop quietly, as other tools do.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(141) from None
            except Exception as exc:
                if _is_cli_exception(exc):
                    raise
                log = save_traceback(exc)
                where = f"the traceback is saved in {log}" if log else "the traceback could not be saved"
                fail(f"internal error ({type(exc).__name__}: {excerpt(str(exc))}); this is a bug: {where}.", 1)

    return run_guarded


class GuardedTyper(typer.Typer):
    """A Typer app whose every command, including commands added later, runs `guarded`."""

    def __init__(self, *args: Any, fail: Callable[[str, int], None], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._fail = fail

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a command as Typer does, wrapped in the one error path (`guarded`)."""
        register = super().command(*args, **kwargs)

        def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
            register(guarded(function, self._fail))
            return function

        return decorator
