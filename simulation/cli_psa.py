"""`painsim psa` and `painsim dsa`: probabilistic and one-way sensitivity analysis of a comparison
of strategies (`simulation.economics.psa`), registered on the one `painsim` app.

Both run their simulations through the study runner (`simulation.study`): one progress bar,
local processes (`--jobs`) or Dask (`--dask`), and a cache under `--out`, so the same command,
rerun after an interruption, takes the finished runs from the cache.
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
    SetOpt,
    YearsOpt,
    app,
    resolve_scenario,
    wide,
)
from simulation.cli_studies import CacheOpt, _cache, _done_line, _say
from simulation.inputs import InputError, excerpt
from simulation.results import check_out_root
from simulation.scenario import option_overrides

StrategiesArg = Annotated[
    list[Path],
    typer.Argument(metavar="SCENARIO", help="Scenario files, one per strategy; the first is the reference unless "
                   "--reference names another."),
]  # fmt: skip
ReferenceOpt = Annotated[str | None, typer.Option("--reference", help="Name (or file) of the reference strategy.")]
PsaSeedOpt = Annotated[
    int | None,
    typer.Option("--seed", help="Seed of the simulations and of the parameter draws (default: the reference "
                 "scenario's seed)."),
]  # fmt: skip


def _strategies(scenarios: list[Path], reference: str | None, overrides: list[str]):
    """The strategies resolved, and the index of the reference; bad input is an input error."""
    if len(scenarios) < 2:
        raise InputError("give at least two scenario files (strategies); the first is the reference.")
    resolved = [resolve_scenario(path, overrides) for path in scenarios]
    names = [s.name for s in resolved]
    if len(set(names)) < len(names):
        raise InputError(f"strategy names must differ; got {', '.join(names)} (give each scenario its own `name`).")
    if reference is None:
        return resolved, 0
    matches = [i for i, (s, p) in enumerate(zip(resolved, scenarios, strict=True)) if reference in (s.name, str(p))]
    if not matches:
        raise InputError(f"--reference {excerpt(reference)} is none of the strategies: {', '.join(names)}.")
    return resolved, matches[0]


def _tasks(strategies, reference: int, points: int) -> int:
    from simulation.economics.psa import needs_own_simulations, simulation_count, uncertain_parameters

    return simulation_count(strategies, reference, points if needs_own_simulations(uncertain_parameters()) else 1)


@app.command()
def psa(
    scenarios: StrategiesArg,
    samples: Annotated[int, typer.Option("--samples", help="Parameter draws (PSA samples).")] = 200,
    reference: ReferenceOpt = None,
    evpi_population: Annotated[
        int | None,
        typer.Option(
            "--evpi-population",
            help="People the decision concerns, for the population EVPI (default: "
            "US adults, 2020 Census, 258.3 million).",
        ),
    ] = None,  # fmt: skip
    population: PopulationOpt = None,
    years: YearsOpt = None,
    days: DaysOpt = None,
    replicates: ReplicatesOpt = None,
    seed: PsaSeedOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    out_dir: OutOpt = Path("results"),
    set_: SetOpt = None,
    charts: ChartsOpt = True,
    cache: CacheOpt = True,
    quiet: QuietOpt = False,
) -> None:
    """Probabilistic sensitivity analysis: draw every parameter that declares an uncertainty, value
    every strategy under each draw on the same people and random numbers; write the CE plane, the
    acceptability curve and frontier, the EVPI, a tidy table and report.md."""
    from simulation.economics.psa import US_ADULTS_2020, US_ADULTS_SOURCE, check_samples, run_psa
    from simulation.economics.psa_report import write_psa
    from simulation.study import check_executor_options, study_progress

    check_executor_options(jobs, dask)
    check_samples(samples)
    if evpi_population is not None and evpi_population < 1:
        raise InputError(f"--evpi-population must be 1 or more people, got {evpi_population}.")
    overrides = [*(set_ or []), *option_overrides(population, years, days, replicates, seed)]
    strategies, ref = _strategies(scenarios, reference, overrides)
    check_out_root(out_dir)
    base = strategies[ref]
    total = _tasks(strategies, ref, samples)
    _say(quiet, f"painsim: PSA of {len(strategies)} strategies against {base.name}: {samples} samples; {total} runs "
                f"({base.population:,} people x {base.duration_days:,} days each)")  # fmt: skip
    size, source = (US_ADULTS_2020, US_ADULTS_SOURCE) if evpi_population is None else (evpi_population, "as given")
    with study_progress(total, "psa", quiet) as progress:
        result = run_psa(strategies, ref, samples, population=size, population_source=source, jobs=jobs, dask=dask,
                         cache=_cache(out_dir, cache), progress=progress)  # fmt: skip
    for note in result.evaluation.notes:
        _say(quiet, f"painsim: note: {note}")
    folder = write_psa(result, out_dir, charts=charts)
    if not quiet:
        from rich.table import Table

        table = result.acceptability()
        s = result.settings
        view = Table(title=f"PSA, {s.perspective} perspective: {samples} samples")
        for col in ("USD/QALY", "best (expected NMB)", "P(cost-effective)", "EVPI per person", "EVPI population"):
            view.add_column(col, justify="right")
        for wtp in s.wtp_thresholds:
            mine = table[(table["perspective"] == s.perspective) & (table["wtp_per_qaly"] == wtp)]
            row = mine[mine["on_frontier"]].iloc[0]
            view.add_row(f"{wtp:,.0f}", row["strategy"], f"{row['probability_cost_effective']:.1%}",
                         f"{row['evpi_per_person']:,.2f}", f"{row['evpi_population']:,.0f}")  # fmt: skip
        wide.print(view)
    _say(quiet, f"painsim: {_done_line(result.evaluation.stats)}; wrote {folder}")
    print(folder)


@app.command()
def dsa(
    scenarios: StrategiesArg,
    reference: ReferenceOpt = None,
    wtp: Annotated[
        float | None,
        typer.Option(
            "--wtp",
            help="Willingness to pay (USD per QALY) of the net monetary benefit (default: the "
            "middle of the reference's thresholds).",
        ),
    ] = None,  # fmt: skip
    population: PopulationOpt = None,
    years: YearsOpt = None,
    days: DaysOpt = None,
    replicates: ReplicatesOpt = None,
    seed: PsaSeedOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    out_dir: OutOpt = Path("results"),
    set_: SetOpt = None,
    charts: ChartsOpt = True,
    cache: CacheOpt = True,
    quiet: QuietOpt = False,
) -> None:
    """One-way sensitivity analysis: each uncertain parameter at the low and the high end of its
    declared 95% interval; a tornado chart of the incremental net monetary benefit of the first
    non-reference strategy against the reference, with the ICERs in one_way.csv and report.md."""
    from simulation.economics.psa import run_one_way, uncertain_parameters
    from simulation.economics.psa_report import write_one_way
    from simulation.study import check_executor_options, study_progress

    check_executor_options(jobs, dask)
    overrides = [*(set_ or []), *option_overrides(population, years, days, replicates, seed)]
    strategies, ref = _strategies(scenarios, reference, overrides)
    check_out_root(out_dir)
    base = strategies[ref]
    total = _tasks(strategies, ref, 1 + 2 * len(uncertain_parameters()))
    _say(quiet, f"painsim: one-way analysis against {base.name}: {total} runs ({base.population:,} people x "
                f"{base.duration_days:,} days each)")  # fmt: skip
    with study_progress(total, "dsa", quiet) as progress:
        result = run_one_way(strategies, ref, wtp, jobs=jobs, dask=dask, cache=_cache(out_dir, cache),
                             progress=progress)  # fmt: skip
    for note in result.evaluation.notes:
        _say(quiet, f"painsim: note: {note}")
    folder = write_one_way(result, out_dir, charts=charts)
    if not quiet:
        from rich.table import Table

        table = result.table()
        view = Table(title=f"One-way: {result.comparator} vs {result.reference}, incremental NMB at "
                     f"{result.wtp:,.0f} USD/QALY (top 10 by swing)")  # fmt: skip
        for col in ("parameter", "low end", "high end", "NMB at low", "NMB at high"):
            view.add_column(col, justify="left" if col == "parameter" else "right")
        ends = table[table["end"] != "base"]
        for parameter, part in list(ends.groupby("parameter", sort=False))[:10]:
            low, high = part[part["end"] == "low"].iloc[0], part[part["end"] == "high"].iloc[0]
            view.add_row(parameter, f"{low['value']:g}", f"{high['value']:g}", f"{low['incremental_nmb']:,.2f}",
                         f"{high['incremental_nmb']:,.2f}")  # fmt: skip
        wide.print(view)
        _say(quiet, f"painsim: base case incremental NMB {table.iloc[0]['incremental_nmb']:,.2f} USD per person")
    _say(quiet, f"painsim: {_done_line(result.evaluation.stats)}; wrote {folder}")
    print(folder)
