"""Shared fixtures: small, fast scenarios with fixed seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation import Scenario

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
