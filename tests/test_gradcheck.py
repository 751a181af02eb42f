"""The numerical gradient, the relative error and the verdict table."""

import numpy as np
import pytest

from lecture_utils.autograd import Add, Mean, Mul, Square, Sub, Tensor, _result, as_tensor
from lecture_utils.gradcheck import (
    CORRECT,
    PROBABLY_CORRECT,
    SUSPICIOUS,
    WRONG,
    GradientCheck,
    check_gradients,
    level_of,
    numerical_gradient,
    rel_error,
    verdict,
)


def test_numerical_gradient_of_a_known_function():
    x = np.array([[0.5, -1.0], [2.0, 0.1]])
    grad = numerical_gradient(lambda x: np.sum(x**3), x)
    assert np.allclose(grad, 3 * x**2, rtol=1e-8)


def test_numerical_gradient_restores_its_input():
    x = np.random.default_rng(0).normal(size=(3, 4))
    before = x.copy()
    numerical_gradient(lambda x: np.sum(np.sin(x)), x)
    assert np.array_equal(x, before)


def test_numerical_gradient_accepts_a_tensor_loss_and_rejects_a_matrix():
    W = Tensor(np.array([[1.0, 2.0]]), requires_grad=True)
    grad = numerical_gradient(lambda _: Mean(Square(W)), W.value)
    assert np.allclose(grad, W.value)  # d/dw mean(w²) = 2w / 2
    with pytest.raises(ValueError, match=r"must return one number, got \[1×2\]"):
        numerical_gradient(lambda _: Square(W), W.value)


def test_numerical_gradient_needs_a_float_array():
    with pytest.raises(TypeError, match="float64 numpy array"):
        numerical_gradient(lambda x: 0.0, [1.0, 2.0])


def test_rel_error_is_scale_free_and_zero_for_equal_gradients():
    a = np.array([1.0, 2.0, 3.0])
    assert rel_error(a, a) == 0.0
    assert np.isclose(rel_error(a, 1.001 * a), rel_error(1e6 * a, 1.001e6 * a))
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(a, -a) == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"\[3\] vs \[2\]"):
        rel_error(a, a[:2])


@pytest.mark.parametrize("error, word", [(1e-9, "correct"), (1e-5, "probably"), (1e-3, "suspicious"), (0.5, "wrong")])
def test_verdict_thresholds(error, word):
    assert word in verdict(error)


@pytest.mark.parametrize("error, level", [(0.0, CORRECT), (1e-7, CORRECT), (2e-7, PROBABLY_CORRECT),
                                          (1e-4, PROBABLY_CORRECT), (2e-4, SUSPICIOUS), (1e-2, SUSPICIOUS),
                                          (0.011, WRONG), (float("inf"), WRONG), (float("nan"), WRONG)])
def test_each_relative_error_has_its_level(error, level):
    assert level_of(error) is level


@pytest.mark.parametrize("error, level, ok", [(1e-9, CORRECT, True), (1e-5, PROBABLY_CORRECT, True),
                                              (1e-3, SUSPICIOUS, False), (0.5, WRONG, False)])
def test_a_checks_level_is_a_field_its_text_and_ok_follow(error, level, ok):
    """The level is what a picture colours by; its text is what the table writes."""
    check = GradientCheck("W", np.array([[1.0]]), np.array([[1.0 - 2 * error / (1 + error)]]))  # ‖a−b‖/(‖a‖+‖b‖)
    assert check.error == pytest.approx(error, rel=1e-6)
    assert check.level is level and check.verdict == level.text and check.ok is ok


def test_check_gradients_passes_a_correct_network(capsys):
    rng = np.random.default_rng(0)
    X, y = Tensor(rng.normal(size=(5, 3))), Tensor(rng.normal(size=(5, 1)))
    W = Tensor(rng.normal(size=(3, 1)), name="W", requires_grad=True)
    b = Tensor(np.zeros((1, 1)), name="b", requires_grad=True)
    rows = check_gradients(lambda: Mean(Square(Sub(Add(Mul(X, W), b), y))), [W, b])
    assert [r.name for r in rows] == ["W", "b"] and all(r.ok for r in rows)
    table = capsys.readouterr().out
    assert "W" in table and "[3×1]" in table and "✓ correct" in table


def BrokenSquare(A):
    """A Square whose backward forgets the factor 2: the check must catch it."""
    A = as_tensor(A)

    def backward(UP):
        A.accumulate(UP * A.value)

    return _result(A.value**2, "Square", (A,), backward)


def test_check_gradients_catches_a_wrong_backward(capsys):
    W = Tensor(np.array([[1.0, -2.0]]), name="W", requires_grad=True)
    rows = check_gradients(lambda: Mean(BrokenSquare(W)), [W])
    assert not rows[0].ok and rows[0].verdict == "✗ wrong"
    assert "✗ wrong" in capsys.readouterr().out
