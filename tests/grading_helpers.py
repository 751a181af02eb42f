"""Shared by the grading tests: a released course, submissions made from it, the real grade command."""

import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import threading
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


def run_grade(course, submissions, *options, env=None, peaks=None):
    """The instructor's grade command, for real: `python -m lecture_utils.grading grade`.

    peaks: a dict to fill with the peak memory of its grader processes while it runs (see PeakMemory).
    """
    command = [sys.executable, "-m", "lecture_utils.grading", "--course", str(course), "grade", str(submissions),
               *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=course.parent,
                               env=dict(os.environ, **(env or {})))
    with PeakMemory(process) as seen:
        stdout, stderr = process.communicate(timeout=1800)
    if peaks is not None:
        peaks.update(seen)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


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
class PeakMemory:
    """The peak resident memory (VmHWM, bytes) of every grader process a command starts, read while it runs.

    Grader processes: the command's descendants that run lecture_utils.grading, not the learners' kernels.
    Use as `with PeakMemory(process) as peaks: process.wait()`; peaks is {pid: (bytes, what, job)}: for a worker
    that grades one submission, "learner/notebook" and its job file; else the command line and None.
    """

    def __init__(self, process, every=0.05):
        self.root, self.every, self.peaks = process.pid, every, {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self.peaks

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        return False

    def _watch(self):
        while not self._done.wait(self.every):
            for pid in _descendants(self.root) | {self.root}:
                try:
                    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                if "lecture_utils.grading" not in command or "ipykernel" in command or "bwrap" in command:
                    continue
                peak = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024
                if pid not in self.peaks:
                    self.peaks[pid] = (peak, *_graded_by(command))
                elif peak > self.peaks[pid][0]:
                    self.peaks[pid] = (peak, *self.peaks[pid][1:])


def _graded_by(command):
    """("learner/notebook", job file) of the submission a grade_one worker grades, else (the command, None)."""
    words = command.split()
    if "lecture_utils.grading.grade_one" in words:
        try:
            job = words[words.index("lecture_utils.grading.grade_one") + 1]
            task = json.loads(Path(job).read_text())
            return f"{task['learner']}/{Path(task['path']).stem}", job
        except (OSError, ValueError, KeyError, IndexError):
            pass
    return command, None


def _descendants(root):
    """The pids of every process below `root`, from /proc/<pid>/stat's parent pids."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
