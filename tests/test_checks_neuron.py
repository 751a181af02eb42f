"""Checks of notebook 00: correct answers pass; typical mistakes fail with the right hint."""

import numpy as np
import pytest

from hostile_submissions import NUMERICAL_00
from lecture_utils.autograd import Tensor
from lecture_utils.checks import check_sigmoid, check_sigmoid_derivative
from verdicts import defined, outcome


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def not_attempted(a):
    raise NotImplementedError()


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    sigmoid,
    lambda a: np.exp(a) / (1 + np.exp(a)),
    lambda a: 0.5 * (1 + np.tanh(a / 2)),
])
def test_sigmoid_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_sigmoid, solution, thorough)
    assert passed, out


@pytest.mark.parametrize("wrong, hint", [
    (lambda a: 1 / (1 + np.exp(a)), "the minus sign matters"),
    (lambda a: np.tanh(a), "that is tanh"),
    (lambda a: np.maximum(0, a), "that is ReLU"),
    (lambda a: 1 / 1 + np.exp(-a), "brackets"),
    (lambda a: 1 / (1 - np.exp(-a)), "not 1 − e⁻ᵃ"),
    (lambda a: 1 / (1 - np.e * a), "np.exp(-a)"),
    (lambda a: sigmoid(a).ravel(), "keep the matrix shape"),
    (lambda a: np.full((4, 3), 0.5), "expected"),  # hard-coded
    (lambda a: float(sigmoid(a).mean()), "the single number"),
    (lambda a: None, "return"),
    (lambda a: list(sigmoid(a)), "returned a list"),
    (lambda a: Tensor(sigmoid(a)), "returned a Tensor"),
    (lambda a: sigmoid(a) / 0 * 0, "NaN"),
    (lambda a: 1 / (1 + math_exp(a)), "raised TypeError"),
    (not_attempted, "not attempted yet"),
])
def test_sigmoid_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_sigmoid, wrong)
    assert not passed and hint in out, out


def math_exp(a):
    import math

    return math.exp(-a)  # only works on single numbers


def test_sigmoid_fails_on_a_hard_coded_answer_for_one_input(capsys):
    """Fresh random inputs every run: the answer for one input is useless for the next."""
    a = np.random.default_rng(0).normal(size=(4, 3))
    remembered = sigmoid(a)
    passed, _ = outcome(capsys, check_sigmoid, lambda _: remembered)
    assert not passed


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    lambda a: sigmoid(a) * (1 - sigmoid(a)),
    lambda a: np.exp(-a) / (1 + np.exp(-a)) ** 2,
])
def test_sigmoid_derivative_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_sigmoid_derivative, solution, thorough)
    assert passed, out
    assert "to round-off" in out


def test_sigmoid_derivative_uses_a_correct_sigmoid_whatever_the_learners_is(capsys):
    namespace = {"np": np}
    exec("def sigmoid(a):\n    return np.tanh(a)  # wrong\n\n"
         "def sigmoid_derivative(a):\n    s = sigmoid(a)\n    return s * (1 - s)\n", namespace)
    passed, out = outcome(capsys, check_sigmoid_derivative, namespace["sigmoid_derivative"])
    assert passed, out
    assert namespace["sigmoid"](np.array([1.0])) == np.tanh(1.0)  # the learner's own is back afterwards


@pytest.mark.parametrize("wrong, hint", [
    (lambda a: sigmoid(a), "that is σ(a) itself"),
    (lambda a: a * (1 - a), "apply σ first"),
    (lambda a: sigmoid(a) * (1 - a), "both factors use σ(a)"),
    (lambda a: 1 - sigmoid(a), "one factor is missing"),
    (lambda a: -sigmoid(a) * (1 - sigmoid(a)), "the sign"),
    (lambda a: 1 - np.tanh(a) ** 2, "tanh's slope"),
    (lambda a: sigmoid(a) * (1 + sigmoid(a)), "subtract, do not add"),
    (lambda a: np.full_like(a, 0.25), "σ'(a) = σ(a)(1 − σ(a))"),  # the slope at 0, everywhere
    (lambda a: (sigmoid(a) * (1 - sigmoid(a))).T, "transposed"),
    (lambda a: None, "return"),
    (lambda a: undefined_name(a), "raised NameError"),  # noqa: F821
    (not_attempted, "not attempted yet"),
])
def test_sigmoid_derivative_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_sigmoid_derivative, wrong)
    assert not passed and hint in out, out


# --- only the rule passes: numerical slopes do not, whatever their step ---------------------------------------

RICHARDSON = '''
def sigmoid_derivative(a, h=0.18):
    own = lambda v: 1 / (1 + np.exp(-v))
    D = [[(own(a + h / 2**i) - own(a - h / 2**i)) / (2 * h / 2**i)] for i in range(4)]
    for j in range(1, 4):
        for i in range(j, 4):
            D[i].append(D[i][j - 1] + (D[i][j - 1] - D[i - 1][j - 1]) / (4**j - 1))
    return D[-1][-1]
'''


@pytest.mark.parametrize("source", [NUMERICAL_00["sigmoid_derivative"], RICHARDSON,
                                    NUMERICAL_00["sigmoid_derivative"].replace("1e-5", "1e-3")])
def test_sigmoid_derivative_refuses_numerical_slopes(capsys, source):
    learner = defined(source, np=np, sigmoid=sigmoid)
    passed, out = outcome(capsys, check_sigmoid_derivative, learner["sigmoid_derivative"], thorough=True)
    assert not passed and ("to only about" in out or "it evaluated σ at" in out), out
    assert "numerical slope" in out


def test_sigmoid_derivative_refuses_sigmoid_evaluated_near_a(capsys):
    """Even an answer to the last digit does not pass when σ was evaluated at points near a."""
    learner = defined("def sigmoid_derivative(a):\n    sigmoid(a + 1e-3)\n    s = sigmoid(a)\n    return s * (1 - s)",
                      np=np, sigmoid=sigmoid)
    passed, out = outcome(capsys, check_sigmoid_derivative, learner["sigmoid_derivative"])
    assert not passed and "it evaluated σ at" in out


@pytest.mark.parametrize("solution", [
    lambda a: sigmoid(a) * (1 - sigmoid(a)), lambda a: np.exp(-a) / (1 + np.exp(-a)) ** 2,
    lambda a: sigmoid(a) * sigmoid(-a), lambda a: 1 / (2 + np.exp(a) + np.exp(-a)),
    lambda a: (lambda s: s - s * s)(0.5 * (1 + np.tanh(a / 2))),
])
def test_sigmoid_derivative_passes_the_rule_written_any_way_on_fresh_inputs_every_run(capsys, solution):
    for _ in range(100):
        passed, out = outcome(capsys, check_sigmoid_derivative, solution, thorough=True)
        assert passed, out
