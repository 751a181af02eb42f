"""Self-checking exercises: one check function per exercise, one module per notebook.

Each check runs the learner's function on fresh random inputs, compares it with a
reference (or a numerical gradient), prints a one-line verdict with a hint, and
raises AssertionError on failure so that nbgrader counts it.
"""

from .linear_regression import check_mse, check_predict

__all__ = ["check_predict", "check_mse"]
