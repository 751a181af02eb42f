"""Checks of notebook 05: correct answers pass; typical mistakes fail with the right hint."""

from functools import reduce

import numpy as np
import pytest

from lecture_utils.autograd import ReLU, Tensor
from lecture_utils.checks import check_collapse, check_relu
from lecture_utils.checks.nonlinearity import collapse_reference, stacked_linear_forward
from verdicts import outcome

# --- relu -----------------------------------------------------------------------------------

def relu_in_place(x):
    x[x < 0] = 0
    return x


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("relu", [
    lambda x: np.maximum(x, 0),
    lambda x: x * (x > 0),
    lambda x: np.where(x > 0, x, 0.0),
    relu_in_place,
    lambda x: np.clip(x, 0, None),
])
def test_relu_passes_correct_solutions(capsys, relu, thorough):
    passed, out = outcome(capsys, check_relu, relu, thorough)
    assert passed and "✓ relu: correct" in out


@pytest.mark.parametrize("wrong, hint", [
    (np.abs, "does not flip their sign"),
    (lambda x: x, "negative entries must become 0"),
    (lambda x: x > 0, "the mask R"),
    (lambda x: (x > 0) * 1.0, "the mask R"),
    (lambda x: np.minimum(x, 0), "np.minimum keeps the negative part"),
    (lambda x: np.clip(x, 0, 1), "do not cap at 1"),
    (lambda x: max(x, 0), "Python's max compares two numbers"),
    (lambda x: np.max(x, 0), "np.max summarises"),
    (lambda x: np.max(x), "np.max summarises"),
    (lambda x: np.maximum(x, 0).ravel(), "keep the matrix shape"),
    (lambda x: np.maximum(x, 0).T, "transposed"),
    (lambda x: np.maximum(x, 0.5), "np.maximum(x, 0)"),
    (lambda x: np.ones((3, 4)), "expected"),  # hard-coded for one example
    (lambda x: None, "return"),
    (lambda x: np.maximum(x, 0).tolist(), "returned a list"),
    (lambda x: ReLU(Tensor(x)), "returned a Tensor"),
    (lambda x: np.maximum(x, 0) / 0, "NaN"),
    (lambda x: x @ x, "raised ValueError"),
])
def test_relu_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_relu, wrong)
    assert not passed and hint in out, out


def test_relu_one_negative_entry_is_checked_last(capsys):
    """Returning x unchanged is caught on the [1×1] case too (its entry is made negative)."""
    calls = []

    def relu(x):
        calls.append(x.shape)
        return x if x.shape == (1, 1) else np.maximum(x, 0)

    passed, _ = outcome(capsys, check_relu, relu)
    assert not passed and calls[-1] == (1, 1)


def test_relu_not_attempted(capsys):
    def relu(x):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_relu, relu)
    assert not passed and "not attempted yet" in out


# --- collapse -------------------------------------------------------------------------------

def collapse_loop(Ws, bs):
    Q, U = Ws[0], bs[0]
    for W, b in zip(Ws[1:], bs[1:]):
        Q = Q @ W
        U = U @ W + b
    return Q, U


def collapse_sum(Ws, bs):
    """The closed form: U = Σ bᵢ Wᵢ₊₁…W_L."""
    L = len(Ws)
    Q = reduce(np.matmul, Ws)
    U = sum(bs[i] @ reduce(np.matmul, Ws[i + 1:]) if i < L - 1 else bs[i] for i in range(L))
    return Q, U


def collapse_backwards(Ws, bs):
    """From the last layer down: (Q, U) of layers l..L from those of l+1..L."""
    Q, U = Ws[-1], bs[-1]
    for W, b in zip(Ws[-2::-1], bs[-2::-1]):
        U = b @ Q + U
        Q = W @ Q
    return Q, U


def collapse_in_place(Ws, bs):
    Q, U = Ws[0], bs[0]
    for W, b in zip(Ws[1:], bs[1:]):
        Q = Q @ W
        U = U @ W
        U += b
    return Q, U


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("collapse", [collapse_loop, collapse_sum, collapse_backwards, collapse_in_place,
                                      lambda Ws, bs: list(collapse_loop(Ws, bs))])
def test_collapse_passes_correct_solutions(capsys, collapse, thorough):
    passed, out = outcome(capsys, check_collapse, collapse, thorough)
    assert passed and "✓ collapse: correct" in out


def wrong_q(make_q):
    return lambda Ws, bs: (make_q(Ws), collapse_loop(Ws, bs)[1])


def wrong_u(make_u):
    return lambda Ws, bs: (collapse_loop(Ws, bs)[0], make_u(Ws, bs))


@pytest.mark.parametrize("wrong, hint", [
    (wrong_q(lambda Ws: reduce(np.matmul, Ws[::-1])), "the order matters"),
    (wrong_q(lambda Ws: sum(Ws)), "product of the weights, not their sum"),
    (wrong_q(lambda Ws: Ws[0]), "the weights' product"),
    (wrong_u(lambda Ws, bs: sum(bs)), "U is not the sum of the biases"),
    (wrong_u(lambda Ws, bs: bs[-1]), "the earlier biases count too"),
    (wrong_u(lambda Ws, bs: collapse_loop(Ws, bs)[1] - bs[-1]), "the last bias is added as it is"),
    (wrong_u(lambda Ws, bs: sum(b @ reduce(np.matmul, Ws[i:]) for i, b in enumerate(bs))), "not by its own Wᵢ"),
    (wrong_u(lambda Ws, bs: bs[0]), "carry each bias through the layers after it"),
    (wrong_u(lambda Ws, bs: collapse_loop(Ws, bs)[1].ravel()), "keep the matrix shape [1×3]"),
    (lambda Ws, bs: collapse_loop(Ws, bs)[::-1], "in the order (Q, U)"),
    (lambda Ws, bs: collapse_loop(Ws, bs)[0], "return both"),
    (lambda Ws, bs: (*collapse_loop(Ws, bs), None), "expected the pair (Q, U)"),
    (lambda Ws, bs: None, "return Q, U"),
    (lambda Ws, bs: (np.eye(3), np.zeros((1, 3))), "expected"),  # hard-coded for one example
    (lambda Ws, bs: tuple(Tensor(M) for M in collapse_loop(Ws, bs)), "returned as Q a Tensor"),
    (lambda Ws, bs: (Ws[3], bs[3]), "raised IndexError"),
    (lambda Ws, bs: (collapse_loop(Ws, bs)[0] * np.nan, bs[0]), "returned as Q NaN"),
])
def test_collapse_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_collapse, wrong)
    assert not passed and hint in out, out


def test_collapse_only_right_for_three_layers_fails_on_other_depths(capsys):
    def three_layers(Ws, bs):
        W1, W2, W3 = Ws
        b1, b2, b3 = bs
        return W1 @ W2 @ W3, b1 @ W2 @ W3 + b2 @ W3 + b3

    passed, out = outcome(capsys, check_collapse, three_layers)
    assert not passed and "ValueError" in out
    assert "called with Ws = [W₁ [2×5], W₂ [5×4], W₃ [4×1]]" not in out  # L = 3 passed
    assert "Ws = [W₁ [4×2], W₂ [2×6]], bs = [b₁ [1×2], b₂ [1×6]]" in out  # L = 2, shown by shapes


def test_collapse_is_checked_down_to_one_layer(capsys):
    depths = []

    def collapse(Ws, bs):
        depths.append(len(Ws))
        return collapse_loop(Ws, bs)

    passed, _ = outcome(capsys, check_collapse, collapse)
    assert passed and depths[-1] == 1 and 3 in depths


def test_collapse_does_not_let_the_learner_change_the_check_inputs(capsys):
    def collapse(Ws, bs):
        Q, U = collapse_loop([W.copy() for W in Ws], [b.copy() for b in bs])
        for M in Ws + bs:
            M[:] = 0  # spoils the inputs it was given: only copies of the check's own
        return Q, U

    passed, _ = outcome(capsys, check_collapse, collapse)
    assert passed


def test_collapse_not_attempted(capsys):
    def collapse(Ws, bs):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_collapse, collapse)
    assert not passed and "not attempted yet" in out


def test_the_reference_collapse_matches_the_stacked_forward_pass():
    rng = np.random.default_rng(0)
    for D, sizes in [(3, [4]), (2, [5, 4, 1]), (4, [3, 3, 2, 6, 1])]:
        Ws = [rng.normal(size=(m, n)) for m, n in zip([D] + sizes[:-1], sizes)]
        bs = [rng.normal(size=(1, n)) for n in sizes]
        X = rng.normal(size=(9, D))
        H = X
        for W, b in zip(Ws, bs):  # written out once more, independently
            H = H @ W + b
        Q, U = collapse_reference(Ws, bs)
        assert np.allclose(X @ Q + U, H) and np.allclose(stacked_linear_forward(X, Ws, bs), H)
