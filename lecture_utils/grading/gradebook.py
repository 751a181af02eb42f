"""The grades in nbgrader's gradebook (course/gradebook.db), and `nbgrader export` of them.

GradebookWriter writes the points the grader computed into the gradebook, as nbgrader's
autograde would, so that formgrader and `nbgrader export` show the same points as grades.csv;
a submission that was not graded (refused, or the grader failed) is not in it.
Only the grader writes there: a learner's kernel never sees it.

`nbgrader export` (ExerciseGradesExport) writes grades.csv's table from the gradebook's points
and the results store's statuses (results.py's rows, store.py), so both files agree on every row.
"""

import warnings
from pathlib import Path

# isort: off
from .nbgrader_required import nbgrader  # noqa: F401  (a clear message without the instructor extra)
# isort: on

from nbgrader.api import Gradebook, MissingEntry  # noqa: E402
from nbgrader.plugins import ExportPlugin  # noqa: E402

from .course import exercise_points, source_notebook  # noqa: E402
from .results import GRADED, Outcome, column_of, write_grades  # noqa: E402
from .store import STORE, ResultsStore  # noqa: E402

__all__ = ["GradebookWriter", "released_assignments", "ExerciseGradesExport", "COURSE_ID"]

COURSE_ID = "back_to_backprop"


def _database(course):
    return f"sqlite:///{Path(course).resolve() / 'gradebook.db'}"


def released_assignments(course):
    """The names of the assignments the gradebook knows (those `release` made)."""
    if not (Path(course) / "gradebook.db").is_file():
        return set()
    with Gradebook(_database(course), COURSE_ID) as gradebook:
        return {assignment.name for assignment in gradebook.assignments}


class GradebookWriter:
    """The grader's writes into the gradebook, in one session:

        with GradebookWriter(course) as gradebook:
            gradebook.write(learner, notebook, record)   # its points (a grade cell it does not name gets 0)
            gradebook.remove(learner, notebook)          # a submission that was not graded is not in it
    """

    def __init__(self, course):
        self.course = course

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")  # nbgrader's own SQLAlchemy warnings about a new submission
        self._gradebook = Gradebook(_database(self.course), COURSE_ID).__enter__()
        return self

    def __exit__(self, *exc):
        try:
            self._gradebook.__exit__(*exc)
        finally:
            self._warnings.__exit__(*exc)

    def write(self, learner, notebook, result):
        gradebook = self._gradebook
        gradebook.update_or_create_student(learner)
        gradebook.update_or_create_submission(notebook, learner)
        submission = gradebook.find_submission_notebook(notebook, notebook, learner)
        points = {row["grade_id"]: row["points"] for row in result["exercises"]}
        for grade in submission.grades:
            if grade.cell_type == "code":
                grade.auto_score = float(points.get(grade.name, 0.0))
                grade.needs_manual_grade = False
        gradebook.db.commit()

    def remove(self, learner, notebook):
        try:
            self._gradebook.remove_submission(notebook, learner)
        except MissingEntry:
            pass


class ExerciseGradesExport(ExportPlugin):
    """`nbgrader export`: grades.csv's table, the points read back from the gradebook.

    One row per learner and notebook (results.py's rows): learner, notebook, status, each
    exercise's points, total, max. The status comes from the results store the grade command
    keeps in the course folder ("graded" for a submission the store does not know, e.g. one
    nbgrader's autograde graded); a submission the gradebook does not hold scores 0.
    """

    def export(self, gradebook):
        course = Path(self.parent.coursedir.root)
        statuses = {}
        if (course / STORE).is_file():  # the grade command graded this course
            with ResultsStore(course) as store:
                statuses = {(o.learner, o.notebook): o.status for o in store.outcomes()}
        assignments = [a for a in gradebook.assignments if not self.assignment or a.name in self.assignment]
        exercises, points = {}, {}
        for assignment in assignments:
            for notebook in assignment.notebooks:
                source = source_notebook(course, notebook.name)
                exercises[notebook.name] = exercise_points(source) if source else [
                    (column_of(cell.name), cell.max_score) for cell in notebook.grade_cells if cell.cell_type == "code"]
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    points[(submission.student.id, notebook.name)] = {
                        column_of(grade.name): grade.score for grade in notebook.grades if grade.cell_type == "code"}
        outcomes = [Outcome(learner, notebook, status, points.get((learner, notebook), {}))
                    for (learner, notebook), status in statuses.items()]
        outcomes += [Outcome(learner, notebook, GRADED, scores)
                     for (learner, notebook), scores in points.items() if (learner, notebook) not in statuses]
        outcomes = [o for o in outcomes if (not self.student or o.learner in self.student)
                    and (not self.assignment or o.notebook in self.assignment)]
        write_grades(self.to or "grades.csv", outcomes, exercises)
        self.log.info("Wrote grades of %d submissions to %s", len(outcomes), self.to or "grades.csv")
