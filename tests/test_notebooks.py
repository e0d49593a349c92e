"""Every notebook among the content executes cleanly, so none can rot.

The site shows stored outputs (the build never executes notebooks); this test
runs each one in a fresh kernel and fails on the first cell that raises.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from grimoire.layout import REPOSITORY_ROOT, content_files

NOTEBOOKS = [p for p in content_files(REPOSITORY_ROOT) if p.endswith(".ipynb")]


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_executes(path: str, tmp_path: Path) -> None:
    nb = nbformat.read(REPOSITORY_ROOT / path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
