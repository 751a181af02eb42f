"""The learner edition exercises/: what the package makes from notebooks/, what nbgrader would release,
and what a learner meets when they open a notebook and press Run All without having solved anything."""

import json
import os
import re
import shutil

import nbclient
import nbformat
import pytest
from nbgrader.validator import Validator

from grading_helpers import graded_cells, release_of
from lecture_utils.checks.self_check import STRICT_VARIABLE
from lecture_utils.edition import ADDED_CELLS, edition_files, student_version, write_edition
from lecture_utils.grading.release import release_links
from notebook_runs import PICTURES, draws
from paths import EDITION, NOTEBOOKS, ROOT

NAMES = [p.stem for p in NOTEBOOKS]


def test_the_committed_edition_is_what_the_generator_makes_from_the_instructors_notebooks():
    made = edition_files(ROOT / "notebooks")
    committed = {path.name: path.read_text(encoding="utf-8") for path in EDITION.iterdir() if path.is_file()}
    assert sorted(committed) == sorted(made), "run `make exercises` and commit exercises/"
    for name, text in made.items():
        assert committed[name] == text, f"exercises/{name} differs: run `make exercises`"


@pytest.mark.parametrize("name", NAMES)
def test_the_editions_notebooks_are_what_nbgrader_releases(course, name):
    """Cell by cell as nbgrader's generate_assignment makes them (its links rewritten for the course's
    folder per notebook), but for the edition's own two cells (its Colab link, its guarded %pip install), and
    with the notation page beside each released notebook."""
    edition = nbformat.read(EDITION / f"{name}.ipynb", as_version=4)
    released = nbformat.read(release_of(course, name), as_version=4)
    assert [c.id for c in edition.cells if c.id in ADDED_CELLS] == list(ADDED_CELLS)
    edition.cells = [c for c in edition.cells if c.id not in ADDED_CELLS]
    for cell in edition.cells:
        cell.source = release_links(cell.source)
    assert [json.dumps(c, sort_keys=True) for c in edition.cells] == \
           [json.dumps(c, sort_keys=True) for c in released.cells]
    assert edition.metadata == released.metadata
    assert (edition.nbformat, edition.nbformat_minor) == (released.nbformat, released.nbformat_minor)
    assert (release_of(course, name).parent / "notation.md").read_bytes() == (EDITION / "notation.md").read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_nbgrader_validate_fails_every_exercise_of_the_blank_edition(name):
    path = str(EDITION / f"{name}.ipynb")
    checks = graded_cells(nbformat.read(path, as_version=4))
    results = Validator().validate(path)
    assert len(results.get("failed", [])) == len(checks)
    assert Validator(invert=True).validate(path) == {}


def test_every_link_of_the_edition_leads_to_a_file_of_the_edition():
    links = 0
    for path in sorted(EDITION.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for target in re.findall(r"\]\(([^)#\s:]+\.(?:ipynb|md))(?:#[^)]*)?\)", cell.source):
                assert (EDITION / target).is_file(), (path.name, target)
                links += 1
    assert links >= 2 * len(NAMES)  # the notation and the next (or previous) notebook, at least


def test_the_generator_replaces_solutions_with_nbgraders_stubs_and_refuses_what_it_does_not_know():
    def notebook(*cells):
        return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}

    def code(source, **nbgrader):
        meta = {"nbgrader": {"grade_id": "x", "schema_version": 3, **nbgrader}} if nbgrader else {}
        return {"cell_type": "code", "id": "c", "metadata": meta, "source": source, "outputs": [{"x": 1}],
                "execution_count": 3}

    released = student_version(notebook(code("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n",
                                             solution=True, grade=False, locked=False)))
    cell = released["cells"][0]
    assert cell["source"] == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    assert cell["outputs"] == [] and cell["execution_count"] is None and cell["metadata"]["deletable"] is False
    with pytest.raises(ValueError, match="not a solution cell"):
        student_version(notebook(code("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")))
    with pytest.raises(ValueError, match="not a check cell"):
        student_version(notebook(code("f(1)\n### BEGIN HIDDEN TESTS\nf(2)\n### END HIDDEN TESTS")))
    with pytest.raises(ValueError, match="without its"):
        student_version(notebook(code("### BEGIN SOLUTION\nx = 1", solution=True)))


def test_the_generator_never_deletes_what_it_did_not_make(tmp_path, capsys):
    (tmp_path / "98_old_notebook.ipynb").write_text("{}")
    (tmp_path / "my notes.txt").write_text("mine")
    written = write_edition(ROOT / "notebooks", tmp_path)
    assert "notation.md" in written and len(written) == len(NAMES) + 1
    assert (tmp_path / "98_old_notebook.ipynb").exists() and (tmp_path / "my notes.txt").exists()
    assert "98_old_notebook.ipynb is not part of the edition any more" in capsys.readouterr().err


# --- Run All in a learner's kernel, nothing solved ------------------------------------------------

ANNOUNCEMENT = re.compile(r"^(\w+) is not solved yet \(see its check above\)", re.MULTILINE)


@pytest.fixture(scope="module")
def learners_environment():
    """The environment of a learner's kernel: checks not strict (this test session's are)."""
    environment = dict(os.environ)
    environment.pop(STRICT_VARIABLE, None)
    environment.pop("NBGRADER_EXECUTION", None)
    return environment


def _text(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.mark.parametrize("name", NAMES)
def test_run_all_on_the_blank_edition_reaches_the_end_with_every_picture(name, learners_environment, tmp_path,
                                                                          timings):
    """Every cell runs without an error; every picture and panel appears; a cell that needs an unsolved
    exercise says so once; the closing summary lists every exercise as not attempted."""
    import time

    shutil.copy(EDITION / f"{name}.ipynb", tmp_path)  # from a folder of its own: data come with the package
    notebook = nbformat.read(tmp_path / f"{name}.ipynb", as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(tmp_path)}})
    start = time.perf_counter()
    client.execute(env=learners_environment)
    timings[f"Run All of the blank edition's {name} (nbclient)"] = time.perf_counter() - start

    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "every code cell ran"
    errors = [f"{c.source[:60]!r}: {o.ename}: {o.evalue}" for c in code for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    for cell in code:
        if draws(cell.source, cell.metadata):
            shown = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")
                     and PICTURES & set(o.data)]
            assert shown, f"no picture or panel from {cell.source[:60]!r}"
        announced = ANNOUNCEMENT.findall(_text(cell))
        assert len(announced) == len(set(announced)), f"said more than once in one cell: {announced}"
    exercises = [re.match(r"check_\w+\((\w+)\)", c.source)[1] for c in code
                 if c.metadata.get("nbgrader", {}).get("grade")]
    stood_in = {n for c in code for n in ANNOUNCEMENT.findall(_text(c))}
    assert stood_in <= set(exercises)
    summary = _text(code[-1])
    assert f"0 of {len(exercises)} correct" in summary
    for exercise in exercises:
        assert f"○ {exercise}: not attempted yet" in summary
