"""Run a notebook's code cells in one namespace, as "Run All" would, to check what its text claims."""

import ast
import json

import pytest

from paths import ROOT


def run_notebook(name):
    """Execute every code cell of notebooks/<name>.ipynb; return the namespace it leaves."""
    notebook = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
    namespace = {}
    for i, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            exec(compile(ast.parse(source), f"<{name} cell {i}>", "exec"), namespace)
    return namespace


def notebook_fixture(name):
    """A module-wide fixture with the namespace that notebooks/<name>.ipynb leaves."""
    return pytest.fixture(scope="module")(lambda: run_notebook(name))
