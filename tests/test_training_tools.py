"""nn.train and accuracy, the diagnostics, and the classifier pictures shared by notebooks 05 and 09."""

import numpy as np
import pytest

from lecture_utils import data, plots, set_seed
from lecture_utils.diagnostics import dead_relu_fraction, hidden_preactivations, layer_gradient_norms
from lecture_utils.gradcheck import numerical_gradient, rel_error
from lecture_utils.nn import MLP, accuracy, mse, train


def test_train_lowers_the_loss_and_reaches_good_accuracy_on_gauss():
    set_seed(0)
    X, y = data.make_toy("gauss", n=200, noise=0.0)
    net = MLP([2, 8, 1])
    losses = train(net, X, y, lr=0.1, steps=300, batch_size=32)
    assert len(losses) == 300 and np.mean(losses[-20:]) < 0.5 * np.mean(losses[:20])
    assert accuracy(net, X, y) > 0.95


def test_full_batch_training_is_deterministic_given_the_weights():
    set_seed(1)
    X, y = data.make_toy("xor", n=50)
    first = MLP([2, 4, 1], rng=np.random.default_rng(5))
    second = MLP([2, 4, 1], rng=np.random.default_rng(5))
    assert train(first, X, y, 0.1, 20) == train(second, X, y, 0.1, 20)


def test_accuracy_counts_the_right_side_of_the_threshold():
    set_seed(0)
    net = MLP([1, 1])
    net.layers[0].W.value[:] = 1.0
    X = np.array([[-1.0], [0.2], [0.7], [2.0]])
    assert accuracy(net, X, np.array([[0.0], [0.0], [1.0], [0.0]])) == 0.75


def test_layer_gradient_norms_match_numerical_gradients():
    set_seed(2)
    net = MLP([3, 5, 4, 1], activation="tanh")
    X, y = np.random.default_rng(0).normal(size=(10, 3)), np.random.default_rng(1).normal(size=(10, 1))
    norms = layer_gradient_norms(net, X, y)
    for layer, norm in zip(net.layers, norms):
        numeric = numerical_gradient(lambda _: mse(y, net(X)), layer.W.value)
        assert rel_error(norm, np.linalg.norm(numeric)) < 1e-7


def test_dead_relu_fraction_counts_units_that_never_fire():
    set_seed(0)
    net = MLP([2, 4, 1])
    X = np.random.default_rng(0).normal(size=(50, 2))
    net.layers[0].b.value[:] = [[-100.0, -100.0, 100.0, 100.0]]  # two units can never fire
    assert dead_relu_fraction(net, X).tolist() == [0.5]
    (Z,) = hidden_preactivations(net, X)
    assert Z.shape == (50, 4)


def test_decision_boundary_colours_the_plane_by_the_models_output():
    X, y = np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([[0.0], [1.0]])
    fig = plots.decision_boundary(lambda P: (P[:, :1] > 0).astype(float), X, y, X_test=X, y_test=y,
                                  resolution=20, title="a half-plane")
    ax = fig.axes[0]
    (image,) = ax.get_images()
    values = image.get_array()
    assert values.shape == (20, 20) and values[:, :10].max() == 0 and values[:, 10:].min() == 1
    assert len(ax.collections) == 5  # the 0.5 contour, 2 train and 2 test classes
    assert ax.get_title() == "a half-plane"
    faces = [c.get_facecolors() for c in ax.collections[1:]]
    assert len(faces[0]) and not len(faces[2])  # training points filled, test points hollow


@pytest.mark.parametrize("test_losses", [None, [1.0, 0.5]])
def test_loss_curves(test_losses):
    fig = plots.loss_curves([1.0, 0.5, 0.25, 0.2], test_losses)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == (1 if test_losses is None else 2)
    assert ax.get_yscale() == "log" and np.allclose(ax.get_lines()[0].get_ydata(), [1.0, 0.5, 0.25, 0.2])
