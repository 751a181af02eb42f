"""Grading throughput: notebooks graded per minute, this project's grader against nbgrader's autograde.

The same submissions (each learner submits every chosen notebook, solved) are graded
in one run, alternating, each time into a fresh copy of the released course:

* nbgrader: `nbgrader autograde <notebook>` for each notebook, one after the other —
  one kernel at a time, unsandboxed, the checks running in the learners' kernels;
* ours on this machine: `python -m lecture_utils.grading grade --workers W`, for W = 1 and
  W = all cores — one bubblewrap sandbox per submission, the checks in the grader's processes;
* ours on a local Dask cluster: the same command with `--scheduler`, to a scheduler and 2
  single-thread workers on 127.0.0.1 started once for the whole run (tests/dask_cluster.py).

It also measures what a sizing needs, per submission: how long one worker takes to grade it
(one worker's run, less the command's own time with nothing to grade: a worker is one process
with its sandbox, about one core), and how long the grade command itself takes to write its
gradebook entry, feedback and graded notebook (on the machine that holds the course, one
record after the other, while the workers grade).

    python benchmarks/bench_grading.py [--learners 4] [--notebooks 01,03,06,09] [--rounds 2]

Prints notebooks per minute (median over the rounds), the ratio to nbgrader, and the costs
per submission. It never fails on time; it is not part of the tests.
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tests"))


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


def timed(command, **kwargs):
    """Seconds the command takes."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def time_nbgrader(course, names):
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return sum(timed([sys.executable, "-m", "nbgrader", "autograde", name, "--force"], cwd=course, env=environment)
               for name in names)


def grade_command(course, *options):
    return [sys.executable, "-m", "lecture_utils.grading", "--course", str(course), "grade", *options]


def costs_beyond_grading(course):
    """On a course just graded: (seconds of a run of the command with nothing to grade, seconds it spends
    writing every record's gradebook entry, feedback and graded notebook, told none is written yet,
    beyond that run)."""
    nothing = timed(grade_command(course))
    with sqlite3.connect(course / "results.db") as db:
        db.execute("UPDATE outcomes SET published = 0")
    return nothing, timed(grade_command(course)) - nothing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=4)
    parser.add_argument("--notebooks", default="01,03,06,09", help="notebook numbers, comma-separated")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    names = [p.stem for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if p.stem[:2] in args.notebooks.split(",")]
    count = args.learners * len(names)
    cores = os.cpu_count() or 1
    from dask_cluster import DaskCluster

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        cluster = DaskCluster(folder / "dask", workers=2, faults=False)
        try:
            variants = {"nbgrader autograde (sequential)": lambda c: time_nbgrader(c, names),
                        "ours, 1 worker": lambda c: timed(grade_command(c, "--workers", "1"))}
            if cores > 1:
                variants[f"ours, {cores} workers"] = lambda c: timed(grade_command(c, "--workers", str(cores)))
            variants["ours, Dask: 2 workers on 127.0.0.1"] = lambda c: timed(
                grade_command(c, "--scheduler", cluster.address))
            seconds = {name: [] for name in variants}
            worker_seconds, publishing = [], []
            course = released_course(folder)
            for _ in range(args.rounds):
                for name, run in variants.items():  # alternating, so a busy moment hits every variant alike
                    copy = fresh_copy(course, folder, args.learners, names)
                    wall = run(copy)
                    seconds[name].append(wall)
                    if name == "ours, 1 worker":
                        fixed, writing = costs_beyond_grading(copy)
                        worker_seconds.append((wall - fixed) / count)  # its writing overlaps the grading
                        publishing.append(writing / count)
                    shutil.rmtree(copy)
        finally:
            cluster.stop()
    print(f"{count} submissions ({args.learners} learners × {', '.join(names)}), {args.rounds} rounds, "
          f"{cores} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'grader':36} {'notebooks/min':>14} {'vs nbgrader':>12} {'s/notebook':>11}")
    baseline = count / statistics.median(seconds["nbgrader autograde (sequential)"]) * 60
    for name, times in seconds.items():
        rate = count / statistics.median(times) * 60
        print(f"{name:36} {rate:14.1f} {rate / baseline:11.2f}× {60 / rate:10.2f}")
    print(f"per submission: {statistics.median(worker_seconds):.2f} s of one worker to grade it; "
          f"{statistics.median(publishing) * 1000:.0f} ms for the grade command to write its gradebook entry, "
          "feedback and graded notebook")


if __name__ == "__main__":
    main()
