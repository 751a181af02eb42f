"""Linear, MLP, SGD and set_seed, built on the autograd core."""

import numpy as np
import pytest

from lecture_utils.autograd import Tensor
from lecture_utils.gradcheck import check_gradients
from lecture_utils.nn import MLP, SGD, Linear, mse
from lecture_utils.seed import set_seed


def test_linear_shapes_and_initialisation():
    set_seed(0)
    layer = Linear(3, 5, init_scale=0.5)
    assert layer.W.shape == (3, 5) and layer.b.shape == (1, 5)
    assert np.array_equal(layer.b.value, np.zeros((1, 5)))
    H = layer(np.ones((7, 3)))
    assert H.shape == (7, 5)
    big = Linear(400, 400, init_scale=0.5)
    assert abs(big.W.value.std() - 0.5) < 0.01


def test_mlp_layers_names_and_default_scales():
    set_seed(0)
    net = MLP([2, 8, 4, 1])
    assert [p.name for p in net.parameters()] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert net(np.zeros((10, 2))).shape == (10, 1)
    wide = MLP([500, 500, 1], activation="tanh")
    assert abs(wide.layers[0].W.value.std() - np.sqrt(1 / 500)) < 0.002
    wide_relu = MLP([500, 500, 1])
    assert abs(wide_relu.layers[0].W.value.std() - np.sqrt(2 / 500)) < 0.003


def test_mlp_puts_the_activation_between_layers_only():
    set_seed(0)
    net = MLP([1, 3, 1], activation="ReLU")
    out = net(np.array([[1.0], [-1.0]]))
    ops = []
    node = out
    while node.parents:
        ops.append(node.op)
        node = node.parents[0]
    assert ops == ["Add", "Mul", "ReLU", "Add", "Mul"]


def test_layer_by_layer_is_the_forward_pass_with_each_layers_input_and_output():
    """Zₗ = Hₗ₋₁Wₗ + bₗ, Hₗ = tanh(Zₗ) for the hidden layers, ŷ = Z_L: what the playground and diagnostics read."""
    set_seed(0)
    net = MLP([2, 4, 3, 1], activation="tanh")
    X = np.random.default_rng(1).normal(size=(5, 2))
    steps = net.layer_by_layer(X)
    H = X
    for (Z, out), layer, last in zip(steps, net.layers, [False, False, True]):
        expected_Z = H @ layer.W.value + layer.b.value
        H = expected_Z if last else np.tanh(expected_Z)
        assert np.allclose(Z.value, expected_Z) and np.allclose(out.value, H)
    assert len(steps) == 3 and np.array_equal(net(X).value, steps[-1][1].value)


def test_linear_activation_collapses_to_one_projection():
    set_seed(0)
    net = MLP([2, 5, 3], activation="linear")
    X = np.random.default_rng(1).normal(size=(6, 2))
    (W1, b1), (W2, b2) = [(layer.W.value, layer.b.value) for layer in net.layers]
    assert np.allclose(net(X).value, X @ (W1 @ W2) + (b1 @ W2 + b2))


def test_unknown_activation_and_too_few_sizes():
    with pytest.raises(ValueError, match="activation must be one of"):
        MLP([2, 1], activation="softsign")
    with pytest.raises(ValueError, match="at least an input and an output"):
        MLP([2])


def test_mlp_gradients_match_central_differences():
    set_seed(3)
    X = Tensor(np.random.default_rng(0).normal(size=(8, 3)))
    y = Tensor(np.random.default_rng(1).normal(size=(8, 2)))
    for activation in ["tanh", "sigmoid", "linear"]:
        net = MLP([3, 4, 2], activation=activation)
        rows = check_gradients(lambda: mse(y, net(X)), net.parameters(), show=False)
        assert all(r.error < 1e-7 for r in rows), [(r.name, r.error) for r in rows]


def test_sgd_step_is_theta_minus_lr_times_gradient():
    W = Tensor(np.array([[1.0, 2.0]]), requires_grad=True)
    W.grad = np.array([[0.5, -1.0]])
    unused = Tensor(np.array([[3.0]]), requires_grad=True)  # no gradient: left alone
    optimizer = SGD([W, unused], lr=0.1)
    optimizer.step()
    assert np.allclose(W.value, [[0.95, 2.1]]) and np.array_equal(unused.value, [[3.0]])
    optimizer.zero_grad()
    assert W.grad is None


def test_training_fits_a_line():
    set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(50, 1))
    y = 3 * x - 0.5
    net = MLP([1, 1])
    optimizer = SGD(net.parameters(), lr=0.5)
    for _ in range(200):
        loss = mse(y, net(x))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    layer = net.layers[0]
    assert np.allclose(layer.W.value, [[3.0]], atol=1e-3) and np.allclose(layer.b.value, [[-0.5]], atol=1e-3)


def test_set_seed_repeats_initialisation_and_numpy_draws():
    set_seed(7)
    first, draw = MLP([2, 3, 1]).layers[0].W.value, np.random.rand()
    set_seed(7)
    second, redraw = MLP([2, 3, 1]).layers[0].W.value, np.random.rand()
    assert np.array_equal(first, second) and draw == redraw
    set_seed(8)
    assert not np.array_equal(MLP([2, 3, 1]).layers[0].W.value, first)


def test_mse_takes_the_targets_first_as_in_notebook_01():
    import inspect

    assert list(inspect.signature(mse).parameters) == ["y", "y_hat"]
    y, y_hat = np.array([[1.0], [2.0]]), Tensor(np.array([[1.5], [1.0]]), requires_grad=True)
    loss = mse(y=y, y_hat=y_hat)
    loss.backward()
    assert loss.value.item() == pytest.approx((0.25 + 1.0) / 2)
    assert np.allclose(y_hat.grad, [[0.5], [-1.0]])  # 2(ŷ − y)/N
