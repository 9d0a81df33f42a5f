"""Signals and concurrency (issue 9), on the real command in its own session: SIGTERM leaves no
process and no staging folder; after SIGKILL the workers go too and the next run cleans up; any
number of identical runs into one --out all land, complete, in distinct folders."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]
TINY = ["-n", "200", "--days", "5", "-r", "1", "--no-charts", "-q"]
LONG = ["-n", "20000", "--days", "2000", "-r", "2", "-j", "2", "--no-charts", "-q"]


def painsim(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "simulation.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def session(leader: int) -> list[int]:
    """Live processes of the session `leader` started (workers and helpers included)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            text = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[3]) == leader:
            found.append(int(name))
    return found


def wait_for_workers(process: subprocess.Popen, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(session(process.pid)) < count + 1:
        assert process.poll() is None and time.monotonic() < deadline, "workers never started"
        time.sleep(0.2)
    time.sleep(1.0)  # let them import and start simulating


def wait_gone(leader: int, timeout: float = 10) -> list[int]:
    deadline = time.monotonic() + timeout
    while session(leader) and time.monotonic() < deadline:
        time.sleep(0.2)
    return session(leader)


def test_sigterm_stops_everything_and_writes_nothing(tmp_path):
    process = painsim("run", *LONG, "--out", str(tmp_path))
    wait_for_workers(process, 2)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "no results were written" in stderr and "Traceback" not in stderr
    assert wait_gone(process.pid) == []
    assert list(tmp_path.iterdir()) == []


def test_after_sigkill_workers_go_and_the_next_run_cleans_up(tmp_path):
    process = painsim("run", *LONG, "--out", str(tmp_path))
    wait_for_workers(process, 2)
    process.kill()
    process.communicate(timeout=30)
    assert wait_gone(process.pid) == [], "workers outlived the killed run"
    # What a run killed while writing leaves: its claimed folder and its staging folder.
    (tmp_path / "baseline-20260101-000000").mkdir()
    stale = tmp_path / f".baseline-20260101-000000.partial-{process.pid}"
    (stale / "charts").mkdir(parents=True)
    (stale / "summary.csv").write_text("half written")
    alive = tmp_path / f".other-20260101-000000.partial-{os.getpid()}"  # a live run's: kept
    alive.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "simulation.cli", "run", *TINY, "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "removed 1 unfinished staging folder" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [alive.name]
    folders = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert [p.name.startswith("baseline-2026") and p != tmp_path / "baseline-20260101-000000" for p in folders] == [
        True
    ]


def test_concurrent_identical_runs_all_land_complete_and_distinct(tmp_path):
    processes = [painsim("run", *TINY, "--out", str(tmp_path)) for _ in range(20)]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
    folders = {Path(stdout.strip().splitlines()[-1]) for stdout, _ in outputs}
    assert len(folders) == 20
    assert sorted(tmp_path.iterdir()) == sorted(folders)  # nothing else, no staging left
    for folder in folders:
        manifest = json.loads((folder / "manifest.json").read_text())
        assert all((folder / name).is_file() for name in manifest["files"])
