"""The notebooks run top to bottom, clean, and their own checks pass."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOKS = ["quickstart", "interventions", "scenarios_in_code", "cost_effectiveness"]


def _code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes_and_its_checks_pass(name):
    path = ROOT / "notebooks" / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    outputs = [out for cell in _code_cells(notebook) for out in cell.get("outputs", [])]
    assert "all checks passed" in "".join(out.get("text", "") for out in outputs)
    # No warnings anywhere: nothing on stderr, and no output mentions a Warning (as a displayed
    # DeprecationWarning or a library's "... Warning:" line would).
    noisy = [out for out in outputs if out.get("name") == "stderr" or "Warning" in json.dumps(out)]
    assert not noisy, f"{name}.ipynb printed warnings: {noisy}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_without_outputs(name):
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    for cell in _code_cells(notebook):
        assert not cell.get("outputs") and cell.get("execution_count") is None, cell.source[:60]
