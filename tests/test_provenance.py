"""Provenance that cannot lie: every value declares its basis, every citation resolves.

- every model parameter, intervention course field and effect size declares unit, source and an
  explicit basis (cited / calibrated / assumption);
- a calibrated value says what it was fitted to and how (and whether by hand);
- a cited value names a source that `docs/sources.md` documents, and no source string anywhere
  (parameters, edges, targets, trials) names an undocumented one;
- `docs/sources.md` and `docs/parameters.md` are what their generators print today.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path

import pytest
import yaml

from simulation.declare import DeclarationError, param
from simulation.edges import all_edges
from simulation.parameters import parameter_rows
from simulation.sources import cited, sources_markdown, undocumented

ROOT = Path(__file__).resolve().parents[1]
ROWS = parameter_rows()
# Names of the team's design notes and the folder beside the repository, which readers cannot follow.
OUTSIDE = re.compile("|".join(["DESIGN" + r"\.md", "STYLE" + r"\.md", r"\.\./" + "shared", "shared" + "/"]))


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_every_value_declares_its_provenance(row):
    assert row["basis"] in ("cited", "calibrated", "assumption"), row["name"]
    assert row["unit"].strip() and row["source"].strip(), row["name"]
    if row["basis"] == "calibrated":
        assert row["fitted_to"].strip(), f"{row['name']}: calibrated, but fitted to what?"
    if row["basis"] == "cited":
        assert cited(row["source"]), f"{row['name']}: cited, but {row['source']!r} names no documented source"
    assert not undocumented(row["source"]), f"{row['name']}: undocumented {undocumented(row['source'])}"


def test_every_free_parameter_ships_inside_the_range_its_source_allows():
    """The targets file bounds each free parameter by what its source allows (the CIDI short
    form's sensitivity by Kessler et al. 1998's 0.77-1.00, ...); a value set by hand after a fit
    must stay inside that range too, and be declared calibrated."""
    from simulation.validation import DEFAULT_TARGETS

    bounds = yaml.safe_load(DEFAULT_TARGETS.read_text())["free_parameters"]
    shipped = {row["name"]: row for row in ROWS}
    for name, (lo, hi) in bounds.items():
        row = shipped[name]
        assert lo <= float(row["default"]) <= hi, (
            f"{name} = {row['default']}, outside its calibration range [{lo}, {hi}]"
        )
        assert row["basis"] == "calibrated", f"{name} is fitted but declared {row['basis']}"


def test_no_value_says_assumption_while_claiming_a_citation_only():
    """The old heuristic marked a value cited whenever its text named a paper; now a value whose own
    source text says it is an assumption is never declared cited."""
    for row in ROWS:
        if row["basis"] == "cited":
            assert not row["source"].lower().startswith("assumption"), row["name"]


def test_declaring_without_provenance_is_an_error():
    with pytest.raises(DeclarationError, match="basis 'guess'"):
        param(1.0, lo=0, hi=2, unit="x", source="seed 000", basis="guess", doc="d")
    with pytest.raises(DeclarationError, match="must say what it was fitted to"):
        param(1.0, lo=0, hi=2, unit="x", source="seed 000", basis="calibrated", doc="d")
    with pytest.raises(DeclarationError, match="calibrated values only"):
        param(1.0, lo=0, hi=2, unit="x", source="seed 000", basis="cited", doc="d", hand_set=True)
    with pytest.raises(TypeError):
        param(1.0, lo=0, hi=2, unit="x", source="seed 000", doc="d")  # basis is required


def _yaml_sources() -> list[tuple[str, str]]:
    found = []
    for pattern in ("simulation/data/targets.yaml", "trials/*.yaml"):
        for path in glob.glob(str(ROOT / pattern)):
            data = yaml.safe_load(Path(path).read_text())
            entries = data.get("targets", []) + data.get("published", [])
            found += [(Path(path).name, e["source"]) for e in entries]
    return found


@pytest.mark.parametrize(("where", "text"), _yaml_sources())
def test_every_target_and_trial_source_is_documented(where, text):
    assert cited(text), f"{where}: {text!r} names no documented source"
    assert not undocumented(text), f"{where}: undocumented {undocumented(text)}"


def test_every_edge_cites_a_documented_source_or_says_assumption():
    for e in all_edges():
        assert cited(e.cites) or e.cites.startswith("assumption"), e.label
        assert not undocumented(e.cites), e.label


def test_nothing_cites_a_file_outside_the_repository():
    texts = [r["source"] for r in ROWS] + [t for _, t in _yaml_sources()] + [sources_markdown()]
    for text in texts:
        assert not OUTSIDE.search(text), text


def test_sources_doc_is_current():
    assert (ROOT / "docs" / "sources.md").read_text() == sources_markdown()


def test_no_file_in_the_repository_cites_a_file_outside_it():
    """Every tracked text file (code, tests, docs, notebooks, scenarios) stands on its own."""
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    offenders = []
    for name in tracked:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".yaml", ".yml", ".ipynb", ".toml", ".txt", ""} or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{name}:{number}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders)
