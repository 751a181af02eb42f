"""Collecting submissions: regular files only, named like a notebook of the course, each refusal on its learner's row.

The refused batch is graded by the real grade command: none of its files is graded, each gets
its learner's row saying why, nothing outside the submissions folder is read, the command
exits 1, and `nbgrader export` shows the same rows. grades.csv and report.csv show a cell that
begins like a spreadsheet formula as text.
"""

import csv
import json
import os

import pytest

from grading_helpers import SAMPLE, fresh_course, grade_rows, nbgrader_export, run_grade, solved
from lecture_utils.grading.progress import Progress
from lecture_utils.grading.results import Outcome, grades_table, spreadsheet_safe
from lecture_utils.grading.submissions import notebook_named

NOTEBOOKS = {"01_linear_regression", "08_backprop_by_hand", "08_backprop_by_hand_2"}
FORMULA = '=HYPERLINK("evil.example","look")'


@pytest.mark.parametrize("name, notebook", [
    ("01_linear_regression.ipynb", "01_linear_regression"),
    ("08_backprop_by_hand (1).ipynb", "08_backprop_by_hand"),
    ("08_backprop_by_hand-1.ipynb", "08_backprop_by_hand"),
    ("08_backprop_by_hand copy.ipynb", "08_backprop_by_hand"),
    ("08_backprop_by_hand copy 2.ipynb", "08_backprop_by_hand"),
    ("08_backprop_by_hand (1) (2).ipynb", "08_backprop_by_hand"),
    ("08_backprop_by_hand_2 (3).ipynb", "08_backprop_by_hand_2"),
    ("08_backprop_by_hand (1).txt", None), ("homework.ipynb", None), ("08_backprop (1).ipynb", None),
    ("x08_backprop_by_hand.ipynb", None), (f"{FORMULA}.ipynb", None),
])
def test_a_file_names_its_notebook_also_with_a_download_suffix(name, notebook):
    assert notebook_named(name, NOTEBOOKS) == notebook


@pytest.mark.parametrize("cell, shown", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("ada", "ada"), ("01_x", "01_x"), (2.0, 2.0), (-1.0, -1.0), ("a=b", "a=b"),
])
def test_a_cell_that_begins_like_a_formula_is_shown_as_text(cell, shown):
    assert spreadsheet_safe(cell) == shown


def test_a_refused_file_is_a_row_of_its_learner_only_never_a_notebook_of_the_class():
    exercises = {"01_x": [("predict", 1.0), ("mse", 1.0)], "02_y": [("plane", 2.0)]}
    outcomes = [Outcome("ada", "01_x", "graded", {"predict": 1.0, "mse": 0.0}),
                Outcome("bob", "01_x", "graded", {"predict": 1.0, "mse": 1.0}),
                Outcome("bob", "homework.ipynb", "refused: homework.ipynb is named like no notebook of this course")]
    columns, rows = grades_table(outcomes, exercises)
    assert columns == ["predict", "mse"]  # 02_y has no row: none of its columns
    assert [(row["learner"], row["notebook"], row["status"], row["total"], row["max"]) for row in rows] == [
        ("ada", "01_x", "graded", 1.0, 2.0), ("bob", "01_x", "graded", 2.0, 2.0),
        ("bob", "homework.ipynb", "refused: homework.ipynb is named like no notebook of this course", 0.0, 0.0)]


def test_progress_on_a_terminal_shows_a_bar_each_problem_and_a_summary(capsys):
    progress = Progress(3, shown=True)
    progress.advance()
    progress.problem("ada/01_x: not graded: the grader failed")
    progress.advance()
    progress.advance()
    progress.close("graded 3 notebooks")
    out, err = capsys.readouterr()
    assert "3/3" in err and "could not grade ada/01_x: not graded: the grader failed" in err
    assert out == "graded 3 notebooks\n"


@pytest.fixture(scope="module")
def refused(course, tmp_path_factory):
    """A batch of files that are all refused, graded by the real command (nothing is graded)."""
    tmp = tmp_path_factory.mktemp("refused")
    own = fresh_course(course, tmp)
    folder = tmp / "submissions"
    notebook = json.dumps(solved(course))
    secret = tmp / "secret.txt"
    secret.write_text("the instructor's secret")
    (folder / "links_a_notebook").mkdir(parents=True)
    (folder / "links_a_notebook" / f"{SAMPLE}.ipynb").symlink_to(own / "source" / SAMPLE / f"{SAMPLE}.ipynb")
    (folder / "links_a_notebook" / "x.ipynb").symlink_to(secret)
    (folder / "linked_learner").symlink_to(own / "source", target_is_directory=True)
    (folder / "formula").mkdir()
    (folder / "formula" / f"{FORMULA}.ipynb").write_text(notebook)
    (folder / "two_copies").mkdir()
    (folder / "two_copies" / f"{SAMPLE}.ipynb").write_text(notebook)
    (folder / "two_copies" / f"{SAMPLE} (1).ipynb").write_text(notebook)
    (folder / "-too_large").mkdir()
    (folder / "-too_large" / f"{SAMPLE}.ipynb").write_text(notebook + " " * 200_000)
    (folder / "a_pipe").mkdir()
    os.mkfifo(folder / "a_pipe" / f"{SAMPLE}.ipynb")
    limit = (len(notebook) + 100_000) / 10**6  # MB: a solved 01 is smaller, the large one larger
    done = run_grade(own, folder, "--max-size", str(limit))
    return own, done, limit


def test_every_refused_file_has_its_learners_row_saying_why(refused):
    course, done, limit = refused
    size = len(json.dumps(solved(course))) + 200_000
    rows = grade_rows(course)
    assert {key: row["status"] for key, row in rows.items()} == {
        ("links_a_notebook", SAMPLE): f"refused: {SAMPLE}.ipynb is a link, not a file",
        ("links_a_notebook", "x.ipynb"): "refused: x.ipynb is a link, not a file",
        ("linked_learner", ""): "refused: the learner's folder linked_learner is a link, not a folder",
        ("formula", f"'{FORMULA}.ipynb"): f"refused: {FORMULA}.ipynb is named like no notebook of this course",
        ("two_copies", SAMPLE): f"refused: 2 files for {SAMPLE}: {SAMPLE} (1).ipynb, {SAMPLE}.ipynb",
        ("'-too_large", SAMPLE): f"refused: {SAMPLE}.ipynb is {size / 10**6:.1f} MB, over the limit of {limit:g} MB",
        ("a_pipe", SAMPLE): f"refused: {SAMPLE}.ipynb is not a regular file",
        **{(learner, SAMPLE): "not submitted" for learner in ("formula", "linked_learner")},
    }
    assert all(float(row["total"]) == 0 for row in rows.values())
    assert done.returncode == 1
    assert "could not grade 7:" in done.stderr


def test_nothing_refused_was_read_or_copied_into_the_course(refused):
    course, _, _ = refused
    copied = [path for path in (course / "submitted").rglob("*") if path.is_file()] \
        if (course / "submitted").exists() else []
    assert copied == []
    assert "the instructor's secret" not in (course / "grades.csv").read_text()


def test_a_cell_that_begins_like_a_formula_is_text_in_grades_csv(refused):
    course, _, _ = refused
    with open(course / "grades.csv", newline="") as f:
        cells = [value for row in csv.reader(f) for value in row]
    assert f"'{FORMULA}.ipynb" in cells and "'-too_large" in cells
    assert not [value for value in cells if value.startswith(("=", "+", "-", "@"))]


def test_nbgrader_export_shows_the_refused_rows_as_grades_csv_does(refused):
    course, _, _ = refused
    assert nbgrader_export(course) == (course / "grades.csv").read_text()
