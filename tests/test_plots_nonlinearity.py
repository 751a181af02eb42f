"""Pictures and panels of notebook 05, drawn with representative arguments and read back
(the playground's: tests/test_plots_playground.py)."""

import numpy as np
import pytest
from matplotlib.contour import ContourSet

from figures import changed_axes, layers_snapshot
from lecture_utils import activations, plots, widgets
from lecture_utils.checks.nonlinearity import collapse_reference
from lecture_utils.data import make_toy
from lecture_utils.lessons.nonlinearity import compare_regions
from lecture_utils.plots.style import Figure
from random_networks import random_linear_network

FORMULAS = {  # written out here, independently of the package's ops
    "ReLU": lambda z: np.where(z > 0, z, 0.0),
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

@pytest.mark.parametrize("name", ["ReLU", "tanh", "sigmoid", "linear"])
def test_activations_apply_the_function_to_every_entry(name):
    Z = np.array([[-2.0, -0.5, 0.0], [0.3, 1.0, 4.0]])
    H = activations.apply(name, Z)
    assert H.shape == Z.shape and np.allclose(H, FORMULAS[name](Z))
    assert not np.shares_memory(H, Z)


def elementwise(Z, name):
    """elementwise_activation drawn from what activations computes, as the panel does."""
    return plots.elementwise_activation(Z, activations.apply(name, Z),
                                        activations.curve(name, plots.entry_range(Z), 201), name)


def test_activation_functions_draws_each_curve_in_its_own_style():
    fig = plots.activation_functions({name: activations.curve(name) for name in activations.NAMES})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    curves = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    assert set(curves) == {"ReLU", "tanh", "sigmoid", "linear (none)"}
    for name, label in activations.LABELS.items():
        z, f = curves[label].get_data()
        assert np.allclose(f, FORMULAS[name](z))
    assert len({line.get_linestyle() for line in curves.values()}) == 4  # apart without colour, too
    assert ax.get_xlabel() == "z" and ax.get_ylabel() == "f(z)"


def cells(ax):
    """The matrix drawn as coloured cells on ax (a PolyCollection whose array holds the entries)."""
    (drawn,) = [c for c in ax.collections if c.get_array() is not None]
    return drawn


@pytest.mark.parametrize("name", ["ReLU", "sigmoid"])
def test_elementwise_activation_shows_Z_its_entries_on_the_curve_and_f_of_Z(name):
    Z = np.array([[-1.5, 0.25, 2.0, -0.75], [0.5, -2.5, 1.25, 0.0], [3.0, -0.1, 0.6, -1.0]])
    fig = elementwise(Z, name)
    left, middle, right = fig.axes
    assert np.allclose(cell_numbers(left), Z.ravel(), atol=0.005)
    assert np.allclose(cell_numbers(right), FORMULAS[name](Z).ravel(), atol=0.005)
    points = middle.collections[0].get_offsets()
    assert np.allclose(points, np.column_stack([Z.ravel(), FORMULAS[name](Z).ravel()]))
    assert "[3×4]" in left.get_title() and "[3×4]" in right.get_title()
    assert activations.LABELS[name] in right.get_title()
    assert np.allclose(cells(right).get_array(), FORMULAS[name](Z).ravel())
    assert cells(right).get_clim() == cells(left).get_clim() == (-3, 3)  # one colour scale for Z and f(Z)
    curve = middle.get_lines()[-1].get_xdata()
    assert middle.get_xlim() == pytest.approx((-3.3, 3.3)) and curve[[0, -1]] == pytest.approx([-3.3, 3.3])


def test_activation_panel_redraws_the_curve_and_f_of_Z_but_keeps_Z():
    Z = np.random.default_rng(1).normal(size=(3, 5))
    panel = widgets.activation_panel(Z)
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["activation"].value = "tanh"
    after = layers_snapshot(panel)
    assert changed_axes(before, after) == [1, 2] and panel.picture.data != png
    assert np.allclose(cell_numbers(panel.moving_axes[2]), np.tanh(Z).ravel(), atol=0.005)
    panel.controls["activation"].value = "tanh"  # the same value: nothing to redraw
    assert layers_snapshot(panel) == after


# --- the collapse -------------------------------------------------------------------------

def straight(vertices):
    """True if the points lie on one straight line."""
    centred = vertices - vertices.mean(axis=0)
    return np.linalg.svd(centred, compute_uv=False)[-1] < 1e-9 * max(1.0, len(vertices))


def test_collapse_comparison_shows_the_same_straight_boundary_twice():
    X, y = make_toy("circle", n=100, noise=0.05, rng=np.random.default_rng(3))
    for seed in range(20):  # a network whose boundary crosses the picture
        net = random_linear_network([2, 5, 4, 1], np.random.default_rng(seed))
        Q, U = collapse_reference([layer.W.value for layer in net.layers], [layer.b.value for layer in net.layers])
        compared = compare_regions(lambda P: net(P).value, lambda P: P @ Q + U)
        fig = plots.collapse_comparison(compared, X, y, depth=3)
        boundaries = [contours_at(ax, 0.5) for ax in fig.axes]
        if all(boundaries):
            break
    left, right = (b[0].get_paths()[0].vertices for b in boundaries)
    assert len(left) >= 2 and np.allclose(left, right) and straight(left)
    assert fig.axes[0].get_title() == "3 stacked linear layers: H₃"
    assert fig.axes[1].get_title().endswith(f"largest difference: {plots.style.scientific(compared.difference)}")
    assert compared.difference < 1e-12
    assert len(fig.axes[0].collections[-1].levels) == 9  # the dashed level lines


def test_collapse_comparison_reports_a_wrong_projection():
    X, y = np.zeros((2, 2)), np.array([[0.0], [1.0]])
    Q = np.array([[1.0], [0.5]])
    fig = plots.collapse_comparison(compare_regions(lambda P: P @ Q + 0.2, lambda P: P @ Q + 0.3), X, y, depth=2)
    assert fig.axes[1].get_title().endswith("largest difference: 0.1")
