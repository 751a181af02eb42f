"""Grading throughput: notebooks graded per minute, this project's grader against nbgrader's autograde.

The same submissions (each learner submits every chosen notebook, solved) are graded
in one run, alternating, each time into a fresh copy of the released course:

* nbgrader: `nbgrader autograde <notebook>` for each notebook, one after the other —
  one kernel at a time, unsandboxed, the checks running in the learners' kernels;
* ours: `python -m lecture_utils.grading grade --workers W`, for W = 1 and W = all cores —
  one bubblewrap sandbox per submission, the checks in the grader's processes.

    python benchmarks/bench_grading.py [--learners 4] [--notebooks 01,03,06,09] [--rounds 2]

Prints notebooks per minute (median over the rounds) and the ratio to nbgrader.
It never fails on time; it is not part of the tests.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def released_course(folder):
    course = folder / "course"
    subprocess.run([sys.executable, "-m", "lecture_utils.grading", "--notebooks", str(NOTEBOOKS),
                    "--course", str(course), "release"], check=True, capture_output=True)
    return course


def fresh_copy(course, folder, learners, names):
    """A copy of the released course with every learner's submissions in course/submitted/."""
    copy = folder / f"course-{time.monotonic_ns()}"
    shutil.copytree(course, copy)
    for learner in range(learners):
        for name in names:
            target = copy / "submitted" / f"learner{learner:02d}" / name / f"{name}.ipynb"
            target.parent.mkdir(parents=True)
            shutil.copyfile(NOTEBOOKS / f"{name}.ipynb", target)
    return copy


def time_nbgrader(course, names):
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    start = time.perf_counter()
    for name in names:
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", name, "--force"], cwd=course,
                       check=True, capture_output=True, env=environment)
    return time.perf_counter() - start


def time_ours(course, workers):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lecture_utils.grading", "--course", str(course), "grade",
                    "--workers", str(workers)], check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=4)
    parser.add_argument("--notebooks", default="01,03,06,09", help="notebook numbers, comma-separated")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    names = [p.stem for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if p.stem[:2] in args.notebooks.split(",")]
    count = args.learners * len(names)
    cores = os.cpu_count() or 1
    variants = {"nbgrader autograde (sequential)": lambda c: time_nbgrader(c, names),
                "ours, 1 worker": lambda c: time_ours(c, 1)}
    if cores > 1:
        variants[f"ours, {cores} workers"] = lambda c: time_ours(c, cores)
    seconds = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        course = released_course(folder)
        for _ in range(args.rounds):
            for name, run in variants.items():  # alternating, so a busy moment hits every variant alike
                copy = fresh_copy(course, folder, args.learners, names)
                seconds[name].append(run(copy))
                shutil.rmtree(copy)
    print(f"{count} submissions ({args.learners} learners × {', '.join(names)}), {args.rounds} rounds, "
          f"{cores} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'grader':36} {'notebooks/min':>14} {'vs nbgrader':>12}")
    baseline = count / statistics.median(seconds["nbgrader autograde (sequential)"]) * 60
    for name, times in seconds.items():
        rate = count / statistics.median(times) * 60
        print(f"{name:36} {rate:14.1f} {rate / baseline:11.2f}×")


if __name__ == "__main__":
    main()
