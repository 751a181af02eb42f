"""Every op's gradient three ways (by hand, autograd, central differences), and the Jacobian of Mul."""

import numpy as np
import pytest

from lecture_utils.autograd import Mul, ReLU, Sub, T, Tensor
from lecture_utils.gradcheck import numerical_gradient
from lecture_utils.lessons.backprop import (
    NETWORK_PARAMETERS,
    OP_INPUTS,
    ThreeWay,
    autograd_network_gradients,
    autograd_op_gradients,
    compare,
    hand_gradients,
    math_name,
    mul_jacobians,
    network_graph,
    network_loss,
    numerical_network_gradients,
    numerical_op_gradients,
    op_loss,
    random_network,
    random_op_inputs,
)
from lecture_utils.ops import RELU_MARGIN

RIGHT = {
    "Add": lambda UP, A_shape, b_shape: (UP, UP.sum(axis=0, keepdims=True)),
    "Mul": lambda UP, A, B: (UP @ B.T, A.T @ UP),
    "T": lambda UP: UP.T,
    "ReLU": lambda UP, A: UP * (A > 0),
}


def network_by_hand(X, y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    d_y_hat = -2 * (y - (H @ W2 + b2)) / len(X)
    dZ1 = (d_y_hat @ W2.T) * (Z1 > 0)
    return X.T @ dZ1, dZ1.sum(axis=0, keepdims=True), H.T @ d_y_hat, d_y_hat.sum(axis=0, keepdims=True)


@pytest.mark.parametrize("op, shapes", [
    ("Add", {"A": (4, 3), "b": (1, 3)}), ("Mul", {"A": (4, 3), "B": (3, 2)}),
    ("T", {"A": (4, 3)}), ("ReLU", {"A": (4, 3)}),
])
def test_random_op_inputs_have_the_ops_shapes_and_an_upstream_like_the_output(op, shapes):
    inputs, UP = random_op_inputs(op, 4, np.random.default_rng(0))
    assert {name: x.shape for name, x in inputs.items()} == shapes
    assert tuple(inputs) == OP_INPUTS[op]
    assert UP.shape == {"Add": (4, 3), "Mul": (4, 2), "T": (3, 4), "ReLU": (4, 3)}[op]


def test_relu_inputs_stay_away_from_the_kink():
    inputs, _ = random_op_inputs("ReLU", 200, np.random.default_rng(1))
    assert np.min(np.abs(inputs["A"])) >= RELU_MARGIN
    assert np.any(inputs["A"] > 0) and np.any(inputs["A"] < 0)


def test_the_stand_in_loss_has_gradient_UP_at_the_output():
    rng = np.random.default_rng(2)
    A, UP = rng.normal(size=(3, 4)), rng.normal(size=(4, 3))
    assert op_loss("T", {"A": A}, UP) == pytest.approx(float(np.sum(UP * A.T)))
    out = A.T.copy()
    assert np.allclose(numerical_gradient(lambda o: np.sum(UP * o), out), UP)


@pytest.mark.parametrize("op", ["Add", "Mul", "T", "ReLU"])
def test_numerical_gradients_match_the_rules_of_the_lecture(op):
    rng = np.random.default_rng(3)
    inputs, UP = random_op_inputs(op, 5, rng)
    before = {name: x.copy() for name, x in inputs.items()}
    numeric = numerical_op_gradients(op, inputs, UP)
    assert all(np.array_equal(inputs[name], before[name]) for name in inputs)  # inputs untouched
    A = inputs["A"]
    expected = {
        "Add": lambda: {"A": UP, "b": UP.sum(axis=0, keepdims=True)},
        "Mul": lambda: {"A": UP @ inputs["B"].T, "B": A.T @ UP},
        "T": lambda: {"A": UP.T},
        "ReLU": lambda: {"A": np.where(A > 0, UP, 0.0)},
    }[op]()
    for name in OP_INPUTS[op]:
        assert np.allclose(numeric[name], expected[name], rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("op", ["Add", "Mul", "T", "ReLU"])
def test_autograd_agrees_with_central_differences(op):
    inputs, UP = random_op_inputs(op, 3, np.random.default_rng(4))
    numeric, core = numerical_op_gradients(op, inputs, UP), autograd_op_gradients(op, inputs, UP)
    for name in OP_INPUTS[op]:
        assert core[name].shape == inputs[name].shape
        assert np.allclose(core[name], numeric[name], atol=1e-8)


def test_random_network_keeps_the_relu_inputs_away_from_0():
    values = random_network(200, np.random.default_rng(5), D=3, M=5, margin=1e-3)
    shapes = {name: v.shape for name, v in values.items()}
    assert shapes == {"X": (200, 3), "y": (200, 1), "W1": (3, 5), "b1": (1, 5), "W2": (5, 1), "b2": (1, 1)}
    assert np.min(np.abs(values["X"] @ values["W1"] + values["b1"])) >= 1e-3


def test_network_loss_is_err_transposed_err_over_N():
    values = random_network(6, np.random.default_rng(6))
    err = values["y"] - (np.maximum(values["X"] @ values["W1"] + values["b1"], 0) @ values["W2"] + values["b2"])
    assert network_loss(**values) == pytest.approx(float(np.sum(err**2) / 6))
    loss, parameters = network_graph(**values)
    assert loss.shape == (1, 1) and list(parameters) == list(NETWORK_PARAMETERS)


def test_network_gradients_three_ways_agree():
    values = random_network(7, np.random.default_rng(7))
    numeric, core = numerical_network_gradients(values), autograd_network_gradients(values)
    by_hand = dict(zip(NETWORK_PARAMETERS, network_by_hand(**values)))
    for name in NETWORK_PARAMETERS:
        assert np.allclose(core[name], numeric[name], atol=1e-7)
        assert np.allclose(by_hand[name], numeric[name], atol=1e-7)


def test_err_used_twice_gets_twice_the_gradient_of_one_use():
    """The notebook's claim: in ℒ = errᵀerr / N, ∂ℒ/∂err = 2·err / N, and ∂ℒ/∂ŷ = −2·err / N."""
    rng = np.random.default_rng(8)
    y = Tensor(rng.normal(size=(5, 1)))
    y_hat = Tensor(rng.normal(size=(5, 1)), requires_grad=True)
    err = Sub(y, y_hat)
    (Mul(T(err), err) / 5).backward()
    assert np.allclose(err.grad, 2 * err.value / 5)
    assert np.allclose(y_hat.grad, -2 * err.value / 5)


# --- the learner's functions, whatever they do ---------------------------------------------

def op_values(op="Add", N=3, seed=9):
    return random_op_inputs(op, N, np.random.default_rng(seed))


def test_hand_gradients_of_correct_functions_are_returned_as_arrays():
    for op, function in RIGHT.items():
        inputs, UP = op_values(op)
        result = hand_gradients(op, function, inputs, UP)
        assert len(result) == len(OP_INPUTS[op])
        for (gradient, problem), name in zip(result, OP_INPUTS[op]):
            assert problem is None and gradient.shape == inputs[name].shape


@pytest.mark.parametrize("function, problem", [
    (None, "no function given"),
    (lambda UP, a, b: (_ for _ in ()).throw(NotImplementedError()), "not implemented yet"),
    (lambda UP, a, b: 1 / 0, "raised ZeroDivisionError: division by zero"),
    (lambda UP, a, b: UP, "returned one array [3×3]; expected 2 gradients (dA, db)"),
    (lambda UP, a, b: (UP,), "returned a tuple of 1; expected 2 gradients (dA, db)"),
    (lambda UP, a, b: None, "returned None; expected 2 gradients"),
])
def test_a_broken_function_becomes_a_problem_for_every_gradient(function, problem):
    inputs, UP = op_values()
    result = hand_gradients("Add", function, inputs, UP)
    assert len(result) == 2
    for gradient, text in result:
        assert gradient is None and text.startswith(problem)


@pytest.mark.parametrize("db, problem", [
    (lambda UP: UP, "returned shape [3×3], expected [1×3]"),
    (lambda UP: UP.sum(axis=0), "returned shape [3], expected [1×3]"),
    (lambda UP: None, "returned None"),
    (lambda UP: Tensor(UP.sum(axis=0, keepdims=True)), "returned a Tensor"),
    (lambda UP: UP.sum(axis=0, keepdims=True) / 0, "returned NaN or inf"),
    (lambda UP: "db", "returned a str"),
])
def test_a_bad_gradient_is_a_problem_for_that_gradient_only(db, problem):
    inputs, UP = op_values()
    with np.errstate(all="ignore"):
        (dA, dA_problem), (db_value, db_problem) = hand_gradients("Add", lambda UP, a, b: (UP, db(UP)), inputs, UP)
    assert dA_problem is None and np.array_equal(dA, UP)
    assert db_value is None and db_problem.startswith(problem)


def test_a_function_that_changes_its_inputs_cannot_change_the_comparison():
    def vandal(UP, A, B):
        UP[:] = 0
        A[:] = 0
        return UP @ B.T, A.T @ UP

    honest = compare("Mul", RIGHT["Mul"], N=3, seed=10)
    vandalised = compare("Mul", vandal, N=3, seed=10)
    for a, b in zip(honest, vandalised):
        assert np.array_equal(a.numeric, b.numeric) and np.array_equal(a.autograd, b.autograd)


# --- the comparison ----------------------------------------------------------------------------

@pytest.mark.parametrize("op", ["Add", "Mul", "T", "ReLU", "network"])
def test_compare_with_correct_functions_gives_correct_verdicts(op):
    function = RIGHT.get(op, network_by_hand)
    rows = compare(op, function, N=4, seed=11)
    assert [row.name for row in rows] == list(OP_INPUTS.get(op, NETWORK_PARAMETERS))
    for row in rows:
        assert isinstance(row, ThreeWay) and row.problem is None
        assert row.hand.shape == row.numeric.shape == row.autograd.shape == row.shape
        assert row.hand_check.verdict == "✓ correct" and row.autograd_check.verdict == "✓ correct"


def test_compare_with_a_wrong_function_gives_a_wrong_verdict():
    rows = compare("Add", lambda UP, a, b: (UP, -UP.sum(axis=0, keepdims=True)), N=3, seed=12)
    assert rows[0].hand_check.ok and not rows[1].hand_check.ok
    assert rows[1].hand_check.verdict == "✗ wrong"
    assert rows[1].autograd_check.ok


def test_compare_is_repeatable_by_seed_and_sized_by_N():
    first, again, other = (compare("Mul", None, N=2, seed=s) for s in (13, 13, 14))
    assert all(np.array_equal(a.numeric, b.numeric) for a, b in zip(first, again))
    assert not np.array_equal(first[0].numeric, other[0].numeric)
    assert [row.shape for row in first] == [(2, 3), (3, 2)]
    assert first[0].hand is None and first[0].problem == "no function given" and first[0].hand_check is None


def test_labels_use_the_lectures_notation():
    assert math_name("W1") == "W₁" and math_name("b2") == "b₂" and math_name("A") == "A"
    row = ThreeWay("b1", np.zeros((1, 3)), np.zeros((1, 3)))
    assert row.label == "∂ℒ/∂b₁" and row.shape == (1, 3)


# --- Mul's Jacobians -------------------------------------------------------------------------

def numerical_jacobian(f, x):
    """One row per entry of f(x) (row by row), one column per entry of x."""
    out = f(x)
    rows = []
    for index in np.ndindex(out.shape):
        rows.append(numerical_gradient(lambda x_: f(x_)[index], x).reshape(-1))
    return np.array(rows)


def test_mul_jacobians_match_central_differences():
    rng = np.random.default_rng(15)
    A, B = rng.normal(size=(3, 2)), rng.normal(size=(2, 4))
    J_A, J_B = mul_jacobians(A, B)
    assert J_A.shape == (12, 6) and J_B.shape == (12, 8)
    assert np.allclose(J_A, numerical_jacobian(lambda a: a @ B, A.copy()), atol=1e-8)
    assert np.allclose(J_B, numerical_jacobian(lambda b: A @ b, B.copy()), atol=1e-8)


def test_the_chain_rule_trick_equals_the_upstream_through_the_jacobian():
    """The notebook's claims: UP·J_A is UP Bᵀ, UP·J_B is Aᵀ UP; a row of J_A has at most p nonzeros."""
    rng = np.random.default_rng(16)
    A, B, UP = rng.normal(size=(3, 2)), rng.normal(size=(2, 2)), rng.normal(size=(3, 2))
    J_A, J_B = mul_jacobians(A, B)
    assert np.allclose(UP.reshape(-1) @ J_A, (UP @ B.T).reshape(-1))
    assert np.allclose(UP.reshape(-1) @ J_B, (A.T @ UP).reshape(-1))
    assert np.max(np.count_nonzero(J_A, axis=1)) <= A.shape[1]
    assert np.count_nonzero(J_A) < J_A.size / 2


def test_relu_picks_0_as_its_gradient_at_exactly_0():
    """The notebook's convention: the mask R is 1 where a > 0, so 0 at a = 0."""
    A = Tensor(np.array([[-1.0, 0.0, 2.0]]), requires_grad=True)
    ReLU(A).backward(np.ones((1, 3)))
    assert np.array_equal(A.grad, [[0.0, 0.0, 1.0]])
