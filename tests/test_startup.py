"""Start-up: `painsim --help` must not load the heavy libraries. Structural, not timed: the
import graph of `simulation.cli` (from `python -X importtime`) names none of them."""

from __future__ import annotations

import subprocess
import sys

# Loaded only by the commands that use them (charts, fits, statistics, runs and their files).
HEAVY = ("altair", "optuna", "statsmodels", "pandas", "pyarrow", "scipy", "mesa", "numba")


def _imported(statement: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True, check=True
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_importing_the_command_loads_no_heavy_library():
    names = _imported("import simulation.cli")
    assert "simulation.cli" in names
    loaded = sorted(name for name in names if name.split(".")[0] in HEAVY)
    assert not loaded, f"`import simulation.cli` loads {loaded[:10]}"


def test_the_package_still_exports_its_public_names_on_first_use():
    import simulation

    assert simulation.PainCycleModel.__name__ == "PainCycleModel"
    assert callable(simulation.load_scenario)
    assert "PainCycleModel" in simulation.__all__
