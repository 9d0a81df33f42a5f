"""painsim: an agent-based model of the cycle in which chronic pain, depression and poor sleep
feed each other.

Examples:
    >>> from simulation import load_scenario, PainCycleModel
    >>> model = PainCycleModel(load_scenario("scenarios/baseline.yaml"), seed=1, population=1000)
    >>> model.step()  # one day
"""

import os as _os
import sys as _sys


def _quiet_interrupt(kind, value, tb, _default=_sys.excepthook):
    """Ctrl-C while the `painsim` command is still importing: one line, not a traceback (once the
    command runs, simulation/guard.py handles interrupts)."""
    if issubclass(kind, KeyboardInterrupt):
        print("painsim: interrupted.", file=_sys.stderr)
    else:
        _default(kind, value, tb)


if _os.path.basename(_sys.argv[0] if _sys.argv else "") == "painsim":
    _sys.excepthook = _quiet_interrupt

from simulation.model import PainCycleModel  # noqa: E402
from simulation.parameters import ModelParams, parameter_rows  # noqa: E402
from simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_schema  # noqa: E402

__all__ = [
    "ModelParams",
    "PainCycleModel",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "parameter_rows",
    "scenario_schema",
]

__version__ = "0.1.0"
