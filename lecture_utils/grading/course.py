"""The course folder and what the grader reads from it: nbgrader's layout, the exercises of a notebook.

    course/nbgrader_config.py                     the course's settings (written by release if missing)
    course/source/<notebook>/<notebook>.ipynb     the instructor's notebooks, copied by release
    course/release/<notebook>/<notebook>.ipynb    the student versions
    course/submitted/<learner>/<notebook>/<notebook>.ipynb
    course/autograded/<learner>/<notebook>/...    graded copies (what formgrader shows)
    course/feedback/<learner>/<notebook>/<notebook>.html
    course/gradebook.db, course/grades.csv, course/report.csv, course/report.png
    course/results.db                             every submission's record, kept as it is graded (store.py)

What a notebook's exercises are comes only from the instructor's source notebook,
never from a submission: each graded cell is a check cell `check_x(x)` (nbgrader
metadata: grade, grade_id, points), calling check `check_x` on the learner's
function `x`.
"""

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from .results import column_of

__all__ = ["GradedExercise", "exercises_of", "exercise_points", "source_notebook", "read_notebook", "NotANotebook",
           "NBGRADER_CONFIG", "course_folder", "nbgrader_cell", "COURSE", "NOTEBOOKS"]

# The grading command's folders, relative to the folder it runs in (--course, --notebooks).
COURSE = Path("course")
NOTEBOOKS = Path("notebooks")

NBGRADER_CONFIG = """\
# nbgrader settings for this course folder (written by `python -m lecture_utils.grading release`;
# edit freely, it is never overwritten). Run nbgrader commands from this folder.
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "back_to_backprop"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# What a learner sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# `nbgrader export`: one row per learner and notebook, one column per graded exercise,
# from the points `python -m lecture_utils.grading grade` wrote into the gradebook.
c.ExportApp.plugin_class = "lecture_utils.grading.gradebook.ExerciseGradesExport"
"""


@dataclass(frozen=True)
class GradedExercise:
    """One graded exercise of a notebook, as its source notebook defines it.

    grade_id: the check cell's nbgrader id ("check_predict"); column: its grades.csv column ("predict");
    check: the check function's name; function: the learner's function's name; points;
    anchor: the grade_id of the cell just before the check cell (normally the solution
    cell), after which the exercise is graded — where the learner's check cell runs.
    """

    grade_id: str
    check: str
    function: str
    points: float
    anchor: str | None

    @property
    def column(self):
        return column_of(self.grade_id)


def course_folder(course):
    """The course folder (absolute), created with this package's nbgrader_config.py if it has none."""
    course = Path(course).resolve()
    config = course / "nbgrader_config.py"
    if not config.is_file():
        course.mkdir(parents=True, exist_ok=True)
        config.write_text(NBGRADER_CONFIG)
        print(f"wrote the course settings {config}")
    return course


def nbgrader_cell(cell):
    """A cell's nbgrader metadata (a dict, empty if it has none)."""
    metadata = cell.get("metadata", {}).get("nbgrader", {})
    return metadata if isinstance(metadata, dict) else {}


class NotANotebook(ValueError):
    """A file that is not a Jupyter notebook (version 4) with a list of cells."""


def read_notebook(path):
    """A notebook file as plain data: {"cells": [{"cell_type", "source" (one string), "metadata"}, ...]}.

    Read with json alone (nbformat's validation is slow to load and not needed to run cells);
    anything that is not a notebook of version 4 raises NotANotebook.
    """
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise NotANotebook(f"{type(error).__name__}: {error}") from None
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4 or not isinstance(notebook.get("cells"), list):
        raise NotANotebook("not a Jupyter notebook of version 4 with a list of cells")
    cells = []
    for cell in notebook["cells"]:
        if not isinstance(cell, dict):
            raise NotANotebook("a cell that is not a JSON object")
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) and all(isinstance(s, str) for s in source) else source
        metadata = cell.get("metadata")
        cells.append({"cell_type": cell.get("cell_type"), "source": source if isinstance(source, str) else "",
                      "metadata": metadata if isinstance(metadata, dict) else {}})
    return {"cells": cells}


def source_notebook(course, name):
    """The instructor's version of a notebook, as release copied it (read_notebook); None if there is none."""
    path = Path(course) / "source" / name / f"{name}.ipynb"
    return read_notebook(path) if path.is_file() else None


def exercises_of(notebook):
    """The graded exercises of a source notebook (read_notebook's plain data), in order (see GradedExercise)."""
    found, previous = [], None
    for cell in notebook["cells"]:
        meta = nbgrader_cell(cell)
        if cell["cell_type"] == "code" and meta.get("grade"):
            check, function = _check_call(cell["source"], meta.get("grade_id"))
            found.append(GradedExercise(meta["grade_id"], check, function, float(meta.get("points", 0)), previous))
        if meta.get("grade_id"):
            previous = meta["grade_id"]
    return found


def exercise_points(source):
    """[(grades.csv column, points)] of a source notebook's exercises, in order."""
    return [(exercise.column, exercise.points) for exercise in exercises_of(source)]


def _check_call(source, grade_id):
    """(check, function) from a check cell whose first statement is `check_x(x)`."""
    statements = ast.parse(source).body
    call = statements[0].value if statements and isinstance(statements[0], ast.Expr) else None
    if (not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or not call.args
            or not isinstance(call.args[0], ast.Name)):
        raise ValueError(f"the check cell {grade_id} does not start with a call check_x(x)")
    return call.func.id, call.args[0].id
