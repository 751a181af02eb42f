"""The activation functions by the lecture's names: one implementation for pictures, panels and networks."""

import numpy as np
import pytest

from lecture_utils import activations
from lecture_utils.autograd import Tensor
from lecture_utils.nn import MLP


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def test_each_activation_entry_by_entry():
    a = np.array([[-2.0, 0.0, 3.0]])
    assert np.array_equal(activations.apply("linear", a), a)
    assert np.array_equal(activations.apply("ReLU", a), [[0.0, 0.0, 3.0]])
    assert np.allclose(activations.apply("sigmoid", a), sigmoid(a))
    assert np.allclose(activations.apply("tanh", a), np.tanh(a))
    assert activations.apply("sigmoid", np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]  # no overflow


@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 3, 4)])
def test_any_shape_comes_back_in_the_same_shape(shape):
    Z = np.random.default_rng(0).normal(size=shape)
    for name in activations.NAMES:
        assert np.shape(activations.apply(name, Z)) == shape
    assert np.allclose(activations.apply("ReLU", Z), np.maximum(Z, 0))


def test_the_vocabulary_is_the_lectures_and_a_wrong_name_is_told_the_spelling():
    assert activations.NAMES == ("ReLU", "tanh", "sigmoid", "linear")
    assert set(activations.FORMULAS) == set(activations.LABELS) == set(activations.NAMES)
    with pytest.raises(ValueError, match=r"one of 'ReLU', 'tanh', 'sigmoid', 'linear', got 'relu' \(spelled 'ReLU'\)"):
        activations.apply("relu", np.zeros(2))
    with pytest.raises(ValueError, match="got 'softplus'.$"):
        activations.op("softplus")
    with pytest.raises(ValueError, match="MLP: activation must be one of"):
        MLP([2, 1], activation="identity")


def test_a_network_applies_the_same_function_as_the_pictures():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 2))
    for name in activations.NAMES:
        net = MLP([2, 3, 1], activation=name, rng=np.random.default_rng(2))
        hidden = net.layers[0](Tensor(X)).value
        expected = activations.apply(name, hidden) @ net.layers[1].W.value + net.layers[1].b.value
        assert np.array_equal(net(X).value, expected), name


def test_curve_and_neuron():
    a, f_a = activations.curve("tanh", (-2.0, 2.0), samples=5)
    assert a.tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0] and np.allclose(f_a, np.tanh(a))
    x = np.array([[-1.0], [0.5], [2.0]])
    assert np.allclose(activations.neuron_output(x, 2.0, -1.5, "ReLU"), [[0.0], [0.0], [2.5]])
    x, y_hat = activations.neuron_curve_points(8.0, 4.0, "sigmoid", (-1.0, 1.0), samples=3)
    assert x.tolist() == [-1.0, 0.0, 1.0] and np.allclose(y_hat, sigmoid(8 * x + 4))
    assert activations.neuron_steps(1, 1, -3) == (1, 1, -3, 1, -2, 0.0)  # the larger of 0 and −2
