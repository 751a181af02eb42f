"""One seed for everything random in the notebooks.

`set_seed(0)` in a notebook's first cell makes weight initialisation, toy data sets
and the learner's own `np.random` calls repeat exactly on every run. Nothing is
seeded when the package is imported.
"""

import random

import numpy as np

__all__ = ["set_seed", "get_rng"]

_rng = None


def set_seed(seed):
    """Seed the package's random generator, numpy's global one and Python's `random`."""
    global _rng
    _rng = np.random.default_rng(seed)
    np.random.seed(seed)
    random.seed(seed)


def get_rng(rng=None):
    """The generator to use: `rng` if given, else the one `set_seed` made.

    Before any `set_seed`, a generator with fresh entropy is created on first use.
    """
    global _rng
    if rng is not None:
        return rng
    if _rng is None:
        _rng = np.random.default_rng()
    return _rng
