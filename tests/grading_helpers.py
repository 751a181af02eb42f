"""Shared by the grading tests: a released course, submissions made from it, the real grade command."""

import copy
import csv
import json
import os
import shutil
import subprocess
import sys

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


def fresh_course(course, tmp_path):
    """A copy of the released course (source, release, gradebook), for one batch of its own."""
    copy_ = tmp_path / "course"
    shutil.copytree(course, copy_, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback",
                                                                  "grades.csv", "report.*"))
    return copy_
