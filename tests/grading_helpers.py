"""Shared by the grading tests: a released course, submissions made from it, the real grade command."""

import copy
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from paths import ROOT

SAMPLE = "01_linear_regression"


def require_bubblewrap():
    """Skip without bubblewrap — but fail under CI=true, where .ci/run installs it."""
    if shutil.which("bwrap"):
        return
    reason = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + "; it is required under CI=true", pytrace=False)
    pytest.skip(reason)


def release_of(course, name):
    return course / "release" / name / f"{name}.ipynb"


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def graded_cells(notebook):
    """The check cells of a notebook: {grade_id: points}, in order."""
    return {nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"] for c in notebook.cells
            if nbgrader_meta(c).get("grade")}


def cell(notebook, grade_id):
    return next(c for c in notebook.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def solved(course, name=SAMPLE):
    """The student release with the solutions filled in: a learner who got everything right."""
    release = nbformat.read(release_of(course, name), as_version=4)
    source = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    notebook = copy.deepcopy(release)
    for learner_cell, solution_cell in zip(notebook.cells, source.cells):
        if nbgrader_meta(learner_cell).get("solution"):
            learner_cell.source = solution_cell.source
    return notebook


def blank(course, name=SAMPLE):
    return nbformat.read(release_of(course, name), as_version=4)


def write_submissions(folder, batch):
    """batch: {learner: notebook (or raw text)} or {learner: {notebook name: notebook}}; flat layout."""
    for learner, notebooks in batch.items():
        if not isinstance(notebooks, dict) or "cells" in notebooks:
            notebooks = {SAMPLE: notebooks}
        for name, notebook in notebooks.items():
            path = folder / learner / f"{name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(notebook if isinstance(notebook, str) else json.dumps(notebook))
    return folder


def run_grade(course, submissions, *options, env=None):
    """The instructor's grade command, for real: `python -m lecture_utils.grading grade`."""
    command = [sys.executable, "-m", "lecture_utils.grading", "--course", str(course), "grade", str(submissions),
               *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=1800, cwd=course.parent,
                          env=dict(os.environ, **(env or {})))


def grade_rows(course):
    """grades.csv as {(learner, notebook): row}."""
    with open(course / "grades.csv") as f:
        return {(row["learner"], row["notebook"]): row for row in csv.DictReader(f)}


def nbgrader_export(course):
    """The text `nbgrader export` writes in the course folder (its plugin is this package's)."""
    subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", "exported.csv"], cwd=course, check=True,
                   capture_output=True, env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
                                             "HOME": str(course)})
    return (course / "exported.csv").read_text()


def fresh_course(course, tmp_path):
    """A copy of the released course (source, release, gradebook), for one batch of its own."""
    copy_ = tmp_path / "course"
    shutil.copytree(course, copy_, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback",
                                                                  "grades.csv", "report.*"))
    return copy_


def samples(course):
    """{learner: (notebook or raw text, {exercise: full marks?}, status)} — the sample batch of 01."""
    everything, nothing = {"predict": True, "mse": True}, {"predict": False, "mse": False}
    batch = {"correct": (solved(course), everything, "graded"), "blank": (blank(course), nothing, "graded")}

    wrong = solved(course)
    cell(wrong, "mse").source = "def mse(y, y_hat):\n    return np.sum((y - y_hat) ** 2)"
    batch["one_wrong_answer"] = (wrong, {"predict": True, "mse": False}, "graded")

    endless = solved(course)
    cell(endless, "predict").source = "def predict(x, k, m):\n    while True:\n        pass"
    batch["endless_loop"] = (endless, {"predict": False, "mse": True}, "graded")

    deleted = solved(course)  # the grader checks every exercise itself: a missing check cell changes nothing
    deleted.cells.remove(cell(deleted, "check_mse"))
    batch["check_deleted"] = (deleted, everything, "graded")

    edited = solved(course)
    cell(edited, "predict").source = "def predict(x, k, m):\n    return x * m + k"
    cell(edited, "check_predict").source = "print('✓ predict: correct')"
    batch["check_edited"] = (edited, {"predict": False, "mse": True}, "graded")

    broken_import = solved(course)  # mse needs the numpy the broken first cell never imported
    first_code = next(c for c in broken_import.cells if c.cell_type == "code")
    first_code.source = "import lecture_utilz\n" + first_code.source
    batch["exception_at_import"] = (broken_import, {"predict": True, "mse": False}, "graded")

    batch["not_a_notebook"] = ("{ this is not json", nothing, "not a notebook")
    return batch
