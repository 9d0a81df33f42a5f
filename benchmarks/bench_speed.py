"""Speed benchmark: the compiled PainCycleModel against the previous vectorised rules and the per-agent
Mesa reference, in one run.

    python benchmarks/bench_speed.py --sizes 100000 1000000 --days 30 --ref-sizes 100000 [--full-year] [--ten-years]

Measures, each in a fresh subprocess pinned to one CPU core (numpy/BLAS threads set to 1), so
that sizes do not contaminate each other's memory and the comparison is single-core:

- the model (`agent_views=False`, `burn_in_days=0`, `settle_days=0`), whose day is the compiled
  kernel (`simulation/rules/kernel.py`): construction time, then person-days per second of the
  `model.step()` loop alone (median of `--repeats` loops), under each engine, on 1 and 2 threads;
- the previous implementation, the numpy rules and `ClinicalStatus.update`
  (`benchmarks/vectorised_reference.py`), in the same model loop;
- the day's random numbers alone (numpy's SFC64, the compiled engine's Philox);
- per-agent reference (`benchmarks/per_agent_reference.py`) at `--ref-sizes` for `--ref-days`
  days: construction of the Mesa agents, then person-days per second of `model.step()`; the
  ratio vectorised / per-agent is taken at the same sizes from the same run;
- peak resident memory (`ru_maxrss`) of each subprocess and its resident memory after stepping,
  each less the memory after the imports and the compiled kernels' loading;
- with `--full-year`: 1,000,000 people x 365 days, total wall time (construction + stepping);
- with `--ten-years`: 1,000,000 people x 10 years with the default settling and burn-in, one core,
  the compiled engine, total wall time.

Prints a Markdown table and writes it to `--output` (default benchmarks/results.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FULL_YEAR = (1_000_000, 365)
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}


# -- workers: run inside a fresh subprocess, print one JSON line --------------------------------
def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports kB


def _pin_to_one_core() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def _scenario(size: int, seed: int, engine: str = "numpy"):
    from simulation import Scenario

    return Scenario(population=size, seed=seed, settle_days=0, burn_in_days=0, engine=engine)


def _set_threads(threads: int) -> None:
    import numba

    numba.set_num_threads(threads)


def _resident_mb() -> float:
    """Resident memory now (not the peak), from /proc/self/statm."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _load_kernels(engine: str) -> None:
    """Load the compiled kernels (and numba) before the clock and the memory baseline start: a tiny
    model's day under `engine` runs every kernel the measured model will."""
    from simulation import PainCycleModel

    PainCycleModel(_scenario(50, 1, "compiled" if engine == "compiled" else "numpy"), agent_views=False).step()


def _use_previous_rules() -> None:
    """Make the model's day the previous implementation: the vectorised numpy rules and
    `ClinicalStatus.update` (benchmarks/vectorised_reference.py), on the numpy engine's draws."""
    import simulation.model

    sys.path.insert(0, str(HERE))
    from vectorised_reference import vectorised_day

    class _Noise:
        normal = uniform = None

    def previous_day(state, status, params, noise, rng, mods, day):
        if mods is not None and not mods.active():
            mods = None
        _Noise.normal, _Noise.uniform, _ = noise.today(rng)
        vectorised_day(state, status, params, _Noise, mods, day)

    simulation.model.advance_day = previous_day


def work_vectorised(size: int, days: int, repeats: int, seed: int, engine: str = "numpy", threads: int = 1) -> dict:
    """The model's step loop; `engine` "previous" runs the previous vectorised rules instead of the kernel."""
    from simulation import PainCycleModel

    _set_threads(threads)
    _load_kernels(engine)
    if engine == "previous":
        _use_previous_rules()
    baseline = _resident_mb()
    start = time.perf_counter()
    model_engine = "numpy" if engine == "previous" else engine
    model = PainCycleModel(_scenario(size, seed, model_engine), seed=seed, burn_in_days=0, agent_views=False)
    construction = time.perf_counter() - start
    loops = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(days):
            model.step()
        loops.append(time.perf_counter() - start)
    stepping = statistics.median(loops)
    return {
        "construction_s": construction,
        "stepping_s": stepping,
        "stepping_best_s": min(loops),
        "stepping_total_s": sum(loops),
        "wall_s": construction + sum(loops),
        "person_days_per_s": size * days / stepping,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": _peak_rss_mb(),
        "resident_mb": _resident_mb(),
        "state_mb": (model.state.nbytes() + model.status.flags.nbytes) / 2**20,
    }


def work_ten_years(size: int, days: int, repeats: int, seed: int, engine: str = "compiled", threads: int = 1) -> dict:
    """A whole run as a user starts it: `size` people, the default settling and burn-in, 10 years,
    the default outputs; construction (synthesis, settling, burn-in) and the run timed together."""
    from simulation import PainCycleModel, Scenario

    _set_threads(threads)
    _load_kernels(engine)
    scenario = Scenario(population=size, seed=seed, years=10, engine=engine)
    start = time.perf_counter()
    model = PainCycleModel(scenario, agent_views=False)
    construction = time.perf_counter() - start
    model.run()
    wall = time.perf_counter() - start
    simulated = scenario.settle_days + scenario.burn_in_days + scenario.duration_days
    return {
        "construction_s": construction,
        "wall_s": wall,
        "days_simulated": simulated,
        "person_days_per_s": size * simulated / wall,
        "peak_rss_mb": _peak_rss_mb(),
    }


def work_draws(size: int, days: int, repeats: int, seed: int, engine: str = "numpy", threads: int = 1) -> dict:
    """The day's random numbers alone (4 normals and 3 uniforms per person): numpy's SFC64 stream
    as the numpy engine draws them, or the compiled engine's Philox kernel."""
    import numpy as np

    from simulation.counter_rng import fill_daily_noise, warm_up
    from simulation.rng import stream
    from simulation.rules.daily import DailyNoise

    noise = DailyNoise.allocate(size)
    if engine == "numpy":
        rng = stream(seed, 0, "daily")

        def draw(day: int) -> None:
            noise.draw(rng)
    else:
        warm_up()
        _set_threads(threads)

        def draw(day: int) -> None:
            fill_daily_noise(noise.normal, noise.uniform, seed, 0, day)

    draw(-1)
    loops = []
    for _ in range(repeats):
        start = time.perf_counter()
        for day in range(days):
            draw(day)
        loops.append(time.perf_counter() - start)
    stepping = statistics.median(loops)
    assert np.isfinite(noise.normal).all()
    return {"stepping_s": stepping, "person_days_per_s": size * days / stepping, "best_s": min(loops)}


def work_compile(size: int, days: int, repeats: int, seed: int, engine: str = "compiled", threads: int = 1) -> dict:
    """Time to the first compiled day in a fresh process: compiling when numba's cache (set by
    NUMBA_CACHE_DIR) is empty, loading it when it is not; includes importing numba."""
    import numpy as np

    start = time.perf_counter()
    from simulation.counter_rng import fill_daily_noise, warm_up

    fill_daily_noise(np.empty((4, 10), np.float32), np.empty((3, 10), np.float32), seed, 0, 0)
    first = time.perf_counter() - start
    warm_up()
    from simulation import PainCycleModel

    PainCycleModel(_scenario(size, seed, engine), agent_views=False).step()
    return {"first_draw_s": first, "all_kernels_s": time.perf_counter() - start}


def work_reference(size: int, days: int, repeats: int, seed: int, engine: str = "numpy", threads: int = 1) -> dict:
    sys.path.insert(0, str(HERE))
    from per_agent_reference import ReferenceModel

    from simulation import PainCycleModel

    baseline = _peak_rss_mb()
    start = time.perf_counter()
    scenario = _scenario(size, seed)
    initial = PainCycleModel(scenario, seed=seed, burn_in_days=0, agent_views=False).state.as_dict()
    synthesis = time.perf_counter() - start
    start = time.perf_counter()
    model = ReferenceModel(scenario.parameters, initial, seed=seed)
    construction = time.perf_counter() - start
    del initial
    start = time.perf_counter()
    for _ in range(days):
        model.step()
    stepping = time.perf_counter() - start
    return {
        "synthesis_s": synthesis,
        "construction_s": construction,
        "stepping_s": stepping,
        "wall_s": synthesis + construction + stepping,
        "person_days_per_s": size * days / stepping,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": _peak_rss_mb(),
    }


WORKERS = {
    "vectorised": work_vectorised,
    "reference": work_reference,
    "draws": work_draws,
    "compile": work_compile,
    "ten_years": work_ten_years,
}


def run_worker(
    kind: str,
    size: int,
    days: int,
    repeats: int,
    seed: int,
    pin: bool,
    engine: str = "numpy",
    threads: int = 1,
    env: dict | None = None,
) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON result (pinned to one core
    when `pin` and `threads` is 1; with more threads the worker may use every core)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    command += ["--size", str(size), "--days", str(days), "--repeats", str(repeats), "--seed", str(seed)]
    command += ["--engine", engine, "--threads", str(threads)]
    if not pin or threads > 1:
        command.append("--no-pin")
    env = {**os.environ, **SINGLE_THREAD_ENV, **(env or {})}
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} worker ({size} people, {days} days) failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update({"kind": kind, "size": size, "days": days, "engine": engine, "threads": threads})
    return result


def measure_engines(args) -> dict:
    """At each size: the compiled engine, the previous vectorised rules, and the day's draws alone
    under each engine; at the largest, 2 threads against 1; and the kernels' first-compile time."""
    out: dict = {"compiled": {}, "previous": {}, "draws_numpy": {}, "draws_compiled": {}}
    for size in sorted(args.sizes):
        print(f"compiled engine: {size:,} people x {args.days} days ...", file=sys.stderr, flush=True)
        out["compiled"][size] = run_worker("vectorised", size, args.days, args.repeats, args.seed, args.pin, "compiled")
        print(f"previous vectorised rules: {size:,} people x {args.days} days ...", file=sys.stderr, flush=True)
        out["previous"][size] = run_worker("vectorised", size, args.days, args.repeats, args.seed, args.pin, "previous")
        print(f"draws alone: {size:,} people x {args.days} days ...", file=sys.stderr, flush=True)
        for engine in ("numpy", "compiled"):
            draws = run_worker("draws", size, args.days, args.repeats, args.seed, args.pin, engine)
            out[f"draws_{engine}"][size] = draws
    largest = max(args.sizes)
    print(f"2 threads: {largest:,} people ...", file=sys.stderr, flush=True)
    out["draws_2"] = run_worker("draws", largest, args.days, args.repeats, args.seed, args.pin, "compiled", 2)
    out["compiled_2"] = run_worker("vectorised", largest, args.days, args.repeats, args.seed, args.pin, "compiled", 2)
    out["numpy_2"] = run_worker("vectorised", largest, args.days, args.repeats, args.seed, args.pin, "numpy", 2)
    with tempfile.TemporaryDirectory() as cache:
        print("first compile ...", file=sys.stderr, flush=True)
        env = {"NUMBA_CACHE_DIR": cache}
        out["compile_cold"] = run_worker("compile", 10, 1, 1, args.seed, args.pin, "compiled", env=env)
        out["compile_cached"] = run_worker("compile", 10, 1, 1, args.seed, args.pin, "compiled", env=env)
    return out


def _best(result: dict) -> dict:
    """A measurement's best loop as person-days/s: on a shared machine the least disturbed loop."""
    best = result.get("stepping_best_s", result.get("best_s", result["stepping_s"]))
    return {**result, "person_days_per_s": result["size"] * result["days"] / best}


def _grown(result: dict, key: str = "resident_mb") -> float:
    """Memory the model added over the imports and the loaded kernels (MB)."""
    return result[key] - result["baseline_rss_mb"]


def engine_report(args, vector: dict[int, dict], engines: dict, ten: dict | None = None) -> str:
    """The engines section of the report, with the issue's targets side by side."""
    ns = lambda r: 1e9 / r["person_days_per_s"]  # noqa: E731
    per_size = ("compiled", "previous", "draws_numpy", "draws_compiled")
    vector = {size: _best(r) for size, r in vector.items()}
    engines = {
        key: ({size: _best(r) for size, r in value.items()} if key in per_size
              else _best(value) if "stepping_s" in value else value)
        for key, value in engines.items()
    }  # fmt: skip
    lines = [
        "## The compiled day against the previous vectorised rules and the day's draws",
        "",
        "Both engines run the compiled kernel (`simulation/rules/kernel.py`: the rules, written once per "
        "person, and the clinical windows in one pass); they differ in where the day's 4 normals and 3 "
        "uniforms per person come from: numpy's SFC64 buffers, or Philox numbers the kernel makes inside "
        "its pass. 'Previous' is the implementation the kernel replaced, the numpy rules and "
        "`ClinicalStatus.update` (`benchmarks/vectorised_reference.py`), in the same model loop. 'Draws "
        "alone' times only the day's numbers. Whole model days include the daily reporters and the "
        f"weekly outcome records. One core each. Best of {args.repeats} loops of {args.days} days "
        "(the machine is shared: the least disturbed loop is the fairest comparison).",
        "",
        "| people | previous rules (person-days/s) | numpy engine (person-days/s) | compiled engine "
        "(person-days/s) | compiled / previous | numpy draws alone (ns / person-day) "
        "| compiled draws alone (ns / person-day) | numpy-engine day / numpy draws "
        "| compiled-engine day / numpy draws |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sorted(engines["compiled"]):
        v, c, old = vector[size], engines["compiled"][size], engines["previous"][size]
        dn, dc = engines["draws_numpy"][size], engines["draws_compiled"][size]
        lines.append(
            f"| {_people(size)} | {_n(old['person_days_per_s'], 0)} | {_n(v['person_days_per_s'], 0)} "
            f"| {_n(c['person_days_per_s'], 0)} | {_n(c['person_days_per_s'] / old['person_days_per_s'], 2)}x "
            f"| {_n(ns(dn), 1)} | {_n(ns(dc), 1)} | {_n(ns(v) / ns(dn), 2)} | {_n(ns(c) / ns(dn), 2)} |"
        )
    largest = max(engines["compiled"])
    one_draw, two_draw = engines["draws_compiled"][largest], engines["draws_2"]
    one_model, two_model = engines["compiled"][largest], engines["compiled_2"]
    one_numpy, two_numpy = vector[largest], engines["numpy_2"]
    lines += [
        "",
        f"### 2 threads against 1 on one replicate ({_people(largest)} people)",
        "",
        "| | 1 thread (person-days/s) | 2 threads (person-days/s) | 2 / 1 |",
        "|---|---:|---:|---:|",
        f"| compiled draws alone | {_n(one_draw['person_days_per_s'], 0)} | {_n(two_draw['person_days_per_s'], 0)} "
        f"| {_n(two_draw['person_days_per_s'] / one_draw['person_days_per_s'], 2)}x |",
        f"| compiled engine, whole day | {_n(one_model['person_days_per_s'], 0)} "
        f"| {_n(two_model['person_days_per_s'], 0)} "
        f"| {_n(two_model['person_days_per_s'] / one_model['person_days_per_s'], 2)}x |",
        f"| numpy engine, whole day | {_n(one_numpy['person_days_per_s'], 0)} "
        f"| {_n(two_numpy['person_days_per_s'], 0)} "
        f"| {_n(two_numpy['person_days_per_s'] / one_numpy['person_days_per_s'], 2)}x |",
        "",
        "The kernel spreads fixed chunks of people over numba's threads (identical results); so does "
        "the weekly outcome record's status histogram, while one thread makes its float sums in person "
        "order beside it. The numpy engine's SFC64 draws and the record's survey draws stay on one thread.",
        "",
        "### First compile",
        "",
        "Seconds in a fresh process, importing numba included: to the first day's draws (the serial "
        "Philox kernel), and to every kernel ready (the draws' kernels, then a first model day, which "
        "compiles or loads the day's kernel).",
        "",
        "| numba cache | first draws (s) | every kernel and a first model day (s) |",
        "|---|---:|---:|",
        f"| empty (after install or an edit) | {_n(engines['compile_cold']['first_draw_s'], 1)} "
        f"| {_n(engines['compile_cold']['all_kernels_s'], 1)} |",
        f"| filled (every later run) | {_n(engines['compile_cached']['first_draw_s'], 1)} "
        f"| {_n(engines['compile_cached']['all_kernels_s'], 1)} |",
        "",
        "### The issue's targets, from this run",
        "",
        "| target | aim | measured | met |",
        "|---|---|---:|---|",
    ]
    best = max(one_model["person_days_per_s"], vector[largest]["person_days_per_s"])
    day_vs_draws = (1e9 / best) / ns(engines["draws_numpy"][largest])
    resident = _grown(engines["compiled"][largest]) * 2**20 / largest
    peak = _grown(engines["compiled"][largest], "peak_rss_mb") * 2**20 / largest
    threads = two_model["person_days_per_s"] / one_model["person_days_per_s"]
    if ten is not None:
        ten_minutes, how = ten["wall_s"] / 60, "measured"
    else:  # settling, burn-in and 10 years at the measured step cost
        ten_minutes, how = largest * (700 + 365 + 3652) / best / 60, "extrapolated"
    lines += [
        f"| whole model at {_people(largest)} people, one core | >= 30 M person-days/s | "
        f"{_n(best / 1e6, 1)} M | {'yes' if best >= 30e6 else 'no'} |",
        f"| a model day against numpy drawing today's numbers | <= 1x | {_n(day_vs_draws, 2)}x | "
        f"{'yes' if day_vs_draws <= 1 else 'no'} |",
        f"| two cores on one replicate | >= 1.7x | {_n(threads, 2)}x | {'yes' if threads >= 1.7 else 'no'} |",
        f"| memory at {_people(largest)} people (resident after stepping; peak in brackets) | <= 250 bytes/person "
        f"| {_n(resident, 0)} ({_n(peak, 0)}) | {'yes' if resident <= 250 else 'no'} |",
        f"| {_people(largest)} people x 10 years with settling and burn-in, one core | < 5 min | "
        f"{_n(ten_minutes, 1)} min ({how}) | {'yes' if ten_minutes < 5 else 'no'} |",
        "",
    ]
    return "\n".join(lines)


# -- the report -------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    import mesa
    import numpy

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "mesa": mesa.__version__,
        "load": _load(),
    }


def _load() -> str:
    """The 1-minute load average (runnable processes on the machine, everyone's), or '?'."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def _n(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def _people(size: int) -> str:
    return f"{size:,}"


def report(args, info: dict, vector: dict[int, dict], reference: dict[int, dict], year: dict | None) -> str:
    lines = [
        "# painsim speed benchmark",
        "",
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} logical CPUs ({info['cpu']}), {info['os']}",
        f"- python {info['python']}, numpy {info['numpy']}, mesa {info['mesa']}",
        f"- load average (1 min, the whole machine's) at the start: {info['load']}, at the end: {_load()}; "
        f"above {info['nproc']} the cores were shared with other work and the timings are slower and noisier",
        f"- command: `python benchmarks/bench_speed.py {' '.join(args.argv)}`",
        "- every measurement ran in a fresh subprocess"
        + (", pinned to one CPU core" if args.pin else "")
        + ", with OMP/OpenBLAS/MKL threads = 1; all numbers below come from this one run",
        "",
        "## The model (`PainCycleModel`, the default numpy engine, `agent_views=False`, no settling, no burn-in)",
        "",
        f"`model.step()` loop of {args.days} days, median of {args.repeats} loops; construction "
        "(synthesis of the population, windows, streams) timed separately. The day is the compiled "
        "kernel (`simulation/rules/kernel.py`). Peak RSS is the subprocess's `ru_maxrss` (synthesis's "
        "temporaries set it); 'model memory' is the resident memory after stepping less the resident "
        "memory after the imports and the kernels' loading.",
        "",
        "| people | construction (s) | step loop (s) | person-days/s | ns / person-day "
        "| peak RSS (MB) | model memory (MB) | bytes / person |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, r in sorted(vector.items()):
        grown = _grown(r)
        lines.append(
            f"| {_people(size)} | {_n(r['construction_s'], 3)} | {_n(r['stepping_s'], 3)} "
            f"| {_n(r['person_days_per_s'], 0)} | {_n(1e9 / r['person_days_per_s'], 1)} "
            f"| {_n(r['peak_rss_mb'], 0)} | {_n(grown, 0)} | {_n(grown * 2**20 / size, 0)} |"
        )
    lines += [
        "",
        "## Per-agent reference (`benchmarks/per_agent_reference.py`) and the speed-up",
        "",
        "One `mesa.Agent` per person, scalar Python rules, `model.agents.do('step')`. Construction "
        "is the creation of the agents from an already synthesised population. The ratio divides "
        "the model's person-days/s (numpy engine) by the per-agent person-days/s at the same population size.",
        "",
        "| people | days | construction (s) | step loop (s) | person-days/s | µs / person-day "
        "| peak RSS (MB) | model memory (MB) | bytes / person | model / per-agent |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, r in sorted(reference.items()):
        ratio = vector[size]["person_days_per_s"] / r["person_days_per_s"]
        grown = r["peak_rss_mb"] - r["baseline_rss_mb"]
        lines.append(
            f"| {_people(size)} | {r['days']} | {_n(r['construction_s'], 2)} | {_n(r['stepping_s'], 2)} "
            f"| {_n(r['person_days_per_s'], 0)} | {_n(1e6 / r['person_days_per_s'], 2)} "
            f"| {_n(r['peak_rss_mb'], 0)} | {_n(grown, 0)} | {_n(grown * 2**20 / size, 0)} | **{_n(ratio, 0)}x** |"
        )
    if reference:
        largest = max(reference)
        r = reference[largest]
        people, days = FULL_YEAR
        minutes = people * days / r["person_days_per_s"] / 60
        memory = (r["peak_rss_mb"] - r["baseline_rss_mb"]) * people / largest / 1024
        lines += [
            "",
            f"Extrapolated from the per-agent rate at {_people(largest)} people: {_people(people)} people x "
            f"{days} days would take about {_n(minutes, 0)} minutes of stepping and about {_n(memory, 1)} GB "
            "for the agents.",
        ]
    lines += ["", "## 1,000,000 people x 365 days, one core", ""]
    if year is None:
        lines.append("Not run (pass `--full-year`).")
    else:
        lines += [
            "| people | days | construction (s) | step loop (s) | total wall time (s) | person-days/s "
            "| peak RSS (MB) |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {_people(year['size'])} | {year['days']} | {_n(year['construction_s'], 2)} "
            f"| {_n(year['stepping_total_s'], 1)} | **{_n(year['wall_s'], 1)}** "
            f"| {_n(year['size'] * year['days'] / year['stepping_total_s'], 0)} | {_n(year['peak_rss_mb'], 0)} |",
        ]
    lines += [
        "",
        "Notes: `model.step()` includes the day's outcome recording (the daily reporters, the population "
        "series every 7 days, a 50-person panel every 7 days), as in real runs. The per-agent reference "
        "draws from Python's `random` and computes in float64; the model draws from numpy SFC64 and "
        "computes in float32. All implement the same rules (checked by `tests/test_reference_oracle.py` "
        "and `tests/test_kernel.py`).",
        "",
    ]
    return "\n".join(lines)


def _study_section(path: Path) -> str:
    """The study benchmark's section of an existing report (`study_benchmark.py` owns it), kept."""
    if not path.exists():
        return ""
    old = path.read_text(encoding="utf-8")
    start, end = "<!-- study-benchmark:start -->", "<!-- study-benchmark:end -->"
    if start not in old or end not in old:
        return ""
    return "\n" + old[old.index(start) : old.index(end) + len(end)] + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        help="population sizes of the vectorised model",
    )
    parser.add_argument("--days", type=int, default=30, help="days stepped per vectorised loop")
    parser.add_argument("--repeats", type=int, default=3, help="vectorised step loops per size (median)")
    parser.add_argument(
        "--ref-sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000],
        help="population sizes of the per-agent reference (none: skip it)",
    )
    parser.add_argument("--ref-days", type=int, default=10, help="days stepped by the per-agent reference")
    parser.add_argument("--full-year", action="store_true", help="also run 1,000,000 people x 365 days")
    parser.add_argument(
        "--ten-years", action="store_true", help="also run 1,000,000 people x 10 years with settling and burn-in"
    )
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--output", type=Path, default=HERE / "results.md", help="Markdown file written")
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin workers to one core")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="numpy", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv

    if args.worker:  # inside a measurement subprocess
        core = _pin_to_one_core() if args.pin else None
        result = WORKERS[args.worker](args.size, args.days, args.repeats, args.seed, args.engine, args.threads)
        result["core"] = core
        print(json.dumps(result))
        return

    info = machine()
    vector: dict[int, dict] = {}
    reference: dict[int, dict] = {}
    for size in sorted(set(args.sizes) | set(args.ref_sizes)):
        print(f"vectorised: {size:,} people x {args.days} days x {args.repeats} ...", file=sys.stderr, flush=True)
        vector[size] = run_worker("vectorised", size, args.days, args.repeats, args.seed, args.pin)
    for size in sorted(args.ref_sizes):
        print(f"per-agent reference: {size:,} people x {args.ref_days} days ...", file=sys.stderr, flush=True)
        reference[size] = run_worker("reference", size, args.ref_days, 1, args.seed, args.pin)
    engines = measure_engines(args)
    year = None
    if args.full_year:
        people, days = FULL_YEAR
        print(f"full year: {people:,} people x {days} days ...", file=sys.stderr, flush=True)
        year = run_worker("vectorised", people, days, 1, args.seed, args.pin)

    ten = None
    if args.ten_years:
        print("ten years: 1,000,000 people, settling and burn-in included ...", file=sys.stderr, flush=True)
        ten = run_worker("ten_years", FULL_YEAR[0], 1, 1, args.seed, args.pin, "compiled")
    text = report(args, info, vector, reference, year) + "\n" + engine_report(args, vector, engines, ten)
    print(text)
    args.output.write_text(text + _study_section(args.output), encoding="utf-8")
    print(f"written to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
