"""Notebook 05's computation and its claims: the playground's settings, data, features, network,
training with L2, pictures, and the collapse and matrix rules of the notebook's first half.

The numbers the notebook states in its text are asserted here, with the playground's own
settings (its seed 0) and, where a claim is about what usually happens, with other seeds too.
"""

import math

import numpy as np
import pytest

from lecture_utils.checks.nonlinearity import collapse_reference, stacked_linear_forward
from lecture_utils.data import make_toy
from lecture_utils.gradcheck import numerical_gradient, rel_error
from lecture_utils.lessons.playground import (
    FEATURES,
    LIMIT,
    SCALE,
    Evaluation,
    Playground,
    Settings,
    Split,
    diverged,
    feature_matrix,
    l2_penalty,
    layer_outputs,
    playground_data,
    playground_network,
    settings_from_code,
    training_loss,
)
from lecture_utils.nn import mse
from notebook_runs import run_notebook
from random_networks import random_linear_network

# --- settings and the line that recreates them -------------------------------------------------

def test_the_defaults_are_tensorflow_playgrounds():
    settings = Settings()
    assert (settings.problem, settings.dataset, settings.noise, settings.train_fraction) == ("classification",
                                                                                             "circle", 0.0, 0.5)
    assert settings.features == ("x1", "x2") and settings.hidden == (4, 2) and settings.activation == "tanh"
    assert (settings.lr, settings.batch_size, settings.regularisation, settings.rate) == (0.03, 10, "none", 0.0)
    assert not settings.show_test and not settings.discretise


OTHER = dict(problem="regression", dataset="multigauss", noise=0.25, train_fraction=0.3, batch_size=7,
             features=["sin(x2)", "x1", "x1*x2"], hidden=[8, 1, 3], activation="ReLU", lr=0.1,
             regularisation="L2", rate=0.003, show_test=True, discretise=True, seed=12)


def test_the_settings_line_names_every_setting_as_python():
    line = Settings(**OTHER).code()
    assert line == ('widgets.playground(problem="regression", dataset="multigauss", noise=0.25, '
                    'train_fraction=0.3, batch_size=7, features=["x1", "x1*x2", "sin(x2)"], hidden=[8, 1, 3], '
                    'activation="ReLU", lr=0.1, regularisation="L2", rate=0.003, show_test=True, discretise=True, '
                    'seed=12)')  # the features in the panel's order


@pytest.mark.parametrize("settings", [Settings(), Settings(**OTHER), Settings(hidden=[], features=["x1^2"]),
                                      Settings(dataset="spiral", hidden=[8] * 6, noise=0.5)])
def test_the_settings_line_round_trips(settings):
    assert settings_from_code(settings.code()) == settings


def test_the_problem_follows_from_the_data_set():
    assert Settings(dataset="plane").problem == "regression"
    with pytest.raises(ValueError, match="'plane' is a regression problem, not classification: its data sets "
                                         "are circle, xor, gauss, spiral"):
        Settings(problem="classification", dataset="plane")


@pytest.mark.parametrize("changes, message", [
    (dict(dataset="donut"), "unknown dataset 'donut'; choose one of circle, xor"),
    (dict(features=[]), "choose at least one feature"),
    (dict(features="x1"), r"features is a list of names, e.g. \['x1'\]"),
    (dict(features=["x3"]), "unknown feature 'x3'; choose one of x1, x2, x1\\^2"),
    (dict(features=["x1", "x1"]), "each feature once"),
    (dict(hidden=[4] * 7), "at most 6 hidden layers; got 7"),
    (dict(hidden=[9]), "a hidden layer's size is a whole number from 1 to 8; got 9"),
    (dict(hidden=[0]), "from 1 to 8; got 0"),
    (dict(hidden=4), r"hidden is a list of layer sizes, e.g. \[4\]"),
    (dict(lr=0.05), "lr must be one of 0.0001, 0.001"),
    (dict(noise=0.9), "noise is a number from 0 to 0.5; got 0.9"),
    (dict(train_fraction=1.0), "train_fraction is a number from 0.1 to 0.9"),
    (dict(batch_size=2.5), "batch_size is a whole number from 1 to 50"),
    (dict(activation="elu"), "unknown activation 'elu'"),
    (dict(regularisation="L1"), "unknown regularisation 'L1'; choose one of none, L2"),
    (dict(show_test="yes"), "show_test is True or False"),
])
def test_bad_settings_get_a_clear_message(changes, message):
    with pytest.raises(ValueError, match=message):
        Settings(**changes)


@pytest.mark.parametrize("line, message", [
    ("widgets.playground(dataset='circle'", "not a line of Python"),
    ("print('hello')", "expected a call like widgets.playground"),
    ("widgets.playground('circle')", "name every setting"),
    ("widgets.playground(depth=3)", "unknown setting 'depth'"),
    ("widgets.playground(hidden=[4] * 2)", "hidden= must be a plain value"),
])
def test_a_line_that_is_not_a_settings_line_gets_a_clear_message(line, message):
    with pytest.raises(ValueError, match=message):
        settings_from_code(line)


def test_slider_rounding_does_not_reach_the_settings_line():
    settings = Settings(train_fraction=0.1 + 0.2, noise=0.15000000000000002)
    assert settings.train_fraction == 0.3 and "train_fraction=0.3," in settings.code()
    assert "noise=0.15," in settings.code()


# --- data and features -------------------------------------------------------------------------

def test_the_features_of_a_point():
    X = np.array([[2.0, -1.0], [0.5, 3.0]])
    F = feature_matrix(X, tuple(FEATURES))
    assert F.shape == (2, 7)
    assert np.allclose(F[0], [2.0, -1.0, 4.0, 1.0, -2.0, math.sin(2.0), math.sin(-1.0)])
    assert np.allclose(F[1], [0.5, 3.0, 0.25, 9.0, 1.5, math.sin(0.5), math.sin(3.0)])
    assert np.array_equal(feature_matrix(X, ("x1*x2", "x1")), F[:, [4, 0]])
    assert [label for label, _ in FEATURES.values()] == ["x⁽¹⁾", "x⁽²⁾", "(x⁽¹⁾)²", "(x⁽²⁾)²", "x⁽¹⁾x⁽²⁾",
                                                          "sin x⁽¹⁾", "sin x⁽²⁾"]


def test_the_data_are_the_toy_sets_scaled_to_the_plane_and_split():
    split = playground_data(Settings(dataset="xor", train_fraction=0.3), n=200)
    assert isinstance(split, Split)
    assert split.X_train.shape == (60, 2) and split.X_test.shape == (140, 2)
    assert set(np.unique(np.vstack([split.y_train, split.y_test]))) == {0.0, 1.0}
    X, y = make_toy("xor", n=200, rng=np.random.default_rng(0))
    everything = np.vstack([split.X_train, split.X_test])
    assert np.allclose(np.sort(everything, axis=0), np.sort(SCALE * X, axis=0))
    assert np.abs(everything).max() <= LIMIT  # on the plane the pictures show
    again = playground_data(Settings(dataset="xor", train_fraction=0.3), n=200)
    assert all(np.array_equal(a, b) for a, b in zip(split, again))
    noisy = playground_data(Settings(dataset="xor", train_fraction=0.3, noise=0.2), n=200)
    assert not np.allclose(noisy.X_train, split.X_train)


@pytest.mark.parametrize("dataset", ["plane", "multigauss"])
def test_the_regression_sets_have_targets_from_minus_one_to_one(dataset):
    split = playground_data(Settings(dataset=dataset))
    targets = np.vstack([split.y_train, split.y_test])
    assert targets.min() >= -1 and targets.max() <= 1 and len(np.unique(targets)) > 100
    if dataset == "plane":
        assert np.allclose(split.y_train.ravel(), split.X_train.sum(axis=1) / (2 * SCALE))


# --- the network, its layers and L2 ----------------------------------------------------------------

def test_the_network_has_a_layer_per_size_and_starts_from_its_seed():
    net = playground_network(Settings(features=["x1", "x2", "x1^2"], hidden=[5, 3, 2], activation="ReLU"))
    assert [layer.W.shape for layer in net.layers] == [(3, 5), (5, 3), (3, 2), (2, 1)]
    linear_model = playground_network(Settings(hidden=[]))
    assert [layer.W.shape for layer in linear_model.layers] == [(2, 1)]
    first, again = playground_network(Settings(seed=3)), playground_network(Settings(seed=3))
    assert np.array_equal(first.layers[0].W.value, again.layers[0].W.value)
    assert not np.array_equal(first.layers[0].W.value, playground_network(Settings(seed=4)).layers[0].W.value)


@pytest.mark.parametrize("activation, low, high", [("tanh", -1, 1), ("ReLU", 0, np.inf), ("sigmoid", 0, 1)])
def test_layer_outputs_are_every_layers_output_after_its_activation(activation, low, high):
    net = playground_network(Settings(hidden=[6, 4], activation=activation))
    F = np.random.default_rng(0).uniform(-3, 3, (50, 2))
    H1, H2, y_hat = layer_outputs(net, F)
    assert H1.shape == (50, 6) and H2.shape == (50, 4) and y_hat.shape == (50, 1)
    assert np.allclose(y_hat, net(F).value)
    assert H1.min() >= low and H1.max() <= high and H2.min() >= low and H2.max() <= high
    W1, b1 = net.layers[0].W.value, net.layers[0].b.value
    Z1 = F @ W1 + b1
    expected = {"tanh": np.tanh(Z1), "ReLU": np.maximum(Z1, 0), "sigmoid": 1 / (1 + np.exp(-Z1))}[activation]
    assert np.allclose(H1, expected)


def test_the_l2_penalty_is_the_sum_of_the_squared_weights_and_its_gradient_is_2w():
    net = playground_network(Settings(hidden=[3]))
    net.layers[0].W.value[:] = [[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]]
    net.layers[1].W.value[:] = [[2.0], [-1.0], [0.25]]
    net.layers[1].b.value[:] = 5.0  # biases are not penalised
    penalty = l2_penalty(net)
    assert penalty.shape == (1, 1) and penalty.value.item() == pytest.approx(1 + 4 + 0.25 + 9 + 1 + 4 + 1 + 0.0625)
    penalty.backward()
    for layer in net.layers:
        assert np.allclose(layer.W.grad, 2 * layer.W.value)
        assert layer.b.grad is None or not np.any(layer.b.grad)


def test_training_with_l2_follows_the_gradient_of_mse_plus_lambda_times_the_penalty():
    net = playground_network(Settings(hidden=[4]))
    F, y = np.random.default_rng(1).normal(size=(20, 2)), np.random.default_rng(2).normal(size=(20, 1))
    loss_fn = training_loss(net, "L2", 0.1)
    loss_fn(y, net(F)).backward()
    W = net.layers[0].W

    def loss_value():
        return mse(y, net(F)).value.item() + 0.1 * sum(np.sum(layer.W.value ** 2) for layer in net.layers)

    assert rel_error(W.grad, numerical_gradient(lambda _: loss_value(), W.value)) < 1e-6
    assert training_loss(net, "none", 0.1) is mse and training_loss(net, "L2", 0.0) is mse


# --- the state: what a change of each setting does -------------------------------------------------

@pytest.mark.parametrize("changes, new_data, new_network", [
    (dict(dataset="xor"), True, True), (dict(noise=0.1), True, True), (dict(train_fraction=0.7), True, True),
    (dict(features=["x1", "x2", "x1^2"]), False, True), (dict(hidden=[4]), False, True),
    (dict(activation="ReLU"), False, True), (dict(seed=5), False, True),
    (dict(lr=0.1), False, False), (dict(batch_size=3), False, False), (dict(regularisation="L2"), False, False),
    (dict(rate=0.01), False, False), (dict(show_test=True), False, False), (dict(discretise=True), False, False),
])
def test_a_change_of_the_data_or_the_network_starts_afresh_and_others_keep_training(changes, new_data,
                                                                                  new_network):
    state = Playground()
    state.train(20)
    split, net = state.split, state.net
    assert state.apply(state.settings.replace(**changes)) == new_network
    assert (state.split is not split) == new_data
    assert (state.net is not net) == new_network
    assert state.step == (0 if new_network else 20)
    assert state.settings == Settings().replace(**changes)


def test_training_records_the_loss_on_all_points_after_each_call():
    state = Playground(Settings(dataset="gauss"))
    assert state.step == 0 and len(state.record) == 1  # ℒ at the start
    for _ in range(3):
        assert state.train(10) == 10
    steps, train_losses, test_losses = state.record.T
    assert list(steps) == [0, 10, 20, 30]
    F = feature_matrix(state.split.X_test, state.settings.features)
    assert test_losses[-1] == pytest.approx(float(np.mean((state.net(F).value - state.split.y_test) ** 2)))
    assert train_losses[-1] < train_losses[0]
    evaluation = state.evaluation()
    assert isinstance(evaluation, Evaluation) and evaluation.train_loss == train_losses[-1]
    predicted = state.net(F).value > 0.5
    assert evaluation.test_accuracy == pytest.approx(np.mean(predicted == (state.split.y_test > 0.5)))


def test_regression_has_no_accuracy():
    state = Playground(Settings(dataset="plane"))
    state.train(10)
    assert state.evaluation().train_accuracy is None and state.evaluation().test_accuracy is None


def test_the_record_grows_without_limit_and_what_was_handed_out_stays():
    state = Playground(Settings(hidden=[2]))
    early = state.record
    for _ in range(600):
        state.train(1)
    assert state.record.shape == (601, 3) and list(state.record[:3, 0]) == [0, 1, 2]
    assert early.shape == (1, 3) and early[0, 0] == 0 and np.array_equal(early, state.record[:1])


def test_the_same_settings_always_train_the_same_way():
    runs = []
    for _ in range(2):
        state = Playground(Settings(batch_size=5))
        state.train(50)
        runs.append(state.record)
    assert np.array_equal(runs[0], runs[1])


def test_reset_takes_the_next_seed_on_the_same_points():
    state = Playground()
    state.train(10)
    split, weights = state.split, state.net.layers[0].W.value.copy()
    state.reset()
    assert state.settings.seed == 1 and state.split is split and state.step == 0
    assert not np.allclose(state.net.layers[0].W.value, weights)


def test_a_diverged_network_trains_no_further():
    state = Playground(Settings(lr=3.0))
    while not state.diverged and state.step < 20:
        state.train(1)
    assert state.diverged and state.step < 20  # "ℒ blows up after a few steps"
    assert state.train(10) == 0 and diverged(state.record[-1, 1])
    assert diverged(float("inf")) and diverged(float("nan")) and diverged(1e7) and not diverged(0.25)


# --- the pictures' numbers ----------------------------------------------------------------------

def test_the_view_has_every_picture_over_the_plane():
    state = Playground(Settings(features=["x1", "x1^2"], hidden=[3, 2]))
    state.train(5)
    view = state.view(resolution=20)
    grid = view.coordinates
    assert grid.shape == (20,) and grid[0] == -LIMIT and grid[-1] == LIMIT
    assert view.feature_pictures.shape == (7, 20, 20)
    assert np.allclose(view.feature_pictures[0], grid[None, :])   # x⁽¹⁾ grows along a row ...
    assert np.allclose(view.feature_pictures[1], grid[:, None])   # ... x⁽²⁾ from the first row up
    assert np.allclose(view.feature_pictures[2], grid[None, :] ** 2)
    assert [p.shape for p in view.neuron_pictures] == [(3, 20, 20), (2, 20, 20)]
    point = np.array([[grid[4], grid[7]]])  # the picture's row 7, column 4
    F = feature_matrix(point, ("x1", "x1^2"))
    assert view.output_picture[7, 4] == pytest.approx(state.net(F).value.item())
    W1, b1 = state.net.layers[0].W.value, state.net.layers[0].b.value
    assert np.allclose(view.neuron_pictures[0][:, 7, 4], np.tanh(F @ W1 + b1).ravel())
    assert [W.shape for W in view.weights] == [(2, 3), (3, 2), (2, 1)]
    assert view.step == 5 and list(view.steps) == [0, 5]
    assert view.value_range == (0.0, 1.0)


def test_the_view_is_a_snapshot_and_a_step_changes_the_pictures():
    state = Playground()
    before = state.view()
    weights = before.weights[0].copy()
    state.train(1)
    after = state.view()
    assert np.array_equal(before.weights[0], weights)  # training did not change the old view
    assert not np.allclose(before.output_picture, after.output_picture)
    assert not np.allclose(before.neuron_pictures[0], after.neuron_pictures[0])


# --- the notebook's claims about the playground -------------------------------------------------

def accuracy_after(steps, seed=0, **settings):
    """The test accuracy after `steps` steps with these settings (the playground's seed 0 unless given)."""
    state = Playground(Settings(seed=seed, **settings))
    state.train(steps)
    return state.evaluation().test_accuracy


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_linear_model_cannot_separate_the_circle_but_with_the_squared_features_it_can(seed):
    assert accuracy_after(1000, seed, hidden=[]) <= 0.6  # "near 50%"
    assert accuracy_after(300, seed, hidden=[], features=["x1^2", "x2^2"]) >= 0.95  # "a few hundred steps"


@pytest.mark.parametrize("seed, separated", [(0, 0.95), (1, 0.95), (2, 0.9)])  # seed 0: as the playground starts
def test_the_playgrounds_two_tanh_layers_separate_the_circle_and_without_activation_they_cannot(seed, separated):
    assert accuracy_after(1000, seed) >= separated
    assert accuracy_after(1000, seed, activation="linear") <= 0.6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xor_needs_only_x1_x2_and_not_the_coordinates(seed):
    assert accuracy_after(1000, seed, dataset="xor", hidden=[], features=["x1*x2"]) >= 0.9
    assert accuracy_after(1000, seed, dataset="xor", hidden=[]) <= 0.7


def test_the_spiral_needs_depth():
    for seed in (0, 1, 2):
        assert accuracy_after(5000, seed, dataset="spiral", hidden=[8]) < 0.7
        assert accuracy_after(5000, seed, dataset="spiral", hidden=[8] * 4, activation="ReLU") > 0.8


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_sines_help_the_spiral_most(seed):
    assert accuracy_after(3000, seed, dataset="spiral", hidden=[8, 8],
                         features=["x1", "x2", "sin(x1)", "sin(x2)"]) > 0.9


def weights_squared(state):
    return sum(float(np.sum(W ** 2)) for W in state.view().weights)


@pytest.mark.parametrize("large_rate", [0.03, 0.1, 1.0])
def test_l2_keeps_the_weights_small_and_a_large_rate_flattens_y_hat(large_rate):
    plain, small, large = (Playground(Settings(regularisation=regularisation, rate=rate))
                           for regularisation, rate in [("none", 0.0), ("L2", 0.01), ("L2", large_rate)])
    for state in (plain, small, large):
        state.train(1000)
    assert 0.55 < weights_squared(small) / weights_squared(plain) < 0.8  # "about a third less"
    assert small.evaluation().test_accuracy >= 0.95  # "still separated"
    assert weights_squared(large) < 0.15 * weights_squared(plain)
    output = large.view().output_picture
    assert output.max() - output.min() < 0.2 and large.evaluation().test_accuracy <= 0.6  # "nothing is learnt"


def test_batches_of_one_point_make_the_loss_curve_noisier_than_batches_of_50():
    jitter = {}
    for batch_size in (1, 50):
        state = Playground(Settings(batch_size=batch_size))
        for _ in range(300):
            state.train(1)
        train_losses = state.record[:, 1]
        jitter[batch_size] = np.std(np.diff(np.log(train_losses)))
    assert jitter[1] > 3 * jitter[50]


def test_few_noisy_training_points_are_learnt_by_heart():
    state = Playground(Settings(noise=0.5, train_fraction=0.1, hidden=[8, 8]))
    assert len(state.split.X_train) == 50
    for _ in range(500):
        state.train(10)
    steps, train, test = state.record.T
    assert train[-1] < 0.8 * train[steps == 500][0]   # the training ℒ keeps falling ...
    assert test[-1] > 1.3 * test.min()                # ... the test ℒ does not


def test_the_notebooks_experiments_without_the_panel():
    namespace = run_notebook("05_linear_layers_not_enough")
    accuracy = {name: result.test_accuracy for name, result in namespace["results"].items()}
    linear, squares, tanh, none = accuracy.values()
    assert list(accuracy) == ["linear model, x⁽¹⁾ and x⁽²⁾", "linear model, (x⁽¹⁾)² and (x⁽²⁾)²",
                              "4 → 2 tanh, x⁽¹⁾ and x⁽²⁾", "4 → 2 linear (none), x⁽¹⁾ and x⁽²⁾"]
    assert linear <= 0.6 and none <= 0.6  # "near 50%"
    assert squares >= 0.95 and tanh >= 0.95  # "95% or more"
    relu, a, b = namespace["relu"], namespace["a"], namespace["b"]   # "ReLU is not additive", for a = 2 and b = −3
    assert (a.item(), b.item()) == (2.0, -3.0) and relu(a + b).item() == 0.0 and (relu(a) + relu(b)).item() == 2.0


# --- the notebook's first half: the collapse and the matrix rules ----------------------------------

@pytest.mark.parametrize("sizes", [[2, 5, 4, 1], [2, 1], [2, 6, 1], [2, 6, 6, 6, 6, 1], [2] + [6] * 9 + [1]])
def test_stacked_linear_layers_equal_one_projection_up_to_rounding(sizes):
    for seed in range(10):
        rng = np.random.default_rng(seed)
        net = random_linear_network(sizes, rng)
        X = rng.uniform(-1, 1, (200, 2))
        Ws, bs = [layer.W.value for layer in net.layers], [layer.b.value for layer in net.layers]
        Q, U = collapse_reference(Ws, bs)
        assert Q.shape == (2, 1) and U.shape == (1, 1)
        assert np.abs(net(X).value - (X @ Q + U)).max() < 1e-12  # "far below 10⁻¹²"
        assert np.abs(stacked_linear_forward(X, Ws, bs) - net(X).value).max() < 1e-12


def test_the_matrix_product_is_associative_and_distributive_but_not_commutative():
    rng = np.random.default_rng(0)
    for _ in range(200):
        A, B = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
        assert np.abs(A @ B - B @ A).max() > 0.05  # "different matrices"
        A, B, B2, C = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(4, 1))
        assert np.abs((A @ B) @ C - A @ (B @ C)).max() < 1e-12
        assert np.abs(A @ (B + B2) - (A @ B + A @ B2)).max() < 1e-12
        assert np.abs((B + B2) @ C - (B @ C + B2 @ C)).max() < 1e-12
