"""Notebook 05's computation and its claims: the playground's training, the collapse, the matrix rules.

The numbers the notebook states in its text are asserted here, with the notebook's
settings and seeds where it prints them.
"""

import numpy as np
import pytest

from lecture_utils import MLP, widgets
from lecture_utils.checks.nonlinearity import collapse_reference, stacked_linear_forward
from lecture_utils.playground import (Evaluation, Split, diverged, evaluate, layer_sizes, playground_data,
                                      playground_network, train_steps)
from lecture_utils.widgets.nonlinearity import Playground

# --- pure functions -------------------------------------------------------------------------


def test_playground_data_is_a_seeded_split_of_a_toy_set():
    split = playground_data("xor", noise=0.1, test_fraction=0.25, n=80, seed=4)
    assert isinstance(split, Split)
    assert split.X_train.shape == (60, 2) and split.y_train.shape == (60, 1)
    assert split.X_test.shape == (20, 2) and split.y_test.shape == (20, 1)
    assert set(np.unique(np.vstack([split.y_train, split.y_test]))) == {0.0, 1.0}
    again = playground_data("xor", noise=0.1, test_fraction=0.25, n=80, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(split, again))
    other = playground_data("xor", noise=0.1, test_fraction=0.25, n=80, seed=5)
    assert not np.array_equal(split.X_train, other.X_train)


@pytest.mark.parametrize("dataset", ["circle", "xor", "gauss", "spiral"])
def test_every_data_set_of_the_panel_can_be_made(dataset):
    split = playground_data(dataset, noise=0.0, seed=0)
    assert np.all(np.abs(split.X_train) <= 1.5)


def test_playground_network_has_the_chosen_shape_and_activation():
    assert layer_sizes(0, 5) == [2, 1] and layer_sizes(3, 4) == [2, 4, 4, 4, 1]
    net = playground_network(hidden_layers=3, neurons=4, activation="tanh", seed=0)
    assert [layer.W.shape for layer in net.layers] == [(2, 4), (4, 4), (4, 4), (4, 1)]
    assert net.activation == "tanh"
    same = playground_network(hidden_layers=3, neurons=4, activation="tanh", seed=0)
    assert np.array_equal(net.layers[0].W.value, same.layers[0].W.value)


def test_train_steps_records_the_loss_on_all_points_after_every_step():
    split = playground_data("gauss", seed=1)
    net = playground_network(1, 4, "relu", seed=1)
    train_losses, test_losses = train_steps(net, split, lr=0.1, steps=30, batch_size=10,
                                            rng=np.random.default_rng(0))
    assert len(train_losses) == len(test_losses) == 30
    mse_now = lambda X, y: float(np.mean((net(X).value - y) ** 2))  # noqa: E731
    assert train_losses[-1] == pytest.approx(mse_now(split.X_train, split.y_train))
    assert test_losses[-1] == pytest.approx(mse_now(split.X_test, split.y_test))
    assert train_losses[-1] < train_losses[0]


def test_train_steps_stops_when_the_loss_diverges():
    split = playground_data("circle", seed=0)
    net = playground_network(2, 8, "relu", seed=0)
    train_losses, test_losses = train_steps(net, split, lr=50.0, steps=100, batch_size=10,
                                            rng=np.random.default_rng(0))
    assert len(train_losses) < 100 and diverged(train_losses[-1])
    assert not any(diverged(loss) for loss in train_losses[:-1])


def test_diverged_means_infinite_nan_or_huge():
    assert diverged(float("inf")) and diverged(float("nan")) and diverged(1e7)
    assert not diverged(0.25) and not diverged(5e5)


def test_evaluate_gives_losses_and_accuracies():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [1.0]])
    net = MLP([2, 1], activation="linear", rng=np.random.default_rng(0))
    net.layers[0].W.value = np.array([[1.0], [1.0]])
    net.layers[0].b.value = np.array([[0.2]])  # outputs 0.2, 1.2, 1.2, 2.2: all on the right side
    result = evaluate(net, Split(X, y, X[:2], np.array([[1.0], [1.0]])))
    assert isinstance(result, Evaluation)
    assert result.train_accuracy == 1.0 and result.test_accuracy == 0.5
    assert result.train_loss == pytest.approx(np.mean([0.04, 0.04, 0.04, 1.44]))
    assert result.test_loss == pytest.approx(np.mean([0.64, 0.04]))


# --- the state object -----------------------------------------------------------------------

SETTINGS = dict(dataset="circle", noise=0.05, test_fraction=0.5, hidden_layers=2, neurons=8, activation="relu")


def test_playground_state_keeps_training_until_the_settings_change():
    state = Playground(seed=1)
    state.configure(**SETTINGS)
    state.train(lr=0.1, batch_size=10, steps=20)
    net = state.net
    state.configure(**SETTINGS)  # the same settings: keep going
    assert state.net is net and state.step == 20
    state.train(lr=0.3, batch_size=5, steps=20)
    assert state.step == 40 and len(state.test_losses) == 40
    state.configure(**{**SETTINGS, "neurons": 4})
    assert state.step == 0 and state.net is not net and state.net.sizes == [2, 4, 4, 1]


def test_the_same_settings_always_start_from_the_same_data_and_weights():
    runs = []
    for _ in range(2):
        state = Playground(seed=1)
        state.configure(**SETTINGS)
        state.train(lr=0.1, batch_size=10, steps=30)
        runs.append(state.train_losses)
    assert runs[0] == runs[1]
    state.configure(**{**SETTINGS, "activation": "tanh"})
    state.configure(**SETTINGS)  # back: the same start as before
    state.train(lr=0.1, batch_size=10, steps=30)
    assert state.train_losses == runs[0]


def test_reset_gives_other_weights_on_the_same_data():
    state = Playground(seed=1)
    state.configure(**SETTINGS)
    split, weights = state.split, state.net.layers[0].W.value.copy()
    state.train(lr=0.1, batch_size=10, steps=5)
    state.reset()
    assert state.split is split and state.step == 0
    assert not np.allclose(state.net.layers[0].W.value, weights)


def test_a_diverged_network_trains_no_further():
    state = Playground(seed=1)
    state.configure(**SETTINGS)
    state.train(lr=50.0, batch_size=10, steps=100)
    step = state.step
    assert step < 100 and diverged(state.train_losses[-1])
    state.train(lr=0.1, batch_size=10, steps=100)
    assert state.step == step


# --- the notebook's claims ------------------------------------------------------------------

def notebook_experiment(activation):
    """The cell after the playground: the panel's network on the circle, 1000 steps, η = 0.1, batches of 10."""
    split = playground_data("circle", noise=0.05, test_fraction=0.5, seed=1)
    net = playground_network(hidden_layers=2, neurons=8, activation=activation, seed=1)
    train_steps(net, split, lr=0.1, steps=1000, batch_size=10, rng=np.random.default_rng(1))
    return evaluate(net, split)


def test_relu_separates_the_circle_and_a_linear_network_cannot():
    assert notebook_experiment("relu").test_accuracy >= 0.95
    assert notebook_experiment("linear").test_accuracy <= 0.70


def test_the_linear_network_is_worse_than_always_answering_the_common_class():
    split = playground_data("circle", noise=0.05, test_fraction=0.5, seed=1)
    majority = max(split.y_test.mean(), 1 - split.y_test.mean())
    assert round(majority, 2) == 0.56                                       # "right for 56%"
    assert round(notebook_experiment("linear").test_accuracy, 2) == 0.33    # "here 33%"


@pytest.mark.parametrize("activation, reaches", [("relu", lambda a: a >= 0.95), ("linear", lambda a: a <= 0.70)])
def test_the_panel_reaches_the_same_with_ten_clicks(activation, reaches):
    panel = widgets.playground_panel(activation=activation)  # the notebook's panel, as it starts
    for _ in range(10):
        panel.train_button.click()
    assert panel.playground.step == 1000
    accuracy = panel.playground.evaluation().test_accuracy
    assert reaches(accuracy)
    assert f"test {accuracy:.0%}" in panel.axes[0].get_title()


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_relu_separates_the_circle_for_other_seeds_too(seed):
    split = playground_data("circle", noise=0.05, seed=seed)
    for activation, reaches in [("relu", lambda a: a >= 0.95), ("linear", lambda a: a <= 0.70)]:
        net = playground_network(2, 8, activation, seed=seed)
        train_steps(net, split, lr=0.1, steps=1000, batch_size=10, rng=np.random.default_rng(seed))
        assert reaches(evaluate(net, split).test_accuracy), (activation, seed)


def random_linear_network(sizes, rng):
    """As in the notebook: an MLP without activations, its biases made random too."""
    net = MLP(sizes, activation="linear", rng=rng)
    for layer in net.layers:
        layer.b.value = rng.normal(size=layer.b.shape)
    return net


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


def panel_state(**changes):
    """The panel's state object with the panel's default settings (and seed), as a learner starts."""
    state = Playground(seed=1)
    state.configure(**{**SETTINGS, **changes})
    return state


def test_a_large_learning_rate_diverges_and_a_tiny_one_is_slow():
    state = panel_state()
    state.train(lr=3.0, batch_size=10, steps=100)
    assert state.step < 100 and diverged(state.train_losses[-1])
    slow, fast = panel_state(), panel_state()
    slow.train(lr=0.001, batch_size=10, steps=1000)
    fast.train(lr=0.1, batch_size=10, steps=1000)
    assert slow.train_losses[-1] < slow.train_losses[0]  # it does creep down ...
    assert slow.evaluation().test_accuracy < 0.8 <= 0.95 <= fast.evaluation().test_accuracy  # ... slowly


def test_batches_of_one_point_make_the_loss_curve_noisier_than_batches_of_100():
    jitter = {}
    for batch_size in (1, 100):
        state = panel_state()
        state.train(lr=0.1, batch_size=batch_size, steps=300)
        jitter[batch_size] = np.std(np.diff(np.log(state.train_losses)))
    assert jitter[1] > 3 * jitter[100]


def test_few_noisy_training_points_are_learnt_by_heart():
    """Noise 0.3 and test fraction 0.9: the training loss keeps falling, the test loss does not."""
    state = panel_state(noise=0.3, test_fraction=0.9)
    assert len(state.split.X_train) == 20
    state.train(lr=0.1, batch_size=10, steps=2000)
    train, test = np.array(state.train_losses), np.array(state.test_losses)
    assert train[-1] < 0.1 * train[99]
    assert test[-1] > 1.2 * test.min()


def test_relu_closes_the_circle_within_a_few_hundred_steps():
    state = panel_state()
    state.train(lr=0.1, batch_size=10, steps=300)
    assert state.evaluation().test_accuracy >= 0.95


def test_the_spiral_needs_deeper_networks_and_a_few_thousand_steps():
    state = panel_state(dataset="spiral", hidden_layers=3)
    state.train(lr=0.1, batch_size=10, steps=1000)
    assert state.evaluation().test_accuracy < 0.8  # not yet after 1000 steps ...
    state.train(lr=0.1, batch_size=10, steps=2000)
    assert state.evaluation().test_accuracy >= 0.85  # ... about 90% after 3000


def accuracies_every_100_steps(steps, **changes):
    state = panel_state(**changes)
    accuracies = []
    for _ in range(steps // 100):
        state.train(lr=0.1, batch_size=10, steps=100)
        accuracies.append(state.evaluation().test_accuracy)
    return accuracies


def test_relu_learns_fastest_then_tanh_and_sigmoid_hardly_at_all():
    relu = accuracies_every_100_steps(300, activation="relu")
    tanh = accuracies_every_100_steps(300, activation="tanh")
    assert relu[1] >= 0.97 and tanh[1] < relu[1]         # "about 98% after 200 steps"
    assert tanh[2] >= 0.95                                # "about 96% after 300 steps"
    sigmoid = accuracies_every_100_steps(1000, activation="sigmoid")
    assert max(sigmoid) < 0.75                            # "hardly learned anything after 1000 steps"


@pytest.mark.parametrize("neurons, reaches", [(1, lambda a: a <= 0.75), (2, lambda a: a <= 0.75),
                                              (3, lambda a: a <= 0.75), (4, lambda a: a >= 0.9)])
def test_xor_with_one_hidden_layer_needs_about_four_neurons(neurons, reaches):
    state = panel_state(dataset="xor", hidden_layers=1, neurons=neurons)
    state.train(lr=0.1, batch_size=10, steps=2000)
    assert reaches(state.evaluation().test_accuracy)
