"""Grading results in one place: a submission's record, the statuses, and grades.csv's columns and rows.

A record is what grading one submission gives (one submission in, one JSON record out); the
task returns it, the store keeps it, the gradebook, the feedback and the report read it:

    {"status": "graded",
     "exercises": [{"column": "predict", "grade_id": "check_predict", "points": 1.0, "max": 1.0,
                    "exercise": "predict", "status": "correct", "message": "...", "hint": None}, ...],
     "total": 1.0, "max": 2.0,
     "cells": [{"cell": 3, "status": "ok", "output": "what the cell printed"}, ...]}

An exercise's "exercise", "status", "message" and "hint" are its check's verdict
(checks/exercise.py's Verdict); "points" are "max" when it is correct, else 0.

A row's status starts with one of these words (after a colon or a semicolon, why):

    graded           graded ("graded; cell 4 timed out" says what went wrong on the way)
    not a notebook   the file is no notebook: graded 0, the learner's doing
    not graded       the grader could not grade it: the command exits 1, the next run grades it again
    refused          collecting refused the file (a link, too large, named like no notebook, two files
                     for one notebook): the command exits 1
    not submitted    a learner of the class has no copy of a notebook others submitted

grades.csv (and `nbgrader export`): learner, notebook, status, one column per exercise (the
course's notebooks in order, each exercise's column once), total, max. A cell that a
spreadsheet would read as a formula (it begins with = + - @, a tab or a carriage return)
is written with a ' before it.
"""

import csv
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["GRADED", "NOT_A_NOTEBOOK", "NOT_GRADED", "REFUSED", "NOT_SUBMITTED", "with_reason", "kind_of",
           "is_grade", "needs_attention", "graded_record", "ungraded_record", "column_of", "Outcome",
           "outcome_of", "grades_table", "write_grades", "write_table", "spreadsheet_safe"]

GRADED = "graded"
NOT_A_NOTEBOOK = "not a notebook"
NOT_GRADED = "not graded"
REFUSED = "refused"
NOT_SUBMITTED = "not submitted"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def with_reason(kind, why):
    """A status: its kind and why, e.g. "refused: ada/x.ipynb is a link"."""
    return f"{kind}: {why}"


def kind_of(status):
    """The first words of a status: one of the five kinds above."""
    return status.split(":", 1)[0].split(";", 1)[0].strip()


def is_grade(status):
    """Is this the grader's grade of the submission (graded, or graded 0 as no notebook)?"""
    return kind_of(status) in (GRADED, NOT_A_NOTEBOOK)


def needs_attention(status):
    """Could the submission not be graded (the command exits 1)?"""
    return kind_of(status) in (NOT_GRADED, REFUSED)


def column_of(grade_id):
    """An exercise's grades.csv column: its check cell's grade_id without "check_"."""
    return grade_id.removeprefix("check_")


def graded_record(status, exercises, verdicts, cells):
    """The record of a graded submission.

    exercises: the notebook's (course.GradedExercise), in order; verdicts: {column: Verdict} (an exercise
    without one is "not graded" for `status`); cells: [{"cell", "status", "output"}] in order.
    """
    rows = []
    for exercise in exercises:
        verdict = verdicts.get(exercise.column)
        verdict = asdict(verdict) if verdict is not None else \
            {"exercise": exercise.column, "status": NOT_GRADED, "message": status, "hint": None}
        rows.append({"column": exercise.column, "grade_id": exercise.grade_id, "max": exercise.points,
                     "points": exercise.points if verdict["status"] == "correct" else 0.0, **verdict})
    return {"status": status, "exercises": rows, "total": sum(r["points"] for r in rows),
            "max": sum(e.points for e in exercises), "cells": list(cells)}


def ungraded_record(status, exercises):
    """The record of a submission that was not graded: every exercise 0, with `status` as its reason."""
    return graded_record(status, exercises, {}, [])


@dataclass(frozen=True)
class Outcome:
    """One row's worth of a submission: whose, which notebook (or file name), its status, its points."""

    learner: str
    notebook: str
    status: str
    points: dict = field(default_factory=dict)  # {column: points}


def outcome_of(learner, notebook, record):
    return Outcome(learner, notebook, record["status"], {row["column"]: row["points"] for row in record["exercises"]})


def grades_table(outcomes, exercises_by_notebook):
    """grades.csv's exercise columns and rows.

    outcomes: [Outcome]; exercises_by_notebook: {notebook: [(column, max points), ...]} of the course.
    Every learner of `outcomes` gets a row for every notebook someone submitted ("not submitted"
    where they did not), in notebook then learner order; an outcome named like no notebook (a refused
    file) is a row of its learner only, after the others — never a notebook of the class. The exercise
    columns are those of the notebooks with rows, in notebook order, each column once.
    """
    learners = sorted({o.learner for o in outcomes})
    by_pair = {(o.learner, o.notebook): o for o in outcomes}
    notebooks = sorted({o.notebook for o in outcomes if o.notebook in exercises_by_notebook})
    columns = list(dict.fromkeys(column for notebook in notebooks for column, _ in exercises_by_notebook[notebook]))
    rows = []
    for notebook in notebooks:
        for learner in learners:
            outcome = by_pair.get((learner, notebook)) or Outcome(learner, notebook, NOT_SUBMITTED)
            rows.append(_row(outcome, exercises_by_notebook[notebook]))
    strays = sorted((o for o in outcomes if o.notebook not in exercises_by_notebook),
                    key=lambda o: (o.learner, o.notebook))
    return columns, rows + [_row(outcome, []) for outcome in strays]


def _row(outcome, exercises):
    points = {column: float(outcome.points.get(column, 0.0)) for column, _ in exercises}
    return {"learner": outcome.learner, "notebook": outcome.notebook, "status": outcome.status, **points,
            "total": sum(points.values()), "max": float(sum(maximum for _, maximum in exercises))}


def write_grades(path, outcomes, exercises_by_notebook):
    """Write grades.csv (grades_table's columns and rows): learner, notebook, status, exercises, total, max."""
    columns, rows = grades_table(outcomes, exercises_by_notebook)
    header = ["learner", "notebook", "status", *columns, "total", "max"]
    write_table(path, header, [[row.get(name, "") for name in header] for row in rows])


def write_table(path, header, rows):
    """Write a CSV file in one step (a reader never sees half of it), every cell spreadsheet_safe."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    os.replace(partial, path)


def spreadsheet_safe(cell):
    """A cell a spreadsheet shows as text: text that begins like a formula gets a ' in front (numbers stay)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell
