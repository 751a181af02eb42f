"""Submissions: the notebooks learners handed in, read only as regular files inside their folder.

    found = collect(course, folder, notebooks)   copy folder/<learner>/... into course/submitted/
    found = submitted(course, notebooks)         what course/submitted/ holds, as the grader reads it
    data = read_submission(path)                 one file's bytes, or Refused

A submissions folder holds one folder per learner, in nbgrader's layout
(<learner>/<notebook>/<notebook>.ipynb, as `nbgrader collect` leaves them) or flat
(<learner>/<notebook>.ipynb, as learning platforms download them). Each file named *.ipynb
is a submission of the notebook its name names: `<notebook>.ipynb`, or that name with the
suffixes a browser or a file manager adds to a second copy (` (1)`, `-1`, ` copy`, ` copy 2`)
when it names exactly one notebook of the course.

What is refused, each on its learner's row (never read, never copied): a link (a learner's
folder, a folder in it or a file), a file named *.ipynb that is not a regular file, a file over
the size limit (MAX_SIZE unless told), a name that names no notebook of the course, two files
for one notebook, folders nested deeper than MAX_DEPTH. Every folder and file is opened without
following links, relative to the folder it was found in, so nothing outside the submissions
folder is ever read. Hidden files and folders (".…", `__MACOSX`) are not submissions.
"""

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .results import REFUSED, with_reason

__all__ = ["Submission", "Refusal", "Found", "Refused", "collect", "submitted", "read_submission",
           "notebook_named", "digest_of", "MAX_SIZE", "MAX_DEPTH"]

MAX_SIZE = 20 * 10**6  # bytes of one submitted file (20 MB)
MAX_DEPTH = 8          # folders below a learner's folder
LEARNER_FOLDER = ""    # a Refusal's name when the learner's folder itself is refused
_DOWNLOAD_SUFFIX = re.compile(r"(?: \(\d+\)|-\d+| copy(?: \d+)?)$")
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class Refused(Exception):
    """A file that is not read as a submission; the message says why."""


@dataclass(frozen=True)
class Submission:
    """One learner's file for one notebook. path: where it is; digest: sha256 of its bytes (hex)."""

    learner: str
    notebook: str
    path: Path
    digest: str


@dataclass(frozen=True)
class Refusal:
    """A learner's file or folder that is not graded. name: its notebook, else the file's name as it was."""

    learner: str
    name: str
    status: str


@dataclass
class Found:
    """What a submissions folder holds: submissions and refusals, and the learners it has folders for."""

    submissions: list = field(default_factory=list)
    refusals: list = field(default_factory=list)
    learners: list = field(default_factory=list)


def notebook_named(file_name, notebooks):
    """The notebook a file named `file_name` submits, or None.

    "08_x.ipynb" -> "08_x"; also "08_x (1).ipynb", "08_x-1.ipynb", "08_x copy.ipynb" and their
    combinations, when that gives one of `notebooks`.
    """
    if not file_name.endswith(".ipynb"):
        return None
    stem = file_name[:-len(".ipynb")]
    while stem not in notebooks:
        shorter = _DOWNLOAD_SUFFIX.sub("", stem)
        if shorter == stem:
            return None
        stem = shorter
    return stem


def collect(course, folder, notebooks, max_size=MAX_SIZE):
    """Copy every learner's submissions from `folder` into course/submitted/<learner>/<notebook>/<notebook>.ipynb.

    A file already there with the same bytes is left as it is. Returns Found (what was copied,
    from where; what was refused; which learners' folders were read).
    """
    found = _scan(folder, notebooks, max_size, keep=True)
    copied = []
    for submission, data in found.submissions:
        target = Path(course) / "submitted" / submission.learner / submission.notebook / f"{submission.notebook}.ipynb"
        if not (target.is_file() and not target.is_symlink() and digest_of(target.read_bytes()) == submission.digest):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            os.replace(partial, target)
        copied.append(submission)
    found.submissions = copied
    return found


def submitted(course, notebooks, max_size=MAX_SIZE):
    """What course/submitted/ holds (Found), read as collect reads a submissions folder."""
    folder = Path(course) / "submitted"
    return _scan(folder, notebooks, max_size) if folder.is_dir() else Found()


def read_submission(path, max_size=MAX_SIZE):
    """The bytes of a submitted file; Refused if it is a link, not a regular file, or larger than max_size."""
    path = Path(path)
    parent = os.open(path.parent, _DIRECTORY)
    try:
        return _read(parent, path.name, max_size)
    finally:
        os.close(parent)


def digest_of(data):
    """sha256 of some bytes (hex): what says whether a file changed."""
    return hashlib.sha256(data).hexdigest()


def _scan(folder, notebooks, max_size, keep=False):
    """Found, with (Submission, bytes) pairs when keep, else Submissions."""
    notebooks = set(notebooks)
    found = Found()
    root = os.open(folder, _DIRECTORY)
    try:
        for entry in sorted(os.scandir(root), key=lambda e: e.name):
            if _hidden(entry.name):
                continue
            if entry.is_symlink():
                found.learners.append(entry.name)
                found.refusals.append(Refusal(entry.name, LEARNER_FOLDER, with_reason(
                    REFUSED, f"the learner's folder {entry.name} is a link, not a folder")))
            elif entry.is_dir(follow_symlinks=False):
                found.learners.append(entry.name)
                _scan_learner(Path(folder), root, entry.name, notebooks, max_size, keep, found)
    finally:
        os.close(root)
    return found


def _scan_learner(folder, root, learner, notebooks, max_size, keep, found):
    files = {}  # {notebook: [(relative path, bytes)]}
    refusals = []

    def refuse(name, why):
        refusals.append(Refusal(learner, name, with_reason(REFUSED, why)))

    def visit(parent_fd, name, relative, depth):
        try:
            fd = os.open(name, _DIRECTORY, dir_fd=parent_fd)
        except OSError as error:
            return refuse(relative or LEARNER_FOLDER, f"{relative or learner} cannot be read ({error.strerror})")
        try:
            for entry in sorted(os.scandir(fd), key=lambda e: e.name):
                path = f"{relative}/{entry.name}" if relative else entry.name
                if _hidden(entry.name):
                    continue
                notebook = notebook_named(entry.name, notebooks)
                if entry.is_symlink():
                    refuse(notebook or path, f"{path} is a link, not a file")
                elif entry.is_dir(follow_symlinks=False):
                    if depth >= MAX_DEPTH:
                        refuse(path, f"{path} lies more than {MAX_DEPTH} folders deep")
                    else:
                        visit(fd, entry.name, path, depth + 1)
                elif entry.name.endswith(".ipynb"):
                    if notebook is None:
                        refuse(path, f"{path} is named like no notebook of this course")
                        continue
                    try:
                        data = _read(fd, entry.name, max_size)
                    except Refused as why:
                        refuse(notebook, f"{path} {why}")
                        continue
                    files.setdefault(notebook, []).append((path, data))
        finally:
            os.close(fd)

    visit(root, learner, "", 0)
    refused_notebooks = {r.name for r in refusals}
    for notebook, copies in sorted(files.items()):
        if len(copies) > 1:
            refuse(notebook, f"{len(copies)} files for {notebook}: {', '.join(path for path, _ in copies)}")
        elif notebook not in refused_notebooks:
            path, data = copies[0]
            submission = Submission(learner, notebook, folder / learner / path, digest_of(data))
            found.submissions.append((submission, data) if keep else submission)
    found.refusals += _one_per_name(refusals)


def _one_per_name(refusals):
    """Several refusals for one name (one notebook) in one: their reasons joined."""
    by_name = {}
    for refusal in refusals:
        if refusal.name in by_name:
            first = by_name[refusal.name]
            refusal = Refusal(first.learner, first.name, f"{first.status}; {refusal.status.split(': ', 1)[1]}")
        by_name[refusal.name] = refusal
    return list(by_name.values())


def _read(parent_fd, name, max_size):
    try:
        fd = os.open(name, _FILE, dir_fd=parent_fd)
    except OSError as error:
        raise Refused("is a link, not a file" if error.errno == errno.ELOOP
                      else f"cannot be read ({error.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("is not a regular file")
        if info.st_size > max_size:
            raise Refused(f"is {info.st_size / 10**6:.1f} MB, over the limit of {max_size / 10**6:g} MB")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_size:
                raise Refused(f"grew over the limit of {max_size / 10**6:g} MB while it was read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _hidden(name):
    return name.startswith(".") or name == "__MACOSX"
