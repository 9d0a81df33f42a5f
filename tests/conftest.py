"""Shared fixtures: small, fast scenarios with fixed seeds."""

from __future__ import annotations

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
