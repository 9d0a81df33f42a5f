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

# The public names are loaded on first use (PEP 562), so `import simulation.cli` and `painsim --help`
# do not pay for Mesa, pandas and the model's rules.
_EXPORTS = {
    "PainCycleModel": "simulation.model",
    "ModelParams": "simulation.parameters",
    "parameter_rows": "simulation.parameters",
    "Scenario": "simulation.scenario",
    "ScenarioError": "simulation.scenario",
    "load_scenario": "simulation.scenario",
    "scenario_schema": "simulation.scenario",
}


def __getattr__(name: str):
    """Load a public name from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
