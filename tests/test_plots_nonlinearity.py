"""Pictures and panels of notebook 05, drawn with representative arguments and read back."""

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet

from figures import changed_axes, snapshot
from lecture_utils import MLP, plots, widgets
from lecture_utils.checks.nonlinearity import collapse_reference
from lecture_utils.playground import Split, playground_data, playground_network
from lecture_utils.plots.style import Figure

FORMULAS = {  # written out here, independently of the package's ops
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "linear": lambda z: z,
}


def cell_numbers(ax):
    """The numbers written in a matrix's cells, row by row."""
    return [float(t.get_text().replace("−", "-")) for t in ax.texts]


def contours_at(ax, level):
    return [c for c in ax.collections if isinstance(c, ContourSet) and list(c.levels) == [level]]


# --- activations ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["relu", "tanh", "sigmoid", "linear"])
def test_activate_applies_the_function_to_every_entry(name):
    Z = np.array([[-2.0, -0.5, 0.0], [0.3, 1.0, 4.0]])
    H = plots.activate(Z, name)
    assert H.shape == Z.shape and np.allclose(H, FORMULAS[name](Z))
    assert not np.shares_memory(H, Z)


def test_activation_functions_draws_each_curve_in_its_own_style():
    fig = plots.activation_functions()
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    curves = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    assert set(curves) == {"ReLU", "tanh", "sigmoid", "linear (none)"}
    for name, label in plots.ACTIVATION_LABELS.items():
        z, f = curves[label].get_data()
        assert np.allclose(f, FORMULAS[name](z))
    assert len({line.get_linestyle() for line in curves.values()}) == 4  # apart without colour, too
    assert ax.get_xlabel() == "z" and ax.get_ylabel() == "f(z)"


@pytest.mark.parametrize("name", ["relu", "sigmoid"])
def test_elementwise_activation_shows_Z_its_entries_on_the_curve_and_f_of_Z(name):
    Z = np.array([[-1.5, 0.25, 2.0, -0.75], [0.5, -2.5, 1.25, 0.0], [3.0, -0.1, 0.6, -1.0]])
    fig = plots.elementwise_activation(Z, name)
    left, middle, right = fig.axes
    assert np.allclose(cell_numbers(left), Z.ravel(), atol=0.005)
    assert np.allclose(cell_numbers(right), FORMULAS[name](Z).ravel(), atol=0.005)
    points = middle.collections[0].get_offsets()
    assert np.allclose(points, np.column_stack([Z.ravel(), FORMULAS[name](Z).ravel()]))
    assert "[3×4]" in left.get_title() and "[3×4]" in right.get_title()
    assert plots.ACTIVATION_LABELS[name] in right.get_title()
    assert np.allclose(right.images[0].get_array(), FORMULAS[name](Z))
    assert right.images[0].get_clim() == left.images[0].get_clim()  # one colour scale for Z and f(Z)


def test_activation_panel_redraws_the_curve_and_f_of_Z_but_keeps_Z():
    Z = np.random.default_rng(1).normal(size=(3, 5))
    panel = widgets.activation_panel(Z)
    before, png = snapshot(panel.figure), panel.image.value
    panel.controls["activation"].value = "tanh"
    after = snapshot(panel.figure)
    assert changed_axes(before, after) == [1, 2] and panel.image.value != png
    assert np.allclose(cell_numbers(panel.axes[2]), np.tanh(Z).ravel(), atol=0.005)
    panel.controls["activation"].value = "tanh"  # the same value: nothing to redraw
    assert snapshot(panel.figure) == after


# --- the collapse -------------------------------------------------------------------------

def random_linear_network(sizes, seed):
    net = MLP(sizes, activation="linear", rng=np.random.default_rng(seed))
    rng = np.random.default_rng(seed + 100)
    for layer in net.layers:
        layer.b.value = rng.normal(size=layer.b.shape)
    return net


def straight(vertices):
    """True if the points lie on one straight line."""
    centred = vertices - vertices.mean(axis=0)
    return np.linalg.svd(centred, compute_uv=False)[-1] < 1e-9 * max(1.0, len(vertices))


def test_collapse_comparison_shows_the_same_straight_boundary_twice():
    X, y = playground_data("circle", seed=3).X_train, playground_data("circle", seed=3).y_train
    for seed in range(20):  # a network whose boundary crosses the picture
        net = random_linear_network([2, 5, 4, 1], seed)
        Q, U = collapse_reference([layer.W.value for layer in net.layers], [layer.b.value for layer in net.layers])
        fig = plots.collapse_comparison(lambda P: net(P).value, lambda P: P @ Q + U, X, y, depth=3)
        boundaries = [contours_at(ax, 0.5) for ax in fig.axes]
        if all(boundaries):
            break
    left, right = (b[0].get_paths()[0].vertices for b in boundaries)
    assert len(left) >= 2 and np.allclose(left, right) and straight(left)
    assert fig.axes[0].get_title() == "3 stacked linear layers: H₃"
    difference = float(fig.axes[1].get_title().split("largest difference: ")[1])
    assert difference < 1e-12
    assert len(fig.axes[0].collections[-1].levels) == 9  # the dashed level lines


def test_collapse_comparison_reports_a_wrong_projection():
    X, y = np.zeros((2, 2)), np.array([[0.0], [1.0]])
    Q = np.array([[1.0], [0.5]])
    fig = plots.collapse_comparison(lambda P: P @ Q + 0.2, lambda P: P @ Q + 0.3, X, y, depth=2)
    assert fig.axes[1].get_title().endswith("largest difference: 1.0e-01")


# --- the playground -------------------------------------------------------------------------

@pytest.fixture
def trained():
    split = playground_data("circle", noise=0.05, seed=2)
    net = playground_network(2, 4, "tanh", seed=2)
    return net, split


def test_playground_frame_fixes_the_axes_the_moving_parts_draw_on():
    fig = plots.playground_frame()
    plane, losses = fig.axes
    assert plane.get_xlim() == (-1.5, 1.5) and plane.get_ylim() == (-1.5, 1.5)
    assert [t.get_text() for t in plane.get_legend().get_texts()] == [
        "train: class 0", "test: class 0", "train: class 1", "test: class 1"]
    assert losses.get_yscale() == "log" and losses.get_ylim() == pytest.approx(plots.nonlinearity.LOSS_RANGE)


def test_playground_view_shows_the_output_points_accuracy_and_losses(trained):
    net, split = trained
    train_losses, test_losses = [0.3, 0.2, 0.1], [0.35, 0.25, 0.2]
    fig = plots.playground_view(net, split, train_losses, test_losses, lr=0.03, batch_size=7)
    plane, losses = fig.axes
    outputs = net(np.array([[-1.5, -1.5], [1.5, 1.5]])).value.ravel()
    heatmap = plane.images[0].get_array()
    assert heatmap.shape == (60, 60) and np.allclose([heatmap[0, 0], heatmap[-1, -1]], outputs)
    train_accuracy = np.mean((net(split.X_train).value > 0.5) == (split.y_train > 0.5))
    test_accuracy = np.mean((net(split.X_test).value > 0.5) == (split.y_test > 0.5))
    assert plane.get_title() == (f"2 → 4 → 4 → 1, tanh · step 3\n"
                                 f"accuracy: train {train_accuracy:.0%} · test {test_accuracy:.0%}")
    points = [c for c in plane.collections if isinstance(c, PathCollection) and len(c.get_offsets())]
    filled = [c for c in points if c.get_facecolors().size]
    shown = np.vstack([c.get_offsets() for c in points])
    assert len(shown) == len(split.X_train) + len(split.X_test)
    assert sum(len(c.get_offsets()) for c in filled) == len(split.X_train)  # hollow: the test points
    train_line, test_line = losses.get_lines()
    assert np.allclose(train_line.get_ydata(), train_losses) and np.allclose(test_line.get_ydata(), test_losses)
    assert losses.get_title() == "ℒ after 3 steps: train 0.100 · test 0.200\nη = 0.03, batch size 7"


def test_playground_view_before_training_and_after_divergence(trained):
    net, split = trained
    fresh = plots.playground_view(net, split, [], [], lr=0.1, batch_size=10)
    assert fresh.axes[1].get_title().startswith("ℒ: press ▶ train")
    assert "step 0" in fresh.axes[0].get_title()
    diverged = plots.playground_view(net, split, [0.3, float("inf")], [0.3, float("inf")], lr=3.0, batch_size=10)
    assert diverged.axes[1].get_title().startswith("ℒ diverged after 2 steps")
    assert diverged.axes[0].get_title().endswith("accuracy: none (the outputs overflowed)")
    assert len(diverged.axes[1].get_lines()[0].get_ydata()) == 1  # the finite part only


def playground(**settings):
    return widgets.playground_panel(**settings)


def test_the_train_button_trains_a_bounded_number_of_steps_and_redraws():
    panel = playground(activation="relu", steps_per_click=25)
    before, png = snapshot(panel.figure), panel.image.value
    weights = panel.playground.net.layers[0].W.value.copy()
    panel.train_button.click()
    assert panel.playground.step == 25
    assert not np.allclose(panel.playground.net.layers[0].W.value, weights)
    after = snapshot(panel.figure)
    assert changed_axes(before, after) == [0, 1] and panel.image.value != png
    assert "step 25" in panel.axes[0].get_title()
    assert len(panel.axes[1].get_lines()[0].get_ydata()) == 25
    panel.train_button.click()
    assert panel.playground.step == 50 and "step 50" in panel.axes[0].get_title()


def test_the_second_train_button_trains_ten_times_as_many_steps():
    panel = playground(activation="relu", steps_per_click=5)
    png = panel.image.value
    panel.train_more_button.click()
    assert panel.playground.step == 50 and "step 50" in panel.axes[0].get_title()
    assert panel.image.value != png


def test_the_reset_button_starts_again_from_other_weights():
    panel = playground(activation="relu", steps_per_click=10)
    panel.train_button.click()
    first = panel.playground.net.layers[0].W.value.copy()
    before = snapshot(panel.figure)
    panel.reset_button.click()
    assert panel.playground.step == 0 and "step 0" in panel.axes[0].get_title()
    assert not np.allclose(panel.playground.net.layers[0].W.value, first)
    assert snapshot(panel.figure)[0]["images"] != before[0]["images"]


@pytest.mark.parametrize("name, value", [
    ("dataset", "xor"), ("noise", 0.2), ("test_fraction", 0.3),
    ("hidden_layers", 1), ("neurons", 3), ("activation", "tanh"),
])
def test_changing_the_data_or_the_network_starts_afresh_and_redraws(name, value):
    panel = playground(activation="relu", steps_per_click=10)
    panel.train_button.click()
    before, png = snapshot(panel.figure), panel.image.value
    split_before = panel.playground.split
    panel.controls[name].value = value
    after = snapshot(panel.figure)
    assert panel.playground.step == 0 and panel.image.value != png
    assert after[0] != before[0] and after[1]["title"] != before[1]["title"]
    data_changed = name in ("dataset", "noise", "test_fraction")
    assert (panel.playground.split is not split_before) == data_changed
    if data_changed:
        assert after[0]["collections"] != before[0]["collections"]  # the points moved
    else:
        assert after[0]["title"] != before[0]["title"]  # the architecture or activation in the title


def test_the_test_fraction_decides_how_many_points_are_hollow():
    panel = playground(test_fraction=0.2, n=100)
    assert len(panel.playground.split.X_test) == 20
    panel.controls["test_fraction"].value = 0.7
    assert len(panel.playground.split.X_test) == 70 and len(panel.playground.split.X_train) == 30


@pytest.mark.parametrize("name, value, shown", [("lr", 0.3, "η = 0.3"), ("batch_size", 25, "batch size 25")])
def test_learning_rate_and_batch_size_keep_the_training_and_show_in_the_title(name, value, shown):
    panel = playground(activation="relu", steps_per_click=10)
    panel.train_button.click()
    net, before = panel.playground.net, snapshot(panel.figure)
    panel.controls[name].value = value
    after = snapshot(panel.figure)
    assert panel.playground.net is net and panel.playground.step == 10
    assert shown in panel.axes[1].get_title() and changed_axes(before, after) == [1]
    panel.train_button.click()
    assert panel.playground.step == 20


def test_an_unchanged_control_changes_nothing():
    panel = playground(steps_per_click=10)
    panel.train_button.click()
    before = snapshot(panel.figure)
    panel.controls["neurons"].value = panel.controls["neurons"].value
    panel.controls["dataset"].value = "circle"
    assert snapshot(panel.figure) == before and panel.playground.step == 10


def test_the_panel_shows_the_buttons_in_the_row_of_controls():
    panel = playground()
    row = panel.widget.children[0].children
    assert row == (*panel.controls.values(), panel.train_button, panel.train_more_button, panel.reset_button)
    assert "application/vnd.jupyter.widget-view+json" in panel._repr_mimebundle_()


def test_a_split_from_elsewhere_can_be_drawn():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0]])
    net = playground_network(1, 2, "relu", seed=0)
    fig = plots.playground_view(net, Split(X, y, X, y), [0.2], [0.2], lr=0.1, batch_size=1)
    assert "step 1" in fig.axes[0].get_title()
