"""The `painsim` command: a thin layer over the library, each verb a few calls a notebook can make."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from simulation.parameters import parameter_markdown, parameter_rows
from simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict, scenario_schema

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="painsim: simulate the chronic pain - depression - poor sleep cycle in a synthetic population.",
)
err = Console(stderr=True)
out = Console()


def _fail(message: str, code: int = 2) -> None:
    err.print(f"painsim: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _option_overrides(population, years, days, replicates, seed) -> list[str]:
    if years is not None and days is not None:
        _fail("give --years or --days, not both.")
    overrides = []
    if population is not None:
        overrides.append(f"population={population}")
    if years is not None:
        overrides.append(f"years={years}")
    if days is not None:
        overrides.append(f"days={days}")
    if replicates is not None:
        overrides.append(f"replicates={replicates}")
    if seed is not None:
        overrides.append(f"seed={seed}")
    return overrides


def resolve_scenario(path: Path | None, overrides: list[str]) -> Scenario:
    """The scenario file (or the built-in baseline) with command-line overrides applied."""
    if path is not None:
        return load_scenario(path, overrides)
    from simulation.scenario import _apply_override, parse_override

    data: dict = {}
    for text in overrides:
        parts, value = parse_override(text)
        _apply_override(data, parts, value, text)
    return scenario_from_dict(data, "built-in baseline" + (f" (with {', '.join(overrides)})" if overrides else ""))


@app.command()
def run(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario YAML file (default: the built-in baseline).", show_default=False),
    ] = None,
    population: Annotated[int | None, typer.Option("--population", "-n", help="Number of people.")] = None,
    years: Annotated[float | None, typer.Option(help="Duration in years.")] = None,
    days: Annotated[int | None, typer.Option(help="Duration in days.")] = None,
    replicates: Annotated[int | None, typer.Option("--replicates", "-r", help="Replicates.")] = None,
    seed: Annotated[int | None, typer.Option(help="Run seed.")] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default: one per replicate, up to cores)."),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder under which the run's folder is made.")] = Path(
        "results"
    ),
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="Override a scenario field: --set parameters.pain.from_poor_sleep=0.6 (repeat).",
        ),
    ] = None,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="Write charts (HTML and PNG).")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run a scenario's replicates and write one results folder (data, summary, panel, charts)."""
    from simulation.results import write_results
    from simulation.runner import default_jobs, run_scenario

    if jobs is not None and jobs < 1:
        _fail(f"--jobs must be 1 or more, got {jobs}.")
    try:
        resolved = resolve_scenario(
            scenario, [*(set_ or []), *_option_overrides(population, years, days, replicates, seed)]
        )
    except ScenarioError as exc:
        _fail(str(exc))
    n_jobs = default_jobs(resolved.replicates) if jobs is None else jobs
    err.print(
        f"painsim: {resolved.name}: {resolved.population:,} people x {resolved.duration_days:,} days x "
        f"{resolved.replicates} replicates (seed {resolved.seed}, {n_jobs} worker{'s' if n_jobs > 1 else ''})",
        highlight=False,
    )
    total = resolved.duration_days
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("days"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=False,
    ) as progress:
        tasks = {i: progress.add_task(f"replicate {i}", total=total) for i in range(resolved.replicates)}

        def advance(replicate: int, done: int) -> None:
            progress.update(tasks[replicate], completed=done)

        try:
            result = run_scenario(resolved, jobs=n_jobs, progress=advance)
        except KeyboardInterrupt:
            _fail("interrupted; no results were written.", code=130)
    try:
        folder = write_results(result, out_dir, charts=charts and resolved.outputs.charts)
    except OSError as exc:
        _fail(f"could not write results under {out_dir}: {exc}. Nothing was left behind.", code=1)
    summary = result.summary().set_index("outcome")
    table = Table(title=f"{resolved.name}: end of run ({resolved.replicates} replicates, 95% interval of the mean)")
    table.add_column("outcome")
    table.add_column("mean", justify="right")
    table.add_column("95% interval", justify="right")
    for name in (
        "chronic_pain",
        "high_impact_chronic_pain",
        "depression",
        "insomnia",
        "depression_given_chronic_pain",
        "depression_given_no_chronic_pain",
        "mean_pain",
        "mean_phq9",
        "mean_isi",
    ):
        row = summary.loc[name]
        pct = not name.startswith("mean_")
        fmt = (lambda v: f"{v:.1%}") if pct else (lambda v: f"{v:.2f}")
        interval = "n/a (1 replicate)" if row["replicates"] < 2 else f"{fmt(row['ci95_low'])} - {fmt(row['ci95_high'])}"
        table.add_row(name, fmt(row["mean"]), interval)
    err.print(table)
    err.print(f"painsim: wrote {folder} in {result.wall_seconds:.1f} s", highlight=False)
    print(folder)


@app.command()
def params(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, markdown or json.")] = "table",
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", help="Show the values a scenario file sets (default: shipped defaults)."),
    ] = None,
) -> None:
    """Print every model parameter with value, unit, bounds, basis and source."""
    try:
        values = load_scenario(scenario).parameters if scenario is not None else None
    except ScenarioError as exc:
        _fail(str(exc))
    rows = parameter_rows(values)
    if fmt == "json":
        print(json.dumps(rows, indent=2))
    elif fmt == "csv":
        import pandas as pd

        pd.DataFrame(rows).to_csv(sys.stdout, index=False)
    elif fmt == "markdown":
        print(parameter_markdown(rows))
    elif fmt == "table":
        table = Table(show_lines=False, title=f"painsim parameters ({len(rows)})")
        for col in ("name", "value", "unit", "bounds", "basis", "source"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(
                r["name"],
                f"{r['value']:g}",
                r["unit"],
                f"{r['lower']:g} .. {r['upper']:g}",
                r["basis"],
                r["source"],
            )
        Console(width=max(out.width, 160)).print(table)
    else:
        _fail(f"--format {fmt!r} is not one of: table, csv, markdown, json.")


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editors and validators)."""
    text = json.dumps(scenario_schema(), indent=2)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n")
        err.print(f"painsim: wrote {output}")


if __name__ == "__main__":
    app()
