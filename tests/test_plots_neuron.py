"""Pictures and panels of notebook 00: a neuron, vanishing gradients, dead ReLUs."""

import numpy as np
import pytest

from figures import changed_axes, layers_snapshot, pixels
from lecture_utils import activations, plots, set_seed, widgets
from lecture_utils.data import make_toy
from lecture_utils.gradcheck import numerical_gradient
from lecture_utils.lessons import training
from lecture_utils.nn import MLP, mse
from lecture_utils.plots.style import Figure


@pytest.fixture(scope="module")
def circle():
    set_seed(0)
    return make_toy("circle", n=200)


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# --- a neuron ---------------------------------------------------------------------------------

def neuron(w, b, activation):
    """The neuron picture for ŷ = f(xw + b) over x in [−4, 4], as the panel draws it."""
    return plots.neuron(*activations.neuron_curve_points(w, b, activation), w, b, activation)


def test_activation_gallery_one_panel_per_activation():
    names = ["linear", "ReLU", "sigmoid", "tanh"]
    fig = plots.activation_gallery({name: activations.curve(name) for name in names})
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    assert [ax.get_title() for ax in fig.axes] == [
        "linear\nf(a) = a", "ReLU\nf(a) = max(0, a)", "sigmoid\nf(a) = 1 / (1 + e⁻ᵃ)", "tanh\nf(a) = tanh(a)"]
    a, f = fig.axes[1].get_lines()[-1].get_data()
    assert np.allclose(f, np.maximum(0, a)) and fig.axes[1].get_xlim() == (-4, 4)


@pytest.mark.parametrize("x, w, b, shown", [
    (2, 1.5, -1, ["x = 2", "3", "2", "ŷ = 2"]),
    (1, 1, -3, ["x = 1", "1", "−2", "ŷ = 0"]),  # the larger of 0 and −2 is 0
])
def test_neuron_as_function_shows_each_step(x, w, b, shown):
    fig = plots.neuron_as_function(activations.neuron_steps(x, w, b))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[:4] == shown
    assert any("max(0, ·)" in t for t in texts) and any(f"w = {w:g}" in t for t in texts)
    assert "multiply, add, choose the larger number" in fig.axes[0].get_title()


def test_a_steep_sigmoid_neuron_is_a_step_at_minus_b_over_w():
    fig = neuron(8.0, 4.0, "sigmoid")
    ax = fig.axes[0]
    curve, marker, step = [line for line in ax.get_lines() if line.get_label()[0] in "ŷxw"]
    x, y_hat = curve.get_data()
    assert np.allclose(y_hat, sigmoid(8 * x + 4))
    assert np.allclose(marker.get_xdata(), -0.5)
    assert step.get_xdata()[1] == step.get_xdata()[2] == -0.5 and step.get_ydata().tolist() == [0, 0, 1, 1]
    assert ax.get_title() == "sigmoid neuron, w = 8.00, b = 4.00"
    assert marker.get_label() == "xw + b = 0 at x = −b/w = −0.50"
    assert ax.get_xlabel() == "x: the neuron's input"
    # the step is what the curve tends to: already close for w = 8 away from the threshold
    far = np.abs(x + 0.5) > 0.5
    assert np.max(np.abs(y_hat[far] - (x[far] > -0.5))) < 0.02


def test_a_negative_weight_flips_the_step_and_tanh_steps_from_minus_one():
    ax = neuron(-5.0, 1.0, "tanh").axes[0]
    step = next(line for line in ax.get_lines() if line.get_label().startswith("w → ∞"))
    assert step.get_ydata().tolist() == [1, 1, -1, -1] and step.get_xdata()[1] == pytest.approx(0.2)


def test_relu_and_linear_neurons_have_no_step_and_w_zero_no_threshold():
    relu = neuron(2.0, 1.0, "ReLU").axes[0]
    assert not any(line.get_label().startswith("w → ∞") for line in relu.get_lines())
    flat = neuron(0.0, -0.5, "linear").axes[0]
    (curve,) = [line for line in flat.get_lines() if line.get_label().startswith("ŷ")]
    assert np.allclose(curve.get_ydata(), -0.5) and curve.get_label() == "ŷ = (x·0.00 − 0.50)"
    assert flat.get_title() == "linear neuron, w = 0: ŷ = f(b) is a constant"


# --- vanishing gradients ------------------------------------------------------------------------

def test_scientific_numbers():
    assert plots.style.scientific(9.4e-06) == "9.4·10⁻⁶"
    assert plots.style.scientific(2.5e12) == "2.5·10¹²"
    assert plots.style.scientific(0.5) == "0.5"


def test_gradient_norm_line_clips_to_the_scale_and_says_so():
    fig = plots.gradient_norm_line([1e-30, 1e-3, 1.0])
    ax = fig.axes[0]
    line, beyond = ax.get_lines()
    assert np.allclose(line.get_ydata(), [1e-20, 1e-3, 1.0]) and line.get_xdata().tolist() == [1, 2, 3]
    assert beyond.get_xdata().tolist() == [1]
    assert ax.get_title() == "layer 1 gets 1.0·10⁻³⁰ × the gradient of layer 3"


def test_gradient_norms_by_layer_shows_the_gradient_of_each_layer(circle):
    X, y = circle
    net = MLP([2, 4, 4, 1], activation="tanh", rng=np.random.default_rng(0))
    fig = plots.gradient_norms_by_layer(training.layer_gradient_norms(net, X[:20], y[:20]), title="my network")
    ax = fig.axes[0]
    (line,) = ax.get_lines()
    for layer, shown in zip(net.layers, line.get_ydata()):  # against central differences
        numeric = numerical_gradient(lambda _: mse(y[:20], net(X[:20])), layer.W.value)
        assert shown == pytest.approx(np.linalg.norm(numeric), rel=1e-6)
    assert ax.get_yscale() == "log" and ax.get_xlim() == (0.5, 3.5) and ax.get_title() == "my network"
    assert ax.get_ylabel() == "‖∂ℒ/∂Wₗ‖  (log scale)"
    assert np.allclose(np.diff(np.log10(ax.get_yticks())), 5)  # the notebook: a grid line every 10⁵


# --- dead ReLUs ------------------------------------------------------------------------------------

def test_relu_activity_marks_units_that_never_fire():
    Z1 = np.array([[1.0, -1.0, 0.0], [-2.0, -1.0, 3.0]])  # unit 2 never fires; unit 1 once
    Z2 = np.array([[0.5, -4.0], [0.2, -0.1]])
    fig = plots.relu_activity(training.unit_activity([Z1, Z2]))
    ax = fig.axes[0]
    (image,) = ax.get_images()
    assert np.asarray(image.get_array()).tolist() == [[1, 0], [2, 2], [0, 1], [1, 1], [2, 2]]
    (marks,) = [c for c in ax.collections if c.get_label() == "dead unit"]
    assert sorted(marks.get_offsets()[:, 1]) == [1.5, 4.5]
    assert ax.get_title() == "blue: the unit fires; dead units (×): 2 of 5"
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("layer")] == ["layer 1", "layer 2"]


def test_dead_fraction_bars_pair_before_and_after():
    fig = plots.dead_fraction_bars([0.0, 0.25], [0.5, 1.0], title="after a big step")
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [0.0, 0.25, 0.5, 1.0]
    assert [t.get_text() for t in ax.texts] == ["0%", "25%", "50%", "100%"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["before the step", "after the step"]
    assert ax.get_title() == "after a big step"


def dead_bars(axes):
    """The bars' heights before and after the step: on a figure's axes, or on a panel's moving ones."""
    heights = [p.get_height() for p in axes[1].patches]
    return heights[:2], heights[2:]


def test_the_dead_relu_panel_shows_the_units_and_the_fractions_of_one_step(circle):
    X, y = circle  # the claims of the notebook's text: test_notebook_claims_00_09.py
    axes = widgets.dead_relu_panel(X, y, bias_init=0.0, lr=10.0).moving_axes
    _, after = dead_bars(axes)
    assert axes[1].get_title() == "dead units, one step with η = 10"
    dead_rows = np.all(np.asarray(axes[0].get_images()[0].get_array()) == 2, axis=1)
    assert dead_rows.sum() == round(16 * sum(after)) > 0


def test_dead_relus_after_step_draws_what_the_diagnostics_measure(circle):
    X, y = circle
    net = training.relu_network(2, 0.0, seed=3)
    fig = plots.dead_relus_after_step(training.relus_after_step(net, X, y, 5.0))
    _, after = dead_bars(fig.axes)
    assert after == training.dead_relu_fraction(training.one_sgd_step(net, X, y, 5.0), X).tolist()


# --- panels ----------------------------------------------------------------------------------------------

def test_neuron_panel_sliders_and_activation_change_the_curve():
    panel = widgets.neuron_panel()
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["w"].value = 6.0
    curve = next(line for line in panel.moving_axes.get_lines() if line.get_label().startswith("ŷ"))
    x, y_hat = curve.get_data()
    assert np.allclose(y_hat, np.maximum(0, 6 * x)) and panel.picture.data != png
    assert changed_axes(before, layers_snapshot(panel)) == [0]
    panel.controls["activation"].value = "sigmoid"
    curve = next(line for line in panel.moving_axes.get_lines() if line.get_label().startswith("ŷ"))
    assert np.allclose(curve.get_ydata(), sigmoid(6 * x))
    panel.controls["b"].value = 3.0
    assert panel.moving_axes.get_title() == "sigmoid neuron, w = 6.00, b = 3.00"
    again = layers_snapshot(panel)
    panel.controls["b"].value = 3.0  # the same value: nothing to redraw
    assert layers_snapshot(panel) == again


def test_vanishing_gradient_panel_controls_change_the_gradients(circle):
    X, y = circle
    panel = widgets.vanishing_gradient_panel(X, y)
    line = panel.moving_axes.get_lines()[0].get_ydata()
    assert len(line) == 10 and panel.moving_axes.get_xlim() == (0.5, 30.5)
    png = panel.picture.data
    panel.controls["activation"].value = "ReLU"
    relu = panel.moving_axes.get_lines()[0].get_ydata()
    assert not np.allclose(relu, line) and panel.picture.data != png
    panel.controls["depth"].value = 25
    assert len(panel.moving_axes.get_lines()[0].get_ydata()) == 25
    deep = panel.moving_axes.get_lines()[0].get_ydata()
    panel.controls["init_scale"].value = 0.2
    assert panel.moving_axes.get_lines()[0].get_ydata()[0] < deep[0]


def test_dead_relu_panel_a_larger_step_kills_more_units(circle):
    X, y = circle
    panel = widgets.dead_relu_panel(X, y)
    _, after = dead_bars(panel.moving_axes)
    assert after == [0, 0]
    png = panel.picture.data
    panel.controls["lr"].value = 10.0
    _, after = dead_bars(panel.moving_axes)
    assert min(after) > 0 and panel.picture.data != png
    panel.controls["bias_init"].value = -1.0
    before, _ = dead_bars(panel.moving_axes)
    assert before[1] == 1.0


def test_a_panels_first_picture_shows_its_moving_parts():
    panel = widgets.neuron_panel(w=1.0)
    first = pixels(panel.picture.data)
    panel.controls["w"].value = 2.0
    panel.controls["w"].value = 1.0  # back: drawn by blitting the moving parts onto the background
    assert np.mean(np.abs(first - pixels(panel.picture.data)) > 8) < 0.01
