"""Instructor tools: release the student versions and grade submissions with nbgrader.

Needs the instructor extra (`pip install -e ".[instructor]"`, or `make release`,
which uses the test environment). Learners never import this module.

    python -m lecture_utils.grading release          # course/release/<notebook>/<notebook>.ipynb
    python -m lecture_utils.grading grade [FOLDER]   # course/grades.csv

The course folder follows nbgrader's layout, so every step is also a plain
nbgrader command run inside it (see the README's instructor section):

    course/nbgrader_config.py                     the course's settings (committed)
    course/source/<notebook>/<notebook>.ipynb     copied from notebooks/ by `release`
    course/release/<notebook>/<notebook>.ipynb    the student versions
    course/submitted/<learner>/<notebook>/<notebook>.ipynb
    course/autograded/..., course/gradebook.db, course/grades.csv

Each notebook is one nbgrader assignment, so it can have its own due date.
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

try:
    from nbgrader.api import MissingEntry
    from nbgrader.plugins import ExportPlugin
except ImportError as error:  # the learners' environment
    raise ImportError(
        "lecture_utils.grading is for instructors and needs nbgrader: "
        'pip install -e ".[instructor]" (or use `make release` / `make grade`).'
    ) from error

REPOSITORY = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPOSITORY / "notebooks"
COURSE = REPOSITORY / "course"


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
    other notebooks rewritten for that layout (release_links)."""
    names = []
    for notebook in sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb")):
        target = Path(course) / "source" / notebook.stem / notebook.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(release_links(notebook.read_text(encoding="utf-8")), encoding="utf-8")
        names.append(notebook.stem)
    return names


def release(course=COURSE, notebooks=NOTEBOOKS):
    """Make the student version of every notebook: no solutions, no hidden tests, no outputs."""
    course = Path(course)
    failed = [name for name in copy_sources(course, notebooks)
              if run_nbgrader(course, "generate_assignment", name, "--force") != 0]
    if failed:
        raise SystemExit(f"release failed for: {', '.join(failed)}")
    print(f"student versions in {course / 'release'}")


def collect(course, submissions):
    """Copy submissions into course/submitted/.

    Accepts nbgrader's layout <learner>/<notebook>/<notebook>.ipynb and a flat one,
    <learner>/<notebook>.ipynb (as downloaded from many learning platforms).
    """
    for learner in sorted(p for p in Path(submissions).iterdir() if p.is_dir()):
        for notebook in sorted(learner.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in notebook.parts:
                continue
            target = Path(course) / "submitted" / learner.name / notebook.stem / notebook.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)


def grade(course=COURSE, submissions=None, grades_csv="grades.csv"):
    """Autograde every submitted notebook, then export one CSV row per learner and notebook.

    A submission that fails to run (a crash, an endless loop, a broken file) costs
    its own marks only: nbgrader goes on with the rest, and so does this loop.
    """
    course = Path(course)
    if submissions:
        collect(course, submissions)
    submitted = course / "submitted"
    assignments = sorted({p.name for p in submitted.glob("*/*") if p.is_dir()}) if submitted.is_dir() else []
    if not assignments:
        raise SystemExit(f"no submissions in {submitted}")
    troubles = [name for name in assignments if run_nbgrader(course, "autograde", name, "--force") != 0]
    if run_nbgrader(course, "export", "--to", grades_csv) != 0:
        raise SystemExit("exporting the grades failed")
    if troubles:
        print(f"nbgrader reported problems while grading {', '.join(troubles)}; "
              "see the log above. Those submissions are graded with what could run.")
    print(f"grades in {course / grades_csv}")


class ExerciseGradesExport(ExportPlugin):
    """nbgrader export plugin: one row per learner and notebook, one column per graded exercise.

    Columns: learner, notebook, status, then each exercise's points (its check cell's
    grade_id without the "check_" prefix, in notebook order), then total and max.
    A learner in the gradebook who did not submit a notebook gets a row of zeros
    with status "not submitted"; see _status for the other statuses.
    """

    def export(self, gradebook):
        destination = self.to or "grades.csv"
        assignments = [a for a in gradebook.assignments if not self.assignment or a.name in self.assignment]
        learners = [s.id for s in gradebook.students if not self.student or s.id in self.student]
        exercises = []  # column names in first-seen order
        rows = []
        for assignment in sorted(assignments, key=lambda a: a.name):
            for notebook in assignment.notebooks:
                cells = [cell for cell in notebook.grade_cells if cell.cell_type == "code"]
                names = [_exercise_name(cell.name) for cell in cells]
                exercises += [name for name in names if name not in exercises]
                max_score = sum(cell.max_score for cell in cells)
                for learner in learners:
                    row = {"learner": learner, "notebook": notebook.name, "max": max_score}
                    try:
                        submission = gradebook.find_submission_notebook(notebook.name, assignment.name, learner)
                    except MissingEntry:
                        row.update({name: 0 for name in names}, status="not submitted", total=0)
                    else:
                        grades = [g for g in submission.grades if g.cell_type == "code"]
                        scores = {_exercise_name(g.name): g.score for g in grades}
                        row.update(scores, status=_status(grades), total=sum(scores.values()))
                    rows.append(row)
        columns = ["learner", "notebook", "status", *exercises, "total", "max"]
        with open(destination, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        self.log.info("Wrote %d rows to %s", len(rows), destination)


def _status(grades):
    """'graded', or why some points may need an instructor's look.

    nbgrader leaves a grade's auto_score empty when it could not run the check:
    the check cell was deleted, or the whole notebook could not be read or run.
    Such a check scores 0 until an instructor grades it by hand.
    """
    ungraded = [g for g in grades if g.auto_score is None and g.manual_score is None]
    if not ungraded:
        return "graded"
    if len(ungraded) == len(grades):
        return "could not be graded (see the autograde log)"
    return "check cell missing: " + " ".join(_exercise_name(g.name) for g in ungraded)


def _exercise_name(grade_id):
    return grade_id.removeprefix("check_")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lecture_utils.grading", description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, default=COURSE, help="the nbgrader course folder (default: course/)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("release", help="make the student versions of all notebooks")
    grade_parser = commands.add_parser("grade", help="autograde submissions and export grades.csv")
    grade_parser.add_argument("submissions", nargs="?", type=Path,
                              help="a folder of <learner>/... submissions to copy into course/submitted/ first")
    args = parser.parse_args(argv)
    if args.command == "release":
        release(args.course)
    else:
        grade(args.course, args.submissions)


if __name__ == "__main__":
    main()
