"""Shared fixtures: the repository's notebooks and the figures the plots draw."""

import os

import pytest

from lecture_utils.checks.self_check import STRICT_VARIABLE
from paths import NOTEBOOKS, ROOT  # noqa: F401  (also imported from here by older test modules)


def pytest_configure(config):
    # Notebooks and checks must never open a window or pick up a user's backend.
    os.environ.setdefault("MPLBACKEND", "Agg")
    # Checks are strict here, as under nbgrader: in the instructor's notebooks (nbval, the installed wheel's
    # runs) and in the check tests, an answer that does not pass raises CheckFailed, so a broken solution
    # fails its test. Tests of the learner's own kernel, where Run All goes on, start kernels without it.
    os.environ[STRICT_VARIABLE] = "1"


@pytest.fixture(scope="session")
def apartments():
    from lecture_utils.data import load_apartments

    table = load_apartments()
    return table["square_feet"], table["price"]


@pytest.fixture(scope="session")
def course(tmp_path_factory, timings):
    """A new course folder with every notebook released (the release writes its nbgrader_config.py)."""
    import time

    from lecture_utils.grading.release import release

    root = tmp_path_factory.mktemp("released") / "course"
    start = time.perf_counter()
    release(root, ROOT / "notebooks")
    timings["release of all notebooks (nbgrader generate_assignment)"] = time.perf_counter() - start
    return root


@pytest.fixture(scope="session")
def graded(course, tmp_path_factory, timings):
    """The samples of 01, and every other notebook solved and blank, graded by the real command on this machine:
    (course, {learner: (notebook, {exercise: full marks?}, status)} of the samples, grades.csv's rows)."""
    import time

    from grading_helpers import (
        SAMPLE,
        blank,
        fresh_course,
        grade_rows,
        require_bubblewrap,
        run_grade,
        samples,
        solved,
        write_submissions,
    )

    require_bubblewrap()
    names = [path.stem for path in NOTEBOOKS]
    tmp = tmp_path_factory.mktemp("grading")
    batch = samples(course)
    submissions = {learner: notebook for learner, (notebook, _, _) in batch.items()}
    submissions["solver"] = {name: solved(course, name) for name in names if name != SAMPLE}
    submissions["blank_all"] = {name: blank(course, name) for name in names if name != SAMPLE}
    folder = write_submissions(tmp / "submissions", submissions)
    own = fresh_course(course, tmp)
    start = time.perf_counter()
    done = run_grade(own, folder, "--workers", "2", "--call-timeout", "3")
    timings[f"grading {sum(1 for _ in folder.glob('*/*.ipynb'))} submissions (2 workers)"] = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-3000:]
    return own, batch, grade_rows(own)


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory, timings):
    """A Dask scheduler and 2 single-thread workers on 127.0.0.1, shared by the cluster tests (dask_cluster.py)."""
    import time

    from dask_cluster import DaskCluster

    pytest.importorskip("distributed", reason="the cluster tests need dask distributed (the test extra has it)")
    start = time.perf_counter()
    cluster = DaskCluster(tmp_path_factory.mktemp("dask"), workers=2)
    timings["a Dask scheduler and 2 workers started"] = time.perf_counter() - start
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def thousands(apartments):
    """Notebook 06's data: x in thousands of square feet, y the price."""
    x, y = apartments
    return x / 1000, y


_TIMINGS = {}
_REPORTS = {}  # section title -> its lines


@pytest.fixture(scope="session")
def timings():
    """Durations worth reporting (not asserting): printed at the end of the run."""
    return _TIMINGS


@pytest.fixture(scope="session")
def report():
    """report(section, line): a line printed at the end of the run under its section (reported, not asserted)."""
    return lambda section, line: _REPORTS.setdefault(section, []).append(line)


def pytest_terminal_summary(terminalreporter):
    if _TIMINGS:
        terminalreporter.section("measured durations (reported, not asserted)")
        for what, seconds in _TIMINGS.items():
            amount = f"{seconds:7.1f} s " if seconds >= 1 else f"{seconds * 1000:6.0f} ms "
            terminalreporter.write_line(f"{amount} {what}")
    for section, lines in _REPORTS.items():
        terminalreporter.section(section)
        for line in lines:
            terminalreporter.write_line(line)
