"""Study benchmark: one 64-task sweep on 1 and 2 local workers and on a 2-worker Dask LocalCluster,
and a 4-scenario comparison with and without the shared burn-in, all measured in one run.

    python benchmarks/study_benchmark.py [--population 3000] [--days 365] [--output benchmarks/results.md]

- **Sweep**: `parameters.pain.from_poor_sleep` at 32 values x 2 replicates = 64 tasks of the
  baseline (`--population` people, the default 700 settling and 365 burn-in days, then `--days`),
  run through `simulation.sweep.run_sweep` exactly as `painsim sweep` runs it, without the cache.
  Timed from the start of the study to its last result, including starting the workers (and the
  Dask cluster), so the speed-ups are what a user gets. Each executor's tidy table is checked to be
  identical to the 1-worker one.
- **Compare**: baseline, cbt, cbti and exercise x `--replicates` replicates, once with every task
  burning in its own population (what compare did before) and once with one shared burn-in per
  replicate, in one process (so that the CPU time is the work done, whatever else the machine
  runs); the counts of burn-ins come from the study's own record, and the two results are
  checked to be identical.

The Markdown report replaces the section between the study-benchmark markers of `--output`
(it is also printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
START, END = "<!-- study-benchmark:start -->", "<!-- study-benchmark:end -->"


def sweep_runs(population: int, days: int) -> tuple[list[dict], int]:
    import pandas as pd

    from simulation.sweep import DEFAULT_OUTCOMES, design, parse_vary, run_sweep, scenario_at

    points = design([parse_vary("parameters.pain.from_poor_sleep=0.2:0.9:32")])
    overrides = [f"population={population}", f"days={days}", "replicates=2", "outputs.panel_size=0"]
    scenarios = [scenario_at(None, overrides, p) for p in points]
    tasks = sum(s.replicates for s in scenarios)
    rows, reference = [], None
    for label, jobs, dask in (("1 local worker (in-process)", 1, None), ("2 local worker processes", 2, None),
                              ("Dask LocalCluster, 2 workers", 2, "local")):  # fmt: skip
        t0 = time.perf_counter()
        result = run_sweep(scenarios, points, list(DEFAULT_OUTCOMES), jobs=jobs, dask=dask)
        seconds = time.perf_counter() - t0
        if reference is None:
            reference = result.tidy
        pd.testing.assert_frame_equal(reference, result.tidy)  # same numbers on every executor
        rows.append({"executor": label, "seconds": seconds, "tasks_per_minute": tasks * 60.0 / seconds,
                     "load": os.getloadavg()[0]})  # fmt: skip
        print(f"sweep on {label}: {seconds:.1f} s", file=sys.stderr)
    return rows, tasks


def compare_runs(population: int, days: int, replicates: int, jobs: int = 1) -> list[dict]:
    import pandas as pd

    from simulation.runner import run_many
    from simulation.scenario import load_scenario

    overrides = [f"population={population}", f"days={days}", f"replicates={replicates}", "outputs.panel_size=0"]
    scenarios = [load_scenario(ROOT / "scenarios" / f"{n}.yaml", overrides)
                 for n in ("baseline", "cbt", "cbti", "exercise")]  # fmt: skip
    rows, reference = [], None
    for label, share in (("each task burns in its own population", False), ("one shared burn-in per replicate", True)):
        t0, c0 = time.perf_counter(), time.process_time()
        runs = run_many(scenarios, jobs=jobs, share_burn_in=share)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        final = pd.concat([r.final().assign(scenario=r.scenario.name) for r in runs], ignore_index=True)
        if reference is None:
            reference = final
        pd.testing.assert_frame_equal(reference, final)  # the shared burn-in changes no number
        study = runs[0].extra["study"]
        burn_ins = study["burn_ins"] if share else study["tasks"]
        rows.append({"how": label, "tasks": study["tasks"], "burn_ins": burn_ins, "seconds": seconds, "cpu": cpu})
        print(f"compare, {label}: {seconds:.1f} s, {burn_ins} burn-ins", file=sys.stderr)
    return rows


def report(args, sweep: list[dict], tasks: int, compare: list[dict], load: tuple[float, ...]) -> str:
    base = sweep[0]["seconds"]
    lines = [
        START,
        "## Study benchmark (`benchmarks/study_benchmark.py`)",
        "",
        f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average at the start {load[0]:.2f} (other work on the machine "
        "shares its cores: a load above 2 leaves a second worker little to run on). Command: "
        "`python benchmarks/study_benchmark.py "
        f"--population {args.population} --days {args.days} --replicates {args.replicates}`.",
        "",
        f"**Sweep**: {tasks} tasks (32 values of `parameters.pain.from_poor_sleep` x 2 replicates), each "
        f"{args.population:,} people x (700 settling + 365 burn-in + {args.days}) days; wall time from the start of "
        "the study to its last result, workers' start-up included. Every executor gave the identical table.",
        "",
        "| executor | wall (s) | tasks per minute | speed-up vs 1 worker | load average at the end |",
        "|---|---|---|---|---|",
        *(f"| {r['executor']} | {r['seconds']:.1f} | {r['tasks_per_minute']:.1f} | {base / r['seconds']:.2f}x "
          f"| {r['load']:.1f} |" for r in sweep),
        "",
        f"**Compare** of 4 scenarios (baseline, cbt, cbti, exercise) x {args.replicates} replicates, "
        f"{args.population:,} people, {args.days} days after day 0, in one process; both ways gave identical "
        "results.",
        "",
        "| burn-in | tasks | burn-ins computed | wall (s) | CPU (s) |",
        "|---|---|---|---|---|",
        *(f"| {r['how']} | {r['tasks']} | {r['burn_ins']} | {r['seconds']:.1f} | {r['cpu']:.1f} |" for r in compare),
        "",
        f"Sharing the burn-in saves {1 - compare[1]['cpu'] / compare[0]['cpu']:.0%} of the comparison's CPU time "
        "here (settling and burn-in are 1,065 of each task's "
        f"{1065 + args.days:,} simulated days, so 4 scenarios sharing them need "
        f"{(1065 + 4 * args.days) / (4 * (1065 + args.days)):.0%} of the days).",
        END,
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=3000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--replicates", type=int, default=4, help="replicates of the 4-scenario comparison")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    load = os.getloadavg()
    sweep, tasks = sweep_runs(args.population, args.days)
    compare = compare_runs(args.population, args.days, args.replicates)
    text = report(args, sweep, tasks, compare, load)
    print(text)
    old = args.output.read_text() if args.output.exists() else ""
    if START in old and END in old:
        new = old[: old.index(START)] + text.rstrip("\n") + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text
    args.output.write_text(new)


if __name__ == "__main__":
    main()
