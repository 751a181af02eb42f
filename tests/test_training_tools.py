"""nn.train and accuracy, the diagnostics, and the classifier pictures shared by notebooks 05 and 09."""

import numpy as np
import pytest

from lecture_utils import data, plots, set_seed
from lecture_utils.gradcheck import numerical_gradient, rel_error
from lecture_utils.lessons import training
from lecture_utils.lessons.nonlinearity import compare_regions, output_regions
from lecture_utils.lessons.training import dead_relu_fraction, hidden_preactivations, layer_gradient_norms
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
    regions = output_regions(lambda P: (P[:, :1] > 0).astype(float), resolution=20)
    fig = plots.decision_boundary(regions, X, y, X_test=X, y_test=y, title="a half-plane")
    ax = fig.axes[0]
    (image,) = ax.get_images()
    values = image.get_array()
    assert values.shape == (20, 20) and values[:, :10].max() == 0 and values[:, 10:].min() == 1
    assert len(ax.collections) == 5  # the 0.5 contour, 2 train and 2 test classes
    assert ax.get_title() == "a half-plane"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x⁽¹⁾", "x⁽²⁾")  # the two predictors
    faces = [c.get_facecolors() for c in ax.collections[1:]]
    assert not np.allclose(faces[0][:, :3], 1) and np.allclose(faces[2][:, :3], 1)  # training filled, test hollow
    assert ax.get_xlim() == (-1.5, 1.5) and image.get_extent() == [-1.5, 1.5, -1.5, 1.5]


def test_output_regions_put_x2_upwards_and_compare_two_models():
    regions = output_regions(lambda P: P[:, 1:] * 10 + P[:, :1], limit=1.0, resolution=3)
    assert regions.grid.tolist() == [-1.0, 0.0, 1.0]
    assert regions.outputs.tolist() == [[-11, -10, -9], [-1, 0, 1], [9, 10, 11]]  # row r: x⁽²⁾ = grid[r]
    compared = compare_regions(lambda P: P[:, :1], lambda P: P[:, :1] + 0.25 * P[:, 1:], limit=1.0, resolution=5)
    assert compared.difference == pytest.approx(0.25) and compared.first.outputs.shape == (5, 5)


@pytest.mark.parametrize("test_losses", [None, [1.0, 0.5]])
def test_loss_curves(test_losses):
    fig = plots.loss_curves([1.0, 0.5, 0.25, 0.2], test_losses)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == (1 if test_losses is None else 2)
    assert ax.get_yscale() == "log" and np.allclose(ax.get_lines()[0].get_ydata(), [1.0, 0.5, 0.25, 0.2])


# --- the fresh networks of notebook 00's experiments --------------------------------------------

def test_deep_network_is_seeded_and_has_the_requested_shape():
    a, b = training.deep_network(2, 5, "tanh", 0.3), training.deep_network(2, 5, "tanh", 0.3)
    assert len(a.layers) == 5 and a.sizes == [2, 16, 16, 16, 16, 1] and a.activation == "tanh"
    assert all(np.array_equal(p.value, q.value) for p, q in zip(a.parameters(), b.parameters()))
    assert np.std(a.layers[2].W.value) == pytest.approx(0.3, rel=0.2)


def test_relu_network_starts_with_the_given_bias():
    net = training.relu_network(2, -0.7)
    assert net.sizes == [2, 16, 16, 1] and net.activation == "ReLU"
    assert all(np.all(layer.b.value == -0.7) for layer in net.layers)


def test_one_sgd_step_moves_a_copy_downhill_and_leaves_the_network_alone():
    X, y = np.random.default_rng(0).normal(size=(10, 2)), np.random.default_rng(1).normal(size=(10, 1))
    net = MLP([2, 3, 1], rng=np.random.default_rng(1))
    before = [p.value.copy() for p in net.parameters()]
    stepped = training.one_sgd_step(net, X, y, lr=0.5)
    assert all(np.array_equal(p.value, b) for p, b in zip(net.parameters(), before))
    for p, b, q in zip(net.parameters(), before, stepped.parameters()):
        numeric = numerical_gradient(lambda _: mse(y, net(X)), p.value)
        assert np.allclose(q.value, b - 0.5 * numeric, atol=1e-7)


def test_unit_activity_and_the_dead_fractions_of_one_step():
    Z1 = np.array([[1.0, -1.0, 0.0], [-2.0, -1.0, 3.0]])  # unit 2 never fires
    Z2 = np.array([[0.5, -4.0], [0.2, -0.1]])               # unit 2 never fires
    activity = training.unit_activity([Z1, Z2])
    assert activity.fires.tolist() == [[True, False], [False, False], [False, True], [True, True],
                                       [False, False]]
    assert activity.dead.tolist() == [False, True, False, False, True] and activity.widths == [3, 2]
    assert training.dead_fractions([Z1, Z2]).tolist() == [1 / 3, 0.5]
    net = training.relu_network(2, 0.0, seed=3)
    X, y = np.random.default_rng(4).normal(size=(30, 2)), np.random.default_rng(5).normal(size=(30, 1))
    step = training.relus_after_step(net, X, y, 5.0)
    assert step.lr == 5.0 and step.dead_before.tolist() == dead_relu_fraction(net, X).tolist()
    after = training.one_sgd_step(net, X, y, 5.0)
    assert step.dead_after.tolist() == dead_relu_fraction(after, X).tolist()
    assert step.after.fires.shape == (32, 30)
