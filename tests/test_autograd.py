"""Forward and backward of every op in lecture_utils.autograd.

Forward values are compared with plain numpy; every backward is compared with
central differences (lecture_utils.gradcheck), never with itself.
"""

import weakref

import numpy as np
import pytest

from lecture_utils.autograd import (
    Add,
    Mean,
    Mul,
    ReLU,
    Scale,
    Sigmoid,
    Square,
    Sub,
    Sum,
    T,
    Tanh,
    Tensor,
    topological_order,
    zero_grad,
)
from lecture_utils.gradcheck import numerical_gradient, rel_error
from lecture_utils.nn import MLP, mse
from lecture_utils.seed import set_seed

rng = np.random.default_rng(1234)


def param(*shape, low=-1.0, high=1.0):
    return Tensor(rng.uniform(low, high, shape), requires_grad=True)


def away_from_zero(*shape):
    """Values with |v| >= 0.1, so ReLU's kink is never within a finite-difference step."""
    values = rng.uniform(0.1, 1.0, shape) * rng.choice([-1.0, 1.0], shape)
    return Tensor(values, requires_grad=True)


def assert_gradients_match(build, inputs, tol=1e-7):
    """Backprop through build(*inputs) against a weighted sum's numerical gradient.

    The output is contracted with a fixed random matrix C so every entry of the
    upstream gradient differs (UP = C): a rule that mixes up entries shows.
    """
    out = build(*inputs)
    C = rng.normal(size=out.shape)
    out.backward(C)
    for x in inputs:
        numeric = numerical_gradient(lambda _: np.sum(build(*inputs).value * C), x.value)
        assert x.grad.shape == x.value.shape
        assert rel_error(x.grad, numeric) < tol, (x.grad, numeric)


# --- forward values -------------------------------------------------------------

def test_forward_values_match_numpy():
    A, B, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=(1, 3))
    assert np.array_equal(Add(Tensor(A), Tensor(b)).value, A + b)
    assert np.array_equal(Sub(Tensor(A), Tensor(A)).value, np.zeros((4, 3)))
    assert np.allclose(Mul(Tensor(A), Tensor(B)).value, A @ B)
    assert np.array_equal(ReLU(Tensor(A)).value, np.where(A > 0, A, 0.0))
    assert np.array_equal(T(Tensor(A)).value, A.T)
    assert np.allclose(Scale(Tensor(A), 0.5).value, A / 2)
    assert Sum(Tensor(A)).value.shape == (1, 1) and np.isclose(Sum(Tensor(A)).value[0, 0], A.sum())
    assert Mean(Tensor(A)).value.shape == (1, 1) and np.isclose(Mean(Tensor(A)).value[0, 0], A.mean())
    assert np.allclose(Square(Tensor(A)).value, A * A)
    assert np.allclose(Sigmoid(Tensor(A)).value, 1 / (1 + np.exp(-A)))
    assert np.allclose(Tanh(Tensor(A)).value, np.tanh(A))


def test_sigmoid_does_not_overflow_for_large_inputs():
    with np.errstate(all="raise"):
        s = Sigmoid(Tensor(np.array([[-1000.0, 0.0, 1000.0]]))).value
    assert np.allclose(s, [[0.0, 0.5, 1.0]])


def test_operators_map_onto_the_lectures_ops():
    A, B = Tensor(rng.normal(size=(3, 2))), Tensor(rng.normal(size=(2, 2)))
    assert (A @ B).op == "Mul"
    assert (A + A).op == "Add" and (A - A).op == "Sub"
    assert A.T.op == "T"
    assert (A / 4).op == "Scale" and np.allclose((A / 4).value, A.value / 4)
    assert (2 * A).op == "Scale" and (-A).op == "Scale"
    assert np.allclose((np.ones((3, 2)) + A).value, 1 + A.value)  # numpy on the left
    assert np.allclose((np.ones((3, 2)) - A).value, 1 - A.value)


def test_values_are_float64_and_numbers_become_1x1():
    assert Tensor(np.array([[1, 2]])).value.dtype == np.float64
    assert Tensor(3).shape == (1, 1)
    assert Tensor(np.array([1.0, 2.0])).shape == (2,)


def test_a_parameter_copies_its_array_so_training_cannot_change_it():
    original = np.ones((2, 2))
    W = Tensor(original, requires_grad=True)
    W.value -= 1.0
    assert np.array_equal(original, np.ones((2, 2)))


# --- backward of each op against central differences ----------------------------

@pytest.mark.parametrize("shape_a, shape_b", [((4, 3), (4, 3)), ((4, 3), (1, 3)), ((1, 3), (4, 3)),
                                              ((4, 3), (3,)), ((4, 3), (4, 1)), ((4, 3), (1, 1))])
@pytest.mark.parametrize("op", [Add, Sub])
def test_add_and_sub_backward_with_broadcasting(op, shape_a, shape_b):
    A, B = param(*shape_a), param(*shape_b)
    assert_gradients_match(op, [A, B])
    assert B.grad.shape == B.value.shape and A.grad.shape == A.value.shape


def test_bias_gradient_is_the_sum_of_the_upstream_rows():
    X, b = Tensor(rng.normal(size=(5, 3))), param(1, 3)
    UP = rng.normal(size=(5, 3))
    Add(X, b).backward(UP)
    assert np.allclose(b.grad, UP.sum(axis=0, keepdims=True))


@pytest.mark.parametrize("n, p, m", [(4, 3, 2), (1, 1, 1), (1, 5, 1), (6, 1, 3)])
def test_mul_backward(n, p, m):
    A, B = param(n, p), param(p, m)
    assert_gradients_match(Mul, [A, B])


def test_mul_backward_is_up_b_transposed_and_a_transposed_up():
    A, B = param(4, 3), param(3, 2)
    UP = rng.normal(size=(4, 2))
    Mul(A, B).backward(UP)
    assert np.allclose(A.grad, UP @ B.value.T)
    assert np.allclose(B.grad, A.value.T @ UP)


@pytest.mark.parametrize("op", [ReLU, Sigmoid, Tanh, Square, T, Sum, Mean, lambda A: Scale(A, -2.5)])
def test_single_input_op_backward(op):
    assert_gradients_match(op, [away_from_zero(4, 3)])


def test_relu_backward_is_the_upstream_times_the_mask():
    A = away_from_zero(3, 4)
    UP = rng.normal(size=(3, 4))
    ReLU(A).backward(UP)
    assert np.array_equal(A.grad, np.where(A.value > 0, UP, 0.0))


def test_vector_bias_of_shape_m_gets_a_gradient_of_shape_m():
    X, W, b = Tensor(rng.normal(size=(5, 3))), param(3, 2), param(2)
    assert_gradients_match(lambda W, b: ReLU(Add(Mul(X, W), b)), [W, b])
    assert b.grad.shape == (2,)


def test_two_layer_network_with_the_lectures_loss():
    X, y = Tensor(rng.normal(size=(6, 2)), name="X"), Tensor(rng.normal(size=(6, 1)), name="y")
    W1, b1, W2, b2 = param(2, 4), param(1, 4), param(4, 1), param(1, 1)

    def loss(W1, b1, W2, b2):
        y_hat = Add(Mul(ReLU(Add(Mul(X, W1), b1)), W2), b2)
        err = Sub(y, y_hat)
        return Mul(T(err), err) / 6

    assert loss(W1, b1, W2, b2).shape == (1, 1)
    assert_gradients_match(loss, [W1, b1, W2, b2])


# --- the fields of a Tensor ---------------------------------------------------------

def test_a_tensor_has_only_the_fields_it_declares():
    A = Tensor(np.ones((2, 2)), name="A", requires_grad=True)
    out = Scale(A, 0.25)
    assert out.scale == 0.25 and A.scale is None and Add(A, A).scale is None
    assert (out.op, out.parents, out.name, out.grad) == ("Scale", (A,), None, None)
    with pytest.raises(AttributeError):
        out.colour = "red"  # a typo in a field's name fails at once


# --- the graph: reuse, order, depth ----------------------------------------------

def test_a_node_used_twice_gets_the_sum_of_both_gradients():
    a = param(3, 3)
    b = a + a            # b = 2a
    c = b @ b            # c = 4 a a
    Sum(c).backward()
    ones = np.ones((3, 3))
    B = 2 * a.value
    expected = 2 * (ones @ B.T + B.T @ ones)  # dL/dB = 1 Bᵀ + Bᵀ 1, then the chain rule (sum)
    assert np.allclose(a.grad, expected)
    numeric = numerical_gradient(lambda _: Sum((a + a) @ (a + a)).value, a.value)
    assert rel_error(a.grad, numeric) < 1e-8


def test_topological_order_lists_each_node_once_after_its_inputs():
    a = Tensor(np.ones((2, 2)), name="a", requires_grad=True)
    b = Add(a, a).named("b")
    c = Mul(b, b).named("c")
    d = Add(c, b).named("d")
    order = topological_order(d)
    assert [t.name for t in order] == ["a", "b", "c", "d"]
    assert topological_order(d) == order  # deterministic


def test_ten_thousand_op_chain_backward_without_recursion_error():
    b = Tensor(np.full((1, 3), 0.001), name="b", requires_grad=True)
    h = Tensor(np.zeros((2, 3)), name="X")
    for _ in range(10_000):
        h = Add(h, b)  # b is reused 10,000 times: its gradient is 10,000 × the row sums
    assert len(topological_order(h)) == 10_002
    Sum(h).backward()
    assert np.allclose(b.grad, np.full((1, 3), 2 * 10_000))
    assert np.allclose(h.value, 10.0)


def test_data_gets_no_gradient_and_no_work():
    X, W = Tensor(rng.normal(size=(4, 3))), param(3, 1)
    out = Mul(X, W)
    Sum(out).backward()
    assert X.grad is None and not X.requires_grad
    assert W.grad.shape == (3, 1)


def test_grad_is_none_until_backward_reaches_a_tensor():
    W = param(2, 2)
    H = ReLU(W)
    assert W.grad is None and H.grad is None
    Sum(H).backward()
    assert H.grad.shape == (2, 2) and W.grad.shape == (2, 2)


def test_backward_uses_the_graph_up_and_a_second_backward_says_so():
    X, W, b = Tensor(rng.normal(size=(4, 3))), param(3, 2), param(1, 2)
    H = Tanh(Add(Mul(X, W), b)).named("H")
    loss = Mean(Square(H))
    hidden = weakref.ref(H.parents[0].value)  # the Add output's value: nobody but the graph holds it
    loss.backward()
    assert hidden() is None  # freed by backward(), not at the end of the step
    assert loss.parents == () and H.parents == () and loss._backward is None and H._backward is None
    assert H.value.shape == (4, 2) and H.grad.shape == (4, 2)  # a tensor you hold keeps value and grad
    W_once, b_once = W.grad.copy(), b.grad.copy()
    for used_up, label in [(loss, "the Mean output"), (H, "H")]:
        with pytest.raises(RuntimeError, match=f"backward\\(\\) has already used up the graph that made {label}: "
                                               "it lets go .* Build the graph again"):
            used_up.backward(np.ones(used_up.shape))
    assert np.array_equal(W.grad, W_once) and np.array_equal(b.grad, b_once)  # nothing was added
    with pytest.raises(RuntimeError, match="used up the graph"):
        topological_order(loss)  # and so do graph.trace and the drawings
    Mean(Square(Tanh(Add(Mul(X, W), b)))).backward()  # the graph built again: the leaves accumulate
    assert np.allclose(W.grad, 2 * W_once) and np.allclose(b.grad, 2 * b_once)


def test_a_released_graph_frees_every_intermediate_result_of_a_training_step():
    set_seed(0)
    net = MLP([2, 8, 8, 1])
    X, y = Tensor(rng.normal(size=(16, 2))), Tensor(rng.normal(size=(16, 1)))
    loss = mse(y, net(X))
    values = [weakref.ref(node.value) for node in topological_order(loss) if node.parents and node is not loss]
    loss.backward()
    assert len(values) == 10 and all(ref() is None for ref in values)  # freed while `loss` is still held
    assert all(p.grad.shape == p.shape for p in net.parameters())


def test_zero_grad_makes_the_next_backward_start_from_zero():
    W = param(2, 2)
    Sum(Square(W)).backward()
    first = W.grad.copy()
    zero_grad(W)
    assert W.grad is None
    Sum(Square(W)).backward()
    assert np.allclose(W.grad, first)
    W2 = param(1, 1)
    Sum(Add(W, W2)).backward()
    zero_grad([W, W2])
    assert W.grad is None and W2.grad is None


def test_gradients_are_never_modified_in_place():
    A, B = param(3, 3), param(3, 3)
    out = Add(A, B)
    out.backward(np.ones((3, 3)))
    shared = A.grad  # Add hands the same upstream to both inputs
    Add(A, param(3, 3)).backward(np.ones((3, 3)))
    assert np.array_equal(shared, np.ones((3, 3))) and np.array_equal(B.grad, np.ones((3, 3)))
    assert np.array_equal(A.grad, 2 * np.ones((3, 3)))  # accumulating made a new array
    # an op's output used twice: the upstream it took first stays as it was
    x = param(2, 2, low=0.5, high=1.0)
    m = Scale(x, 1.0)
    top = Add(m, ReLU(m))
    top.backward(np.ones((2, 2)))
    assert np.array_equal(top.grad, np.ones((2, 2))) and np.array_equal(m.grad, 2 * np.ones((2, 2)))


