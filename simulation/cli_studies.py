"""The study commands `painsim sweep` and `painsim sensitivity`, registered on the one `painsim` app.

Each runs its (point, replicate) tasks through the study runner (`simulation.study`): one progress
bar over every task with the time remaining, local processes (`--jobs`) or Dask (`--dask`), and a
cache under `--out` so the same command, rerun after an interruption, skips the finished tasks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulation.cli import (
    ChartsOpt,
    DaskOpt,
    DaysOpt,
    JobsOpt,
    OutOpt,
    PopulationOpt,
    QuietOpt,
    ReplicatesOpt,
    SeedOpt,
    SetOpt,
    YearsOpt,
    _option_overrides,
    app,
    err,
    resolve_scenario,
    wide,
)
from simulation.results import check_out_root

ScenarioArg = Annotated[
    Path | None, typer.Argument(help="Scenario YAML file (default: the built-in baseline).", show_default=False)
]
OutcomesOpt = Annotated[
    list[str] | None,
    typer.Option("--outcomes", help="Outcomes to report (repeat; default: the key prevalences, means, QALYs, cost)."),
]
CacheOpt = Annotated[
    bool,
    typer.Option(
        "--cache/--no-cache",
        help="Keep finished tasks in OUT/.painsim-cache, so the same command rerun skips them.",
    ),
]


def _say(quiet: bool, text: str) -> None:
    if not quiet:
        err.print(text, highlight=False, soft_wrap=True)


def _cache(out_dir: Path, cache: bool):
    from simulation.study import default_cache

    return default_cache(out_dir) if cache else None


def _done_line(stats: dict) -> str:
    cached = f", {stats['cached']} from the cache" if stats["cached"] else ""
    burn = f", {stats['burn_ins']} shared burn-ins" if stats["burn_ins"] else ""
    executor = stats["executor"]
    where = f"{executor['workers']} worker{'s' if executor['workers'] != 1 else ''} ({executor['kind']})"
    return f"{stats['computed']} tasks run{cached}{burn} on {where} in {stats['wall_seconds']:.1f} s"


@app.command()
def sweep(
    scenario: ScenarioArg = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            metavar="KEY=V1,V2|KEY=LO:HI:N",
            help="A dotted key --set accepts and its values: a list V1,V2,..., N values from LO to HI "
            "(LO:HI:N), or a range LO:HI for --design lhs (repeat for more keys).",
        ),
    ] = None,
    design: Annotated[str, typer.Option("--design", help="grid (every combination) or lhs (Latin hypercube).")] = (
        "grid"
    ),
    samples: Annotated[int | None, typer.Option("--samples", help="Points of an lhs design.")] = None,
    outcomes: OutcomesOpt = None,
    population: PopulationOpt = None,
    years: YearsOpt = None,
    days: DaysOpt = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    out_dir: OutOpt = Path("results"),
    set_: SetOpt = None,
    charts: ChartsOpt = True,
    cache: CacheOpt = True,
    quiet: QuietOpt = False,
) -> None:
    """Run a scenario at every point of a grid or Latin hypercube of values; write one tidy table
    (point, replicate, outcome, value), a summary with 95% intervals, and charts per varied key."""
    from simulation.study import check_executor_options, study_progress
    from simulation.sweep import check_outcomes, parse_vary, run_sweep, scenario_at, write_sweep
    from simulation.sweep import design as make_design

    check_executor_options(jobs, dask)
    varies = [parse_vary(text) for text in vary or []]
    chosen = check_outcomes(outcomes)
    overrides = [*(set_ or []), *_option_overrides(population, years, days, replicates, seed)]
    base = resolve_scenario(scenario, overrides)
    points = make_design(varies, design, samples, seed=base.seed)
    scenarios = [scenario_at(scenario, overrides, point) for point in points]
    check_out_root(out_dir)
    total = sum(s.replicates for s in scenarios)
    _say(quiet, f"painsim: sweep of {base.name}: {len(points)} points x {base.replicates} replicates = {total} "
                f"tasks ({base.population:,} people x {base.duration_days:,} days each)")  # fmt: skip
    with study_progress(total, "sweep", quiet) as progress:
        result = run_sweep(scenarios, points, chosen, design, jobs=jobs, dask=dask, cache=_cache(out_dir, cache),
                           progress=progress)  # fmt: skip
    folder = write_sweep(result, out_dir, charts=charts)
    if not quiet:
        from rich.table import Table

        summary = result.summary()
        view = Table(title=f"Sweep of {base.name}: mean across replicates (95% interval)")
        for col in ("point", *result.keys, "outcome", "mean"):
            view.add_column(col, overflow="fold")
        for row in summary.head(60).to_dict("records"):
            interval = "" if row["ci95_low"] != row["ci95_low"] else f" ({row['ci95_low']:.3g}, {row['ci95_high']:.3g})"
            view.add_row(str(row["point"]), *(f"{row[k]:.4g}" if isinstance(row[k], float) else str(row[k])
                                              for k in result.keys),
                         row["outcome"], f"{row['mean']:.4g}{interval}")  # fmt: skip
        wide.print(view)
        if len(summary) > 60:
            _say(quiet, f"painsim: {len(summary) - 60} more rows in {folder / 'summary.csv'}")
    _say(quiet, f"painsim: {_done_line(result.stats)}; wrote {folder}")
    print(folder)


@app.command()
def sensitivity(
    scenario: ScenarioArg = None,
    method: Annotated[str, typer.Option("--method", help="morris (screening: mu*, sigma) or sobol (S1, ST).")] = (
        "morris"
    ),
    params: Annotated[
        list[str] | None,
        typer.Option(
            "--params",
            metavar="GROUP_OR_KEY",
            help="Parameters to vary over their declared bounds: a group (pain) or one (pain.from_poor_sleep); "
            "repeat. Default: every parameter.",
        ),
    ] = None,
    samples: Annotated[
        int | None,
        typer.Option(
            "--samples", help="Morris trajectories (default 10) or Sobol base samples, a power of 2 (default 64)."
        ),
    ] = None,  # fmt: skip
    outcomes: OutcomesOpt = None,
    population: PopulationOpt = None,
    years: YearsOpt = None,
    days: DaysOpt = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    out_dir: OutOpt = Path("results"),
    set_: SetOpt = None,
    charts: ChartsOpt = True,
    cache: CacheOpt = True,
    quiet: QuietOpt = False,
) -> None:
    """Global sensitivity analysis (SALib) over the parameters' declared bounds: Morris mu*/sigma or
    Sobol S1/ST with 95% intervals, per outcome; writes tables and charts."""
    from simulation.inputs import InputError
    from simulation.sensitivity import DEFAULT_OUTCOMES, METHODS, run_sensitivity, sample, select_parameters
    from simulation.sensitivity import write_sensitivity as write
    from simulation.study import check_executor_options, study_progress
    from simulation.sweep import check_outcomes

    check_executor_options(jobs, dask)
    if method not in METHODS:
        raise InputError(f"--method {method}: must be one of {', '.join(METHODS)}.")
    samples = samples if samples is not None else (10 if method == "morris" else 64)
    space = select_parameters(params)
    chosen = check_outcomes(outcomes or list(DEFAULT_OUTCOMES))
    overrides = [*(set_ or []), *_option_overrides(population, years, days, replicates, seed)]
    base = resolve_scenario(scenario, overrides)
    n_points = len(sample(space, method, samples, base.seed))
    check_out_root(out_dir)
    total = n_points * base.replicates
    _say(quiet, f"painsim: {method} analysis of {len(space)} parameters of {base.name}: {n_points} points x "
                f"{base.replicates} replicates = {total} tasks ({base.population:,} people x "
                f"{base.duration_days:,} days each)")  # fmt: skip
    with study_progress(total, method, quiet) as progress:
        result = run_sensitivity(base, space, method, samples, chosen, jobs=jobs, dask=dask,
                                 cache=_cache(out_dir, cache), progress=progress)  # fmt: skip
    folder = write(result, out_dir, charts=charts)
    if not quiet:
        from rich.table import Table

        shown = ["mu_star", "mu_star_conf", "sigma"] if method == "morris" else ["S1", "S1_conf", "ST", "ST_conf"]
        for outcome, part in result.indices.groupby("outcome", sort=False):
            view = Table(title=f"{method}: {outcome} (top 8 of {len(part)})")
            for col in ("rank", "parameter", *shown):
                view.add_column(col, justify="left" if col == "parameter" else "right")
            for row in part.head(8).to_dict("records"):
                view.add_row(str(row["rank"]), row["parameter"], *(f"{row[c]:.3g}" for c in shown))
            wide.print(view)
    _say(quiet, f"painsim: {_done_line(result.stats)}; wrote {folder}")
    print(folder)
