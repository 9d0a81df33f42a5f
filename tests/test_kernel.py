"""The compiled per-person kernel (simulation/rules/kernel.py) against the previous vectorised rules.

The kernel is the model's only implementation of the daily rules. Two independent implementations
check it, both fed the kernel's own daily draws (common random numbers):

- `benchmarks/vectorised_reference.py`, the numpy rules the kernel replaced, with the clinical
  windows' own numpy update (`ClinicalStatus.update`): here, whole models run both ways from
  synthesis through settling and burn-in, untreated, with every treatment modifier active (nine
  intervention types), and with demography (ageing, deaths, replacement) on; states, windows and
  episode trackers must agree person by person to float32 rounding for 200 days at 2,000 people;
- `benchmarks/per_agent_reference.py`, scalar Python from the equations (tests/test_reference_oracle.py).

Also here: 1 and 2 threads give bit-identical days; the compiled engine's draws made inside the
pass equal the buffers `CounterNoise.draw` fills; and the checks can fail (a perturbed parameter
in the oracle alone is caught).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import numba
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import vectorised_reference  # noqa: E402

from simulation import PainCycleModel, Scenario, tally  # noqa: E402
from simulation.interventions.effects import QUANTITIES  # noqa: E402
from simulation.rules import kernel  # noqa: E402
from simulation.state import COLUMNS  # noqa: E402

POPULATION = 2000
DAYS = 200
SEED = 20261127
TREATMENTS = [
    {"type": kind, "eligibility": {"conditions": [condition]}, "coverage": 0.5, "enrolment": "continuous"}
    for kind, condition in (
        ("opioids", "chronic_pain"),
        ("cbt", "chronic_pain"),
        ("cbti", "insomnia"),
        ("exercise", "chronic_pain"),
        ("snri", "depression"),
        ("acupuncture", "chronic_pain"),
        ("sleep_medication", "insomnia"),
        ("integrated_care", "chronic_pain"),
        ("mindfulness", "depression"),
    )
]
CASES = {
    "untreated": {},
    "treated": {"interventions": TREATMENTS},
    "demography": {"demography": {"ageing": True, "mortality": True, "replace_deaths": True}},
    "treated, deaths not replaced": {
        "interventions": TREATMENTS[:3],
        "demography": {"ageing": True, "mortality": True},
    },
}
TRACKED = ("pain_episode", "mde_episode", "insomnia_episode")
WINDOWS = ("flags", "pain_days", "pain_days_midus", "bad_nights", "low_mood_run", "last_mde_day")


def _scenario(**update) -> Scenario:
    base = {
        "population": POPULATION,
        "seed": SEED,
        "settle_days": 150,
        "burn_in_days": 100,
        "outputs": {"panel_size": 20, "record_every_days": 50, "charts": False},
    }
    return Scenario(**(base | update))


def _vectorised_day(reference_params=None):
    """A stand-in for `simulation.model.advance_day` that runs the previous vectorised rules
    (optionally with other parameters: the oracle perturbed) on the same draws."""

    def advance(state, status, params, noise, rng, mods, day):
        normal, uniform, words = noise.today(rng)
        assert words is None, "the oracle reads the draws from the buffers"
        noise_arrays = type("Noise", (), {"normal": normal, "uniform": uniform})
        used = params if reference_params is None else reference_params(params)
        vectorised_reference.vectorised_day(state, status, used, noise_arrays, mods, day)

    return advance


def _snapshot(model: PainCycleModel) -> dict[str, np.ndarray]:
    out = {c.name: getattr(model.state, c.name).copy() for c in COLUMNS}
    for name in WINDOWS:
        out[name] = getattr(model.status, name).copy()
    for tracker in TRACKED:
        for field in kernel.TRACKER_FIELDS:
            out[f"{tracker}.{field}"] = getattr(getattr(model.status, tracker), field).copy()
    return out


def _disagreements(a: dict, b: dict, atol: float = 2e-4) -> dict[str, float]:
    """Per column, the share of people whose values differ (beyond float32 rounding for floats)."""
    shares = {}
    for name in a:
        x, y = a[name], b[name]
        differ = ~np.isclose(x, y, rtol=1e-4, atol=atol) if x.dtype.kind == "f" else x != y
        if differ.ndim == 2:
            differ = differ.any(axis=0)
        shares[name] = float(differ.mean())
    return shares


def _run_both(monkeypatch, update: dict, days: int = DAYS, reference_params=None):
    """The same scenario through the kernel and through the vectorised oracle; their snapshots
    on day 0, every 50 days and on the last day, and the treatment modifiers that were in use.
    The oracle replaces `simulation.model.advance_day` only while the oracle's model is built or
    stepped."""
    scenario = _scenario(**update)
    oracle_day = _vectorised_day(reference_params)

    def as_oracle(action):
        with monkeypatch.context() as patch:
            patch.setattr("simulation.model.advance_day", oracle_day)
            return action()

    kernel_model = PainCycleModel(scenario, agent_views=False)
    oracle_model = as_oracle(lambda: PainCycleModel(scenario, agent_views=False))
    used: set[str] = set()
    pairs = [(_snapshot(kernel_model), _snapshot(oracle_model))]
    for day in range(1, days + 1):
        kernel_model.step()
        as_oracle(oracle_model.step)
        used |= {name for name in QUANTITIES if getattr(oracle_model.modifiers, name) is not None}
        if day % 50 == 0 or day == days:
            pairs.append((_snapshot(kernel_model), _snapshot(oracle_model)))
    return kernel_model, oracle_model, pairs, used


@pytest.mark.parametrize("case", list(CASES))
def test_kernel_follows_the_vectorised_rules_path_by_path(monkeypatch, case):
    """Same draws, same people: the kernel's and the oracle's states, windows and trackers agree
    for (nearly) everyone on day 0 and every 50 days after; at most 0.1% of people may part (a
    float32 rounding can tip an episode switch or a threshold; none did when this was written)."""
    kernel_model, oracle_model, pairs, used = _run_both(monkeypatch, CASES[case])
    for when, (k, o) in enumerate(pairs):
        shares = _disagreements(k, o)
        worst = max(shares, key=shares.get)
        assert shares[worst] <= 0.001, f"day {50 * when}: {worst} differs for {shares[worst]:.2%} of people"
    if case == "treated":
        assert used == set(QUANTITIES), f"modifiers never exercised: {set(QUANTITIES) - used}"
    if "demography" in CASES[case]:
        assert kernel_model.demography.deaths == oracle_model.demography.deaths > 0
    series_k, series_o = kernel_model.population_series(), oracle_model.population_series()
    assert np.allclose(series_k.to_numpy(float), series_o.to_numpy(float), rtol=1e-3, atol=2e-3)


def test_a_perturbed_oracle_is_caught(monkeypatch):
    """The comparison has power: 20% more pain amplification per unit of poor sleep in the
    oracle alone (a plausible slip in one rule) parts the paths of most people."""

    def perturbed(params):
        return params.model_copy(
            update={"pain": params.pain.model_copy(update={"from_poor_sleep": params.pain.from_poor_sleep * 1.2})}
        )

    _, _, pairs, _ = _run_both(monkeypatch, {"settle_days": 0, "burn_in_days": 0}, days=20, reference_params=perturbed)
    shares = _disagreements(*pairs[0])
    assert max(shares.values()) == 0.0  # day 0: nothing has run yet
    assert _disagreements(*pairs[-1])["pain"] > 0.5


def _random_day_inputs(size: int, seed: int):
    rng = np.random.default_rng(seed)
    normal = rng.standard_normal((4, size), dtype=np.float32)
    uniform = rng.random((3, size), dtype=np.float32)
    return normal, uniform


def test_one_and_two_threads_give_identical_days(monkeypatch):
    """The parallel entry point spreads the same chunks over threads: bit-identical results
    (forced on for a small population by lowering the threshold)."""
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("numba has one thread here")
    model = PainCycleModel(_scenario(population=3 * kernel.CHUNK + 17, burn_in_days=30), agent_views=False)
    start = (model.state, model.status)
    monkeypatch.setattr(kernel, "PARALLEL_FROM", 0)
    results = []
    before = numba.get_num_threads()
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            state, status = copy.deepcopy(start)
            for day in range(1, 41):
                normal, uniform = _random_day_inputs(state.size, day)
                kernel.run_day(state, status, model.params, None, day, normal, uniform, threads=threads)
                words = kernel.counter_words(SEED, 0, day)
                kernel.run_day(state, status, model.params, None, day, words=words, threads=threads)
            results.append(_snapshot(type("M", (), {"state": state, "status": status})))
    finally:
        numba.set_num_threads(before)
    for name in results[0]:
        np.testing.assert_array_equal(results[0][name], results[1][name], err_msg=name)


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_a_whole_run_is_the_same_on_one_and_two_threads(monkeypatch, engine):
    """Settling, burn-in, treatment and the recorded outcomes (the weekly tally's histogram in chunks
    of 1,000 people on 2 threads): bit-identical on 1 and 2 threads."""
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("numba has one thread here")
    monkeypatch.setattr(kernel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(tally, "TALLY_CHUNK", 1000)
    scenario = _scenario(engine=engine, population=2 * kernel.CHUNK + 5, interventions=TREATMENTS[:2],
                         settle_days=60, burn_in_days=60)  # fmt: skip
    runs = []
    before = numba.get_num_threads()
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            model = PainCycleModel(scenario, agent_views=False).run(60)
            runs.append((_snapshot(model), model.population_series()))
    finally:
        numba.set_num_threads(before)
    for name in runs[0][0]:
        np.testing.assert_array_equal(runs[0][0][name], runs[1][0][name], err_msg=name)
    assert runs[0][1].equals(runs[1][1])


def test_draws_made_inside_the_pass_equal_the_filled_buffers():
    """The compiled engine's kernel makes each chunk's Philox numbers itself; with `fused` off the
    buffers are filled by `CounterNoise.draw` and read instead: the runs are bit-identical."""
    snapshots = []
    for fused in (True, False):
        model = PainCycleModel(_scenario(engine="compiled", population=kernel.CHUNK + 300, burn_in_days=0,
                                         settle_days=0), agent_views=False)  # fmt: skip
        model._noise.fused = fused
        model.run(60)
        snapshots.append(_snapshot(model))
    for name in snapshots[0]:
        np.testing.assert_array_equal(snapshots[0][name], snapshots[1][name], err_msg=name)


def test_rules_follow_the_params_objects():
    """`rules_of` derives the kernel's quantities from the params object it is given, anew for a
    new object: a recalibrated value reaches the kernel, and nothing is hard-coded."""
    from simulation.parameters import ModelParams

    base = ModelParams()
    changed = base.model_copy(update={"mood": base.mood.model_copy(update={"onset_from_pain": 0.5})})
    assert kernel.rules_of(base).onset_from_pain == np.float32(base.mood.onset_from_pain / 10.0)
    assert kernel.rules_of(changed).onset_from_pain == np.float32(0.05)
    zero = base.model_copy(update={"care": base.care.model_copy(update={"entry_rate_per_year": 0.0})})
    assert kernel.rules_of(zero).care_log_entry == kernel.LOG_ZERO  # a zero rate: no entries, no -inf
    changed.pain.from_poor_sleep = 0.25  # in place, as the dashboard's sliders do
    assert kernel.rules_of(changed).pain_from_poor_sleep == np.float32(0.25)


def test_exp_within_day_probability_and_tanh_match_numpy():
    """The kernel's own float32 exp, 1 - exp(-h) (series below 0.1) and tanh agree with the exact
    values to float32 precision; exp is 0 for the log of a zero rate and inf past float32's range."""

    @numba.njit
    def three(h, x, y):
        p = np.empty_like(h)
        t = np.empty_like(x)
        e = np.empty_like(y)
        for i in range(h.size):
            p[i] = kernel.within_day(h[i])
            t[i] = kernel.tanh(x[i])
            e[i] = kernel.exp(y[i])
        return p, t, e

    h = np.geomspace(1e-12, 30.0, 200_001).astype(np.float32)
    x = np.linspace(-20.0, 20.0, 200_001).astype(np.float32)
    y = np.linspace(-87.0, 88.0, 200_001).astype(np.float32)
    p, t, e = three(h, x, y)
    np.testing.assert_allclose(e, np.exp(y.astype(np.float64)), rtol=2e-7, atol=0)
    edges = np.array([kernel.LOG_ZERO, -np.inf, -100.0, 100.0, np.inf], np.float32)
    assert list(three(edges, edges, edges)[2]) == [0.0, 0.0, 0.0, np.inf, np.inf]
    exact_p = -np.expm1(-h.astype(np.float64))
    np.testing.assert_allclose(p, exact_p, rtol=2e-6, atol=0)
    np.testing.assert_allclose(t, np.tanh(x.astype(np.float64)), rtol=0, atol=3e-7)


def test_daily_reporters_read_from_the_pass_equal_their_own_computation():
    """The DataCollector's daily reporters read the sums the kernel's pass made; they equal the
    arrays' own reductions (float64 sums in another order, of float32 readings that the compiled pass
    may round differently by an ulp, e.g. through a fused multiply-add: to 1e-6)."""
    from simulation.experiments import MODEL_REPORTERS

    model = PainCycleModel(_scenario(burn_in_days=120, settle_days=50), agent_views=False)
    model.step()
    assert model.today is not None and model.today["day"] == model.day
    from_pass = {name: report(model) for name, report in MODEL_REPORTERS.items()}
    model.today = None
    computed = {name: report(model) for name, report in MODEL_REPORTERS.items()}
    assert from_pass == pytest.approx(computed, rel=1e-6, abs=1e-12)
    assert 0 < from_pass["chronic_pain"] < 1 and 0 < from_pass["depression"] < 1 and from_pass["mean_isi"] > 0


@pytest.mark.parametrize("case", ["untreated", "treated, deaths not replaced"])
def test_weekly_outcomes_from_one_pass_equal_population_metrics(case):
    """`population_metrics_fast` (one compiled pass, simulation/tally.py) returns every outcome of
    `population_metrics`, the definition, with the same values; among the living when some have died."""
    from simulation.outcomes import METRICS, population_metrics
    from simulation.tally import _names, population_metrics_fast

    assert set(METRICS) <= set(_names())  # the pass answers itself, not by deferring to the definition
    model = PainCycleModel(_scenario(**CASES[case]), agent_views=False)
    model.run(120)
    if "demography" in CASES[case]:
        assert model.living() is not None  # the living-only path is exercised
    defined, fast = population_metrics(model), population_metrics_fast(model)
    assert list(fast) == list(defined)
    assert fast == pytest.approx(defined, rel=1e-6, abs=1e-12, nan_ok=True)
    assert 0 < fast["depression_given_chronic_pain"] < 1 and fast["mean_utility"] > 0
    assert fast["midus_depression"] > fast["depression"]  # the screen's false alarms outnumber its misses


def test_no_compiled_kernel_may_reassociate():
    """The "reassoc" flag let LLVM regroup sums differently in `chunk_day` compiled alone and in its copy
    inlined into `population_day`, so results depended on what numba's cache held; the flag must
    stay out of every kernel's fastmath (the subprocess test below shows the consequence)."""
    from simulation import philox_kernels

    assert "reassoc" not in kernel.FAST
    assert "reassoc" not in philox_kernels.FASTMATH
    for dispatcher in (kernel.population_day, kernel.population_day_parallel, philox_kernels.fill_chunk):
        assert dispatcher.targetoptions.get("fastmath") == philox_kernels.FASTMATH


_HASH_A_RUN = """
import hashlib, sys, numba, numpy as np
from simulation import PainCycleModel, Scenario
numba.set_num_threads(int(sys.argv[1]))
scenario = Scenario(name="cache", population=210_000, settle_days=0, burn_in_days=0, engine=sys.argv[2])
model = PainCycleModel(scenario, agent_views=False).run(5)
digest = hashlib.sha256()
for name in sorted(vars(model.state)):
    value = getattr(model.state, name)
    if isinstance(value, np.ndarray):
        digest.update(name.encode() + np.ascontiguousarray(value).tobytes())
print(digest.hexdigest())
"""


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_results_do_not_depend_on_numbas_cache(tmp_path, engine):
    """A fresh process compiles the kernels; the next loads them from the cache (a different
    optimisation of the inlined day): both, on 1 and on 2 threads, give bit-identical states."""
    import os
    import subprocess

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache"), "NUMBA_NUM_THREADS": "2"}

    def digest(threads: int) -> str:
        done = subprocess.run([sys.executable, "-c", _HASH_A_RUN, str(threads), engine], env=env,
                              capture_output=True, text=True, check=True)  # fmt: skip
        return done.stdout.strip()

    fresh_two, cached_one, cached_two = digest(2), digest(1), digest(2)
    assert fresh_two == cached_one == cached_two
