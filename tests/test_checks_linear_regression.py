"""Checks of notebook 01: correct answers pass; typical mistakes fail with the right hint."""

import numpy as np
import pytest

from lecture_utils.autograd import Tensor
from lecture_utils.checks import check_mse, check_predict
from verdicts import outcome


@pytest.mark.parametrize("thorough", [False, True])
def test_predict_passes_correct_solutions(capsys, thorough):
    assert outcome(capsys, check_predict, lambda x, k, m: x * k + m, thorough)[0]
    assert outcome(capsys, check_predict, lambda x, k, m: k * x + m * np.ones_like(x), thorough)[0]


@pytest.mark.parametrize("wrong, hint", [
    (lambda x, k, m: x * m + k, "swap k and m"),
    (lambda x, k, m: x * k, "forgot to add m"),
    (lambda x, k, m: x + k + m, "added k instead of multiplying"),
    (lambda x, k, m: (x * k + m).ravel(), "keep the column shape"),
    (lambda x, k, m: x * k - m, "multiply every x by k, then add m"),
    (lambda x, k, m: np.full((3, 1), 412.0), "expected"),  # hard-coded for one example
    (lambda x, k, m: None, "return"),
    (lambda x, k, m: list(x * k + m), "returned a list"),
    (lambda x, k, m: Tensor(x * k + m), "returned a Tensor"),
    (lambda x, k, m: np.log(x - x) * k, "returned inf"),
    (lambda x, k, m: x @ k, "raised ValueError"),
])
def test_predict_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_predict, wrong)
    assert not passed and hint in out


def test_predict_not_attempted(capsys):
    def predict(x, k, m):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_predict, predict)
    assert not passed and "not attempted yet" in out


@pytest.mark.parametrize("thorough", [False, True])
def test_mse_passes_correct_solutions(capsys, thorough):
    assert outcome(capsys, check_mse, lambda y, y_hat: np.mean((y - y_hat) ** 2), thorough)[0]
    lecture_form = lambda y, y_hat: (y - y_hat).T @ (y - y_hat) / len(y)  # noqa: E731  [1×1]
    assert outcome(capsys, check_mse, lecture_form, thorough)[0]


@pytest.mark.parametrize("wrong, hint", [
    (lambda y, y_hat: np.sum((y - y_hat) ** 2), "divide the sum by N"),
    (lambda y, y_hat: np.mean(np.abs(y - y_hat)), "do not take their absolute value"),
    (lambda y, y_hat: np.sqrt(np.mean((y - y_hat) ** 2)), "RMSE"),
    (lambda y, y_hat: np.mean(y - y_hat) ** 2, "square each error first"),
    (lambda y, y_hat: np.mean((y - y_hat.ravel()) ** 2), "broadcasts to [N×N]"),
    (lambda y, y_hat: (y - y_hat) ** 2, "expected one number"),
    (lambda y, y_hat: 1234.5, "expected"),
    (lambda y, y_hat: None, "return"),
    (lambda y, y_hat: np.mean((y - y_hat) ** 2) / 0 * 0, "NaN"),
])
def test_mse_catches_typical_mistakes(capsys, wrong, hint):  # N = 1 comes last, so hints are specific
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_mse, wrong)
    assert not passed and hint in out
