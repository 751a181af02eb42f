"""Property tests: random graphs of the ops on random shapes, every gradient against
central differences (relative error <= 1e-6 in float64).

A graph is grown from a few parameter leaves by applying randomly chosen ops to
randomly chosen earlier nodes, so nodes are reused (diamonds), biases are
broadcast over rows, and shapes vary. It is reduced to a [1×1] loss, either by
Sum/Mean or by the lecture's loss Mul(T(err), err) / N.
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lecture_utils import autograd
from lecture_utils.autograd import Add, Mul, ReLU, Scale, Sub, T, Tensor, topological_order
from lecture_utils.gradcheck import numerical_gradient, rel_error

sizes = st.integers(min_value=1, max_value=4)
# Values on a grid of 0.01: no denormal-sized inputs whose finite differences are all rounding.
values = st.integers(min_value=-150, max_value=150).map(lambda k: k / 100)
KINK_MARGIN = 1e-3  # ReLU inputs stay this far from 0, so ±h never crosses the kink


def new_leaf(data, shape):
    value = data.draw(arrays(np.float64, shape, elements=values))
    return Tensor(value, name=f"P{shape}", requires_grad=True)


def grow_graph(data, steps):
    """Apply `steps` random ops to a pool of nodes; return (output, leaves, relu inputs)."""
    n, m = data.draw(sizes), data.draw(sizes)
    leaves = [new_leaf(data, (n, m))]
    pool = list(leaves)
    relu_inputs = []

    def pick(shape=None):
        candidates = [t for t in pool if shape is None or t.shape == shape]
        if not candidates:
            leaves.append(new_leaf(data, shape))
            return leaves[-1]
        return data.draw(st.sampled_from(candidates))

    for _ in range(steps):
        A = pick()
        kind = data.draw(st.sampled_from(
            ["Add", "Sub", "Add bias", "Add vector bias", "Mul", "ReLU", "T", "Scale", "Square", "Sigmoid", "Tanh"]
        ))
        if kind in ("Add", "Sub"):
            out = getattr(autograd, kind)(A, pick(A.shape))
        elif kind == "Add bias":
            out = Add(A, pick((1, A.shape[1])))
        elif kind == "Add vector bias":
            out = Add(A, pick((A.shape[1],)))
        elif kind == "Mul":
            out = Mul(A, pick((A.shape[1], data.draw(sizes))))
        elif kind == "ReLU":
            relu_inputs.append(A)
            out = ReLU(A)
        elif kind == "T":
            out = T(A)
        elif kind == "Scale":
            out = Scale(A, data.draw(st.sampled_from([-2.0, 0.5, 1.0 / 3.0])))
        else:  # Square, Sigmoid, Tanh
            out = getattr(autograd, kind)(A)
        pool.append(out)
    return pool[-1], leaves, relu_inputs


def to_loss(data, out):
    reduce = data.draw(st.sampled_from(["Sum", "Mean", "lecture"]))
    if reduce in ("Sum", "Mean"):
        return getattr(autograd, reduce)(out)
    err = Mul(out, Tensor(np.ones((out.shape[1], 1))))  # [N×1], like y - ŷ
    return Mul(T(err), err) / out.shape[0]


def assert_all_gradients_match(build_loss, leaves):
    """Relative error ≤ 1e-6 for every leaf — or, for a gradient that is zero (e.g. the P in
    Sub(P, Add(P, b))), central differences that are zero up to rounding: below 1e-9 × the loss."""
    loss = build_loss()
    assert loss.shape == (1, 1)
    loss.backward()
    rounding = 1e-9 * max(1.0, abs(loss.value.item()))
    for leaf in leaves:
        numeric = numerical_gradient(lambda _: build_loss().value, leaf.value)
        analytic = np.zeros_like(leaf.value) if leaf.grad is None else leaf.grad
        assert analytic.shape == leaf.value.shape
        error = rel_error(analytic, numeric)
        within_rounding = np.abs(analytic).max() == 0 and np.abs(numeric).max() <= rounding
        assert error <= 1e-6 or within_rounding, f"{leaf.name}: relative error {error:.1e}\n{analytic}\n{numeric}"


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(min_value=1, max_value=7))
def test_random_graphs_match_central_differences(data, steps):
    out, leaves, relu_inputs = grow_graph(data, steps)
    loss = to_loss(data, out)
    for A in relu_inputs:
        assume(np.all(np.abs(A.value) > KINK_MARGIN))
    assume(np.all(np.isfinite(loss.value)) and abs(loss.value.item()) < 1e6)

    order = topological_order(loss)
    assert_all_gradients_match(lambda: replay(order), leaves)


def replay(order):
    """Recompute a recorded graph's output from its leaves' current values."""
    fresh = {}
    for node in order:
        if not node.parents:
            fresh[id(node)] = node  # leaves (and constants) are used as they are
        elif node.op == "Scale":
            fresh[id(node)] = Scale(fresh[id(node.parents[0])], node.scale)
        else:
            fresh[id(node)] = getattr(autograd, node.op)(*(fresh[id(p)] for p in node.parents))
    return fresh[id(order[-1])]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_lectures_two_layer_network_and_loss(data):
    """ŷ = ReLU(X W1 + b1) W2 + b2 and 𝓛 = (y - ŷ)ᵀ(y - ŷ) / N, with random sizes."""
    N, D, M = data.draw(sizes), data.draw(sizes), data.draw(sizes)
    X = Tensor(data.draw(arrays(np.float64, (N, D), elements=values)), name="X")
    y = Tensor(data.draw(arrays(np.float64, (N, 1), elements=values)), name="y")
    W1, b1 = new_leaf(data, (D, M)), new_leaf(data, (1, M))
    W2, b2 = new_leaf(data, (M, 1)), new_leaf(data, (1, 1))

    def build_loss():
        H_pre = Add(Mul(X, W1), b1)
        build_loss.H_pre = H_pre
        y_hat = Add(Mul(ReLU(H_pre), W2), b2)
        err = Sub(y, y_hat)  # used twice: the gradient sums over both uses
        return Mul(T(err), err) / N

    build_loss()
    assume(np.all(np.abs(build_loss.H_pre.value) > KINK_MARGIN))
    assert_all_gradients_match(build_loss, [W1, b1, W2, b2])
