"""`painsim sensitivity`: SALib over the declared bounds, checked on cases with known answers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from simulation.cli import app
from simulation.inputs import InputError
from simulation.sensitivity import analyse, declared_parameters, run_sensitivity, sample, select_parameters
from tests.conftest import tiny_scenario
from tests.test_sweep import painsim


def test_parameters_come_with_their_declared_bounds():
    every = declared_parameters()
    assert len(every) > 100
    low, high = every["pain.from_poor_sleep"]
    assert low < 1.118 < high
    assert set(select_parameters(["pain"])) == {k for k in every if k.startswith("pain.")}
    assert list(select_parameters(["parameters.pain.noise_sd"])) == ["pain.noise_sd"]
    with pytest.raises(InputError, match="--params 'nope'"):
        select_parameters(["nope"])


def test_sobol_on_a_function_with_a_known_answer():
    """y = 4a + b + 0c: a explains most of the variance, c none."""
    space = {"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (0.0, 1.0)}
    points = sample(space, "sobol", 256, seed=1)
    y = 4 * points[:, 0] + points[:, 1]
    table = analyse(space, "sobol", points, y, seed=1).set_index("parameter")
    assert table["ST"].idxmax() == "a" and table.loc["a", "S1"] == pytest.approx(16 / 17, abs=0.1)
    assert abs(table.loc["c", "ST"]) < 1e-9 and abs(table.loc["c", "S1"]) < 0.02
    with pytest.raises(InputError, match="power of 2"):
        sample(space, "sobol", 12, seed=1)


def test_morris_on_the_model_finds_an_inert_parameter_and_the_dominant_one():
    """A health-utility weight cannot move mean pain (utility is read off the states, never fed
    back): with common random numbers its elementary effects are exactly zero. The day-to-day
    noise of pain moves mean pain most (pain is bounded at 0, so more noise raises the mean)."""
    scenario = tiny_scenario(population=300, days=30, burn_in_days=30, settle_days=20, replicates=1)
    space = select_parameters(["pain.noise_sd", "pain.from_catastrophising", "utility.pain_mild"])
    result = run_sensitivity(scenario, space, "morris", 3, ["mean_pain", "mean_utility"], jobs=1)
    pain = result.indices[result.indices["outcome"] == "mean_pain"].set_index("parameter")
    assert pain.loc["utility.pain_mild", "mu_star"] == 0.0 and pain.loc["utility.pain_mild", "sigma"] == 0.0
    assert pain["mu_star"].idxmax() == "pain.noise_sd" and pain.loc["pain.noise_sd", "rank"] == 1
    utility = result.indices[result.indices["outcome"] == "mean_utility"].set_index("parameter")
    assert utility.loc["utility.pain_mild", "mu_star"] > 0
    assert len(result.points) == 3 * (3 + 1) and result.stats["computed"] == 12


def test_sensitivity_command_writes_tables_and_charts(tmp_path):
    done = painsim("sensitivity", "--method", "sobol", "--params", "pain.noise_sd", "--params", "utility.pain_mild",
                   "--samples", "4", "--outcomes", "mean_pain", "-n", "200", "--days", "10", "-r", "1", "--set",
                   "burn_in_days=10", "--set", "settle_days=5", "--jobs", "1", "-q",
                   "--out", str(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    folder = next(tmp_path.glob("sensitivity-sobol-*"))
    indices = pd.read_csv(folder / "indices.csv")
    assert list(indices.columns) == ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf", "rank"]
    assert np.isclose(indices.set_index("parameter").loc["utility.pain_mild", "ST"], 0.0)
    assert {p.name for p in (folder / "charts").iterdir()} >= {"sobol_ranking.png", "sobol_ranking.html"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["sensitivity"]["points"] == 4 * (2 + 2) and manifest["study"]["computed"] == 16


def test_sensitivity_errors_name_the_option(tmp_path):
    for args, words in ((["--method", "fast"], "--method"), (["--params", "nope"], "--params"),
                        (["--method", "sobol", "--samples", "6"], "power of 2"),
                        (["--params", "pain.noise_sd"], "at least two")):  # fmt: skip
        done = CliRunner().invoke(app, ["sensitivity", *args, "-n", "100", "--days", "5", "--out", str(tmp_path)])
        assert done.exit_code == 2 and words in done.output, (args, done.output)
    assert not list(tmp_path.iterdir())
