"""The `painsim` command: a thin layer over the library, each verb a few calls a notebook can make."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from simulation.guard import GuardedTyper
from simulation.inputs import excerpt
from simulation.parameters import parameter_document, parameter_markdown, parameter_rows
from simulation.results import check_out_file, check_out_root
from simulation.scenario import Scenario, load_scenario, option_overrides, resolve_scenario, scenario_schema
from simulation.units import DAYS_PER_YEAR

err = Console(stderr=True)
out = Console()
wide = err  # result tables: rich fits them to the terminal (COLUMNS when not a terminal), folding long cells


def _fail(message: str, code: int = 2) -> None:
    err.print(f"painsim: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


# Every command runs inside one error path (simulation/guard.py): bad input exits 2 with a message,
# Ctrl-C or SIGTERM exits 130 with nothing written, an internal error exits 1 with a saved traceback.
app = GuardedTyper(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="painsim: simulate the chronic pain - depression - poor sleep cycle in a synthetic population.",
    fail=_fail,
)


def _show_version(value: bool) -> None:
    """`painsim --version`: the package version, and the git revision when run from a checkout."""
    if not value:
        return
    from simulation.results import version_text

    print(version_text())
    raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and git revision."),
    ] = False,
) -> None:
    """painsim: simulate the chronic pain - depression - poor sleep cycle in a synthetic population."""


def _check_jobs(jobs: int | None) -> None:
    if jobs is not None and jobs < 1:
        _fail(f"--jobs must be 1 or more, got {jobs}.")


def _resolved(
    path: Path | None, set_: list[str] | None, population=None, years=None, days=None, replicates=None, seed=None
) -> Scenario:
    """The scenario with --set and option overrides (a bad one exits 2 with the error)."""
    return resolve_scenario(path, [*(set_ or []), *option_overrides(population, years, days, replicates, seed)])


def _reproducing_command() -> str:
    """The command line that made a report, without the options that only say where and how to write it."""
    dropped_with_value = {"--out", "-o", "--jobs", "-j", "--dask"}
    dropped = {"-q", "--quiet", "--charts", "--no-charts"}
    words, skip = ["painsim"], False
    for word in sys.argv[1:]:
        if skip:
            skip = False
        elif word in dropped_with_value:
            skip = True
        elif word not in dropped and not any(word.startswith(f"{o}=") for o in dropped_with_value):
            words.append(word)
    return " ".join(words)


def _out_path(text: str | Path) -> Path:
    """--out as given: an empty path is refused here, before typer turns it into '.'."""
    if not str(text).strip():
        raise typer.BadParameter("the path is empty; give a folder, for example --out results.")
    return Path(text)


PopulationOpt = Annotated[int | None, typer.Option("--population", "-n", help="Number of people.")]
YearsOpt = Annotated[float | None, typer.Option(help="Duration in years.")]
DaysOpt = Annotated[int | None, typer.Option(help="Duration in days.")]
ReplicatesOpt = Annotated[int | None, typer.Option("--replicates", "-r", help="Replicates.")]
SeedOpt = Annotated[int | None, typer.Option(help="Run seed.")]
JobsOpt = Annotated[
    int | None, typer.Option("--jobs", "-j", help="Worker processes (default: one per task, up to the cores).")
]
DaskOpt = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="SCHEDULER",
        help="Run on a Dask cluster: its scheduler address (tcp://HOST:8786), or `local` to start one here "
        "with --jobs workers. Needs: pip install 'painsim[dask]'.",
    ),
]
OutOpt = Annotated[
    Path, typer.Option("--out", "-o", parser=_out_path, help="Folder under which the run's folder is made.")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="KEY=VALUE",
        help="Override a scenario field: --set parameters.pain.from_poor_sleep=0.6 (repeat).",
    ),
]
ChartsOpt = Annotated[bool, typer.Option("--charts/--no-charts", help="Write charts (HTML and PNG).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no tables: only the result's path.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the results as JSON on stdout (for scripts).")]


class ObjectiveChoice(StrEnum):
    """The calibration objectives (`simulation.calibration.OBJECTIVES`)."""

    squared = "squared"
    band = "band"


class PanelChoice(StrEnum):
    """How much of the panel a run writes: the scenario's sample, or a row every day."""

    sample = "sample"
    full = "full"


PanelOpt = Annotated[
    PanelChoice,
    typer.Option(
        "--panel",
        help="panel.parquet: the scenario's sample (default: 50 people, a row a week) or `full` (a row every "
        "day for the same people; about 7 times larger).",
    ),
]


def _progress(quiet: bool, unit: str = "days") -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("remaining"),
        TimeRemainingColumn(),
        console=err,
        disable=quiet,
    )


@app.command()
def run(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario YAML file (default: the built-in baseline).", show_default=False),
    ] = None,
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
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
    panel: PanelOpt = PanelChoice.sample,
) -> None:
    """Run a scenario's replicates and write one results folder (data, summary, panel, charts)."""
    from simulation.results import write_results
    from simulation.runner import default_jobs, run_scenario

    _check_jobs(jobs)
    if panel is PanelChoice.full:
        set_ = [*(set_ or []), "outputs.panel_every_days=1"]
    resolved = _resolved(scenario, set_, population, years, days, replicates, seed)
    check_out_root(out_dir)
    n_jobs = default_jobs(resolved.replicates) if jobs is None else jobs
    (err.print if not quiet else (lambda *a, **k: None))(
        f"painsim: {resolved.name}: {resolved.population:,} people x {resolved.duration_days:,} days x "
        f"{resolved.replicates} replicates (seed {resolved.seed}, {n_jobs} worker{'s' if n_jobs > 1 else ''})",
        highlight=False,
    )
    from simulation.study import study_progress

    with study_progress(resolved.replicates, "replicates", quiet, console=err) as advance:
        try:
            result = run_scenario(
                resolved, jobs=n_jobs, progress=lambda r, d: advance(r, d / resolved.duration_days), dask=dask
            )
        except KeyboardInterrupt:
            _fail("interrupted; no results were written.", code=130)
    try:
        folder = write_results(result, out_dir, charts=charts and resolved.outputs.charts)
    except OSError as exc:
        _fail(f"could not write results under {out_dir}: {exc}. Nothing was left behind.", code=1)
    from simulation.tables import run_json, run_table

    summary = result.summary()
    if as_json:
        print(json.dumps(run_json(folder, resolved, summary), indent=2))
        return
    if not quiet:
        wide.print(run_table(summary, resolved.name, resolved.population, resolved.duration_days / DAYS_PER_YEAR))
        err.print(f"painsim: wrote {folder} in {result.wall_seconds:.1f} s", highlight=False, soft_wrap=True)
    print(folder)


@app.command()
def compare(
    scenarios: Annotated[
        list[Path],
        typer.Argument(
            metavar="SCENARIO", help="Scenario files; the first is the reference unless --reference names another."
        ),
    ],
    reference: Annotated[
        str | None, typer.Option("--reference", help="Name (or file) of the reference scenario.")
    ] = None,
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
    quiet: QuietOpt = False,
) -> None:
    """Run scenarios on the same people and random numbers; write levels, paired differences,
    NNT, costs and QALYs, and charts."""
    from simulation.compare import check_distinct_names, compare_scenarios, reference_index, write_comparison
    from simulation.runner import default_jobs

    if len(scenarios) < 2:
        _fail("compare needs at least two scenario files (the first is the reference).")
    _check_jobs(jobs)
    overrides = [*(set_ or []), *option_overrides(population, years, days, replicates, seed)]
    resolved = [resolve_scenario(path, overrides) for path in scenarios]
    check_out_root(out_dir)
    check_distinct_names(resolved)
    ref = reference_index(resolved, reference, scenarios)
    names = [s.name for s in resolved]
    first = resolved[ref]
    n_tasks = len(resolved) * first.replicates
    n_jobs = default_jobs(n_tasks) if jobs is None else jobs
    (err.print if not quiet else (lambda *a, **k: None))(
        f"painsim: comparing {len(resolved)} scenarios against {names[ref]}: {first.population:,} people x "
        f"{first.duration_days:,} days x {first.replicates} replicates (seed {first.seed}, {n_jobs} workers)",
        highlight=False,
    )
    from simulation.study import study_progress

    with study_progress(n_tasks, "runs", quiet, console=err) as advance:
        try:
            comparison = compare_scenarios(
                resolved, ref, jobs=n_jobs, progress=lambda k, d: advance(k, d / first.duration_days), dask=dask
            )
        except KeyboardInterrupt:
            _fail("interrupted; no results were written.", code=130)
    for note in comparison.notes:
        err.print(f"painsim: note: {note}", highlight=False)
    try:
        folder = write_comparison(comparison, out_dir, charts=charts)
    except OSError as exc:
        _fail(f"could not write results under {out_dir}: {exc}. Nothing was left behind.", code=1)
    from simulation.tables import comparison_tables

    if not quiet:
        for table in comparison_tables(comparison):
            wide.print(table)
        err.print(f"painsim: wrote {folder}", highlight=False, soft_wrap=True)
    print(folder)


@app.command()
def trial(
    files: Annotated[list[Path], typer.Argument(metavar="TRIAL", help="Trial files (see trials/).")],
    population: Annotated[int | None, typer.Option("--population", "-n", help="Source population screened.")] = None,
    per_arm: Annotated[int | None, typer.Option("--per-arm", help="People randomised to each arm.")] = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    out_dir: OutOpt = Path("results"),
    charts: ChartsOpt = True,
    quiet: QuietOpt = False,
) -> None:
    """Run virtual trials as their papers did and compare with the published results."""
    from simulation.trial import load_trial, run_trial, with_options, write_trials

    _check_jobs(jobs)
    trials = [with_options(load_trial(path), path, population, per_arm, replicates, seed) for path in files]
    check_out_root(out_dir)
    results = []
    with _progress(quiet, "replicates") as progress:
        for t in trials:
            task = progress.add_task(t.name, total=t.replicates)
            try:
                results.append(run_trial(t, jobs=jobs, progress=lambda r, task=task: progress.advance(task), dask=dask))
            except ValueError as exc:
                _fail(str(exc))
            except KeyboardInterrupt:
                _fail("interrupted; no results were written.", code=130)
    try:
        folder = write_trials(results, out_dir, charts=charts, command=_reproducing_command())
    except OSError as exc:
        _fail(f"could not write results under {out_dir}: {exc}. Nothing was left behind.", code=1)
    import pandas as pd

    from simulation.tables import trials_table
    from simulation.validation import counts_sentence

    combined = pd.concat([r.published for r in results], ignore_index=True)
    wide.print(trials_table(combined))
    err.print(counts_sentence(combined), highlight=False)
    err.print(f"painsim: wrote {folder}", highlight=False)
    print(folder)


TargetsOpt = Annotated[
    Path | None,
    typer.Option("--targets", help="Targets file (default: the shipped simulation/data/targets.yaml)."),
]


def _load_targets(path: Path | None):
    from simulation.validation import DEFAULT_TARGETS, load_targets

    return load_targets(path or DEFAULT_TARGETS), (path or DEFAULT_TARGETS)


@app.command()
def validate(
    scenario: Annotated[Path | None, typer.Argument(help="Scenario (default: the built-in baseline).")] = None,
    targets: TargetsOpt = None,
    population: PopulationOpt = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    out_dir: OutOpt = Path("results"),
    set_: SetOpt = None,
    charts: ChartsOpt = True,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Measure every calibration target in the model and report what lands in its band (exit 0 either way)."""
    from simulation.runner import default_jobs
    from simulation.validation import check_cohort_fits, write_validation
    from simulation.validation import validate as run_validation

    loaded, targets_path = _load_targets(targets)
    resolved = _resolved(scenario, set_, population, replicates=replicates, seed=seed)
    check_cohort_fits(loaded, resolved.population, str(targets_path))
    check_out_root(out_dir)
    n_jobs = default_jobs(resolved.replicates) if jobs is None else jobs
    err.print(f"painsim: validating {resolved.name}: {resolved.population:,} people x {resolved.replicates} "
              f"replicates; cohort of {loaded.cohort.sample_size:,} over {loaded.cohort.follow_up_years:g} years",
              highlight=False)  # fmt: skip
    with _progress(quiet, "replicates") as progress:
        task = progress.add_task("validating", total=resolved.replicates)
        table, per_replicate, wall = run_validation(resolved, loaded, jobs=n_jobs,
                                                    progress=lambda: progress.advance(task), dask=dask)  # fmt: skip
    folder = write_validation(
        table, per_replicate, resolved, loaded, wall, out_dir, charts=charts, command=_reproducing_command()
    )
    from simulation.tables import targets_table
    from simulation.validation import counts_sentence

    if as_json:
        records = json.loads(table.to_json(orient="records"))
        print(json.dumps({"folder": str(folder), "counts": counts_sentence(table), "targets": records}, indent=2))
        return
    if quiet:  # one line: how many targets land in their band
        err.print(counts_sentence(table), highlight=False, soft_wrap=True)
        print(folder)
        return
    wide.print(targets_table(table, resolved.name))
    err.print(counts_sentence(table), highlight=False)
    err.print(f"painsim: wrote {folder}", highlight=False)
    print(folder)


@app.command()
def calibrate(
    scenario: Annotated[Path | None, typer.Argument(help="Scenario (default: the built-in baseline).")] = None,
    targets: TargetsOpt = None,
    trials: Annotated[int, typer.Option("--trials", help="Optuna trials in the study (in all, across resumes).")] = 60,
    study: Annotated[
        Path | None,
        typer.Option(
            "--study",
            help="SQLite file of the study, kept where given; rerun to resume (default: in the results folder).",
        ),
    ] = None,  # fmt: skip
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Also copy the fitted YAML here (the fit is in --out)."),
    ] = None,
    apply: Annotated[
        Path | None,
        typer.Option("--apply", help="Do not fit: make this fit file's values the shipped defaults (see apply-fit)."),
    ] = None,
    free: Annotated[
        list[str] | None,
        typer.Option("--free", help="Fit only these of the targets file's free parameters (repeat); the rest stay."),
    ] = None,
    objective: Annotated[
        ObjectiveChoice,
        typer.Option(
            "--objective",
            help="squared: miss from each published value; band: miss from the inner half of each band "
            "(values well inside their bands cost nothing). Both in half-bands, squared, averaged.",
        ),
    ] = ObjectiveChoice.squared,
    step: Annotated[
        float,
        typer.Option(
            "--step",
            min=0.001,
            max=1.0,
            help="CMA-ES's first step, as a share of each parameter's range: 0.17 explores; about 0.03 "
            "polishes a good start.",
        ),
    ] = 0.17,
    population: PopulationOpt = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    out_dir: OutOpt = Path("results"),
    set_: SetOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Fit the free parameters of the targets file to its fitted targets (Optuna, resumable with --study).

    Writes a new results folder under --out with fitted.yaml (values and provenance), trace.csv
    (the objective of every trial) and study.db; never changes the shipped defaults (see apply-fit)."""
    if apply is not None:
        apply_fit(apply, dry_run=False, quiet=quiet)
        return
    from simulation.calibration import calibrate as run_calibration
    from simulation.calibration import provenance, restrict_free, save_fit
    from simulation.fits import write_fit_copy
    from simulation.results import atomic_folder
    from simulation.runner import default_jobs
    from simulation.tables import fit_table
    from simulation.validation import check_cohort_fits

    loaded, targets_path = _load_targets(targets)
    loaded = restrict_free(loaded, free, targets_path)
    resolved = _resolved(scenario, set_, population, replicates=replicates, seed=seed)
    check_cohort_fits(loaded, resolved.population, str(targets_path))
    check_out_root(out_dir)
    if study is not None:
        check_out_file(study, "--study")
        study.parent.mkdir(parents=True, exist_ok=True)
    if output is not None:
        check_out_file(output, "--output")
    n_jobs = default_jobs(resolved.replicates) if jobs is None else jobs
    from simulation.study import ResultCache

    cache = ResultCache(study.with_name(study.name + ".cache")) if study is not None else None  # resumes with it
    with atomic_folder(out_dir, f"calibrate-{resolved.name}") as (staging, folder):
        study_path = study if study is not None else staging / "study.db"
        if not quiet:
            err.print(
                f"painsim: calibrating {len(loaded.free_parameters)} parameters to "
                f"{sum(t.fit for t in loaded.targets)} targets; study {study or folder / 'study.db'}"
                + (" (rerun to resume)" if study is not None else ""),
                highlight=False,
            )
        with _progress(quiet, "trials") as progress:
            task = progress.add_task("trials", total=trials)
            try:
                result, best, simulated = run_calibration(
                    resolved, loaded, trials, study_path, jobs=n_jobs, dask=dask, cache=cache,
                    objective=str(objective), step=step,
                    progress=lambda done, best: progress.update(task, completed=done,
                                                                description=f"trials (best {best:.3g})"),
                )  # fmt: skip
            except ValueError as exc:
                _fail(str(exc))
            except KeyboardInterrupt:
                kept = f"the finished trials are kept in {study}: rerun to resume" if study else "nothing was kept"
                _fail(f"interrupted; {kept} (give --study FILE to make a calibration resumable).", 130)
        text = provenance(resolved, targets_path, loaded, result, best, simulated, str(objective))
        save_fit(staging, text, result)
    if output is not None:
        write_fit_copy(output, text)
    if not quiet:
        wide.print(fit_table(len(result.trials), result.best_value, best))
        err.print(f"painsim: wrote {folder}; make it the defaults with: painsim apply-fit {folder / 'fitted.yaml'}",
                  highlight=False, soft_wrap=True)  # fmt: skip
    print(folder)


@app.command("apply-fit")
def apply_fit(
    fit: Annotated[Path, typer.Argument(help="A fitted.yaml written by painsim calibrate.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes without writing them.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Make a fit the shipped defaults: rewrite each fitted parameter's declared default (old -> new)."""
    from simulation.fits import apply_fit as rewrite
    from simulation.fits import read_fit
    from simulation.tables import fit_changes_table

    changes = rewrite(read_fit(fit), dry_run=dry_run)
    if not quiet:
        out.print(fit_changes_table(changes, fit, dry_run))
    for name, _, old, new in changes:
        print(f"{name}: {old} -> {new}")


@app.command()
def cohort(
    scenario: Annotated[Path | None, typer.Argument(help="Scenario (default: the built-in baseline).")] = None,
    sample: Annotated[int, typer.Option("--sample", help="People surveyed at time 1.")] = 3000,
    follow_up: Annotated[float, typer.Option("--follow-up-years", help="Years between the surveys.")] = 9.0,
    incidence: Annotated[float, typer.Option("--incidence-years", help="Window for new chronic pain.")] = 3.0,
    population: PopulationOpt = None,
    seed: SeedOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    out_dir: OutOpt = Path("results"),
    set_: SetOpt = None,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Run a MIDUS-like cohort study of a scenario; write its statistics (statistics.csv, manifest.json)
    to a new results folder and print them."""
    from simulation.cohort import check_cohort_design, cohort_statistics, write_cohort
    from simulation.tables import cohort_table

    resolved = _resolved(scenario, set_, population, seed=seed)
    check_cohort_design(sample, resolved.population, follow_up, incidence, "painsim cohort --sample/--follow-up-years")
    check_out_root(out_dir)
    stats = cohort_statistics(resolved, sample, follow_up, incidence, jobs=jobs, dask=dask)
    folder = write_cohort(stats, resolved, sample, follow_up, incidence, out_dir)
    if as_json:
        print(json.dumps({"folder": str(folder), "statistics": stats}, indent=2))
        return
    if not quiet:
        err.print(cohort_table(stats, resolved.name, sample, follow_up))
        err.print(f"painsim: wrote {folder}", highlight=False, soft_wrap=True)
    print(folder)


@app.command()
def params(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, markdown or json.")] = "table",
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", help="Show the values a scenario file resolves to (default: shipped defaults)."),
    ] = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Print every model parameter with value, unit, bounds, basis and source."""
    if as_json:
        fmt = "json"
    values = load_scenario(scenario).parameters if scenario is not None else None
    rows = parameter_rows(values)
    if fmt == "json":
        print(json.dumps(rows, indent=2))
    elif fmt == "csv":
        import pandas as pd

        pd.DataFrame(rows).to_csv(sys.stdout, index=False)
    elif fmt == "markdown":
        print(parameter_document() if scenario is None else parameter_markdown(rows))
    elif fmt == "table":
        from simulation.tables import parameter_table

        shown = f" as {scenario} resolves them" if scenario is not None else " (shipped defaults)"
        out.print(parameter_table(rows, shown))
    else:
        _fail(f"--format {excerpt(fmt)} is not one of: table, csv, markdown, json.")


@app.command()
def graph(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the picture and the edge table.")] = Path(
        "results/graph"
    ),
    measure: Annotated[
        bool,
        typer.Option("--measure/--no-measure", help="Weight arrows by each edge's measured effect (about 30 s)."),
    ] = True,
    quiet: QuietOpt = False,
) -> None:
    """Print the causal graph's edge table and draw the graph (SVG, PNG, HTML)."""
    from simulation.edges import edge_rows
    from simulation.graph import write_graph
    from simulation.tables import edge_table

    rows = edge_rows()
    if not quiet:
        wide.print(edge_table(rows))
    paths = write_graph(out_dir, measured=measure)
    err.print(f"painsim: wrote {', '.join(str(p) for p in paths)}", highlight=False)
    print(out_dir)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editors and validators)."""
    text = json.dumps(scenario_schema(), indent=2)
    if output is None:
        print(text)
    else:
        check_out_file(output, "--output")
        output.write_text(text + "\n")
        err.print(f"painsim: wrote {output}")


# Commands kept in their own modules register themselves on `app` when imported.
from simulation import cli_explore, cli_psa, cli_studies  # noqa: E402, F401

if __name__ == "__main__":  # `python -m simulation.cli`: the app of the imported module, with every command
    from simulation.cli import app as _app

    _app()
