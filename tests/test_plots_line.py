"""Pictures of notebook 01, drawn with representative arguments and read back."""

import numpy as np
import pytest

from figures import changed_axes, layers_snapshot
from lecture_utils import plots, widgets
from lecture_utils.data import with_outlier
from lecture_utils.lessons import descent, linear_regression
from lecture_utils.lessons.linear_regression import line, line_errors
from lecture_utils.plots.style import Figure


def test_line_fit_draws_points_line_residuals_and_the_loss(apartments):
    x, y = apartments
    fig = plots.line_fit(x, y, line(x, y, 0.2, 30.0))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    points = ax.collections[0].get_offsets()
    assert len(points) == len(x)
    residuals = [c for c in ax.collections if hasattr(c, "get_segments") and len(c.get_segments()) == len(x)]
    assert len(residuals) == 1
    (drawn,) = ax.get_lines()
    xs, ys = drawn.get_data()
    assert np.allclose(ys, 0.2 * xs + 30.0)
    assert np.allclose(residuals[0].get_segments()[5], [[x[5, 0], y[5, 0]], [x[5, 0], 0.2 * x[5, 0] + 30]])
    assert ax.get_title() == f"ŷ = 0.200·x + 30.0:  ℒ = MSE = {np.mean((y - (0.2 * x + 30)) ** 2):,.0f}"
    loss = np.mean((y - (0.2 * x + 30)) ** 2)
    assert fig.text_alternative == f"ℒ = {loss:,.0f} for k = 0.2, m = 30 (ŷ = 0.200·x + 30.0)"
    assert ax.get_xlabel() == "x: square feet" and ax.get_ylabel() == "y: price (k$)"
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_some_fits_one_panel_per_line_and_marks_the_lowest(apartments):
    x, y = apartments
    best = linear_regression.least_squares_line(x, y)
    fig = plots.some_fits(x, y, [("flat", line(x, y, 0.0, 280.0)), ("best", line(x, y, *best))])
    assert len(fig.axes) == 2
    assert "(lowest)" in fig.axes[1].get_title() and "(lowest)" not in fig.axes[0].get_title()


def test_mse_landscape_marks_the_optimum_and_the_current_line(apartments):
    x, y = apartments
    fig = plots.mse_landscape(descent.loss_landscape(x, y, (0, 0.5), (-200, 300)), line(x, y, 0.3, 50.0))
    ax = fig.axes[0]
    star, dot = ax.get_lines()
    assert np.allclose(star.get_xydata(), [np.polyfit(np.ravel(x), np.ravel(y), 1)])
    assert np.allclose(dot.get_xydata(), [[0.3, 50.0]])
    assert len(ax.collections) >= 1  # the contours
    assert ax.get_xlabel() == "k (slope)"


def test_error_bars_share_of_an_outlier(apartments):
    x, y = apartments
    plain = plots.error_bars(line_errors(x, y, 0.24, 30.0))
    assert "outlier" not in plain.axes[0].get_title()
    fig = plots.error_bars(line_errors(*with_outlier(x, y, (2800, 150)), 0.24, 30.0, outlier=True))
    abs_title, sq_title = (ax.get_title() for ax in fig.axes)
    abs_share = float(abs_title.split("the outlier: ")[1].split("%")[0])
    sq_share = float(sq_title.split("the outlier: ")[1].split("%")[0])
    assert sq_share > 3 * abs_share  # the squared error blames the outlier much more
    assert bar_count(fig.axes[0]) == len(x) + 1 and bar_count(plain.axes[0]) == len(x)
    outlier_error = 150 - (0.24 * 2800 + 30.0)
    mean_absolute = np.mean(np.abs(np.append(y - (0.24 * x + 30), outlier_error)))
    assert abs_title.startswith(f"absolute error |y − ŷ|\nmean = {mean_absolute:,.1f}")


def test_line_errors_are_in_order_of_x_and_follow_the_outlier():
    x, y = np.array([3.0, 1.0, 2.0, 1.5]), np.array([1.0, 1.0, 1.0, 9.0])
    errors = line_errors(x, y, 1.0, 0.0, outlier=True)
    assert errors.absolute.tolist() == [0.0, 7.5, 1.0, 2.0]  # x = 1, 1.5, 2, 3
    assert errors.squared.tolist() == [0.0, 56.25, 1.0, 4.0] and errors.outlier == 1
    assert errors.means == (2.625, 61.25 / 4)
    assert errors.outlier_shares == pytest.approx((7.5 / 10.5, 56.25 / 61.25))
    assert line_errors(x, y, 1.0, 0.0).outlier_shares is None

def bar_count(ax):
    """Bars of width 1 from 0: the right end of the filled step area."""
    return int(round(ax.collections[0].get_paths()[0].vertices[:, 0].max()))


def test_vertical_line_attempts(apartments):
    x, y = apartments
    fig = plots.vertical_line_attempts(x, y, (1000, 300.0), [1, 10, 100])
    ax = fig.axes[0]
    slopes = [np.polyfit(*drawn.get_data(), 1)[0] for drawn in ax.get_lines()[:3]]
    assert np.allclose(slopes, [1, 10, 100])
    assert all(np.interp(1000, *drawn.get_data()) == pytest.approx(300) for drawn in ax.get_lines()[:3])


def test_line_fit_panel_sliders_move_the_line_and_the_point(apartments):
    x, y = apartments
    panel = widgets.line_fit_panel(x, y)
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["k"].value = 0.31
    after = layers_snapshot(panel)
    assert changed_axes(before, after) == [0, 1] and panel.picture.data != png
    drawn = next(ln for ln in panel.moving_axes[0].get_lines() if ln.get_color() == plots.style.MODEL)
    xs, ys = drawn.get_data()
    assert np.allclose(ys, 0.31 * xs + panel.controls["m"].value)
    again = layers_snapshot(panel)
    panel.controls["k"].value = 0.31  # the same value: nothing to redraw
    assert layers_snapshot(panel) == again


def test_error_panel_outlier_switch_adds_a_bar(apartments):
    x, y = apartments
    panel = widgets.error_panel(x, y, outlier=(2800, 150))
    assert bar_count(panel.moving_axes[0]) == len(x)
    panel.controls["add_outlier"].value = True
    assert bar_count(panel.moving_axes[0]) == len(x) + 1
    before = layers_snapshot(panel)
    panel.controls["m"].value = 0.0
    assert changed_axes(before, layers_snapshot(panel)) == [0, 1]


def test_the_parts_of_line_fit_draw_what_stays_and_what_moves(apartments):
    x, y = apartments
    fig = plots.apartments_scatter(x, y)
    ax = fig.axes[0]
    assert len(ax.collections) == 1 and not ax.get_lines() and ax.get_title() == ""
    key = [text.get_text() for text in ax.get_legend().get_texts()]
    assert key == ["apartments", "residual y − ŷ", "ŷ = xk + m"]
    x_low, x_high = ax.get_xlim()
    assert x_low < x.min() and x_high > x.max()  # the moving line will span the fixed limits
    plots.line_with_residuals(x, y, line(x, y, 0.2, 10.0), ax=ax)
    (drawn,) = ax.get_lines()
    assert np.allclose(drawn.get_xdata(), [x_low, x_high]) and "ℒ = MSE" in ax.get_title()


def test_the_parts_of_the_landscape(apartments):
    x, y = apartments
    fig = plots.mse_contours(descent.loss_landscape(x, y, (0, 0.5), (-200, 300)))
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 1 and ax.get_title() == ""  # the optimum; no current line yet
    assert ax.get_xlim() == (0, 0.5) and ax.get_ylim() == (-200, 300)
    plots.landscape_point(line(x, y, 0.1, 0.0), ax=ax)
    assert np.allclose(ax.get_lines()[-1].get_xydata(), [[0.1, 0.0]])
    assert ax.get_title().startswith("ℒ(k, m)")


def test_with_outlier_appends_one_apartment(apartments):
    x, y = apartments
    x2, y2 = with_outlier(x, y, (2800, 150))
    assert len(x2) == len(x) + 1 and (x2[-1], y2[-1]) == (2800, 150)


def test_class_points_tell_the_classes_apart_by_marker_too():
    fig, ax = plots.style.new_figure()
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    plots.class_points(X, np.array([[0.0], [1.0], [1.0]]), ax)
    zero, one = ax.collections
    assert len(zero.get_offsets()) == 1 and len(one.get_offsets()) == 2
    circle, square = zero.get_paths()[0].vertices, one.get_paths()[0].vertices
    assert circle.shape != square.shape or not np.allclose(circle, square)  # two markers, not only two colours
