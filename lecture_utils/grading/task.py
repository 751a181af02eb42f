"""One grading task: one submission in, one JSON record out — the same code on this machine and on a Dask worker.

    payload = make_payload(submission, data, source, settings)   JSON text: the file's bytes, the
                                                                 instructor's notebook, the settings
    grader = Grader()                   one per process that grades: its package copies, made once
    grader.prove(settings)              a sandbox starts here (else SandboxUnavailable says why)
    record = grader.grade(payload)      JSON text (results.py's record)

`grade` writes the submission into a folder of its own and grades it in a new process
(`python -m lecture_utils.grading.grade_one`, one sandbox at a time), which ends with the
process that started it. A grading process that dies raises GraderFailed: the task may be
tried again (by Dask's retries, or the local pool's). Nothing a learner's kernel produced
crosses here as anything but the JSON text of the record the grading process wrote.

A payload names the grader's identity (`identity()`: the package's version and the digest of
its code and checks); a process whose own differs refuses the task (WorkerRefused).
"""

import base64
import ctypes
import functools
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

import lecture_utils

from .course import exercises_of
from .grade_one import kernel_groups
from .kernel import Kernel, KernelLost
from .results import NOT_GRADED, ungraded_record, with_reason
from .sandbox import Sandbox, SandboxUnavailable, bubblewrap
from .sandbox_package import build_package

__all__ = ["Grader", "CannotGrade", "GraderFailed", "WorkerRefused", "identity", "grader_id", "make_payload", "GRADER",
           "SUBMISSION_TIME_LIMIT"]

GRADER = [sys.executable, "-m", "lecture_utils.grading.grade_one"]  # run with: JOB.json RESULT.json
SUBMISSION_TIME_LIMIT = 15 * 60  # seconds for one whole submission, whatever it does
_PR_SET_PDEATHSIG = 1


class CannotGrade(RuntimeError):
    """Grading cannot start: no worker can grade, or what grading needs is missing (the message says why)."""


class GraderFailed(RuntimeError):
    """The process grading a submission died or wrote no record (the task may be tried again)."""


class WorkerRefused(RuntimeError):
    """This process may not grade: its package differs from the grader's, or its sandbox does not start."""


@functools.cache
def identity():
    """{"version": the package's version, "digest": sha256 over every file of the package (its code and checks)}."""
    root = Path(lecture_utils.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return {"version": lecture_utils.__version__, "digest": digest.hexdigest()}


def grader_id(settings):
    """Who grades, and how: sha256 of the identity and the settings (hex, 16 digits)."""
    text = json.dumps({"identity": identity(), "settings": asdict(settings)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def difference(theirs, ours):
    """Why a process with identity `theirs` may not grade for `ours` (None if it may)."""
    if theirs["version"] != ours["version"]:
        return f"its lecture_utils is version {theirs['version']}, the grader's is {ours['version']}"
    if theirs["digest"] != ours["digest"]:
        return (f"its lecture_utils {theirs['version']} differs from the grader's in its code or checks "
                f"(digest {theirs['digest'][:12]}, the grader's {ours['digest'][:12]})")
    return None


def make_payload(learner, notebook, data, source, settings):
    """A task's input (JSON text): the submitted file's bytes, the instructor's notebook
    (course.read_notebook's plain data), the settings, and the identity of the grader that sends it."""
    return json.dumps({"learner": learner, "notebook": notebook, "submission": base64.b64encode(data).decode(),
                       "source": source, "settings": asdict(settings), "identity": identity()})


class Grader:
    """Grades payloads in this process, one sandbox per submission; keeps its package copies until close()."""

    def __init__(self):
        self.scratch = Path(tempfile.mkdtemp(prefix="lecture-grading-"))
        self._packages = {}
        self._lock = threading.Lock()

    def close(self):
        shutil.rmtree(self.scratch, ignore_errors=True)

    def package(self, spec):
        """The folder of the package copy a kernel_groups spec describes (made on first use)."""
        with self._lock:
            if spec not in self._packages:
                self._packages[spec] = str(build_package(self.scratch / f"package-{len(self._packages)}", spec))
            return self._packages[spec]

    def prove(self, settings):
        """Start a learner's kernel in a sandbox with these settings and import the package there.

        Raises SandboxUnavailable (saying why) if it cannot: grading here would score everyone 0.
        """
        if settings.isolated and (sys.platform != "linux" or bubblewrap() is None):
            raise SandboxUnavailable("bubblewrap (bwrap) is not installed here")
        folder = Path(tempfile.mkdtemp(prefix="proof-", dir=self.scratch))
        notebook = folder / "proof.ipynb"  # a sandbox's folder holds one notebook, as when it grades
        notebook.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        kernel = Kernel(Sandbox(notebook, self.package(frozenset()), settings.limits, settings.isolated))
        try:
            kernel.start()
            run = kernel.run_cell("import numpy, lecture_utils", timeout=60)
            if run.status != "ok":
                raise SandboxUnavailable(f"its kernel could not import the package: {run.error or run.status}")
        except KernelLost as lost:
            raise SandboxUnavailable(f"a learner's kernel did not start in its sandbox: {lost}") from None
        finally:
            kernel.stop()
            shutil.rmtree(folder, ignore_errors=True)

    def grade(self, payload):
        """The record (JSON text) of one payload's submission. Raises GraderFailed or WorkerRefused."""
        job = json.loads(payload)
        refused = difference(identity(), job["identity"])
        if refused:
            raise WorkerRefused(refused)
        source = job["source"]
        packages = {spec: self.package(spec) for _, spec in kernel_groups(exercises_of(source))}
        folder = Path(tempfile.mkdtemp(prefix="job-", dir=self.scratch))
        try:
            notebook = folder / f"{job['notebook']}.ipynb"
            notebook.write_bytes(base64.b64decode(job["submission"]))
            (folder / "job.json").write_text(json.dumps({
                "learner": job["learner"], "path": str(notebook), "source": source, **job["settings"],
                "packages": [{"spec": sorted(spec), "folder": where} for spec, where in packages.items()]}))
            try:
                finished = subprocess.run([*GRADER, folder / "job.json", folder / "result.json"], capture_output=True,
                                          text=True, timeout=SUBMISSION_TIME_LIMIT, preexec_fn=_ends_with_parent())
            except subprocess.TimeoutExpired:
                return json.dumps(ungraded_record(with_reason(
                    NOT_GRADED, f"grading took longer than {SUBMISSION_TIME_LIMIT // 60} minutes"),
                    exercises_of(source)))
            result = folder / "result.json"
            if finished.returncode != 0 or not result.is_file():
                why = (finished.stderr.strip().splitlines() or [f"it ended with exit code {finished.returncode}"])
                raise GraderFailed(why[-1][:200])
            record = result.read_text()
            if not isinstance(json.loads(record), dict):
                raise GraderFailed("its record is not a JSON object")
            return record
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _ends_with_parent():
    """What the grading process runs before it starts (Linux): it is killed when the thread that started it
    ends, so a grader or worker that dies leaves no grading behind (its sandboxes end with it)."""
    if sys.platform != "linux":
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child may not load libraries
    return functools.partial(prctl, _PR_SET_PDEATHSIG, signal.SIGKILL)
