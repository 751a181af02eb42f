"""Shared fixtures: the repository's notebooks and the figures the plots draw."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def pytest_configure(config):
    # Notebooks and checks must never open a window or pick up a user's backend.
    os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def apartments():
    from lecture_utils.data import load_apartments

    table = load_apartments()
    return table["square_feet"], table["price"]


_TIMINGS = {}


@pytest.fixture(scope="session")
def timings():
    """Durations worth reporting (not asserting): printed at the end of the run."""
    return _TIMINGS


def pytest_terminal_summary(terminalreporter):
    if _TIMINGS:
        terminalreporter.section("measured durations (reported, not asserted)")
        for what, seconds in _TIMINGS.items():
            terminalreporter.write_line(f"{seconds:7.1f} s  {what}")
