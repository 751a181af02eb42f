"""Release: the student version of every notebook, made by nbgrader's generate_assignment.

    release(course="course", notebooks="notebooks")

copies each notebooks/NN_name.ipynb to course/source/NN_name/NN_name.ipynb (with the
pages the notebooks link to, notation.md, beside it) and runs `nbgrader generate_assignment
NN_name` in the course folder: no solutions, no hidden tests, no outputs, check cells locked,
in course/release/NN_name/NN_name.ipynb. Each notebook is one nbgrader assignment, so each can
have its own due date, and each carries its own copy of the notation page. The same step by
hand, inside the course folder: `nbgrader generate_assignment 01_linear_regression`.

(The learner edition, exercises/, is the same student version made without nbgrader, for
learners on their own: lecture_utils.edition.)
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..edition import NOTEBOOK_PATTERN, PAGES
from .course import NOTEBOOKS, course_folder
from .nbgrader_required import nbgrader  # noqa: F401  (a clear message without the instructor extra)

__all__ = ["release", "release_links", "run_nbgrader"]


def run_nbgrader(course, *args):
    """Run one nbgrader command inside the course folder; return its exit code.

    nbgrader calls the `alembic` program of its own environment, so that
    environment's bin/ goes first on PATH even when it is not activated.
    """
    command = [sys.executable, "-m", "nbgrader", *args]
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    print("$", "nbgrader", " ".join(args), flush=True)
    return subprocess.run(command, cwd=course, env=env).returncode


_NOTEBOOK_LINK = re.compile(r"\]\((\d\d_\w+)\.ipynb(#[^)\s]*)?\)")


def release_links(text):
    """Links between notebooks as the course lays them out: `](01_x.ipynb#a)` -> `](../01_x/01_x.ipynb#a)`.

    In notebooks/ the notebooks sit side by side; in course/source/ and course/release/ (and in a
    learner's folder after `nbgrader fetch_assignment`) each has a folder of its own.
    """
    return _NOTEBOOK_LINK.sub(lambda link: f"](../{link[1]}/{link[1]}.ipynb{link[2] or ''})", text)


def copy_sources(course, notebooks=NOTEBOOKS):
    """Copy every notebooks/NN_name.ipynb to course/source/NN_name/NN_name.ipynb, its links to the
    other notebooks rewritten for that layout (release_links), and the pages they link to
    (notation.md) beside each; return the names."""
    names = []
    pages = [Path(notebooks) / page for page in PAGES if (Path(notebooks) / page).is_file()]
    for notebook in sorted(Path(notebooks).glob(NOTEBOOK_PATTERN)):
        target = Path(course) / "source" / notebook.stem / notebook.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(release_links(notebook.read_text(encoding="utf-8")), encoding="utf-8")
        for page in pages:
            shutil.copyfile(page, target.parent / page.name)
        names.append(notebook.stem)
    return names


def release(course="course", notebooks=NOTEBOOKS):
    """Make the student version of every notebook: no solutions, no hidden tests, no outputs."""
    if not any(Path(notebooks).glob(NOTEBOOK_PATTERN)):
        raise SystemExit(f"no notebooks NN_name.ipynb in {Path(notebooks).resolve()} "
                         "(choose the folder with --notebooks)")
    course = course_folder(course)
    failed = [name for name in copy_sources(course, notebooks)
              if run_nbgrader(course, "generate_assignment", name, "--force") != 0]
    if failed:
        raise SystemExit(f"release failed for: {', '.join(failed)}")
    print(f"student versions in {course / 'release'}")
