"""Checks of notebook 06: correct answers pass; typical mistakes fail with the right hint."""

import numpy as np
import pytest

from hostile_submissions import NUMERICAL_06
from lecture_utils.autograd import Tensor
from lecture_utils.checks import check_gd_step, check_mse_gradient
from verdicts import defined, outcome

# --- mse_gradient -----------------------------------------------------------------------------

def gradient(x, y, k, m):
    err = y - (x * k + m)
    return -2 * np.mean(x * err), -2 * np.mean(err)


def gradient_lecture_form(x, y, k, m):
    """With matrix products: errᵀ... as [1×1] arrays, returned as an array of two."""
    N = len(x)
    err = y - (x * k + m)
    return np.array([(-2 / N * x.T @ err).item(), (-2 / N * np.ones((1, N)) @ err).item()])


def gradient_as_1x1(x, y, k, m):
    err = y - (x * k + m)
    return -2 * x.T @ err / len(x), -2 * np.sum(err, keepdims=True) / len(x)


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [gradient, gradient_lecture_form, gradient_as_1x1])
def test_mse_gradient_passes_correct_solutions(capsys, thorough, solution):
    passed, out = outcome(capsys, check_mse_gradient, solution, thorough)
    assert passed and "✓ mse_gradient: correct" in out


def gradient_with_flat_y_hat(x, y, k, m):
    err = y - (x * k + m).ravel()  # [N×1] − [N] -> [N×N]
    return -2 * np.mean(x * err), -2 * np.mean(err)


def with_err(fn):
    """A wrong gradient written in terms of x and err = y − ŷ."""
    def mse_gradient(x, y, k, m):
        return fn(x, y - (x * k + m))
    return mse_gradient


@pytest.mark.parametrize("wrong, hint", [
    (with_err(lambda x, err: (2 * np.mean(x * err), 2 * np.mean(err))), "the gradient points uphill"),
    (with_err(lambda x, err: (-np.mean(x * err), -np.mean(err))), "factor 2"),
    (with_err(lambda x, err: (-2 * np.sum(x * err), -2 * np.sum(err))), "divide the sum by N"),
    (with_err(lambda x, err: (-2 * np.mean(err), -2 * np.mean(err))), "multiplied by its own x"),
    (with_err(lambda x, err: (-2 * np.mean(x * err), -2 * np.mean(x * err))), "no x in ∂ℒ/∂m"),
    (with_err(lambda x, err: (-2 * np.mean(err), -2 * np.mean(x * err))), "right but swapped"),
    (lambda x, y, k, m: gradient(x, y.ravel(), k, m), "flattened y [N] broadcast to [N×N]"),
    (lambda x, y, k, m: gradient_with_flat_y_hat(x, y, k, m), "flattened ŷ [N] broadcast to [N×N]"),
    (with_err(lambda x, err: (-2 * np.mean(x * err), 2 * np.mean(err))), "∂ℒ/∂m = −(2/N) Σ errᵢ"),
    (with_err(lambda x, err: (-2 * x * err, -2 * err)), "where one number belongs"),
    # hard-coded from another example (prices in €, not k€): |∂ℒ/∂k| < 15,000 for every example the check draws
    (lambda x, y, k, m: (-30_120.0, 1_750.0), "expected"),
    (lambda x, y, k, m: None, "return"),
    (lambda x, y, k, m: gradient(x, y, k, m)[0], "expected two numbers"),
    (lambda x, y, k, m: (*gradient(x, y, k, m), 0.0), "expected two numbers"),
    (lambda x, y, k, m: (Tensor(np.ones((1, 1))), 1.0), "returned a Tensor"),
    (lambda x, y, k, m: ("dk", "dm"), "where a number belongs"),
    (lambda x, y, k, m: (np.nan, 0.0), "NaN"),
    (lambda x, y, k, m: x @ y, "raised ValueError"),
])
def test_mse_gradient_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_mse_gradient, wrong)
    assert not passed and hint in out, out


def test_mse_gradient_not_attempted(capsys):
    def mse_gradient(x, y, k, m):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_mse_gradient, mse_gradient)
    assert not passed and "not attempted yet" in out


def test_mse_gradient_that_is_not_a_function(capsys):
    passed, out = outcome(capsys, check_mse_gradient, (1.0, 2.0))
    assert not passed and "should be a function" in out


# --- gd_step ----------------------------------------------------------------------------------
# The learner's gd_step calls the learner's mse_gradient, a global of the notebook. The check
# swaps the reference in for that global, so these tests define gd_step in a namespace whose
# mse_gradient is WRONG: a correct gd_step must still pass.

def learner_code(source):
    """Run a notebook-like cell: a wrong mse_gradient and the given gd_step; return gd_step."""
    namespace = {"np": np}
    exec("def mse_gradient(x, y, k, m):\n    return 0.0, 0.0\n" + source, namespace)  # noqa: S102
    return namespace["gd_step"]


CORRECT = """
def gd_step(x, y, k, m, lr):
    dL_dk, dL_dm = mse_gradient(x, y, k, m)
    return k - lr * dL_dk, m - lr * dL_dm
"""

INLINE = """
def gd_step(x, y, k, m, lr):
    err = y - (x * k + m)
    return np.array([k + lr * 2 * np.mean(x * err), m + lr * 2 * np.mean(err)])
"""


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("source", [CORRECT, INLINE])
def test_gd_step_passes_correct_solutions_even_with_a_wrong_mse_gradient(capsys, thorough, source):
    gd_step = learner_code(source)
    passed, out = outcome(capsys, check_gd_step, gd_step, thorough)
    assert passed and "✓ gd_step: correct" in out
    assert gd_step.__globals__["mse_gradient"](1, 2, 3, 4) == (0.0, 0.0)  # the learner's function is back


def test_gd_step_with_the_wrong_mse_gradient_is_wrong_without_the_swap():
    gd_step = learner_code(CORRECT)
    assert gd_step(np.ones((3, 1)), np.ones((3, 1)), 5.0, 7.0, 0.1) == (5.0, 7.0)


@pytest.mark.parametrize("body, hint", [
    ("return k + lr * dk, m + lr * dm", "subtract it"),
    ("return k - dk, m - dm", "learning rate η"),
    ("return dk, dm", "not the gradient"),
    ("return lr * dk, lr * dm", "not only the step"),
    ("return m - lr * dm, k - lr * dk", "right but swapped"),
    ("k = k - lr * dk\n    dk, dm = mse_gradient(x, y, k, m)\n    return k, m - lr * dm", "at the old (k, m)"),
    ("return k - lr * dk, m + lr * dm", "subtract it"),
    ("return k - lr * dk, m - 2 * lr * dm", "m ← m − η ∂ℒ/∂m"),
    ("return k - lr * dk", "expected two numbers"),
    ("return None", "return"),
    ("return [k - lr * dk, [m, m]]", "where one number belongs"),
    ("return 245.1, 3.2", "expected"),
    ("return mse_gradient(x, y, k)", "raised TypeError"),
])
def test_gd_step_catches_typical_mistakes(capsys, body, hint):
    gd_step = learner_code(f"def gd_step(x, y, k, m, lr):\n    dk, dm = mse_gradient(x, y, k, m)\n    {body}\n")
    passed, out = outcome(capsys, check_gd_step, gd_step)
    assert not passed and hint in out, out


def test_gd_step_not_attempted(capsys):
    gd_step = learner_code("def gd_step(x, y, k, m, lr):\n    raise NotImplementedError()\n")
    passed, out = outcome(capsys, check_gd_step, gd_step)
    assert not passed and "not attempted yet" in out


# --- only the chain rule passes: differences of ℒ do not, whatever their step ---------------------------------

@pytest.mark.parametrize("step", ["1e-5", "1.0", "100.0", "1e-6 * max(1.0, abs(float(theta[0])))"])
def test_mse_gradient_refuses_central_differences(capsys, step):
    source = NUMERICAL_06["mse_gradient"].replace("slope(loss, theta)", f"slope(loss, theta, h={step})")
    learner = defined(source, np=np)
    passed, out = outcome(capsys, check_mse_gradient, learner["mse_gradient"])
    assert not passed and ("to only about" in out or "overflows" in out), out


def test_mse_gradient_says_why_where_the_loss_overflows(capsys):
    def numerical_with_a_good_step(x, y, k, m):
        loss = lambda k, m: np.mean((y - (x * k + m)) ** 2)  # noqa: E731
        return (loss(k + 1, m) - loss(k - 1, m)) / 2, (loss(k, m + 1) - loss(k, m - 1)) / 2

    for _ in range(20):  # on apartment-like data its step may get lucky; where ℒ is ∞ it cannot
        passed, out = outcome(capsys, check_mse_gradient, numerical_with_a_good_step)
        assert not passed
    assert "ℒ itself overflows" in out or "to only about" in out


def gradient_expanded(x, y, k, m):
    """The sums multiplied out: k Σx², m Σx and Σxy apart."""
    return 2 * k * np.mean(x * x) + 2 * m * np.mean(x) - 2 * np.mean(x * y), 2 * k * np.mean(x) + 2 * m - 2 * np.mean(y)


@pytest.mark.parametrize("solution", [gradient, gradient_lecture_form, gradient_as_1x1, gradient_expanded])
def test_mse_gradient_passes_the_rule_written_any_way_on_fresh_inputs_every_run(capsys, solution):
    for _ in range(100):
        passed, out = outcome(capsys, check_mse_gradient, solution, thorough=True)
        assert passed, out
