"""Checks of notebook 03: correct answers pass; typical mistakes fail with the right hint."""

import numpy as np
import pytest

from lecture_utils.autograd import Tensor
from lecture_utils.checks import check_add_ones_column, check_predict_vectorised
from verdicts import outcome

# --- predict(X, w, b) ----------------------------------------------------------------------

@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    lambda X, w, b: X @ w + b,
    lambda X, w, b: np.dot(X, w) + b * np.ones((X.shape[0], 1)),
    lambda X, w, b: (X * w.T).sum(axis=1, keepdims=True) + b,
    lambda X, w, b: (w.T @ X.T + b).T,
])
def test_predict_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_predict_vectorised, solution, thorough)
    assert passed and "✓ predict: correct" in out


@pytest.mark.parametrize("wrong, hint", [
    (lambda X, w, b: X @ w, "forgot to add b"),
    (lambda X, w, b: X @ w + X.shape[1] * b, "added once to each row"),
    (lambda X, w, b: (X + b) @ w, "not (X + b)w"),
    (lambda X, w, b: X * w.T + b, "X * w.T multiplies entry by entry"),
    (lambda X, w, b: (X @ w + b).ravel(), "keep the column shape"),
    (lambda X, w, b: X @ w.ravel() + b, "keep the column shape"),
    (lambda X, w, b: w.T @ X.T + b, "transposed"),
    (lambda X, w, b: X.T @ w + b, "raised ValueError"),
    (lambda X, w, b: X @ w - b, "then b is added to every row"),
    (lambda X, w, b: np.full((6, 1), 100.0), "expected"),   # hard-coded for one example
    (lambda X, w, b: float(np.sum(X @ w + b)), "single number"),
    (lambda X, w, b: None, "return"),
    (lambda X, w, b: (X @ w + b).tolist(), "returned a list"),
    (lambda X, w, b: Tensor(X @ w + b), "returned a Tensor"),
    (lambda X, w, b: (X @ w + b) * np.nan, "NaN"),
])
def test_predict_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_predict_vectorised, wrong)
    assert not passed and "✗ predict: not correct yet" in out and hint in out


def test_predict_not_attempted(capsys):
    def predict(X, w, b):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_predict_vectorised, predict)
    assert not passed and "not attempted yet" in out


# --- add_ones_column(X) -------------------------------------------------------------------

@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    lambda X: np.hstack([X, np.ones((X.shape[0], 1))]),
    lambda X: np.column_stack([X, np.ones(len(X))]),
    lambda X: np.concatenate([X, np.ones_like(X[:, :1])], axis=1),
    lambda X: np.pad(X, ((0, 0), (0, 1)), constant_values=1.0),
])
def test_add_ones_column_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_add_ones_column, solution, thorough)
    assert passed and "✓ add_ones_column: correct" in out


def overwrite_last_column(X):
    X = X.copy()
    X[:, -1] = 1.0
    return X


@pytest.mark.parametrize("wrong, hint", [
    (lambda X: np.hstack([np.ones((X.shape[0], 1)), X]), "put the column of ones last"),
    (lambda X: np.hstack([X, np.zeros((X.shape[0], 1))]), "a column of ONES"),
    (lambda X: np.hstack([X, np.full((X.shape[0], 1), X.shape[0])]), "not the number of rows N"),
    (lambda X: np.vstack([X, np.ones((1, X.shape[1]))]), "that adds a ROW of ones"),
    (overwrite_last_column, "do not overwrite one"),
    (lambda X: X, "do not overwrite one"),
    (lambda X: np.append(X, np.ones(X.shape[0])), "keep the matrix shape"),
    (lambda X: np.hstack([X, np.ones((X.shape[0], 1))]) * 2, "keep every column of X as it is"),
    (lambda X: np.hstack([X, np.ones((X.shape[0], 1))]).T, "transposed"),
    (lambda X: None, "return"),
    (lambda X: [list(row) + [1.0] for row in X], "returned a list"),
    (lambda X: Tensor(np.hstack([X, np.ones((X.shape[0], 1))])), "returned a Tensor"),
    (lambda X: np.hstack([X, np.ones((X.shape[1], 1))]), "raised ValueError"),
])
def test_add_ones_column_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_add_ones_column, wrong)
    assert not passed and "✗ add_ones_column: not correct yet" in out and hint in out


def test_add_ones_column_not_attempted(capsys):
    def add_ones_column(X):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_add_ones_column, add_ones_column)
    assert not passed and "not attempted yet" in out


def test_the_learner_cannot_change_the_checks_inputs():
    """The check hands out copies: a function that writes into X does not change what it compares with."""
    def in_place(X):
        result = np.hstack([X, np.ones((X.shape[0], 1))])
        X[:] = 0.0
        return result

    check_add_ones_column(in_place)
