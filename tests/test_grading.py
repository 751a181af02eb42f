"""The instructor's workflow, run for real with nbgrader: release, validate, autograde, export.

A session-wide course folder gets the student release of every notebook. The
checks must pass on the solution notebooks and fail on the release; sample
submissions made from notebook 01 are graded into grades.csv with exactly the
points their mistakes deserve, and a broken submission does not stop the batch.
"""

import copy
import re
import csv
import json
import shutil
import time

import nbclient
import nbformat
import pytest
from nbgrader.validator import Validator
from traitlets.config.loader import PyFileConfigLoader

from paths import NOTEBOOKS, ROOT
from lecture_utils import grading

NAMES = [p.stem for p in NOTEBOOKS]
SAMPLE = "01_linear_regression"


def graded_cells(notebook):
    """The check cells of a notebook: {grade_id: points}, in order."""
    return {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points
            for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")}


@pytest.fixture(scope="session")
def course(tmp_path_factory, timings):
    """A course folder (the repository's nbgrader_config.py) with every notebook released."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "course" / "nbgrader_config.py", root)
    start = time.perf_counter()
    grading.release(root)
    timings["release of all notebooks (nbgrader generate_assignment)"] = time.perf_counter() - start
    return root


def release_of(course, name):
    return course / "release" / name / f"{name}.ipynb"


def test_nbgrader_config_sets_a_per_cell_timeout():
    config = PyFileConfigLoader("nbgrader_config.py", str(ROOT / "course")).load_config()
    assert 0 < config.Execute.timeout <= 60 and config.Execute.interrupt_on_timeout is True
    assert config.ExportApp.plugin_class == "lecture_utils.grading.ExerciseGradesExport"


@pytest.mark.parametrize("name", NAMES)
def test_release_has_no_solutions_hidden_tests_or_outputs(course, name):
    text = release_of(course, name).read_text()
    for marker in ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]:
        assert marker not in text
    released = nbformat.read(release_of(course, name), as_version=4)
    source = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    assert len(released.cells) == len(source.cells)
    for cell in released.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            assert meta["locked"] and cell.metadata["editable"] is False and cell.metadata["deletable"] is False
        if meta.get("solution"):
            assert "raise NotImplementedError()" in cell.source


@pytest.mark.parametrize("name", NAMES)
def test_every_check_passes_on_the_solution_notebook(tmp_path, name):
    copy_path = tmp_path / f"{name}.ipynb"  # run from another folder: data must not depend on it
    shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", copy_path)
    results = Validator().validate(str(copy_path))
    assert results == {}, results


@pytest.mark.parametrize("name", NAMES)
def test_every_check_fails_on_the_blank_release(course, name):
    checks = graded_cells(nbformat.read(release_of(course, name), as_version=4))
    results = Validator().validate(str(release_of(course, name)))
    assert len(results.get("failed", [])) == len(checks)
    assert Validator(invert=True).validate(str(release_of(course, name))) == {}


@pytest.mark.parametrize("name", NAMES)
def test_release_runs_top_to_bottom_up_to_the_first_exercise(course, tmp_path, name):
    notebook = nbformat.read(release_of(course, name), as_version=4)
    first_check = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(nbclient.exceptions.CellExecutionError) as stopped:
        client.execute()
    assert "not attempted yet" in str(stopped.value)
    ran = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and c.execution_count]
    assert max(ran) == first_check
    for cell in notebook.cells[:first_check]:
        assert not any(o.output_type == "error" for o in cell.get("outputs", []))


# --- grading sample submissions ------------------------------------------------------

def solved(release, source):
    """The release with the solutions filled in, as a learner who got everything right."""
    notebook = copy.deepcopy(release)
    for learner_cell, solution_cell in zip(notebook.cells, source.cells):
        if learner_cell.metadata.get("nbgrader", {}).get("solution"):
            learner_cell.source = solution_cell.source
    return notebook


def cell(notebook, grade_id):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def submissions(release, source):
    """{learner: (notebook or raw text, {exercise: full marks?}, status)} — the sample batch."""
    everything = {"predict": True, "mse": True}
    nothing = {"predict": False, "mse": False}
    batch = {"correct": (solved(release, source), everything, "graded"),
             "blank": (copy.deepcopy(release), nothing, "graded")}

    wrong = solved(release, source)
    cell(wrong, "mse").source = "def mse(y, y_hat):\n    return np.sum((y - y_hat) ** 2)"
    batch["one_wrong_answer"] = (wrong, {"predict": True, "mse": False}, "graded")

    endless = solved(release, source)
    cell(endless, "predict").source = "def predict(x, k, m):\n    while True:\n        pass"
    batch["endless_loop"] = (endless, {"predict": False, "mse": True}, "graded")

    deleted = solved(release, source)
    deleted.cells.remove(cell(deleted, "check_mse"))
    batch["check_deleted"] = (deleted, {"predict": True, "mse": False}, "check cell missing: mse")

    edited = solved(release, source)
    cell(edited, "predict").source = "def predict(x, k, m):\n    return x * m + k"
    cell(edited, "check_predict").source = "print('all good')"  # restored from the gradebook
    batch["check_edited"] = (edited, {"predict": False, "mse": True}, "graded")

    broken_import = solved(release, source)
    first_code = next(c for c in broken_import.cells if c.cell_type == "code")
    first_code.source = "import lecture_utilz\n" + first_code.source
    batch["exception_at_import"] = (broken_import, nothing, "graded")

    batch["not_a_notebook"] = ("{ this is not json", nothing, "could not be graded (see the autograde log)")
    return batch


@pytest.fixture(scope="session")
def graded(course, tmp_path_factory, timings):
    """Grade the sample batch; returns (expected, rows of grades.csv by learner)."""
    release = nbformat.read(release_of(course, SAMPLE), as_version=4)
    source = nbformat.read(ROOT / "notebooks" / f"{SAMPLE}.ipynb", as_version=4)
    folder = tmp_path_factory.mktemp("submissions")
    batch = submissions(release, source)
    for learner, (notebook, _, _) in batch.items():
        path = folder / learner / f"{SAMPLE}.ipynb"  # the flat layout of a platform download
        path.parent.mkdir()
        path.write_text(notebook if isinstance(notebook, str) else json.dumps(notebook))
    start = time.perf_counter()
    grading.grade(course, folder)
    timings[f"grading {len(batch)} sample submissions (autograde + export)"] = time.perf_counter() - start
    with open(course / "grades.csv") as f:
        rows = {row["learner"]: row for row in csv.DictReader(f) if row["notebook"] == SAMPLE}
    return batch, graded_cells(release), rows


def test_the_whole_batch_is_graded(graded):
    batch, _, rows = graded
    assert set(rows) == set(batch)


@pytest.mark.parametrize("learner", ["correct", "blank", "one_wrong_answer", "endless_loop", "check_deleted",
                                     "check_edited", "exception_at_import", "not_a_notebook"])
def test_sample_submission_gets_exactly_the_expected_points(graded, learner):
    batch, points, rows = graded
    _, full_marks, status = batch[learner]
    row = rows[learner]
    expected = {exercise: (points[f"check_{exercise}"] if ok else 0) for exercise, ok in full_marks.items()}
    assert {exercise: float(row[exercise]) for exercise in expected} == expected
    assert float(row["total"]) == sum(expected.values())
    assert float(row["max"]) == sum(points.values())
    assert row["status"] == status


def test_gradebook_has_one_column_per_exercise(course, graded):
    with open(course / "grades.csv") as f:
        header = next(csv.reader(f))
    exercises = [grade_id.removeprefix("check_") for name in NAMES
                 for grade_id in graded_cells(nbformat.read(release_of(course, name), as_version=4))]
    assert header[:3] == ["learner", "notebook", "status"] and header[-2:] == ["total", "max"]
    assert sorted(header[3:-2]) == sorted(set(exercises))


def test_links_between_notebooks_work_in_the_course_layout(tmp_path):
    """notebooks/ has the notebooks side by side; course/source/ (and so the release) one folder each."""
    names = grading.copy_sources(tmp_path)
    links = 0
    for name in names:
        notebook = tmp_path / "source" / name / f"{name}.ipynb"
        for cell in nbformat.read(notebook, as_version=4).cells:
            for target in re.findall(r"\]\(([^)#\s]+\.ipynb)(?:#[^)]*)?\)", cell.source):
                assert (notebook.parent / target).resolve().exists(), (name, target)
                links += 1
    assert links >= 2 * len(names)  # every notebook links to the notation and to the next one
    assert grading.release_links("[n](00_a.ipynb#Notation) [m](01_b.ipynb) [x](https://e.org/02_c.ipynb)") == \
        "[n](../00_a/00_a.ipynb#Notation) [m](../01_b/01_b.ipynb) [x](https://e.org/02_c.ipynb)"
