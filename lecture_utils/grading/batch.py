"""Grade a class: every submitted notebook, each in its own sandbox, several at once.

    grade(course="course", submissions=None, workers=None, settings=Settings())

1. Copies the submissions (if given) into course/submitted/ (course.collect).
2. For each notebook, makes the package copies its kernels import (sandbox_package.py).
3. Grades every submitted (learner, notebook) in a worker process of its own
   (grade_one.py), `workers` at a time (default: all cores).
4. Writes what it found, and only then: course/grades.csv (one row per submitted
   learner and notebook, with a status; "not submitted" where a learner of the batch
   has no copy of a notebook others submitted), the gradebook, the graded notebooks
   formgrader shows, per-learner feedback (feedback.py) and the class report (report.py).

Returns 0 when every submission has its grade, 1 when the grader could not grade some
(their rows say why): a learner's broken notebook is graded 0, not an error of the batch.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from .course import collect, course_folder, exercises_of, source_notebook, submitted
from .feedback import write_feedback, write_graded_notebook
from .grade_one import Settings, kernel_groups
from .gradebook import record, released_assignments
from .report import write_report
from .sandbox import SandboxUnavailable, bubblewrap
from .sandbox_package import build_package

__all__ = ["grade", "write_grades", "SUBMISSION_TIME_LIMIT"]

SUBMISSION_TIME_LIMIT = 15 * 60  # seconds for one whole submission, whatever it does
WORKER = [sys.executable, "-m", "lecture_utils.grading.grade_one"]  # run with: JOB.json RESULT.json


def grade(course="course", submissions=None, workers=None, settings=Settings(), quiet=False):
    """Grade every submitted notebook (see the module's docstring); return the exit code.

    workers: submissions graded at once (default: all cores); settings: time limits, limits
    and whether to sandbox (grade_one.Settings); quiet: print nothing but problems.
    """
    course = course_folder(course)
    if submissions:
        collect(course, submissions)
    entries = submitted(course)
    if not entries:
        raise SystemExit(f"no submissions in {course / 'submitted'}")
    if settings.isolated and (sys.platform != "linux" or bubblewrap() is None):
        raise SandboxUnavailable(
            "grading runs every learner's code in a bubblewrap sandbox, and `bwrap` is not installed "
            "(on Debian or Ubuntu: apt-get install bubblewrap). To grade without a sandbox anyway, with "
            "the learners' code running with your permissions, pass --no-sandbox.")
    workers = workers or os.cpu_count() or 1
    released = released_assignments(course)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lecture-grading-") as scratch:
        scratch = Path(scratch)
        sources, packages = _prepare(course, {notebook for _, notebook, _ in entries}, released, scratch)
        jobs = [(learner, notebook, path) for learner, notebook, path in entries]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(
                lambda job: _grade_in_worker(*job, sources, packages, settings, scratch, quiet), jobs))
    graded = [(learner, notebook, result) for (learner, notebook, _), result in zip(jobs, results)]
    _write_everything(course, graded, sources)
    failures = [f"{learner}/{notebook}: {result['status']}" for learner, notebook, result in graded
                if result.get("grader_failed")]
    if not quiet:
        print(f"graded {len(graded)} notebooks in {time.monotonic() - started:.1f} s with {workers} "
              f"worker{'s' if workers > 1 else ''}; grades in {course / 'grades.csv'}")
    if failures:
        print("could not grade:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


def _prepare(course, notebooks, released, scratch):
    """{notebook: source}, {notebook: {off_limits: package folder}} for the notebooks to grade."""
    sources, packages, copies = {}, {}, {}
    for notebook in sorted(notebooks):
        source = source_notebook(course, notebook) if notebook in released else None
        if source is None:
            continue
        sources[notebook] = source
        packages[notebook] = {}
        for _, off_limits in kernel_groups(exercises_of(source)):
            if off_limits not in copies:
                copies[off_limits] = str(build_package(scratch / f"package-{len(copies)}", off_limits))
            packages[notebook][off_limits] = copies[off_limits]
    return sources, packages


def _grade_in_worker(learner, notebook, path, sources, packages, settings, scratch, quiet):
    """One submission's result, graded by a worker process (a result saying why, if it fails)."""
    source = sources.get(notebook)
    if source is None:
        return _failed(f"not released: no assignment {notebook} in this course (run release first)", notebook,
                       sources)
    if not settings.isolated:
        print(f"WARNING: grading {learner}/{notebook} WITHOUT a sandbox: its code runs with your permissions "
              "and can read and change your files.", file=sys.stderr, flush=True)
    folder = Path(tempfile.mkdtemp(prefix="job-", dir=scratch))
    job = {"path": str(path), "source": source, "call_timeout": settings.call_timeout,
           "cell_timeout": settings.cell_timeout, "isolated": settings.isolated,
           "limits": asdict(settings.limits),
           "packages": [{"off_limits": sorted(k), "folder": v} for k, v in packages[notebook].items()]}
    (folder / "job.json").write_text(json.dumps(job))
    command = [*WORKER, folder / "job.json", folder / "result.json"]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=SUBMISSION_TIME_LIMIT)
    except subprocess.TimeoutExpired:
        return _failed(f"not graded: grading took longer than {SUBMISSION_TIME_LIMIT // 60} minutes", notebook,
                       sources, grader_failed=True)
    if finished.returncode != 0 or not (folder / "result.json").is_file():
        why = (finished.stderr.strip().splitlines() or ["no message"])[-1][:200]
        return _failed(f"not graded: the grader failed ({why})", notebook, sources, grader_failed=True)
    result = json.loads((folder / "result.json").read_text())
    if not quiet:
        print(f"{learner}/{notebook}: {result['total']:g}/{result['max']:g} ({result['status']})", flush=True)
    return result


def _failed(status, notebook, sources, grader_failed=False):
    """A result of zeros with the reason, for a submission that could not be graded."""
    source = sources.get(notebook)
    exercises = exercises_of(source) if source is not None else []
    rows = [{"column": e.column, "grade_id": e.grade_id, "max": e.points, "points": 0.0, "exercise": e.column,
             "status": "not graded", "message": status, "hint": None} for e in exercises]
    return {"status": status, "exercises": rows, "total": 0.0, "max": sum(e.points for e in exercises),
            "cells": [], "grader_failed": grader_failed}


def _write_everything(course, graded, sources):
    columns, rows = _rows(graded, sources)
    write_grades(course / "grades.csv", columns, rows)
    record(course, [(learner, notebook, result) for learner, notebook, result in graded if notebook in sources])
    for learner, notebook, result in graded:
        write_feedback(course, learner, notebook, result)
        if notebook in sources:
            write_graded_notebook(course, learner, notebook, sources[notebook], result)
    write_report(course, graded)


def _rows(graded, sources):
    """grades.csv's columns (exercises, in notebook order) and rows, "not submitted" ones included."""
    columns = []
    for notebook in sorted(sources):
        columns += [e.column for e in exercises_of(sources[notebook]) if e.column not in columns]
    learners = sorted({learner for learner, _, _ in graded})
    by_pair = {(learner, notebook): result for learner, notebook, result in graded}
    rows = []
    for notebook in sorted({notebook for _, notebook, _ in graded}):
        for learner in learners:
            result = by_pair.get((learner, notebook))
            if result is None:
                exercises = exercises_of(sources[notebook]) if notebook in sources else []
                rows.append({"learner": learner, "notebook": notebook, "status": "not submitted",
                             **{e.column: 0.0 for e in exercises}, "total": 0.0,
                             "max": sum(e.points for e in exercises)})
                continue
            rows.append({"learner": learner, "notebook": notebook, "status": result["status"],
                         **{row["column"]: row["points"] for row in result["exercises"]},
                         "total": result["total"], "max": result["max"]})
    return columns, rows


def write_grades(path, columns, rows):
    """Write grades.csv (learner, notebook, status, one column per exercise, total, max) in one step."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["learner", "notebook", "status", *columns, "total", "max"],
                                restval="")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(partial, path)
