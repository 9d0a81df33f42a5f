"""The README's command lines work: each `painsim ...` in a code block or code span is run at tiny size."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from tests.conftest import ROOT

TINY = {
    "run": ["-n", "300", "--days", "20", "-r", "2", "--set", "burn_in_days=10", "--set", "settle_days=5",
            "--no-charts", "-q"],
    "compare": ["-n", "300", "--days", "20", "-r", "2", "--set", "burn_in_days=10", "--set", "settle_days=5",
                "--no-charts", "-q"],
    # tiny tasks run fastest in the command's own process (no workers to start)
    "sweep": ["-n", "300", "--days", "20", "-r", "2", "--set", "burn_in_days=10", "--set", "settle_days=5",
              "--jobs", "1", "--no-charts", "-q"],
    "sensitivity": ["-n", "300", "--days", "20", "-r", "1", "--set", "burn_in_days=10", "--set", "settle_days=5",
                    "--samples", "2", "--jobs", "1", "--no-charts", "-q"],
    "psa": ["-n", "300", "--days", "20", "-r", "2", "--set", "burn_in_days=10", "--set", "settle_days=5",
            "--samples", "20", "--no-charts", "-q"],
    "dsa": ["-n", "300", "--days", "20", "-r", "2", "--set", "burn_in_days=10", "--set", "settle_days=5",
            "--no-charts", "-q"],
}  # fmt: skip
RUNNABLE = {"run", "compare", "sweep", "sensitivity", "psa", "dsa", "params", "schema", "--version"}


def readme_commands() -> list[str]:
    """`painsim ...` lines from code blocks and spans, without placeholders (SCENARIO, FILE, [...])."""
    text = (ROOT / "README.md").read_text()
    found = re.findall(r"(?:^|&& |`)(painsim [^`\n]*)", text, re.M)
    commands = []
    for command in found:
        command = command.strip()
        if re.search(r"[A-Z]{3,}|\[|\.\.\.", command) or command in commands:
            continue
        words = shlex.split(command)
        if len(words) > 1 and words[1] in RUNNABLE:
            commands.append(command)
    return commands


def test_the_readme_has_runnable_commands():
    assert any(c.startswith("painsim run") for c in readme_commands())
    assert any(c.startswith("painsim compare") for c in readme_commands())


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command, tmp_path):
    words = shlex.split(command)[1:]
    # small sizes win over the README's: later options override earlier ones
    extra = TINY.get(words[0], [])
    if extra:
        if "--years" in words:  # keep the README's unit of duration: --years and --days exclude each other
            extra = [w if w != "--days" else "--years" for w in extra]
            extra[extra.index("--years") + 1] = "0.06"
        extra = [*extra, "--out", str(tmp_path)]
    done = subprocess.run([sys.executable, "-m", "simulation.cli", *words, *extra], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
