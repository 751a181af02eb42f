"""The claims notebook 04's text makes about its numbers, checked on the notebook's own run."""

import re

import numpy as np
import pytest

from lecture_utils import widgets
from lecture_utils.autograd import Add, Mul, Tensor
from lecture_utils.nn import parameter_count
from notebook_runs import markdown, notebook_fixture

notebook = notebook_fixture("04_linear_projections")  # its X_raw, X, y, the lecture's W and b, its layers


def test_the_lectures_projection_as_the_notebook_writes_it(notebook):
    assert np.array_equal(notebook["W"], [[0.8, 0.2], [0.6, 0.1], [-0.2, -1.2]])   # the lecture's (w₁ w₂)
    assert np.array_equal(notebook["b"], [[0.3, -0.7]])                            # (b⁽¹⁾ b⁽²⁾)


def test_standardised_columns_have_mean_0_and_standard_deviation_1(notebook):
    X = notebook["X"]
    assert X.shape == (300, 3)
    assert np.allclose(X.mean(axis=0), 0, atol=1e-12) and np.allclose(X.std(axis=0), 1)


def test_the_first_apartments_as_the_text_describes_them(notebook):
    X_raw, H = notebook["X_raw"], notebook["H"]
    assert np.array_equal(H, notebook["X"] @ notebook["W"] + notebook["b"])
    assert X_raw[0, 2] == 63 and H[0, 0] > 1 and H[0, 1] < -2   # large, but old: poor condition
    assert X_raw[2, 2] == 13 and H[2, 0] > 0 and H[2, 1] > 0    # newer: well on both
    assert (X_raw[0, 0], X_raw[2, 0]) == (1433, 1494)           # "a little larger still (1,494 against 1,433)"
    assert X_raw[2, 1] == X_raw[0, 1] - 1                       # "with one bedroom fewer"
    assert abs(H[2, 0] - H[0, 0]) < 0.1                         # "about the same space and comfort"


def test_an_entry_of_h_is_a_row_of_x_times_a_column_of_w(notebook):
    X, W, b, H = notebook["X"], notebook["W"], notebook["b"], notebook["H"]
    assert (X[0:1] @ W[:, [0]]).item() + b[0, 0] == pytest.approx(H[0, 0])


def test_price_rises_with_both_projections_more_with_space(notebook):
    H, y = notebook["H"], notebook["y"]
    r_space, r_condition = (np.corrcoef(H[:, j], y.ravel())[0, 1] for j in (0, 1))
    assert r_space > r_condition > 0.2


def test_the_deliberate_shape_error_and_its_fix(notebook):
    X, W, b = notebook["X"], notebook["W"], notebook["b"]
    with pytest.raises(ValueError) as error:
        Add(Mul(Tensor(X[:5], name="X"), Tensor(W.T, name="W")), Tensor(b))
    assert str(error.value) == "Mul: cannot multiply [5×3] by [2×3] (inner sizes 3 and 2 differ)"
    assert np.allclose(notebook["H5"].value, (X @ W + b)[:5])


def test_parameter_counts_in_the_text():
    assert parameter_count([3, 2]) == (6, 2)          # "8 parameters"
    assert sum(parameter_count([3, 4, 2])) == 26      # "26 parameters (12 + 4 + 8 + 2)"


def test_the_answers_about_parameter_counts():
    assert parameter_count([2, 4, 3, 1]) == (23, 8)
    assert sum(parameter_count([3, 4, 3, 1])) == 35   # one more input: 4 more
    assert sum(parameter_count([2, 5, 3, 1])) == 37   # one more hidden unit: 6 more
    assert parameter_count([4, 8, 6, 2]) == (92, 16)  # weights exactly 4×, biases 2×
    assert sum(parameter_count([4, 8, 6, 2])) / 31 == pytest.approx(3.5, abs=0.02)


def test_the_plane_panel_shows_the_labels_the_text_names(notebook):
    text = markdown("04_linear_projections")
    lines = re.search(r"grid lines (\S+) = c \(solid\) and (\S+) = c \(dashed\)", text)
    axes = re.search(r"The panel's axes are (\S+), (\S+) before the layer and (\S+), (\S+) after it\.", text)
    assert lines and axes, "the text no longer names the grid lines and the axes"
    lines, axes = lines.groups(), axes.groups()
    assert lines == ("x⁽¹⁾", "x⁽²⁾") and axes == ("x⁽¹⁾", "x⁽²⁾", "h⁽¹⁾", "h⁽²⁾")  # the lecture's notation
    before, after = widgets.linear_map_panel(notebook["points"]).still_axes
    assert [c.get_label() for c in before.collections[:2]] == [f"lines {x} = c" for x in lines]
    assert (before.get_xlabel(), before.get_ylabel(), after.get_xlabel(), after.get_ylabel()) == axes


def test_the_plane_panels_sliders_are_named_as_the_text_names_them(notebook):
    panel = widgets.linear_map_panel(notebook["points"])
    names = [control.description for control in panel.controls.values()]
    assert names == ["w₁⁽¹⁾", "w₁⁽²⁾", "w₂⁽¹⁾", "w₂⁽²⁾", "b⁽¹⁾", "b⁽²⁾"]  # wₖ⁽ʲ⁾: row k, column j, as the lecture
    text = markdown("04_linear_projections")
    assert "3. w₁⁽¹⁾ = w₂⁽²⁾ = 0.85, w₁⁽²⁾ = 0.5, w₂⁽¹⁾ = −0.5: a rotation by about 30°." in text
    W = np.array([[0.85, 0.5], [-0.5, 0.85]])                  # that rotation: row k, column j
    assert np.degrees(np.arctan2(W[0, 1], W[0, 0])) == pytest.approx(30, abs=1.5)
