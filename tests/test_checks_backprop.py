"""Checks of notebook 08: correct backward functions pass; typical mistakes fail with the right hint."""

import numpy as np
import pytest

from hostile_submissions import NUMERICAL_08
from lecture_utils.autograd import Add, Mul, ReLU, T, Tensor
from lecture_utils.checks import (
    check_add_backward,
    check_mul_backward,
    check_network_backward,
    check_relu_backward,
    check_t_backward,
)
from verdicts import defined, outcome


def not_attempted(*args):
    raise NotImplementedError()


def on_autograd(op, UP, *inputs):
    """A correct backward written with the autograd core instead of numpy (allowed)."""
    tensors = [Tensor(x, requires_grad=True) for x in inputs]
    op(*tensors).backward(UP)
    return tuple(t.grad for t in tensors)


# --- add_backward ----------------------------------------------------------------------

def add_backward(UP, A_shape, b_shape):
    return UP, (UP.sum(axis=0, keepdims=True) if b_shape[0] == 1 else UP)


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    add_backward,
    lambda UP, A_shape, b_shape: (UP.copy(), UP.reshape(-1, *b_shape).sum(axis=0)),
    lambda UP, A_shape, b_shape: (np.ones(A_shape) * UP, np.ones((1, UP.shape[0])) @ UP if b_shape != A_shape else UP),
    lambda UP, A_shape, b_shape: on_autograd(Add, UP, np.zeros(A_shape), np.zeros(b_shape)),
])
def test_add_backward_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_add_backward, solution, thorough)
    assert passed and "✓ add_backward: correct" in out


@pytest.mark.parametrize("wrong, hint", [
    (lambda UP, a, b: (UP, UP), "the bias is an input to N nodes"),
    (lambda UP, a, b: (UP, UP.sum(axis=0)), "keep the bias's shape [1×M]"),
    (lambda UP, a, b: (UP, UP.sum()), "you summed every entry of UP"),
    (lambda UP, a, b: (UP, UP.sum(keepdims=True)), "you summed every entry of UP"),
    (lambda UP, a, b: (UP, UP.sum(axis=1, keepdims=True)), "you summed over the columns (axis=1)"),
    (lambda UP, a, b: (UP, UP.mean(axis=0, keepdims=True)), "sum, do not average"),
    (lambda UP, a, b: (UP, UP.sum(axis=0, keepdims=True)), "here b has A's shape [N×M], nothing is repeated"),
    (lambda UP, a, b: (-UP, add_backward(UP, a, b)[1]), "the minus sign belongs to Sub's second input"),
    (lambda UP, a, b: (UP, -add_backward(UP, a, b)[1]), "no minus sign"),
    (lambda UP, a, b: add_backward(UP, a, b)[::-1], "returned the bias's gradient first"),
    (lambda UP, a, b: UP, "expected 2 gradients (dA, db)"),
    (lambda UP, a, b: (UP,), "returned 1 values; expected 2 gradients"),
    (lambda UP, a, b: None, "forget the `return` statement"),
    (lambda UP, a, b: (UP, None), "returned as db None"),
    (lambda UP, a, b: (UP, list(UP.sum(axis=0, keepdims=True))), "returned as db a list"),
    (lambda UP, a, b: (UP, Tensor(UP.sum(axis=0, keepdims=True))), "returned as db a Tensor"),
    (lambda UP, a, b: (UP, UP.sum(axis=0, keepdims=True) * np.nan), "returned as db NaN"),
    (lambda UP, a, b: (UP, np.ones((1, UP.shape[1]))), "expected [1×4]"),  # hard-coded
    (lambda UP, a, b: (UP, UP @ np.ones(b)), "raised ValueError"),
    (not_attempted, "not attempted yet"),
])
def test_add_backward_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_add_backward, wrong)
    assert not passed and hint in out


def test_add_backward_is_not_a_function(capsys):
    passed, out = outcome(capsys, check_add_backward, None)
    assert not passed and "It should be a function" in out


# --- mul_backward ----------------------------------------------------------------------

@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    lambda UP, A, B: (UP @ B.T, A.T @ UP),
    lambda UP, A, B: [np.dot(UP, B.T), (UP.T @ A).T],
    lambda UP, A, B: (np.einsum("ij,kj->ik", UP, B), np.einsum("ik,ij->kj", A, UP)),
    lambda UP, A, B: on_autograd(Mul, UP, A, B),
])
def test_mul_backward_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_mul_backward, solution, thorough)
    assert passed and "dA = UP Bᵀ and dB = Aᵀ UP" in out


@pytest.mark.parametrize("wrong, hint", [
    (lambda UP, A, B: (UP @ B, A.T @ UP), "transpose B: dA = UP Bᵀ"),
    (lambda UP, A, B: (B.T @ UP, A.T @ UP), "the order matters: UP first, then Bᵀ"),
    (lambda UP, A, B: (B @ UP, A.T @ UP), "UP first, then Bᵀ"),
    (lambda UP, A, B: (UP @ B.T, UP.T @ A), "that is dB transposed"),
    (lambda UP, A, B: (UP @ B.T, UP @ A.T), "the order matters: Aᵀ first, then UP"),
    (lambda UP, A, B: (UP @ B.T, A @ UP), "transpose A: dB = Aᵀ UP"),
    (lambda UP, A, B: (A.T @ UP, UP @ B.T), "that is dB = Aᵀ UP. dA = UP Bᵀ"),
    (lambda UP, A, B: (UP @ B.T, UP @ B.T), "that is dA = UP Bᵀ. dB = Aᵀ UP"),
    (lambda UP, A, B: (UP @ B.T * 2, A.T @ UP), "the chain rule trick: dA = UP Bᵀ"),
    (lambda UP, A, B: (UP @ B.T, A.T @ UP)[0], "expected 2 gradients (dA, dB)"),
    (lambda UP, A, B: (UP @ B.T, None), "returned as dB None"),
    (lambda UP, A, B: (Tensor(UP @ B.T), A.T @ UP), "returned as dA a Tensor"),
    (lambda UP, A, B: (np.zeros_like(A), np.zeros_like(B)), "the chain rule trick"),
    (not_attempted, "not attempted yet"),
])
def test_mul_backward_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_mul_backward, wrong)
    assert not passed and hint in out


@pytest.mark.parametrize("wrong, hint", [
    (lambda UP, A, B: ((UP @ B.T).T, A.T @ UP), "that is A's shape transposed"),
    (lambda UP, A, B: (UP, A.T @ UP), "that is UP's shape"),
    (lambda UP, A, B: (UP @ B.T, (A.T @ UP).T), "that is B's shape transposed"),
    (lambda UP, A, B: (A.T @ UP, UP @ B.T), "returned dB first"),
])
def test_mul_backward_shape_mistakes_on_rectangular_matrices(capsys, wrong, hint):
    def only_rectangular(UP, A, B):  # passes the square case, so the rectangular one is checked
        return (UP @ B.T, A.T @ UP) if A.shape == B.shape else wrong(UP, A, B)

    passed, out = outcome(capsys, check_mul_backward, only_rectangular)
    assert not passed and hint in out


# --- t_backward ----------------------------------------------------------------------

@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    lambda UP: UP.T,
    lambda UP: np.transpose(UP).copy(),
    lambda UP: UP.swapaxes(0, 1),
    lambda UP: on_autograd(T, UP, np.zeros(UP.shape[::-1]))[0],
])
def test_t_backward_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_t_backward, solution, thorough)
    assert passed and "dA = UPᵀ" in out


@pytest.mark.parametrize("wrong, hint", [
    (lambda UP: UP, "TRANSPOSED upstream"),
    (lambda UP: -UP.T, "no minus sign"),
    (lambda UP: UP.T[:, ::-1], "its gradient moves back"),
    (lambda UP: (UP.T, UP.T), "returned as dA a tuple"),
    (lambda UP: UP.T.ravel(), "returned dA of shape"),
    (lambda UP: None, "return"),
    (lambda UP: UP.T.tolist(), "returned as dA a list"),
    (lambda UP: Tensor(UP.T), "a Tensor"),
    (lambda UP: UP.T * np.nan, "NaN"),
    (lambda UP: 1.0, "as a single number"),
    (not_attempted, "not attempted yet"),
])
def test_t_backward_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_t_backward, wrong)
    assert not passed and hint in out


def test_t_backward_returning_UP_for_a_rectangular_A_gets_the_shape_hint(capsys):
    passed, out = outcome(capsys, check_t_backward, lambda UP: UP.T if UP.shape[0] == UP.shape[1] else UP)
    assert not passed and "transpose it back, dA = UPᵀ" in out


# --- relu_backward ----------------------------------------------------------------------

@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    lambda UP, A: UP * (A > 0),
    lambda UP, A: UP * (np.maximum(A, 0) > 0),  # the mask from the output: just as good
    lambda UP, A: np.where(A > 0, UP, 0.0),
    lambda UP, A: UP * (A >= 0),                # no entry of A is exactly 0
    lambda UP, A: on_autograd(ReLU, UP, A)[0],
])
def test_relu_backward_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_relu_backward, solution, thorough)
    assert passed and "dA = UP ⊙ R" in out


@pytest.mark.parametrize("wrong, hint", [
    (lambda UP, A: UP * (UP > 0), "comes from the node's input A"),
    (lambda UP, A: np.maximum(UP, 0), "comes from the node's input A"),
    (lambda UP, A: (A > 0).astype(float), "multiply the mask by the upstream"),
    (lambda UP, A: UP * np.maximum(A, 0), "not by ReLU(A) itself"),
    (lambda UP, A: UP, "only where a > 0"),
    (lambda UP, A: UP @ (A > 0), "not the matrix product @"),
    (lambda UP, A: UP * (A < 0), "not where a < 0"),
    (lambda UP, A: UP * A, "dA = UP ⊙ R, with the mask R"),
    (lambda UP, A: (UP * (A > 0)).T, ("dA = UP ⊙ R", "a gradient has the shape of its node")),  # 3×3 or 4×2
    (lambda UP, A: None, "return"),
    (lambda UP, A: Tensor(UP * (A > 0)), "a Tensor"),
    (lambda UP, A: UP / (A - A), "returned as dA inf"),
    (not_attempted, "not attempted yet"),
])
def test_relu_backward_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_relu_backward, wrong)
    assert not passed and any(h in out for h in ([hint] if isinstance(hint, str) else hint))


# --- network_backward ---------------------------------------------------------------------

def network_source(mul_line="dA, dB = UP @ B.T, A.T @ UP", two="2", sign="-", keepdims="True"):
    """A notebook namespace with the four pieces and network_backward built from them."""
    return f"""
import numpy as np

def add_backward(UP, A_shape, b_shape):
    return UP, (UP.sum(axis=0, keepdims={keepdims}) if b_shape[0] == 1 else UP)

def mul_backward(UP, A, B):
    {mul_line}
    return dA, dB

def t_backward(UP):
    return UP.T

def relu_backward(UP, A):
    return UP * (A > 0)

def network_backward(X, y, W1, b1, W2, b2):
    N = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    Z2 = H @ W2
    err = y - (Z2 + b2)
    d_errT, d_err = mul_backward(np.array([[1 / N]]), err.T, err)
    d_err = d_err + t_backward(d_errT) if {two} == 2 else d_err
    d_y_hat = {sign}d_err
    d_Z2, db2 = add_backward(d_y_hat, Z2.shape, b2.shape)
    dH, dW2 = mul_backward(d_Z2, H, W2)
    d_Z1 = relu_backward(dH, Z1)
    d_XW1, db1 = add_backward(d_Z1, Z1.shape, b1.shape)
    dX, dW1 = mul_backward(d_XW1, X, W1)
    return dW1, db1, dW2, db2
"""


def notebook(**changes):
    namespace = {}
    exec(network_source(**changes), namespace)
    return namespace


def direct(X, y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    d_y_hat = -2 * (y - H @ W2 - b2) / len(X)
    dZ1 = (d_y_hat @ W2.T) * (Z1 > 0)
    return X.T @ dZ1, dZ1.sum(0, keepdims=True), H.T @ d_y_hat, d_y_hat.sum(0, keepdims=True)


def on_autograd_network(X, y, W1, b1, W2, b2):
    params = [Tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    err = y - (ReLU(X @ params[0] + params[1]) @ params[2] + params[3])
    ((err.T @ err) / len(X)).backward()
    return tuple(p.grad for p in params)


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [notebook()["network_backward"], direct, on_autograd_network])
def test_network_backward_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_network_backward, solution, thorough)
    assert passed and "dW₁, db₁, dW₂, db₂ are the chain rule's to round-off" in out


def test_network_backward_is_marked_alone_whatever_the_earlier_exercises_did(capsys):
    broken_pieces = notebook(mul_line="raise NotImplementedError()", keepdims="False")
    passed, out = outcome(capsys, check_network_backward, broken_pieces["network_backward"])
    assert passed, out
    # ... and the learner's own pieces are back afterwards
    with pytest.raises(NotImplementedError):
        broken_pieces["mul_backward"](np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1)))


@pytest.mark.parametrize("changes, hint", [
    ({"two": "1"}, "its gradient is the SUM of both uses, 2·err / N"),
    ({"sign": "+"}, "Sub sends −UP to its second input"),
])
def test_network_backward_catches_mistakes_of_the_loss(capsys, changes, hint):
    passed, out = outcome(capsys, check_network_backward, notebook(**changes)["network_backward"])
    assert not passed and hint in out and "db2" in out  # the first gradient on the way back


def with_change(change):
    def network_backward(X, y, W1, b1, W2, b2):
        return change(X, y, W1, b1, W2, b2, *direct(X, y, W1, b1, W2, b2))
    return network_backward


@pytest.mark.parametrize("wrong, hint", [
    (with_change(lambda X, y, W1, b1, W2, b2, dW1, db1, dW2, db2: (dW1 * len(X), db1 * len(X), dW2 * len(X),
                                                                   db2 * len(X))), "keep the factor 1/N"),
    (lambda X, y, W1, b1, W2, b2: direct_without_mask(X, y, W1, b1, W2, b2), "multiply by its mask R"),
    # when every entry of the upstream at H happens to be positive, no mask and the upstream's mask agree
    (lambda X, y, W1, b1, W2, b2: direct_mask_of_upstream(X, y, W1, b1, W2, b2),
     ("not from the upstream", "multiply by its mask R")),
    (with_change(lambda X, y, W1, b1, W2, b2, dW1, db1, dW2, db2: (dW1, db1, dW2, db2 * np.ones((len(X), 1)))),
     "b2 is repeated over the N rows of ŷ"),
    (with_change(lambda X, y, W1, b1, W2, b2, dW1, db1, dW2, db2: (dW1, db1.ravel(), dW2, db2)),
     "b1 is repeated over the N rows of XW₁ + b₁"),
    (with_change(lambda X, y, W1, b1, W2, b2, dW1, db1, dW2, db2: (dW1, db1, dW2, db2.item())),
     "returned db2 as a single number"),
    (with_change(lambda X, y, W1, b1, W2, b2, dW1, db1, dW2, db2: (dW1, db1, dW2.T, db2)),
     "Hᵀ times the upstream, in this order"),
    (with_change(lambda X, y, W1, b1, W2, b2, dW1, db1, dW2, db2: (dW1.T, db1, dW2, db2)),
     "Xᵀ times the upstream, in this order"),
    (with_change(lambda X, y, W1, b1, W2, b2, dW1, db1, dW2, db2: (dW1, db1, dW2))
     , "returned 3 values; expected 4 gradients"),
    (with_change(lambda X, y, W1, b1, W2, b2, dW1, db1, dW2, db2: (dW1, db1, dW2, db2 + 1.0)),
     "go backwards one node at a time"),
    (lambda X, y, W1, b1, W2, b2: None, "forget the `return` statement"),
    (lambda X, y, W1, b1, W2, b2: X @ W1, "expected 4 gradients"),
    (lambda X, y, W1, b1, W2, b2: X @ y, "raised ValueError"),
    (not_attempted, "not attempted yet"),
])
def test_network_backward_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_network_backward, wrong)
    assert not passed and any(h in out for h in ([hint] if isinstance(hint, str) else hint))


def direct_without_mask(X, y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    d_y_hat = -2 * (y - H @ W2 - b2) / len(X)
    dZ1 = d_y_hat @ W2.T
    return X.T @ dZ1, dZ1.sum(0, keepdims=True), H.T @ d_y_hat, d_y_hat.sum(0, keepdims=True)


def direct_mask_of_upstream(X, y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    d_y_hat = -2 * (y - H @ W2 - b2) / len(X)
    dH = d_y_hat @ W2.T
    dZ1 = dH * (dH > 0)
    return X.T @ dZ1, dZ1.sum(0, keepdims=True), H.T @ d_y_hat, d_y_hat.sum(0, keepdims=True)


# --- only the rules pass: numerical gradients do not --------------------------------------------------------------

@pytest.mark.parametrize("exercise, check", [("mul_backward", check_mul_backward),
                                             ("relu_backward", check_relu_backward),
                                             ("network_backward", check_network_backward)])
def test_numerical_gradients_do_not_pass(capsys, exercise, check):
    """By value, already on the small cases: round-off, ReLU's kink, a loss too vast for a float. (Add's and T's
    numerical gradients at a zero base are exact; their thorough cases are too large for them in a call's time.)"""
    learner = defined(NUMERICAL_08["add_backward"] + NUMERICAL_08[exercise], np=np)
    passed, out = outcome(capsys, check, learner[exercise])
    assert not passed, out


@pytest.mark.parametrize("check, solutions", [
    (check_add_backward, [add_backward, lambda UP, A_shape, b_shape: (UP * 1.0, np.ones((1, UP.shape[0])) @ UP
                                                                       if b_shape[0] == 1 else UP.copy())]),
    (check_mul_backward, [lambda UP, A, B: (UP @ B.T, A.T @ UP),
                          lambda UP, A, B: (np.einsum("ij,kj->ik", UP, B), np.einsum("ki,kj->ij", A, UP))]),
    (check_t_backward, [lambda UP: UP.T, lambda UP: np.ascontiguousarray(UP.T)]),
    (check_relu_backward, [lambda UP, A: UP * (A > 0), lambda UP, A: np.where(A > 0, UP, 0.0)]),
    (check_network_backward, [notebook()["network_backward"], direct, on_autograd_network]),
])
def test_the_rules_pass_written_any_way_on_fresh_inputs_every_run(capsys, check, solutions):
    for solution in solutions:
        for thorough, runs in ((True, 3), (False, 30)):
            for _ in range(runs):
                passed, out = outcome(capsys, check, solution, thorough)
                assert passed, out
