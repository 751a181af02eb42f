"""What the text of notebooks 00 and 09 says about their numbers, checked on the notebooks' own runs.

Each notebook's code cells run here, in order, in one namespace (as "Run All" would),
and the claims its markdown makes are asserted on the values it computed.
"""

import numpy as np
import pytest

from lecture_utils import plots
from lecture_utils.diagnostics import dead_relu_fraction, hidden_preactivations, layer_gradient_norms
from notebook_runs import run_notebook


@pytest.fixture(scope="module")
def introduction():
    return run_notebook("00_introduction")


@pytest.fixture(scope="module")
def live_coding():
    return run_notebook("09_live_coding")


# --- 00 --------------------------------------------------------------------------------------------

def test_00_the_neuron_example(introduction):
    assert introduction["y_hat"].ravel().tolist() == [0.0, 0.0, 2.0]


def test_00_the_sigmoid_slope_is_at_most_a_quarter_at_zero(introduction):
    a, slopes = introduction["a"], introduction["slopes"]
    assert slopes.max() == pytest.approx(0.25) and a[np.argmax(slopes)] == pytest.approx(0.0)
    assert 4.0**10 == pytest.approx(1e6, rel=0.05)  # "a factor of 4¹⁰ ≈ 10⁶"


def gradient_line(X, y, depth, activation, scale):
    return plots.vanishing_gradients(X, y, depth, activation, scale).axes[0].get_lines()[0].get_ydata()


def test_00_the_vanishing_gradient_panel_does_what_the_text_says(introduction):
    X, y = introduction["X"], introduction["y"]
    sigmoid = gradient_line(X, y, 10, "sigmoid", 0.5)
    assert sigmoid[0] / sigmoid[-1] < 1e-4
    deeper = gradient_line(X, y, 20, "sigmoid", 0.5)
    assert deeper[0] / deeper[-1] < sigmoid[0] / sigmoid[-1]
    for activation, scale in [("tanh", 0.25), ("relu", 0.35)]:
        level = gradient_line(X, y, 10, activation, scale)
        assert level.max() / level.min() < 10
    assert gradient_line(X, y, 10, "relu", 1.0).min() > 1e6
    assert gradient_line(X, y, 10, "tanh", 0.1).max() < 1e-4


def test_00_the_dead_relu_panel_does_what_the_text_says(introduction):
    X, y = introduction["X"], introduction["y"]

    def before_after(bias_init, lr):
        heights = [p.get_height() for p in plots.dead_relu_demo(X, y, bias_init, lr).axes[1].patches]
        return heights[:2], heights[2:]

    assert before_after(0.0, 0.01) == ([0, 0], [0, 0])
    before, after = before_after(0.0, 10.0)
    assert before == [0, 0] and min(after) >= 0.25
    before, _ = before_after(-1.0, 0.01)
    assert before[1] == 1.0 and np.mean(before) > 0.5


# --- 09 --------------------------------------------------------------------------------------------

def test_09_raw_numbers_give_a_huge_loss_and_lopsided_gradients(live_coding):
    ns = live_coding  # the notebook's first try again, on fresh parameters drawn the same way
    params = ns["init_params"](4, 16)
    loss = ns["mse"](ns["forward"](ns["X_train_raw"], *params), ns["y_train_raw"])
    loss.backward()
    assert 1e4 <= loss.value.item() < 1e6  # "tens of thousands"
    rows = np.linalg.norm(params[0].grad, axis=1)
    assert rows[0] / rows[1] > 100  # square feet vs bedrooms: "hundreds of times larger"


def test_09_the_standardised_data(live_coding):
    assert np.allclose(live_coding["X_train"].mean(axis=0), 0) and np.allclose(live_coding["X_train"].std(axis=0), 1)
    assert live_coding["y_train"].std() == pytest.approx(1)


def test_09_sanity_checks(live_coding):
    ns = live_coding
    set_params = ns["init_params"](4, 16)
    first = ns["mse"](ns["forward"](ns["X_train"], *set_params), ns["y_train"]).value.item()
    assert abs(first - 1) < 0.05  # "within a few percent of 1"
    assert all(check.ok for check in ns["checks"])  # the gradient check before training
    assert ns["tiny_losses"][-1] < 1e-3 < ns["tiny_losses"][0]  # overfitting 8 rows


def test_09_the_training_loop_and_the_full_run(live_coding):
    ns = live_coding
    assert ns["test_losses"][-1] < 0.2 and ns["train_losses"][-1] < ns["train_losses"][0] / 5
    assert len(ns["train_losses"]) == 300 and ns["live_fit"].frames == 5  # redrawn at 1, 75, ..., 300
    assert ns["test_loss"] < 0.2  # "a held-out ℒ below 0.2 on the apartments"
    typical_error = np.sqrt(ns["test_loss"]) * ns["y_std"]
    assert 28 < typical_error < 40  # the data's noise is 35 k$


def test_09_break_it(live_coding):
    ns = live_coding
    healthy = ns["healthy"]
    assert not np.all(np.isfinite(ns["too_high"]))  # η = 0.6 diverges
    assert ns["stuck"][0] == pytest.approx(ns["stuck"][-1], abs=1e-12) and not ns["zeros"][0].value.any()
    same = ns["same"][0].value
    assert np.allclose(same, same[:, :1])  # sixteen identical hidden units
    assert ns["same_losses"][-1] < 0.5 * ns["same_losses"][0]  # the loss still falls
    swings = ns["never_zeroed"]
    assert min(swings[:10]) < swings[0]  # falls at first ...
    direction_changes = np.sum(np.diff(np.sign(np.diff(swings[-100:]))) != 0)
    assert direction_changes > 20 and swings[-1] > 1.2 * healthy[-1]  # ... then swings, never settles
    assert np.all(ns["Z"] <= 0, axis=0).sum() >= 9  # most hidden units dead from the start
    assert ns["dead_losses"][-1] > 3 * healthy[-1]  # ℒ stalls far above the healthy run


def test_09_the_classifier(live_coding):
    ns = live_coding
    net, X, y = ns["net"], ns["X_toy_train"], ns["y_toy_train"]
    assert ns["test_accuracy"] >= 0.95
    assert ns["live_boundary"].frames == 5  # redrawn at 1, 100, ..., 400
    assert abs(ns["toy_train_losses"][0] - np.mean(y**2)) < 0.05  # after shrinking W3: ℒ ≈ mean(y²)


def test_09_back_to_the_introduction(live_coding):
    ns = live_coding
    net, X, y = ns["net"], ns["X_toy_train"], ns["y_toy_train"]
    norms = layer_gradient_norms(net, X, y)
    assert norms.max() / norms.min() < 100  # "within a factor of 100 of each other"
    before = sum(np.all(Z <= 0, axis=0).sum() for Z in hidden_preactivations(net, X))
    after_step = plots.one_sgd_step(net, X, y, 50.0)
    after = sum(np.all(Z <= 0, axis=0).sum() for Z in hidden_preactivations(after_step, X))
    assert after - before >= 2  # "several units ... die at once"
    assert dead_relu_fraction(net, X).max() < 0.5  # the trained network keeps most of its units
