"""python -m lecture_utils.grading [--notebooks DIR] [--course DIR] release | grade [FOLDER] [options]"""

import argparse
import os
import sys
from pathlib import Path

from . import __doc__ as description
from .submissions import MAX_SIZE

COURSE = Path("course")         # relative to the folder the command runs in
NOTEBOOKS = Path("notebooks")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lecture_utils.grading", description=description.splitlines()[0])
    parser.add_argument("--course", type=Path, default=COURSE, help="the nbgrader course folder (default: ./course)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS,
                        help="the folder of the instructor's notebooks NN_name.ipynb (default: ./notebooks)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("release", help="make the student versions of all notebooks (nbgrader generate_assignment)")
    grade_parser = commands.add_parser("grade", help="grade submissions into grades.csv and the gradebook")
    grade_parser.add_argument("submissions", nargs="?", type=Path,
                              help="a folder of <learner>/... submissions to copy into course/submitted/ first")
    # Where and what to grade: this machine or a Dask cluster, what is new or everything, which files.
    grade_parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                              help="submissions graded at once on this machine, each in its own sandbox "
                                   "(default: all cores)")
    grade_parser.add_argument("--scheduler", metavar="ADDRESS",
                              help="grade on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://host:8786); "
                                   "its workers run `dask worker ADDRESS --nthreads 1`")
    grade_parser.add_argument("--force", action="store_true",
                              help="grade every submission again, not only those new or changed since they were graded")
    grade_parser.add_argument("--max-size", type=float, default=MAX_SIZE / 10**6, metavar="MB",
                              help=f"refuse a submitted file larger than this (default: {MAX_SIZE / 10**6:g} MB)")
    # How each submission is graded.
    grade_parser.add_argument("--no-sandbox", action="store_true",
                              help="grade without bubblewrap: the learners' code runs with your permissions")
    grade_parser.add_argument("--call-timeout", type=float, default=10.0,
                              help="seconds one call of a learner's function may take (default: 10)")
    grade_parser.add_argument("--memory", type=int, default=2048, help="MiB of memory per learner's kernel (default: 2048)")
    args = parser.parse_args(argv)
    if args.command == "release":
        from .release import release

        release(args.course, args.notebooks)
        return 0
    from .batch import grade
    from .grade_one import Settings
    from .sandbox import Limits, SandboxUnavailable
    from .task import CannotGrade

    settings = Settings(call_timeout=args.call_timeout, isolated=not args.no_sandbox,
                        limits=Limits(memory=args.memory << 20))
    try:
        return grade(args.course, args.submissions, workers=max(1, args.workers), settings=settings,
                     scheduler=args.scheduler, force=args.force, max_size=int(args.max_size * 10**6))
    except (SandboxUnavailable, CannotGrade) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: what was graded is kept; run the command again to grade the rest", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
