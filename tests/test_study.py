"""The study runner: same results on every executor, a cache that resumes, retries, shared burn-in."""

from __future__ import annotations

import os

import numba
import numpy as np
import pandas as pd
import pytest

from simulation.compare import compare_scenarios
from simulation.model import PainCycleModel, burn_in, burn_in_key
from simulation.runner import run_many
from simulation.scenario import load_scenario
from simulation.study import ResultCache, Task, run_study, study_executor
from tests.conftest import SCENARIOS, tiny_scenario

TINY = ["population=300", "days=40", "burn_in_days=20", "settle_days=10", "replicates=2", "seed=5",
        "outputs.panel_size=5", "outputs.charts=false"]  # fmt: skip


def _square(x, progress=None):
    if progress is not None:
        progress(0.5)
    return x * x


def test_every_executor_gives_the_same_results():
    tasks = [Task(i, _square, (i,), reports=True) for i in range(6)]
    seen = []
    serial = run_study(tasks, jobs=1, progress=lambda key, fraction: seen.append((key, fraction)))
    pooled = run_study(tasks, jobs=2)
    assert serial.results == pooled.results == {i: i * i for i in range(6)}
    assert (3, 0.5) in seen and (3, 1.0) in seen
    assert serial.stats["executor"]["kind"] == "in-process" and pooled.stats["executor"]["kind"] == "processes"


def test_a_cache_skips_finished_tasks(tmp_path):
    cache = ResultCache(tmp_path / "cache")
    first = run_study([Task(i, _square, (i,), identity={"x": i}) for i in range(3)], jobs=1, cache=cache)
    assert first.stats["computed"] == 3 and len(cache) == 3
    second = run_study([Task(i, _square, (i,), identity={"x": i}) for i in range(5)], jobs=1, cache=cache)
    assert second.stats["cached"] == 3 and second.stats["computed"] == 2
    assert second.results == {i: i * i for i in range(5)}


def _dies_once(marker: str) -> str:
    """Kills its own worker process the first time (as the kernel's OOM killer would)."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(9)
    return "survived"


def test_a_task_whose_worker_died_runs_again(tmp_path):
    tasks = [Task("a", _dies_once, (str(tmp_path / "marker"),)), Task("b", _square, (3,))]
    result = run_study(tasks, jobs=2)
    assert result.results == {"a": "survived", "b": 9}
    assert result.stats["retried"] >= 1


def _fails(x):
    raise ValueError(f"bad value {x}")


def test_a_task_that_fails_by_itself_fails_the_study_at_once():
    with pytest.raises(ValueError, match="bad value 1"):
        run_study([Task(1, _fails, (1,))], jobs=1)


def test_executor_options_are_checked():
    from simulation.inputs import InputError

    with pytest.raises(InputError, match="--jobs must be 1 or more"), study_executor(jobs=0):
        pass
    with pytest.raises(InputError, match="--dask"), study_executor(dask=" "):
        pass


# -- shared burn-in ---------------------------------------------------------------------------


def _arrays(obj, prefix="") -> dict:
    """Every numpy array and number held by an object and the objects it holds (the clinical windows)."""
    found = {}
    for name, value in vars(obj).items():
        if isinstance(value, np.ndarray | int | float):
            found[prefix + name] = np.asarray(value)
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            found.update(_arrays(value, f"{prefix}{name}."))
    return found


def test_a_run_from_a_shared_burn_in_is_bit_identical_to_recomputing_it():
    scenario = load_scenario(SCENARIOS / "cbt.yaml", TINY)
    snapshot = burn_in(scenario, 1)
    recomputed = PainCycleModel(scenario, replicate=1, agent_views=False).run()
    for _ in range(2):  # one snapshot starts any number of models
        shared = PainCycleModel(scenario, replicate=1, agent_views=False, start=snapshot).run()
        for name, values in recomputed.state.as_dict().items():
            np.testing.assert_array_equal(values, shared.state.as_dict()[name], err_msg=name, strict=True)
        expected, got = _arrays(recomputed.status), _arrays(shared.status)
        assert expected.keys() == got.keys() and len(expected) > 10
        for name, values in expected.items():
            np.testing.assert_array_equal(values, got[name], err_msg=name, strict=True)
        pd.testing.assert_frame_equal(recomputed.population_series(), shared.population_series())
        pd.testing.assert_frame_equal(recomputed.panel(), shared.panel())
        pd.testing.assert_frame_equal(recomputed.treatment_report(), shared.treatment_report())


def test_a_burn_in_serves_only_the_population_it_was_made_for():
    scenario = tiny_scenario()
    other = tiny_scenario(seed=12)
    assert burn_in_key(scenario, 0) != burn_in_key(other, 0) != burn_in_key(scenario, 1)
    with_cbt = load_scenario(SCENARIOS / "cbt.yaml", TINY)
    assert burn_in_key(with_cbt, 0) == burn_in_key(load_scenario(SCENARIOS / "baseline.yaml", TINY), 0)
    with pytest.raises(ValueError, match="burn-in snapshot belongs to another"):
        PainCycleModel(other, agent_views=False, start=burn_in(scenario, 0))


def test_a_comparison_burns_in_once_per_replicate_with_identical_results():
    scenarios = [load_scenario(SCENARIOS / f"{name}.yaml", TINY) for name in ("baseline", "cbt", "cbti", "exercise")]
    shared = run_many(scenarios, jobs=1)
    alone = [run_many([s], jobs=1)[0] for s in scenarios]
    assert shared[0].extra["study"]["burn_ins"] == 2  # one per replicate, not one per scenario and replicate
    for a, b in zip(shared, alone, strict=True):
        pd.testing.assert_frame_equal(a.series(), b.series())
        pd.testing.assert_frame_equal(a.final(), b.final())
        pd.testing.assert_frame_equal(a.panel(), b.panel())
        pd.testing.assert_frame_equal(a.treatments(), b.treatments())
    assert compare_scenarios(scenarios[:2], jobs=2).runs[0].extra["study"]["burn_ins"] == 2


# -- Dask ------------------------------------------------------------------------------------


def test_compare_and_validate_on_a_dask_cluster_match_serial():
    """One Dask LocalCluster (2 worker processes) serves both studies; every number is the serial one."""
    pytest.importorskip("distributed")
    from simulation.validation import DEFAULT_TARGETS, Targets, measure

    scenarios = [load_scenario(SCENARIOS / f"{name}.yaml", TINY) for name in ("baseline", "cbt")]
    data = __import__("yaml").safe_load(DEFAULT_TARGETS.read_text())
    data["cohort"].update({"sample_size": 100, "follow_up_years": 0.5, "incidence_years": 0.25})
    targets = Targets.model_validate(data)
    serial_compare = compare_scenarios(scenarios, jobs=1)
    serial_measure = measure(scenarios[0], targets, jobs=1)
    with study_executor(jobs=2, dask="local") as executor:
        assert executor.kind == "dask" and executor.workers == 2
        # a worker already runs a task per core: the kernel inside a task gets one numba thread
        # (numba's default on this machine is every core, numba.config.NUMBA_NUM_THREADS)
        assert executor.submit(numba.get_num_threads).result() == 1
        on_dask = compare_scenarios(scenarios, executor=executor)
        measured = measure(scenarios[0], targets, executor=executor)
    pd.testing.assert_frame_equal(serial_compare.table(), on_dask.table())
    pd.testing.assert_frame_equal(serial_compare.per_replicate(), on_dask.per_replicate())
    pd.testing.assert_frame_equal(serial_compare.series(), on_dask.series())
    assert on_dask.runs[0].extra["study"]["executor"]["kind"] == "dask"
    pd.testing.assert_frame_equal(serial_measure, measured)


def test_an_unreachable_scheduler_is_an_input_error(monkeypatch):
    pytest.importorskip("distributed")
    from simulation import study
    from simulation.inputs import InputError

    monkeypatch.setattr(study, "CONNECT_TIMEOUT", "1s")
    with (
        pytest.raises(InputError, match="--dask tcp://127.0.0.1:9: cannot reach"),
        study_executor(dask="tcp://127.0.0.1:9"),
    ):
        pass


@pytest.mark.parametrize("command", ["run", "compare", "trial", "validate", "calibrate", "cohort", "sweep",
                                     "sensitivity"])  # fmt: skip
def test_every_study_command_takes_jobs_and_dask(command):
    from typer.testing import CliRunner

    from simulation.cli import app

    shown = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "--jobs" in shown.output and "--dask" in shown.output
