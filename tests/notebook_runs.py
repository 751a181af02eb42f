"""Run a notebook's code cells in one namespace, as "Run All" would, and read its text, to check
what the text claims."""

import ast
import json
import re

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


def markdown(name):
    """The text of notebooks/<name>.ipynb: its markdown cells, with every run of white space one space."""
    notebook = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
    return " ".join(" ".join("".join(cell["source"]).split())
                    for cell in notebook["cells"] if cell["cell_type"] == "markdown")


_DRAWS = re.compile(r"\b(plots|widgets)\.\w+\(")
PICTURES = {"image/png", "application/vnd.jupyter.widget-view+json"}  # what a picture or a panel shows as


def draws(source, metadata):
    """Is this code cell one of the instructor's locked cells that show a picture or a panel?"""
    return bool(_DRAWS.search(source)) and bool(metadata.get("nbgrader", {}).get("locked"))


def notebook_fixture(name):
    """A module-wide fixture with the namespace that notebooks/<name>.ipynb leaves."""
    return pytest.fixture(scope="module")(lambda: run_notebook(name))
