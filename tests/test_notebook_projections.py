"""The claims notebook 04's text makes about its numbers, computed here as the notebook does."""

import numpy as np
import pytest

from lecture_utils import plots, set_seed
from lecture_utils.autograd import Add, Mul, Tensor
from lecture_utils.data import load_apartments

W = np.array([[0.8, 0.2], [0.6, 0.1], [-0.2, -1.2]])   # the lecture's (w₁ w₂)
b = np.array([[0.3, -0.7]])                           # (b⁽¹⁾ b⁽²⁾)


@pytest.fixture(scope="module")
def data():
    apartments = load_apartments()
    X_raw = apartments.matrix(["square_feet", "bedrooms", "age"])
    X = (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0)
    return X_raw, X, apartments["price"]


def test_standardised_columns_have_mean_0_and_standard_deviation_1(data):
    _, X, _ = data
    assert X.shape == (300, 3)
    assert np.allclose(X.mean(axis=0), 0, atol=1e-12) and np.allclose(X.std(axis=0), 1)


def test_the_first_apartments_as_the_text_describes_them(data):
    X_raw, X, _ = data
    H = X @ W + b
    assert X_raw[0, 2] == 63 and H[0, 0] > 1 and H[0, 1] < -2   # large, but old: poor condition
    assert X_raw[2, 2] == 13 and H[2, 0] > 0 and H[2, 1] > 0    # newer: well on both
    assert (X_raw[0, 0], X_raw[2, 0]) == (1433, 1494)           # "a little larger still (1,494 against 1,433)"
    assert X_raw[2, 1] == X_raw[0, 1] - 1                       # "with one bedroom fewer"
    assert abs(H[2, 0] - H[0, 0]) < 0.1                         # "about the same space and comfort"


def test_an_entry_of_h_is_a_row_of_x_times_a_column_of_w(data):
    _, X, _ = data
    H = X @ W + b
    assert (X[0:1] @ W[:, [0]]).item() + b[0, 0] == pytest.approx(H[0, 0])


def test_price_rises_with_both_projections_more_with_space(data):
    _, X, y = data
    H = X @ W + b
    r_space, r_condition = (np.corrcoef(H[:, j], y.ravel())[0, 1] for j in (0, 1))
    assert r_space > r_condition > 0.2


def test_the_deliberate_shape_error_and_its_fix(data):
    _, X, _ = data
    with pytest.raises(ValueError) as error:
        Add(Mul(Tensor(X[:5], name="X"), Tensor(W.T, name="W")), Tensor(b))
    assert str(error.value) == "Mul: cannot multiply [5×3] by [2×3] (inner sizes 3 and 2 differ)"
    assert np.allclose(Add(Mul(Tensor(X[:5]), Tensor(W)), Tensor(b)).value, (X @ W + b)[:5])


def test_parameter_counts_in_the_text():
    assert plots.parameter_count([3, 2]) == (6, 2)          # "8 parameters"
    assert sum(plots.parameter_count([3, 4, 2])) == 26      # "26 parameters (12 + 4 + 8 + 2)"


def test_the_answers_about_parameter_counts():
    assert plots.parameter_count([2, 4, 3, 1]) == (23, 8) and 8 + 4 + 12 + 3 + 3 + 1 == 31
    assert sum(plots.parameter_count([3, 4, 3, 1])) == 35   # one more input: 4 more
    assert sum(plots.parameter_count([2, 5, 3, 1])) == 37   # one more hidden unit: 6 more
    assert plots.parameter_count([4, 8, 6, 2]) == (92, 16)  # weights exactly 4×, biases 2×
    assert sum(plots.parameter_count([4, 8, 6, 2])) / 31 == pytest.approx(3.5, abs=0.02)


def test_two_stacked_linear_layers_equal_one_to_rounding(data):
    """The notebook draws W₁, b₁, W₂, b₂ right after set_seed(0), in this order."""
    _, X, _ = data
    set_seed(0)
    W1, b1 = np.random.randn(3, 4), np.random.randn(1, 4)
    W2, b2 = np.random.randn(4, 2), np.random.randn(1, 2)
    H2 = (X @ W1 + b1) @ W2 + b2
    difference = np.abs(H2 - (X @ (W1 @ W2) + (b1 @ W2 + b2))).max()
    assert difference < 1e-12                               # "below 10⁻¹²"
    assert np.abs(H2).max() > 1                             # and not because everything is tiny
