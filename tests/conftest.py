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


@pytest.fixture(scope="module")
def thousands(apartments):
    """Notebook 06's data: x in thousands of square feet, y the price."""
    x, y = apartments
    return x / 1000, y


_TIMINGS = {}


@pytest.fixture(scope="session")
def timings():
    """Durations worth reporting (not asserting): printed at the end of the run."""
    return _TIMINGS


def pytest_terminal_summary(terminalreporter):
    if _TIMINGS:
        terminalreporter.section("measured durations (reported, not asserted)")
        for what, seconds in _TIMINGS.items():
            amount = f"{seconds:7.1f} s " if seconds >= 1 else f"{seconds * 1000:6.0f} ms "
            terminalreporter.write_line(f"{amount} {what}")
