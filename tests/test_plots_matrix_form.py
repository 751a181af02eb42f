"""Pictures and the panel of notebook 03: ŷ = Xw + b as tables, and the timing plot."""

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from figures import all_texts as texts
from figures import changed_axes, layers_snapshot
from lecture_utils import plots, widgets
from lecture_utils.plots import style
from lecture_utils.plots.matrix_form import CELL_H
from lecture_utils.plots.style import Figure

W_RULE = np.array([[0.22], [12.0], [-1.1], [1.5]])
NAMES = ["square_feet", "bedrooms", "age", "floor"]


@pytest.fixture(scope="module")
def X_few():
    from lecture_utils.data import load_apartments

    return load_apartments().matrix(NAMES)[:6]


def highlights(ax):
    """The rectangles that mark row i of X and entry i of ŷ."""
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_linewidth() == 2.5]


def entry(value):
    """How the tables write an entry: five digits at most, a true minus sign."""
    return style.number(value, ".5g")


def test_entries_have_five_digits_at_most_and_a_true_minus():
    assert [entry(v) for v in [1433.0, 0.22, -1.1, 418.8712, 12, 123456.0]] == [
        "1433", "0.22", "−1.1", "418.87", "12", "1.2346e+05"]


def test_row_and_column_shows_the_same_numbers_twice_with_their_shapes():
    fig = plots.row_and_column(W_RULE)
    assert isinstance(fig, Figure)
    shown = texts(fig)
    for value in ["0.22", "12", "−1.1", "1.5"]:
        assert shown.count(value) == 2
    assert "w  [D×1] = [4×1]\na column" in shown and "wᵀ  [1×D] = [1×4]\na row" in shown
    assert "column and as a row" in fig.axes[0].get_title()


def test_dot_product_pairs_the_entries_and_sums_their_products():
    a, b = np.array([[2.0, -1.0, 3.0]]), np.array([[4.0], [5.0], [0.5]])
    fig = plots.dot_product(a, b, a @ b, a_name="u", b_name="v")
    shown = texts(fig)
    assert "4.5" in shown  # 2·4 − 1·5 + 3·0.5
    assert "uv = 2·4 + −1·5 + 3·0.5 = 4.5" in shown
    assert "u  [1×3]" in shown and "v  [3×1]" in shown and "[1×1]" in shown
    row_cells, column_cells = [c for c in fig.axes[0].collections if len(c.get_facecolors()) == 3]
    assert np.array_equal(row_cells.get_facecolors(), column_cells.get_facecolors())  # a_d and b_d share a tint
    assert len({tuple(face) for face in row_cells.get_facecolors()}) == 3  # and each pair its own
    with pytest.raises(ValueError, match="lengths differ"):
        plots.dot_product(a, np.ones((2, 1)), 0.0)


def test_matrix_form_shows_shapes_values_and_the_highlighted_row(X_few):
    fig = plots.matrix_form(X_few, W_RULE, 40.0, X_few @ W_RULE + 40.0, 2, names=NAMES)
    ax = fig.axes[0]
    shown = texts(fig)
    for label in ["ŷ  [N×1] = [6×1]", "X  [N×D] = [6×4]", "w  [D×1] = [4×1]", "b  (a number)", "="]:
        assert label in shown
    y_hat = X_few @ W_RULE + 40.0
    assert y_hat[0, 0] == pytest.approx(1433 * 0.22 + 4 * 12 - 63 * 1.1 + 2 * 1.5 + 40)
    assert "336.96" in shown
    for value in y_hat.ravel():
        assert entry(value) in shown
    x_row, y_entry = sorted(highlights(ax), key=lambda p: p.get_width(), reverse=True)
    assert x_row.get_width() == pytest.approx(4 * y_entry.get_width() / 1.2)  # D cells against one wider cell
    for patch in (x_row, y_entry):
        assert patch.get_y() == pytest.approx(-3 * CELL_H)  # row i = 2 spans -2·h … -3·h
    assert ("ŷ₂ = 1494·0.22 + 3·12 + 13·(−1.1) + 19·1.5 + 40 = " + entry(y_hat[2, 0])) in shown
    assert ax.get_title() == "row i = 2 of X [1×D] times w [D×1], plus b, gives entry i = 2 of ŷ"
    with pytest.raises(IndexError, match="rows 0 … 5"):
        plots.matrix_form_row(X_few, W_RULE, 40.0, y_hat, 6)


def test_timing_plot_draws_both_curves_on_log_axes():
    sizes = [10, 100, 1000, 10000]
    times = {"loop": np.array([3e-5, 1e-4, 1e-3, 1e-2]), "Xw + b": np.array([2e-6, 2e-6, 3e-6, 2e-5])}
    fig = plots.timing_plot(sizes, times, per_row=1e-6)
    ax = fig.axes[0]
    loop, product, guide = ax.get_lines()
    assert np.allclose(loop.get_xydata(), np.column_stack([sizes, times["loop"]]))
    assert np.allclose(product.get_xydata(), np.column_stack([sizes, times["Xw + b"]]))
    assert loop.get_marker() != product.get_marker() and loop.get_linestyle() != product.get_linestyle()
    assert np.allclose(guide.get_ydata(), 1e-6 * np.array(sizes))  # the guide: 1 µs per row
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["loop", "Xw + b"]
    assert [t.get_text() for t in ax.texts if t.get_text()] == ["500×"]  # 1e-2 / 2e-5 at N = 10,000 (and an arrow)
    assert ax.get_title() == "Time to compute ŷ for all N rows of X" and ax.get_xlabel() == "N (rows of X)"


def test_timing_plot_of_one_curve_has_no_ratio():
    fig = plots.timing_plot([1, 2], {"alone": [1.0, 2.0]}, per_row=1.0)
    assert len(fig.axes[0].get_lines()) == 2 and len(fig.axes[0].texts) == 0


def test_row_selector_panel_moves_the_highlight_and_keeps_the_tables(X_few):
    panel = widgets.row_selector_panel(X_few, W_RULE, 40.0, names=NAMES)
    assert panel.controls["i"].max == 5
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["i"].value = 4
    after = layers_snapshot(panel)
    assert changed_axes(before, after) == [0] and panel.picture.data != png
    assert all(p.get_y() == pytest.approx(-5 * CELL_H) for p in highlights(panel.moving_axes))
    assert panel.moving_axes.get_title().startswith("row i = 4 of X")
    assert "1433" in [t.get_text() for t in panel.still_axes.texts]  # the tables stayed
    assert sum(1 for t in panel.moving_axes.texts if t.get_text().startswith("ŷ₄ = ")) == 1
    again, png = layers_snapshot(panel), panel.picture.data
    panel.controls["i"].value = 4  # the same value: nothing to redraw
    assert layers_snapshot(panel) == again and panel.picture.data == png


def test_highlight_colour_is_the_highlight_role(X_few):
    fig = plots.matrix_form(X_few, W_RULE, 40.0, X_few @ W_RULE + 40.0, 0)
    for patch in highlights(fig.axes[0]):  # filled with the highlight, outlined darker (3:1 on white)
        assert patch.get_facecolor()[:3] == pytest.approx(np.array([0xE6, 0x9F, 0x00]) / 255)
        assert patch.get_edgecolor()[:3] == pytest.approx(to_rgb(style.line_colour(style.HIGHLIGHT)))
    assert style.HIGHLIGHT == "#E69F00"


def test_matrix_form_tables_alone_has_the_numbers_but_no_highlight(X_few):
    fig = plots.matrix_form_tables(X_few, W_RULE, 40.0, X_few @ W_RULE + 40.0, names=NAMES)
    ax = fig.axes[0]
    shown = texts(fig)
    assert highlights(ax) == [] and ax.get_title() == ""
    assert all(entry(v) in shown for v in X_few.ravel())
    assert [t for t in shown if t.startswith("x⁽")] == [
        "x⁽¹⁾\nsquare_feet", "x⁽²⁾\nbedrooms", "x⁽³⁾\nage", "x⁽⁴⁾\nfloor"]
    row_numbers = [t.get_text() for t in ax.texts if t.get_text().isdigit() and t.get_horizontalalignment() == "right"]
    assert row_numbers == ["0", "1", "2", "3", "4", "5"]  # i, left of ŷ


def test_matrix_form_row_alone_draws_only_the_moving_parts(X_few):
    fig = plots.matrix_form_row(X_few, W_RULE, 40.0, X_few @ W_RULE + 40.0, 5)
    ax = fig.axes[0]
    assert len(highlights(ax)) == 2
    (equation,) = texts(fig)
    assert equation.startswith("ŷ₅ = 1024·0.22 + 2·12 + 41·(−1.1) + 8·1.5 + 40 = ")
