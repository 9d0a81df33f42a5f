"""Writing a run's results folder: all of it or nothing.

Everything is written into a hidden staging folder beside the destination and renamed into place
at the end; a failure removes the staging folder, so `results/` never holds a half-written run
and nothing already there is touched.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

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
    s = result.scenario
    return {
        "painsim_results_version": 1,
        "scenario": s.resolved(),
        "seeds": {
            "seed": s.seed,
            "rng": "numpy SFC64 from SeedSequence(entropy=seed, spawn_key=(replicate, stream[, intervention key]))",
            "streams": STREAMS,
            "replicates": {
                str(r.replicate): {name: list(seed_sequence(s.seed, r.replicate, name).spawn_key) for name in STREAMS}
                for r in result.replicates
            },
        },
        "timing": {
            "started": result.started,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "wall_seconds": round(result.wall_seconds, 3),
            "replicate_seconds": {str(r.replicate): round(r.seconds, 3) for r in result.replicates},
            "jobs": result.jobs,
        },
        "versions": {"python": sys.version.split()[0], **package_versions()},
        "git": git_revision(),
        "platform": {"system": platform.system(), "machine": platform.machine(), "cpus": os.cpu_count()},
        "command": sys.argv,
        **result.extra,
    }


def _destination(out_root: Path, name: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = out_root / f"{name}-{stamp}"
    n = 2
    while candidate.exists():
        candidate = out_root / f"{name}-{stamp}-{n}"
        n += 1
    return candidate


@contextmanager
def atomic_folder(out_root: str | Path, name: str) -> Iterator[tuple[Path, Path]]:
    """Yield (staging, final): write into the hidden `staging` folder; on success it is renamed
    to the new folder `final` (`out_root/name-<time>`), on failure deleted. Never touches anything
    that was already in `out_root`."""
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    final = _destination(out_root, name)
    staging = out_root / f".{final.name}.partial-{os.getpid()}"
    try:
        staging.mkdir()
        yield staging, final
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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

            write_run_charts(series, distributions, staging / "charts", result.scenario.name)
        info = manifest(result)
        info["files"] = [*list_files(staging), "manifest.json"]
        (staging / "manifest.json").write_text(json.dumps(info, indent=2, default=str) + "\n")
    return final
