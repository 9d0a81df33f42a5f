"""Shared fixtures: small, fast scenarios with fixed seeds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from simulation import Scenario

# Hypothesis explores the same examples on every run (no test seeded at random): a failure it
# finds shows on every machine, and CI never fails on a new example nobody saw locally.
settings.register_profile("painsim", derandomize=True, database=None)
settings.load_profile("painsim")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


def tiny_scenario(**changes) -> Scenario:
    """A scenario small enough for unit tests: 400 people, 60 days, short burn-in."""
    data = {
        "name": "tiny",
        "population": 400,
        "days": 60,
        "burn_in_days": 30,
        "settle_days": 20,
        "replicates": 2,
        "seed": 11,
        "outputs": {"record_every_days": 10, "panel_size": 5, "panel_every_days": 5, "charts": False},
    }
    data.update(changes)
    return Scenario.model_validate(data)


@pytest.fixture
def tiny() -> Scenario:
    return tiny_scenario()


def kill_then_resume(args: list[str], out: Path, tasks: int, prefix: str, table: Callable[[Path], object]) -> None:
    """Start `painsim ARGS` (writing under `out`, with its cache), kill it once 3 tasks are in the cache,
    and check that the same command rerun takes exactly the finished tasks from the cache, runs the
    other `tasks` - finished, and writes the `table` (read from its `prefix`-* folder) a fresh run writes."""
    import pandas as pd

    def painsim(*words):
        return subprocess.run([sys.executable, "-m", "simulation.cli", *words], cwd=ROOT, capture_output=True,
                              text=True, timeout=600)  # fmt: skip

    cache = out / ".painsim-cache"
    process = subprocess.Popen([sys.executable, "-m", "simulation.cli", *args], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            if cache.is_dir() and len(list(cache.rglob("*.pkl"))) >= 3:
                break
            time.sleep(0.05)
        assert process.poll() is None, f"painsim {args[0]} finished before it could be interrupted"
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    finished = len(list(cache.rglob("*.pkl")))
    assert 3 <= finished < tasks
    assert not [p for p in out.iterdir() if not p.name.startswith(".")]  # no results folder yet
    done = painsim(*args)
    assert done.returncode == 0, done.stderr[-2000:]
    folder = next(out.glob(f"{prefix}-*"))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["study"]["cached"] == finished and manifest["study"]["computed"] == tasks - finished
    fresh = painsim(*[a if a != str(out) else str(out / "fresh") for a in args], "--no-cache")
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    pd.testing.assert_frame_equal(table(folder), table(next((out / "fresh").glob(f"{prefix}-*"))))
