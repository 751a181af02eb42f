"""The notebooks' prose: short enough to read between the things a learner does, and shown as written.

Words are counted as a reader meets them: the whitespace-separated pieces of every Markdown cell's
source (formulas and tables included). Three limits: all the notebooks together, one cell, and one
run of Markdown between two code cells (the things a learner runs or moves).
"""

import json
import re

import pytest

from paths import NOTEBOOKS

TOTAL_WORDS = 17_000
CELL_WORDS = 250
RUN_WORDS = 400

def cells(path):
    return json.loads(path.read_text())["cells"]


def words(cell):
    """The number of whitespace-separated words in a cell's source."""
    return len("".join(cell["source"]).split())


def markdown_runs(notebook_cells):
    """The word counts of the runs of Markdown cells between code cells."""
    runs, run = [], 0
    for cell in notebook_cells:
        if cell["cell_type"] == "code":
            runs.append(run)
            run = 0
        else:
            run += words(cell)
    return [count for count in runs + [run] if count]


def markdown_words(path):
    return sum(words(cell) for cell in cells(path) if cell["cell_type"] == "markdown")


def test_the_counts_follow_the_definition():
    md = {"cell_type": "markdown", "source": ["Two words\n", "and $x + y$ four more"]}
    code = {"cell_type": "code", "source": ["a lot of code here"]}
    assert words(md) == 8
    assert markdown_runs([md, md, code, md, code, code, md]) == [16, 8, 8]


def test_all_the_notebooks_together_stay_within_the_total():
    counts = {path.stem: markdown_words(path) for path in NOTEBOOKS}
    assert sum(counts.values()) <= TOTAL_WORDS, f"{sum(counts.values()):,} words of Markdown: {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_markdown_cell_is_longer_than_the_cell_limit(path):
    long = [(i, words(cell)) for i, cell in enumerate(cells(path))
            if cell["cell_type"] == "markdown" and words(cell) > CELL_WORDS]
    assert long == [], f"Markdown cells (index, words) over {CELL_WORDS} words"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_run_of_markdown_between_code_cells_is_longer_than_the_run_limit(path):
    long = [count for count in markdown_runs(cells(path)) if count > RUN_WORDS]
    assert long == [], f"runs of Markdown over {RUN_WORDS} words between two code cells"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_paragraph_holds_two_escaped_dollars(path):
    """JupyterLab reads the text between two \\$ of one paragraph as a formula ("k\\$: the square root … 35
    k\\$" came out as one line of italic letters without spaces): one \\$ per paragraph."""
    paired = [(i, paragraph[:60]) for i, cell in enumerate(cells(path)) if cell["cell_type"] == "markdown"
              for paragraph in re.split(r"\n\s*\n", "".join(cell["source"])) if paragraph.count("\\$") > 1]
    assert paired == []
