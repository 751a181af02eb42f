"""The instructor's workflow, run for real: release with nbgrader, then the grade command.

The release must hold no solutions and make every check fail; the solution notebooks
must pass every check. Sample submissions of notebook 01 are graded by the real
`python -m lecture_utils.grading grade` into grades.csv and nbgrader's gradebook with
exactly the points their mistakes deserve, with feedback and a class report.
"""

import csv
import re
import shutil

import nbformat
import pytest
from nbgrader.validator import Validator
from traitlets.config.loader import PyFileConfigLoader

from grading_helpers import SAMPLE, cell, graded_cells, nbgrader_export, release_of
from lecture_utils.grading.release import copy_sources, release_links
from paths import NOTEBOOKS, ROOT

NAMES = [p.stem for p in NOTEBOOKS]
SANDBOX_NOISE = r"Fontconfig|fc-list|Matplotlib (is building|created a temporary)|[A-Za-z]*Warning"


def test_the_course_settings_come_from_the_package(course):
    config = PyFileConfigLoader("nbgrader_config.py", str(course)).load_config()
    assert config.CourseDirectory.course_id == "back_to_backprop"
    assert config.ExportApp.plugin_class == "lecture_utils.grading.gradebook.ExerciseGradesExport"
    assert config.ClearSolutions.code_stub == {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}


@pytest.mark.parametrize("name", NAMES)
def test_release_has_no_solutions_hidden_tests_or_outputs(course, name):
    text = release_of(course, name).read_text()
    for marker in ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]:
        assert marker not in text
    released = nbformat.read(release_of(course, name), as_version=4)
    source = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    assert len(released.cells) == len(source.cells)
    for released_cell in released.cells:
        if released_cell.cell_type == "code":
            assert released_cell.outputs == [] and released_cell.execution_count is None
        meta = released_cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            assert meta["locked"] and released_cell.metadata["editable"] is False
            assert released_cell.metadata["deletable"] is False
        if meta.get("solution"):
            assert "raise NotImplementedError()" in released_cell.source


@pytest.mark.parametrize("name", NAMES)
def test_every_check_passes_on_the_solution_notebook(tmp_path, name):
    copy_path = tmp_path / f"{name}.ipynb"  # run from another folder: data must not depend on it
    shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", copy_path)
    results = Validator().validate(str(copy_path))
    assert results == {}, results


# --- grading: every notebook's solutions and blanks, and the sample submissions of 01 --------------

def points_of(course, name=SAMPLE):
    return graded_cells(nbformat.read(release_of(course, name), as_version=4))


@pytest.mark.parametrize("learner", ["correct", "blank", "one_wrong_answer", "endless_loop", "check_deleted",
                                     "check_edited", "exception_at_import", "not_a_notebook"])
def test_sample_submission_gets_exactly_the_expected_points(graded, learner):
    course, batch, rows = graded
    _, full_marks, status = batch[learner]
    row = rows[(learner, SAMPLE)]
    points = points_of(course)
    expected = {exercise: (points[f"check_{exercise}"] if ok else 0) for exercise, ok in full_marks.items()}
    assert {exercise: float(row[exercise]) for exercise in expected} == expected
    assert float(row["total"]) == sum(expected.values())
    assert float(row["max"]) == sum(points.values())
    assert row["status"].startswith(status)


@pytest.mark.parametrize("name", [n for n in NAMES if n != SAMPLE])
def test_every_notebook_scores_full_when_solved_and_zero_when_blank(graded, name):
    course, _, rows = graded
    maximum = sum(points_of(course, name).values())
    assert float(rows[("solver", name)]["total"]) == maximum == float(rows[("solver", name)]["max"])
    assert rows[("solver", name)]["status"] == "graded"
    assert float(rows[("blank_all", name)]["total"]) == 0
    feedback = (course / "feedback" / "solver" / name / f"{name}.html").read_text()
    assert "(error)" not in feedback and "(timed out)" not in feedback  # nothing the solver did went wrong
    assert not re.search(SANDBOX_NOISE, feedback), re.search(SANDBOX_NOISE, feedback)


def test_every_submission_has_one_row_and_missing_notebooks_say_so(graded):
    course, batch, rows = graded
    learners = set(batch) | {"solver", "blank_all"}
    assert {learner for learner, _ in rows} == learners
    assert len(rows) == len(learners) * len(NAMES)
    assert rows[("correct", "05_linear_layers_not_enough")]["status"] == "not submitted"


def test_grades_csv_has_one_column_per_exercise(graded):
    course, _, _ = graded
    with open(course / "grades.csv") as f:
        header = next(csv.reader(f))
    exercises = [grade_id.removeprefix("check_") for name in NAMES for grade_id in points_of(course, name)]
    assert header[:3] == ["learner", "notebook", "status"] and header[-2:] == ["total", "max"]
    assert header[3:-2] == list(dict.fromkeys(exercises))


def test_nbgrader_export_writes_grades_csv_row_for_row(graded):
    """Statuses and points, the file that is no notebook included: the gradebook agrees with grades.csv."""
    course, _, rows = graded
    assert rows[("not_a_notebook", SAMPLE)]["status"].startswith("not a notebook")
    assert nbgrader_export(course) == (course / "grades.csv").read_text()


def test_feedback_shows_each_verdict_and_the_class_report_counts_the_hints(graded):
    course, _, _ = graded
    page = (course / "feedback" / "one_wrong_answer" / SAMPLE / f"{SAMPLE}.html").read_text()
    assert "✓ predict: correct" in page and "✗ mse: not correct yet." in page
    assert "Hint: divide the sum by N: the MEAN squared error." in page
    with open(course / "report.csv") as f:
        report = {(row["notebook"], row["exercise"]): row for row in csv.DictReader(f)}
    mse = report[(SAMPLE, "mse")]
    assert mse["submissions"] == "8" and mse["passed"] == "4"  # correct, endless_loop, check_deleted, check_edited
    assert "hint: divide the sum by N: the MEAN squared error. (1×)" in mse["most common mistakes"]
    assert (course / "report.png").stat().st_size > 1000
    graded_copy = nbformat.read(course / "autograded" / "one_wrong_answer" / SAMPLE / f"{SAMPLE}.ipynb", as_version=4)
    nbformat.validate(graded_copy)
    assert "✗ mse: not correct yet." in cell(graded_copy, "check_mse").outputs[0]["text"]


def test_links_between_notebooks_work_in_the_course_layout(tmp_path):
    """notebooks/ has the notebooks side by side; course/source/ (and so the release) one folder each,
    with the notation page beside each notebook."""
    names = copy_sources(tmp_path)
    links = 0
    for name in names:
        notebook = tmp_path / "source" / name / f"{name}.ipynb"
        for source_cell in nbformat.read(notebook, as_version=4).cells:
            for target in re.findall(r"\]\(([^)#\s:]+\.(?:ipynb|md))(?:#[^)]*)?\)", source_cell.source):
                assert (notebook.parent / target).resolve().exists(), (name, target)
                links += 1
    assert links >= 2 * len(names)  # every notebook links to the notation and to the next one
    assert release_links("[n](00_a.ipynb#Notation) [m](01_b.ipynb) [x](https://e.org/02_c.ipynb)") == \
        "[n](../00_a/00_a.ipynb#Notation) [m](../01_b/01_b.ipynb) [x](https://e.org/02_c.ipynb)"
