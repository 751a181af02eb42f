"""Pictures and the panel of notebook 02: a plane over two predictors, drawn and read back."""

import numpy as np
import pytest
from mpl_toolkits.mplot3d.art3d import Line3DCollection, Path3DCollection, Poly3DCollection

from figures import changed_axes, layers_snapshot
from lecture_utils import plots, widgets
from lecture_utils.lessons import linear_regression
from lecture_utils.lessons.linear_regression import losses_with_more_predictors
from lecture_utils.plots.style import Figure


@pytest.fixture(scope="module")
def two_predictors():
    from lecture_utils.data import load_apartments

    table = load_apartments()
    return table["square_feet"], table["age"], table["price"]


def collections_of(ax, kind):
    return [c for c in ax.collections if isinstance(c, kind)]


def test_plane_equation_uses_true_minus_signs():
    assert plots.plane_equation(0.245, -1.12, 56.7) == "ŷ = 0.245·x⁽¹⁾ − 1.12·x⁽²⁾ + 56.7"
    assert plots.plane_equation(-0.1, 2.0, -5.0) == "ŷ = −0.100·x⁽¹⁾ + 2.00·x⁽²⁾ − 5.0"


def test_plane_fit_draws_points_plane_and_one_collection_of_residual_sticks(two_predictors):
    x1, x2, y = two_predictors
    w1, w2, b = 0.2, -1.0, 50.0
    fig = plots.plane_fit(x1, x2, y, linear_regression.plane(x1, x2, y, w1, w2, b), elev=25, azim=-40)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.name == "3d" and (ax.elev, ax.azim) == (25, -40)
    (points,) = collections_of(ax, Path3DCollection)
    assert np.allclose(np.column_stack(points._offsets3d), np.column_stack([x1, x2, y]))
    (sticks,) = collections_of(ax, Line3DCollection)  # one artist for all N residuals
    segments = np.asarray(sticks._segments3d)
    y_hat = (w1 * x1 + w2 * x2 + b).ravel()
    assert segments.shape == (len(y), 2, 3)
    assert np.allclose(segments[:, 0], np.column_stack([x1, x2, y]))
    assert np.allclose(segments[:, 1], np.column_stack([x1.ravel(), x2.ravel(), y_hat]))
    (plane,) = collections_of(ax, Poly3DCollection)
    corners = plane._faces.reshape(-1, 3)
    assert np.allclose(corners[:, 2], w1 * corners[:, 0] + w2 * corners[:, 1] + b)
    loss = np.mean((y.ravel() - y_hat) ** 2)
    assert ax.get_title() == f"ŷ = 0.200·x⁽¹⁾ − 1.00·x⁽²⁾ + 50.0\nℒ = MSE = {loss:,.0f}"
    assert ax.get_xlabel() == "x⁽¹⁾: square feet" and ax.get_ylabel() == "x⁽²⁾: age (years)"
    assert ax.get_zlabel() == "y: price (k$)"
    fig.draw_without_rendering()  # projected for drawing: every stick is drawn
    assert len(sticks.get_segments()) == len(y)
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_plane_fit_without_residuals_and_with_a_title(two_predictors):
    x1, x2, y = two_predictors
    plane = linear_regression.plane(x1, x2, y, 0.2, 0.0, 30.0)
    fig = plots.plane_fit(x1, x2, y, plane, residuals=False, title="a plane")
    ax = fig.axes[0]
    assert collections_of(ax, Line3DCollection) == [] and ax.get_title() == "a plane"


def test_loss_by_predictors_bars_are_the_least_squares_losses():
    from lecture_utils.data import load_apartments

    table = load_apartments()
    names = ["square_feet", "age", "bedrooms", "floor"]
    y = table["price"]
    losses = losses_with_more_predictors({name: table[name] for name in names}, y)
    fig = plots.loss_by_predictors(losses, reference=(1225, "noise"))
    ax = fig.axes[0]
    widths = [patch.get_width() for patch in ax.patches]
    expected = []
    for D in range(1, 5):  # an independent least-squares solve: the normal equations
        A = np.hstack([table.matrix(names[:D]), np.ones((len(y), 1))])
        coefficients = np.linalg.solve(A.T @ A, A.T @ y)
        expected.append(np.mean((y - A @ coefficients) ** 2))
    assert widths == pytest.approx(expected)
    top_down = sorted(ax.get_yticklabels(), key=lambda label: -label.get_position()[1])
    assert [label.get_text() for label in top_down] == [
        "D = 1: square_feet", "D = 2: + age", "D = 3: + bedrooms", "D = 4: + floor"]
    (reference,) = ax.get_lines()
    assert np.allclose(reference.get_xdata(), 1225) and ax.get_legend().get_texts()[0].get_text() == "noise"
    assert [t.get_text() for t in ax.texts] == [f" {loss:,.0f}" for loss in expected]


def test_plane_fit_panel_sliders_move_the_plane_and_the_view(two_predictors):
    x1, x2, y = two_predictors
    panel = widgets.plane_fit_panel(x1, x2, y)
    ax = panel.moving_axes
    assert ax.name == "3d" and ax.get_title().startswith("ŷ = 0.240·x⁽¹⁾ + 0.00·x⁽²⁾ + 30.0")
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["w2"].value = -1.1
    after = layers_snapshot(panel)
    assert changed_axes(before, after) == [0] and panel.picture.data != png
    (plane,) = collections_of(ax, Poly3DCollection)
    corners = plane._faces.reshape(-1, 3)
    assert np.allclose(corners[:, 2], 0.24 * corners[:, 0] - 1.1 * corners[:, 1] + 30.0)
    loss = np.mean((y - (0.24 * x1 - 1.1 * x2 + 30.0)) ** 2)
    assert ax.get_title().endswith(f"ℒ = MSE = {loss:,.0f}")
    again, png = layers_snapshot(panel), panel.picture.data
    panel.controls["w2"].value = -1.1  # the same value: nothing to redraw
    assert layers_snapshot(panel) == again and panel.picture.data == png
    panel.controls["azim"].value = 0.0  # turning the view moves every projected point
    assert panel.moving_axes.azim == 0.0 and layers_snapshot(panel) != again and panel.picture.data != png


def test_apartments_3d_alone_sets_points_limits_labels_and_view(two_predictors):
    x1, x2, y = two_predictors
    fig = plots.apartments_3d(x1, x2, y, elev=0, azim=-90)
    ax = fig.axes[0]
    assert ax.name == "3d" and (ax.elev, ax.azim) == (0, -90)
    (points,) = ax.collections
    assert len(points._offsets3d[0]) == len(y)
    assert ax.get_xlim()[0] < x1.min() and ax.get_xlim()[1] > x1.max()
    assert ax.get_zlim()[0] <= 0 < y.max() < ax.get_zlim()[1]
    assert ax.get_title() == "" and ax.get_zlabel() == "y: price (k$)"


def test_plane_with_residuals_alone_spans_the_axes_and_names_the_loss(two_predictors):
    x1, x2, y = two_predictors
    fig = plots.apartments_3d(x1, x2, y)
    ax = fig.axes[0]
    plots.plane_with_residuals(x1, x2, y, linear_regression.plane(x1, x2, y, 0.25, -1.0, 40.0), ax=ax)
    (plane,) = collections_of(ax, Poly3DCollection)
    corners = plane._faces.reshape(-1, 3)
    assert corners[:, 0].min() == pytest.approx(ax.get_xlim()[0])
    assert corners[:, 1].max() == pytest.approx(ax.get_ylim()[1])
    (sticks,) = collections_of(ax, Line3DCollection)
    assert len(sticks._segments3d) == len(y)
    loss = np.mean((y - (0.25 * x1 - 1.0 * x2 + 40.0)) ** 2)
    assert ax.get_title().endswith(f"ℒ = MSE = {loss:,.0f}")
