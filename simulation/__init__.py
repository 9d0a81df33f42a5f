"""painsim: an agent-based model of the cycle in which chronic pain, depression and poor sleep
feed each other.

Examples:
    >>> from simulation import load_scenario, PainCycleModel
    >>> model = PainCycleModel(load_scenario("scenarios/baseline.yaml"), seed=1, population=1000)
    >>> model.step()  # one day
"""

from simulation.model import PainCycleModel
from simulation.parameters import ModelParams, parameter_rows
from simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_schema

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
