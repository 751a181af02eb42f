"""The grades in nbgrader's gradebook (course/gradebook.db), and `nbgrader export` of them.

`record(course, results)` writes the points the grader computed into the gradebook,
as nbgrader's autograde would, so that formgrader and `nbgrader export` show the same
points as grades.csv. Only the grader writes there: a learner's kernel never sees it.
"""

import warnings
from pathlib import Path

from .nbgrader_required import nbgrader  # noqa: F401  (a clear message without the instructor extra)

from nbgrader.api import Gradebook, MissingEntry  # noqa: E402
from nbgrader.plugins import ExportPlugin  # noqa: E402

__all__ = ["record", "released_assignments", "ExerciseGradesExport", "COURSE_ID"]

COURSE_ID = "back_to_backprop"


def _database(course):
    return f"sqlite:///{Path(course).resolve() / 'gradebook.db'}"


def released_assignments(course):
    """The names of the assignments the gradebook knows (those `release` made)."""
    if not (Path(course) / "gradebook.db").is_file():
        return set()
    with Gradebook(_database(course), COURSE_ID) as gradebook:
        return {assignment.name for assignment in gradebook.assignments}


def record(course, results):
    """Write each result's points into the gradebook: results = [(learner, notebook, result)].

    A grade cell the result does not name (a notebook that could not be read) gets 0.
    """
    with Gradebook(_database(course), COURSE_ID) as gradebook, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's own SQLAlchemy warnings about a new submission
        for learner, notebook, result in results:
            gradebook.update_or_create_student(learner)
            gradebook.update_or_create_submission(notebook, learner)
            submission = gradebook.find_submission_notebook(notebook, notebook, learner)
            points = {row["grade_id"]: row["points"] for row in result["exercises"]}
            for grade in submission.grades:
                if grade.cell_type == "code":
                    grade.auto_score = float(points.get(grade.name, 0.0))
                    grade.needs_manual_grade = False
            gradebook.db.commit()


class ExerciseGradesExport(ExportPlugin):
    """`nbgrader export`: one row per learner and notebook, one column per graded exercise.

    Columns: learner, notebook, status, then each exercise's points (its check cell's
    grade_id without "check_", in notebook order), then total and max — the columns
    of the grader's grades.csv, read back from the gradebook. A learner in the gradebook
    who did not submit a notebook gets zeros with status "not submitted".
    """

    def export(self, gradebook):
        from .batch import write_grades  # one writer for both CSV files

        assignments = [a for a in gradebook.assignments if not self.assignment or a.name in self.assignment]
        learners = [s.id for s in gradebook.students if not self.student or s.id in self.student]
        columns, rows = [], []
        for assignment in sorted(assignments, key=lambda a: a.name):
            for notebook in assignment.notebooks:
                cells = [cell for cell in notebook.grade_cells if cell.cell_type == "code"]
                names = [cell.name.removeprefix("check_") for cell in cells]
                columns += [name for name in names if name not in columns]
                for learner in learners:
                    row = {"learner": learner, "notebook": notebook.name, "max": sum(c.max_score for c in cells)}
                    try:
                        submission = gradebook.find_submission_notebook(notebook.name, assignment.name, learner)
                    except MissingEntry:
                        row.update({name: 0.0 for name in names}, status="not submitted", total=0.0)
                    else:
                        scores = {g.name.removeprefix("check_"): g.score for g in submission.grades
                                  if g.cell_type == "code"}
                        row.update(scores, status="graded", total=sum(scores.values()))
                    rows.append(row)
        write_grades(self.to or "grades.csv", columns, rows)
        self.log.info("Wrote %d rows to %s", len(rows), self.to or "grades.csv")
