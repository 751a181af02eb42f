"""python -m lecture_utils.grading [--notebooks DIR] [--course DIR] release | grade [FOLDER] [options]"""

import argparse
import os
import sys
from pathlib import Path

from . import __doc__ as description
from .course import COURSE, NOTEBOOKS
from .submissions import MAX_SIZE


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
    _add_limits(grade_parser)
    args = parser.parse_args(argv)
    if args.command == "release":
        from .release import release

        release(args.course, args.notebooks)
        return 0
    from .batch import grade
    from .grade_one import GradingSettings
    from .sandbox import Limits, SandboxUnavailable
    from .task import CannotGrade

    limits = Limits(**{name: getattr(args, name) * unit for name, (unit, _) in _LIMITS.items()})
    settings = GradingSettings(call_timeout=args.call_timeout, cell_timeout=args.cell_timeout,
                               isolated=not args.no_sandbox, limits=limits)
    try:
        return grade(args.course, args.submissions, workers=max(1, args.workers), settings=settings,
                     scheduler=args.scheduler, force=args.force, max_size=int(args.max_size * 10**6))
    except (SandboxUnavailable, CannotGrade) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: what was graded is kept; run the command again to grade the rest", file=sys.stderr)
        return 130


# What one submission may spend (grading/sandbox.py's Limits): option name, its unit in bytes (1 for counts), help.
_LIMITS = {
    "memory": (1 << 20, "MiB of memory per process of a learner's kernel"),
    "processes": (1, "processes a learner's kernel may run at once"),
    "file_size": (1 << 20, "MiB of one file a learner's kernel writes"),
    "open_files": (1, "files a learner's kernel may hold open"),
    "folder_size": (1 << 20, "MiB of the learner's folder (in memory)"),
    "tmp_size": (1 << 20, "MiB of the kernel's /tmp (in memory)"),
    "shm_size": (1 << 20, "MiB of the kernel's /dev/shm (in memory)"),
    "output": (1, "characters of one cell's output the grader keeps"),
    "notebook_output": (1, "characters of a notebook's output the grader keeps"),
    "message_size": (1 << 20, "MiB of one message from a kernel; a larger one is dropped"),
}


def _add_limits(parser):
    """The options of every limit on what a submission may spend, with Limits' defaults."""
    from .grade_one import GradingSettings
    from .sandbox import Limits

    limits = parser.add_argument_group("limits", "what one submission may spend")
    cell_timeout = GradingSettings().cell_timeout
    limits.add_argument("--cell-timeout", type=float, default=cell_timeout,
                        help=f"seconds one cell of a learner's notebook may run (default: {cell_timeout:g})")
    defaults = Limits()
    for name, (unit, text) in _LIMITS.items():
        default = getattr(defaults, name) // unit
        limits.add_argument(f"--{name.replace('_', '-')}", type=int, default=default,
                            help=f"{text} (default: {default:,})")


if __name__ == "__main__":
    sys.exit(main())
