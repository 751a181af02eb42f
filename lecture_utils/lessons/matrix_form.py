"""Measure how long a function takes, for the timing experiments of the notebooks.

Measurements are reported, never asserted: times depend on the machine and on
whatever else it is doing. The fastest of a few repeats is the most stable
estimate of what the code itself costs.
"""

import time

import numpy as np

from ..seed import get_rng

__all__ = ["best_time", "time_vs_n", "seconds_per_row"]


def best_time(function, *args, repeats=3):
    """The fastest of `repeats` calls of function(*args), in seconds."""
    fastest = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def time_vs_n(predictors, sizes, D=4, repeats=3, rng=None):
    """Seconds per call of each predictor f(X, w, b) for random X [N×D], w [D×1], b, for every N in `sizes`.

    predictors: {name: function}. Every function gets the same inputs for a given N.
    Returns {name: array [len(sizes)]}, the fastest of `repeats` calls for each N.
    """
    rng = get_rng(rng)
    times = {name: np.zeros(len(sizes)) for name in predictors}
    for j, N in enumerate(sizes):
        X = rng.normal(size=(N, D))
        w = rng.normal(size=(D, 1))
        b = float(rng.normal())
        for name, function in predictors.items():
            times[name][j] = best_time(function, X, w, b, repeats=repeats)
    return times


def seconds_per_row(sizes, seconds):
    """The c of a line seconds ≈ c·N through the larger half of the measurements (median, on log scale).

    sizes: the N measured [S]; seconds: one function's times [S]. A guide ∝ N to draw next to them.
    """
    sizes, seconds = np.asarray(sizes, dtype=np.float64), np.asarray(seconds, dtype=np.float64)
    larger_half = slice(len(sizes) // 2, None)
    return float(np.exp(np.median(np.log(seconds[larger_half] / sizes[larger_half]))))

