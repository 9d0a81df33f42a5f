"""`painsim explore`: serve the live dashboard (simulation/dashboard.py) on a local port."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from simulation.cli import PopulationOpt, _fail, app, err, resolve_scenario


@app.command()
def explore(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario YAML file to start from (default: the built-in baseline).", show_default=False),
    ] = None,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8765,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    population: PopulationOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder where 'Save scenario' writes.")] = Path("."),
) -> None:
    """Serve the live dashboard: change couplings and interventions, watch the loop respond."""
    assets = local_assets()
    if assets is not None and "SOLARA_ASSETS_PROXY_CACHE_DIR" not in os.environ:
        os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(assets)  # read when solara is imported
    try:
        from solara.__main__ import run as solara_run
    except ImportError:
        _fail("painsim explore needs the dashboard extra: pip install 'painsim[explore]'.")
    if not 0 < port < 65536:
        _fail(f"--port must be between 1 and 65535, got {port}.")
    resolve_scenario(scenario, [])  # a bad file is reported now, not in the browser
    os.environ["PAINSIM_EXPLORE_SCENARIO"] = str(scenario.resolve()) if scenario is not None else ""
    os.environ["PAINSIM_EXPLORE_OUT"] = str(out_dir.resolve())
    os.environ["PAINSIM_EXPLORE_POPULATION"] = "" if population is None else str(population)
    err.print(f"painsim: serving the dashboard on http://{host}:{port} (Ctrl-C stops it)", highlight=False)
    args = ["simulation.dashboard:Page", "--host", host, "--port", str(port), "--no-open", "--production",
            "--log-level", "warning", "--log-level-uvicorn", "warning"]  # fmt: skip
    solara_run.main(args=args, standalone_mode=False)


# The chart widget asks for vega by major version only (vega@5/...); the files that solara-assets
# installs carry exact versions (vega@5.21.0/...). Without these aliases the page would fetch them
# from the internet, and without the internet it would show no charts.
ALIASES = {"vega@5": "vega@5.", "vega-lite@5": "vega-lite@5.", "vega-embed@6": "vega-embed@6."}


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", name.split("@")[-1]))


def local_assets() -> Path | None:
    """A folder of the browser assets that solara-assets installed, plus the aliases above, for
    solara to serve (None without solara-assets). Made of links, in the temporary folder."""
    source = Path(sys.prefix) / "share" / "solara" / "cdn"
    if not source.is_dir():
        return None
    target = Path(tempfile.gettempdir()) / f"painsim-solara-assets-{os.getuid() if hasattr(os, 'getuid') else 0}"
    target.mkdir(exist_ok=True)
    entries = {entry.name: entry for entry in source.iterdir()}
    for alias, prefix in ALIASES.items():
        versions = sorted((n for n in entries if n.startswith(prefix)), key=_version)
        if versions:
            entries[alias] = entries[versions[-1]]
    for name, entry in entries.items():
        link = target / name
        if not link.exists():
            link.unlink(missing_ok=True)  # a dangling link from another installation
            link.symlink_to(entry, target_is_directory=entry.is_dir())
    return target
