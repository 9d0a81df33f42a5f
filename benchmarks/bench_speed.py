"""Speed benchmark: the vectorised PainCycleModel against the per-agent Mesa reference, in one run.

    python benchmarks/bench_speed.py --sizes 10000 100000 1000000 --days 30 [--full-year]

Measures, each in a fresh subprocess pinned to one CPU core (numpy/BLAS threads set to 1), so
that sizes do not contaminate each other's memory and the comparison is single-core:

- vectorised model (`agent_views=False`, `burn_in_days=0`, `settle_days=0`): construction time,
  then person-days per second of the `model.step()` loop alone (median of `--repeats` loops);
- per-agent reference (`benchmarks/per_agent_reference.py`) at `--ref-sizes` for `--ref-days`
  days: construction of the Mesa agents, then person-days per second of `model.step()`; the
  ratio vectorised / per-agent is taken at the same sizes from the same run;
- peak resident memory (`ru_maxrss`) of each subprocess, and its growth over the bare imports;
- with `--full-year`: 1,000,000 people x 365 days, total wall time (construction + stepping).

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


def _scenario(size: int, seed: int):
    from simulation import Scenario

    return Scenario(population=size, seed=seed, settle_days=0, burn_in_days=0)


def work_vectorised(size: int, days: int, repeats: int, seed: int) -> dict:
    from simulation import PainCycleModel

    baseline = _peak_rss_mb()
    start = time.perf_counter()
    model = PainCycleModel(_scenario(size, seed), seed=seed, burn_in_days=0, agent_views=False)
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
        "state_mb": (model.state.nbytes() + model.status.flags.nbytes) / 2**20,
    }


def work_reference(size: int, days: int, repeats: int, seed: int) -> dict:
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


WORKERS = {"vectorised": work_vectorised, "reference": work_reference}


def run_worker(kind: str, size: int, days: int, repeats: int, seed: int, pin: bool) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    command += ["--size", str(size), "--days", str(days), "--repeats", str(repeats), "--seed", str(seed)]
    if not pin:
        command.append("--no-pin")
    env = {**os.environ, **SINGLE_THREAD_ENV}
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} worker ({size} people, {days} days) failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update({"kind": kind, "size": size, "days": days})
    return result


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
    }


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
        f"- command: `python benchmarks/bench_speed.py {' '.join(args.argv)}`",
        "- every measurement ran in a fresh subprocess"
        + (", pinned to one CPU core" if args.pin else "")
        + ", with OMP/OpenBLAS/MKL threads = 1; all numbers below come from this one run",
        "",
        "## Vectorised model (`PainCycleModel`, `agent_views=False`, no settling, no burn-in)",
        "",
        f"`model.step()` loop of {args.days} days, median of {args.repeats} loops; construction "
        "(synthesis of the population, windows, streams) timed separately. Peak RSS is the "
        "subprocess's `ru_maxrss`; 'model memory' is peak RSS minus the RSS after the imports.",
        "",
        "| people | construction (s) | step loop (s) | person-days/s | ns / person-day "
        "| peak RSS (MB) | model memory (MB) | bytes / person |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, r in sorted(vector.items()):
        grown = r["peak_rss_mb"] - r["baseline_rss_mb"]
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
        "the vectorised person-days/s by the per-agent person-days/s at the same population size.",
        "",
        "| people | days | construction (s) | step loop (s) | person-days/s | µs / person-day "
        "| peak RSS (MB) | model memory (MB) | bytes / person | vectorised / per-agent |",
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
        "Notes: `model.step()` includes the day's outcome recording (population series every 7 days, a "
        "100-person panel every day), as in real runs. The per-agent reference draws from Python's "
        "`random` and computes in float64; the vectorised model draws from numpy SFC64 and computes "
        "in float32. Both implement the same rules (checked by `tests/test_reference_oracle.py`).",
        "",
    ]
    return "\n".join(lines)


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
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--output", type=Path, default=HERE / "results.md", help="Markdown file written")
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin workers to one core")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv

    if args.worker:  # inside a measurement subprocess
        core = _pin_to_one_core() if args.pin else None
        result = WORKERS[args.worker](args.size, args.days, args.repeats, args.seed)
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
    year = None
    if args.full_year:
        people, days = FULL_YEAR
        print(f"full year: {people:,} people x {days} days ...", file=sys.stderr, flush=True)
        year = run_worker("vectorised", people, days, 1, args.seed, args.pin)

    text = report(args, info, vector, reference, year)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    print(f"written to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
