"""Check of notebook 02: correct loops pass; typical mistakes fail with the right hint."""

import numpy as np
import pytest

from lecture_utils.autograd import Tensor
from lecture_utils.checks import check_predict_loop, check_predict_sample
from lecture_utils.lessons.linear_regression import predict_loop as loop  # the loop as notebook 02 writes it
from verdicts import calls_seen, defined, outcome


def column_loop(X, w, b):
    """The formula's own order: add the columns x⁽ᵈ⁾w_d one predictor at a time."""
    y_hat = np.full((X.shape[0], 1), float(b))
    for d in range(X.shape[1]):
        y_hat = y_hat + X[:, [d]] * w[d]
    return y_hat


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    loop, column_loop,
    lambda X, w, b: X @ np.reshape(w, (-1, 1)) + b,   # vectorised is also correct
    lambda X, w, b: np.array([[sum(x * v for x, v in zip(row, w)) + b] for row in X]),
])
def test_predict_loop_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_predict_loop, solution, thorough)
    assert passed and "✓ predict_loop: correct" in out


def b_in_the_inner_loop(X, w, b):
    N, D = X.shape
    y_hat = np.zeros((N, 1))
    for i in range(N):
        for d in range(D):
            y_hat[i, 0] += X[i, d] * w[d] + b
    return y_hat


def sum_not_reset(X, w, b):
    N, D = X.shape
    y_hat = np.zeros((N, 1))
    total = b
    for i in range(N):
        total = b
        for d in range(D):
            total += X[i, d] * w[d]
    y_hat[:, 0] = total
    return y_hat


@pytest.mark.parametrize("wrong, hint", [
    (b_in_the_inner_loop, "add b once per apartment"),
    (lambda X, w, b: loop(X, w, 0.0), "forgot to add b"),
    (lambda X, w, b: loop(X[:, :-1], w[:-1], b), "skips the last predictor"),
    (lambda X, w, b: loop(X[:, 1:], w[1:], b), "skips the first predictor"),
    (lambda X, w, b: X.sum(axis=1, keepdims=True) * w[0] + b, "not by w[0]"),
    (sum_not_reset, "only the last apartment's sum"),
    (lambda X, w, b: loop(X, w, b).ravel(), "keep the column shape"),
    (lambda X, w, b: X @ np.asarray(w) + b, "keep the column shape"),  # [N]: w used as given
    (lambda X, w, b: loop(X, w, b) * 1.01, "for every apartment i"),
    (lambda X, w, b: np.full((6, 1), 412.0), "expected"),   # hard-coded for one example
    (lambda X, w, b: None, "return"),
    (lambda X, w, b: loop(X, w, b).tolist(), "returned a list"),
    (lambda X, w, b: Tensor(loop(X, w, b)), "returned a Tensor"),
    (lambda X, w, b: loop(X, w, b) / 0.0, "inf"),
    (lambda X, w, b: loop(X, w, b) + X[:, [5]], "raised IndexError"),
])
def test_predict_loop_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_predict_loop, wrong)
    assert not passed and "✗ predict_loop: not correct yet" in out and hint in out


def test_predict_loop_not_attempted(capsys):
    def predict_loop(X, w, b):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_predict_loop, predict_loop)
    assert not passed and "not attempted yet" in out


def test_predict_loop_not_a_function(capsys):
    passed, out = outcome(capsys, check_predict_loop, None)
    assert not passed and "should be a function" in out


def test_predict_loop_gets_fresh_inputs_every_run():
    seen = [X for X, _, _ in calls_seen(check_predict_loop, loop)]
    half = len(seen) // 2
    assert not np.array_equal(seen[0], seen[half])
    assert [x.shape for x in seen[:half]] == [(6, 2), (40, 4), (1, 3), (5, 1)]  # N = 1 and D = 1 last


def test_predict_loop_is_tested_alone_with_a_correct_predict_sample(capsys):
    """A predict_loop built on the learner's predict_sample keeps its mark when predict_sample is wrong."""
    namespace = defined("def predict_sample(x_i, w, b):\n    return 0.0\n"  # wrong: its own check fails
                        "def predict_loop(X, w, b):\n"
                        "    return np.array([[predict_sample(X[i:i + 1], w, b)] for i in range(X.shape[0])])\n",
                        np=np)
    assert outcome(capsys, check_predict_loop, namespace["predict_loop"])[0]
    assert namespace["predict_sample"](np.ones((1, 2)), [1, 1], 1) == 0.0  # put back afterwards


# --- predict_sample ----------------------------------------------------------------------------

def sample_loop(x_i, w, b):
    total = b
    for d in range(x_i.shape[1]):
        total += x_i[0, d] * w[d]
    return total


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    sample_loop,
    lambda x_i, w, b: x_i @ np.reshape(w, (-1, 1)) + b,           # a [1×1] array is one number too
    lambda x_i, w, b: float(np.dot(x_i.ravel(), w) + b),
    lambda x_i, w, b: sum(x * v for x, v in zip(x_i[0], w)) + b,
])
def test_predict_sample_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_predict_sample, solution, thorough)
    assert passed and "✓ predict_sample: correct" in out


def indexes_the_row_as_a_vector(x_i, w, b):
    total = b
    for d in range(len(w)):
        total += x_i[d] * w[d]
    return total


@pytest.mark.parametrize("wrong, hint", [
    (lambda x_i, w, b: sample_loop(x_i, w, 0.0), "forgot to add b"),
    (lambda x_i, w, b: sample_loop(x_i, w, 0.0) + len(w) * b, "add b once"),
    (lambda x_i, w, b: sample_loop(x_i[:, :-1], w[:-1], b), "skips the last predictor"),
    (lambda x_i, w, b: sample_loop(x_i[:, 1:], w[1:], b), "skips the first predictor"),
    (lambda x_i, w, b: x_i.sum() * w[0] + b, "not by w[0]"),
    (indexes_the_row_as_a_vector, "x_i[0, j]"),
    (lambda x_i, w, b: x_i[0] * np.asarray(w) + b, "one number"),   # the products, not their sum
    (lambda x_i, w, b: sample_loop(x_i, w, b) * 1.01, "x_i[0, 0]·w[0]"),
    (lambda x_i, w, b: None, "return"),
    (lambda x_i, w, b: [sample_loop(x_i, w, b)], "expected one number"),
    (lambda x_i, w, b: Tensor(np.array([[sample_loop(x_i, w, b)]])), "Tensor"),
    (lambda x_i, w, b: "four hundred", "expected one number"),
])
def test_predict_sample_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_predict_sample, wrong)
    assert not passed and "✗ predict_sample: not correct yet" in out and hint in out


def test_predict_sample_not_attempted_and_not_a_function(capsys):
    def predict_sample(x_i, w, b):
        raise NotImplementedError()

    assert "not attempted yet" in outcome(capsys, check_predict_sample, predict_sample)[1]
    assert "should be a function" in outcome(capsys, check_predict_sample, 3.0)[1]


def test_predict_sample_gets_fresh_rows_of_several_sizes_one_predictor_last():
    seen = [x_i for x_i, _, _ in calls_seen(check_predict_sample, sample_loop)]
    assert [x.shape for x in seen[:4]] == [(1, 4), (1, 2), (1, 7), (1, 1)]
    assert not np.array_equal(seen[0], seen[4])
