"""Writing a run's results folder: all of it or nothing.

Everything is written into a hidden staging folder beside the destination and renamed into place
at the end; a failure removes the staging folder, so `results/` never holds a half-written run
and nothing already there is touched.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from simulation.inputs import InputError, short_path
from simulation.rng import STREAMS, seed_sequence
from simulation.runner import RunResult

PACKAGES = (
    "painsim",
    "mesa",
    "numpy",
    "pandas",
    "scipy",
    "pydantic",
    "altair",
    "pyarrow",
    "vl-convert-python",
    "SALib",
    "distributed",
)


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_revision() -> dict[str, str | bool | None]:
    """The source's git commit and whether the work tree had uncommitted changes, if known."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        return {"commit": commit, "dirty": bool(dirty)}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def manifest(result: RunResult) -> dict:
    from simulation.study import study_manifest

    s = result.scenario
    return study_manifest(
        None,
        scenario=s.resolved(),
        seeds={
            "seed": s.seed,
            "rng": "numpy SFC64 from SeedSequence(entropy=seed, spawn_key=(replicate, stream[, intervention key]))",
            "streams": STREAMS,
            "replicates": {
                str(r.replicate): {name: list(seed_sequence(s.seed, r.replicate, name).spawn_key) for name in STREAMS}
                for r in result.replicates
            },
        },
        timing={
            "started": result.started,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "wall_seconds": round(result.wall_seconds, 3),
            "replicate_seconds": {str(r.replicate): round(r.seconds, 3) for r in result.replicates},
            "jobs": result.jobs,
        },
        **result.extra,
    )


STAGING_PATTERN = re.compile(r"^\..+\.partial-(\d+)$")


def check_out_root(out_root: str | Path, option: str = "--out") -> Path:
    """Refuse, before any simulating, an output location that cannot take a new results folder:
    an empty path, a file or device, a path through a file, an over-long path, no permission."""
    text = str(out_root)
    shown = f"{option} {short_path(text)}"
    if not text.strip():
        raise InputError(f"{option}: the path is empty; give a folder, for example {option} results.")
    path = Path(text)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"{shown}: cannot use it as a results folder: {_reason(exc)}.") from None
    except ValueError:
        raise InputError(f"{shown}: the path contains a NUL character.") from None
    if len(os.fsencode(os.path.abspath(path))) + 160 > 4096 or any(len(os.fsencode(p)) > 200 for p in path.parts):
        raise InputError(f"{shown}: the path, or a name in it, is too long for a results folder.")
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise InputError(f"{shown}: exists and is not a folder; give a folder (new or existing).")
    missing = []  # the folders to create, outermost first; made for the probe, then removed
    folder = path.absolute()
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.insert(0, folder)
        folder = folder.parent
    created: list[Path] = []
    try:
        for part in missing:
            part.mkdir()
            created.append(part)
        os.rmdir(tempfile.mkdtemp(prefix=".painsim-probe-", dir=path))
    except OSError as exc:
        verb = "cannot be created" if missing else "cannot write in this folder"
        raise InputError(f"{shown}: {verb}: {_reason(exc)}.") from None
    finally:
        for part in reversed(created):
            with suppress(OSError):
                part.rmdir()
    return path


def check_out_file(path: str | Path, option: str) -> Path:
    """Refuse, before any work, a file to write that is a folder or cannot be created."""
    shown = f"{option} {short_path(path)}"
    path = Path(path)
    if not str(path).strip():
        raise InputError(f"{option}: the path is empty.")
    if path.is_dir():
        raise InputError(f"{shown}: is a folder; give the path of a file.")
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() or parent.is_symlink():
        if not parent.is_dir():
            raise InputError(f"{shown}: {short_path(parent)} is not a folder.")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise InputError(f"{shown}: no permission to write in {short_path(parent)}.")
    else:
        check_out_root(parent, option)
    if len(os.fsencode(path.name)) > 200:
        raise InputError(f"{shown}: the file name is too long.")
    return path


def _reason(exc: OSError) -> str:
    return {
        errno.ELOOP: "the path is a loop of symbolic links",
        errno.ENAMETOOLONG: "the path, or a name in it, is too long",
        errno.EACCES: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENOENT: "a part of the path cannot be created there",
    }.get(exc.errno, exc.strerror or type(exc).__name__)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    except (OverflowError, ValueError):
        return False
    return True


def remove_stale_staging(out_root: Path, notice=None) -> list[Path]:
    """Remove hidden staging folders left by killed runs (their process is gone); say so in one line."""
    notice = notice or (lambda text: print(f"painsim: {text}", file=sys.stderr))
    removed = []
    try:
        entries = list(os.scandir(out_root))
    except OSError:
        return removed
    for entry in entries:
        match = STAGING_PATTERN.match(entry.name)
        if match and entry.is_dir(follow_symlinks=False) and not _pid_alive(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            with suppress(OSError):  # the folder it had claimed, if still empty
                (out_root / entry.name[1 : match.start(1) - len(".partial-")]).rmdir()
            if not os.path.lexists(entry.path):
                removed.append(Path(entry.path))
    if removed:
        names = ", ".join(p.name for p in removed[:3]) + (", ..." if len(removed) > 3 else "")
        plural = "s" if len(removed) > 1 else ""
        notice(f"removed {len(removed)} unfinished staging folder{plural} left by a killed run in {out_root} ({names})")
    return removed


def _claim(out_root: Path, name: str) -> Path:
    """Create, exclusively, the empty folder `name-<time>[-n]` and return it: two runs can never
    pick the same one, however many write into `out_root` at once."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = name.lstrip(".") or "run"  # a results folder is never hidden (a scenario may be named ".inf")
    for n in range(1, 10_000):
        candidate = out_root / (f"{name}-{stamp}" if n == 1 else f"{name}-{stamp}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"no free folder name for {name}-{stamp} in {out_root}")


@contextmanager
def atomic_folder(out_root: str | Path, name: str) -> Iterator[tuple[Path, Path]]:
    """Yield (staging, final): write into the hidden `staging` folder; on success it replaces
    `final` (`out_root/name-<time>[-n]`), on failure both are deleted. `final` is claimed at once,
    empty and exclusively, so any number of concurrent runs into `out_root` get distinct folders;
    the staging folder is named after it (`.FINAL.partial-PID`) so that the next run can clean up
    after a killed one. Never touches anything else that was already in `out_root`."""
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_root)
    final = _claim(out_root, name)
    staging = out_root / f".{final.name}.partial-{os.getpid()}"
    try:
        staging.mkdir()
        yield staging, final
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        with suppress(OSError):
            final.rmdir()
        raise


def write_manifest(staging: Path, info: dict) -> Path:
    """Write `info` as staging/manifest.json, listing every file of the folder in it: the one
    manifest writer of every results folder."""
    info = {**info, "files": [*list_files(staging), "manifest.json"]}
    path = staging / "manifest.json"
    path.write_text(json.dumps(info, indent=2, default=str) + "\n")
    return path


def list_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def write_results(result: RunResult, out_root: str | Path = "results", charts: bool | None = None) -> Path:
    """Write `result` as a new folder under `out_root` and return its path.

    The folder holds manifest.json, timeseries.parquet/.csv (one row per replicate and recorded
    day), summary.csv (end-of-run outcomes across replicates with 95% intervals), final.csv
    (end-of-run outcomes per replicate), panel.parquet (sampled individuals' daily
    trajectories), distributions.csv, and charts/ (HTML and PNG) unless charts are off.
    """
    with atomic_folder(out_root, result.scenario.name) as (staging, final):
        series = result.series()
        series.to_parquet(staging / "timeseries.parquet", index=False)
        series.to_csv(staging / "timeseries.csv", index=False)
        result.summary().to_csv(staging / "summary.csv", index=False)
        result.final().to_csv(staging / "final.csv", index=False)
        result.panel().to_parquet(staging / "panel.parquet", index=False)
        distributions = result.distributions()
        distributions.to_csv(staging / "distributions.csv", index=False)
        treatments = result.treatments()
        if not treatments.empty:
            treatments.to_csv(staging / "treatments.csv", index=False)
        draw = result.scenario.outputs.charts if charts is None else charts
        if draw:
            from simulation.charts import write_run_charts

            write_run_charts(series, distributions, staging / "charts", result.scenario.name, result.scenario)
        write_manifest(staging, manifest(result))
    return final
