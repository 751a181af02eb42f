"""The linear model ŷ = Xw + b (loop and matrix form), the timing helper, and the numbers
that notebooks 02 and 03 state in their text."""

import numpy as np
import pytest

from lecture_utils import plots
from lecture_utils.data import load_apartments
from lecture_utils.lessons import linear_regression, matrix_form

NAMES = ["square_feet", "bedrooms", "age", "floor"]
RULE = {"square_feet": 0.22, "bedrooms": 12.0, "age": -1.1, "floor": 1.5}  # data/make_apartments.py


@pytest.fixture(scope="module")
def table():
    return load_apartments()


def normal_equations(X, y):
    """Least squares by another route than lstsq: solve X̃ᵀX̃ w̃ = X̃ᵀy."""
    A = np.hstack([X, np.ones((len(X), 1))])
    w_tilde = np.linalg.solve(A.T @ A, A.T @ y)
    return w_tilde[:-1], float(w_tilde[-1, 0])


# --- the model ---------------------------------------------------------------------------

@pytest.mark.parametrize("as_given", [lambda w: w, lambda w: w.ravel(), lambda w: w.ravel().tolist()])
def test_predict_loop_and_predict_agree_with_the_sum_written_out(as_given):
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 5.0]])
    w = np.array([[10.0], [0.5]])
    expected = np.array([[1 * 10 + 2 * 0.5 + 7], [3 * 10 - 1 * 0.5 + 7], [0 * 10 + 5 * 0.5 + 7]])
    assert np.array_equal(linear_regression.predict_loop(X, as_given(w), 7.0), expected)
    assert np.allclose(linear_regression.predict(X, as_given(w), 7.0), expected)


def test_add_ones_column_appends_ones_on_the_right():
    X = np.arange(6.0).reshape(3, 2)
    assert np.array_equal(linear_regression.add_ones_column(X), [[0, 1, 1], [2, 3, 1], [4, 5, 1]])


def test_least_squares_recovers_exact_weights_and_bias():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 3))
    w, b = linear_regression.least_squares(X, X @ np.array([[1.0], [-2.0], [0.5]]) + 4.0)
    assert w.shape == (3, 1) and np.allclose(w.ravel(), [1, -2, 0.5]) and b == pytest.approx(4.0)


def test_least_squares_line_and_plane_recover_known_ones():
    x = np.linspace(0, 10, 30).reshape(-1, 1)
    k, m = linear_regression.least_squares_line(x, 3 * x - 2)
    assert k == pytest.approx(3) and m == pytest.approx(-2)
    rng = np.random.default_rng(1)
    x1, x2 = rng.uniform(0, 10, (40, 1)), rng.uniform(-5, 5, (40, 1))
    w1, w2, b = linear_regression.least_squares_plane(x1, x2, 2.5 * x1 - 0.75 * x2 + 4)
    assert (w1, w2, b) == pytest.approx((2.5, -0.75, 4))


def test_a_line_and_a_plane_on_data_give_their_predictions_and_loss():
    x, y = np.array([[1.0], [3.0]]), np.array([[2.0], [2.0]])
    line = linear_regression.line(x, y, 0.5, 1.0)  # ŷ = [1.5, 2.5]
    assert line.y_hat.tolist() == [1.5, 2.5] and line.loss == pytest.approx(0.25) and (line.k, line.m) == (0.5, 1.0)
    x1, x2, y = np.array([[1.0], [2.0]]), np.array([[0.0], [10.0]]), np.array([[5.0], [1.0]])
    plane = linear_regression.plane(x1, x2, y, 1.0, 0.5, 1.0)  # ŷ = [2, 8]; residuals 3 and -7
    assert plane.y_hat.tolist() == [2.0, 8.0] and plane.loss == pytest.approx((9 + 49) / 2)


def test_losses_with_more_predictors_fall_and_are_keyed_by_the_predictor_added():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(50, 1)), rng.normal(size=(50, 1))
    y = 2 * a + 3 * b + 0.1 * rng.normal(size=(50, 1))
    losses = linear_regression.losses_with_more_predictors({"a": a, "b": b}, y)
    assert list(losses) == ["a", "b"] and losses["b"] < 0.02 < losses["a"]


def test_map_plane_moves_every_point_by_xw_plus_b_and_names_det_w():
    points = np.array([[1.0, 2.0], [0.0, -1.0]])
    W, b = [[2.0, 0.0], [1.0, 1.0]], [0.5, -0.5]
    mapped = linear_regression.map_plane(points, W, b, limit=1.0, count=3, samples=5)
    assert np.allclose(mapped.points, points @ np.array(W) + b) and mapped.det == pytest.approx(2.0)
    assert len(mapped.x1_lines) == len(mapped.x2_lines) == 3 and mapped.x1_lines[0].shape == (5, 2)
    assert np.allclose(mapped.x1_lines[0][0], np.array([-1.0, -1.0]) @ np.array(W) + b)
    assert np.allclose(mapped.square, [[0.5, -0.5], [2.5, -0.5], [3.5, 0.5], [1.5, 0.5]])


def test_mean_squared_error_accepts_columns_and_flat_arrays():
    assert linear_regression.mean_squared_error(np.array([[1.0], [3.0]]), np.array([0.0, 0.0])) == pytest.approx(5.0)


# --- timing ------------------------------------------------------------------------------

def test_best_time_calls_the_function_repeats_times():
    calls = []
    seconds = matrix_form.best_time(lambda a, b: calls.append((a, b)), 1, 2, repeats=4)
    assert calls == [(1, 2)] * 4 and np.isfinite(seconds) and seconds >= 0


def test_time_vs_n_times_every_function_on_the_same_inputs_of_each_size():
    seen = {"first": [], "second": []}

    def recorder(name):
        def predict(X, w, b):
            seen[name].append((X, w, b))
            return X @ w + b
        return predict

    sizes = [1, 5, 20]
    times = matrix_form.time_vs_n({"first": recorder("first"), "second": recorder("second")}, sizes, D=3, repeats=2,
                             rng=np.random.default_rng(0))
    assert list(times) == ["first", "second"]
    for seconds in times.values():
        assert seconds.shape == (3,) and np.all(np.isfinite(seconds)) and np.all(seconds >= 0)
    assert [X.shape for X, _, _ in seen["first"]] == [(1, 3), (1, 3), (5, 3), (5, 3), (20, 3), (20, 3)]
    assert all(w.shape == (3, 1) and isinstance(b, float) for _, w, b in seen["first"])
    for (X1, w1, b1), (X2, w2, b2) in zip(seen["first"], seen["second"]):
        assert np.array_equal(X1, X2) and np.array_equal(w1, w2) and b1 == b2


def test_time_vs_n_with_the_notebooks_functions_returns_one_time_per_size():
    sizes = [10, 100]
    times = matrix_form.time_vs_n({"loop": linear_regression.predict_loop, "Xw + b": linear_regression.predict}, sizes)
    assert {name: seconds.shape for name, seconds in times.items()} == {"loop": (2,), "Xw + b": (2,)}
    fig = plots.timing_plot(sizes, times, per_row=matrix_form.seconds_per_row(sizes, times["loop"]))
    assert len(fig.axes[0].get_lines()) == 3  # both curves and the ∝ N guide


def test_seconds_per_row_is_the_slope_of_a_line_through_the_larger_half():
    sizes = np.array([10, 100, 1000, 10000])
    seconds = np.array([5.0, 1e-4, 2e-3, 2e-2])  # the small N are off (overhead); 2 µs per row beyond
    assert matrix_form.seconds_per_row(sizes, seconds) == pytest.approx(2e-6)


# --- what notebook 02 says -----------------------------------------------------------------

def test_02_the_plane_lowers_the_loss_of_notebook_01s_line(table):
    x1, x2, y = table["square_feet"], table["age"], table["price"]
    start = linear_regression.plane(x1, x2, y, 0.24, 0.0, 30.0).loss   # the sliders' start
    assert round(start, -1) == 1990                                  # "ℒ is about 1,990"
    w1, w2, b = linear_regression.least_squares_plane(x1, x2, y)
    assert linear_regression.plane(x1, x2, y, w1, w2, b).loss < 1500      # "below 1,500 is possible"
    assert round(w2, 1) == -1.1                                      # "about 1.1 k$ per year (w₂ ≈ −1.1)"
    k, m = linear_regression.least_squares_line(x1, y)
    assert (round(k, 2), round(m)) == (0.24, 30)                 # "the best line of notebook 01 (w₁ = 0.24, b = 30)"


def test_02_more_predictors_lower_the_loss_towards_the_noise(table):
    y = table["price"]
    order = ["square_feet", "age", "bedrooms", "floor"]
    losses = []
    for D in range(1, 5):
        w, b = normal_equations(table.matrix(order[:D]), y)
        losses.append(float(np.mean((y - (table.matrix(order[:D]) @ w + b)) ** 2)))
    assert losses == sorted(losses, reverse=True)                # "each predictor we add lowers ℒ"
    assert abs(losses[-1] - 35**2) < 0.02 * 35**2                 # "close to 35² = 1,225"


def test_02_the_fit_finds_size_and_age_closely_bedrooms_and_floor_less_so(table):
    w, b = linear_regression.least_squares(table.matrix(NAMES), table["price"])
    fitted = dict(zip(NAMES, w.ravel()))
    relative = {name: abs(fitted[name] - RULE[name]) / abs(RULE[name]) for name in NAMES}
    assert relative["square_feet"] < 0.05 and relative["age"] < 0.06
    assert min(relative["bedrooms"], relative["floor"]) > max(relative["square_feet"], relative["age"])
    w_check, b_check = normal_equations(table.matrix(NAMES), table["price"])
    assert np.allclose(w, w_check) and b == pytest.approx(b_check)  # "the values notebook 02 found" (03)


# --- what notebook 03 says -----------------------------------------------------------------

def test_03_the_loop_and_the_product_agree_up_to_rounding(table):
    X, w, b = table.matrix(NAMES), np.array([[0.22], [12.0], [-1.1], [1.5]]), 40.0
    y_hat_loop = linear_regression.predict_loop(X, w, b)
    assert np.max(np.abs(X @ w + b - y_hat_loop)) < 1e-9          # "the difference is below 10⁻⁹"
    X_tilde = np.hstack([X, np.ones((len(X), 1))])
    assert np.max(np.abs(X_tilde @ np.vstack([w, [[b]]]) - (X @ w + b))) < 1e-9


def test_03_apartment_0_row_times_w(table):
    X, w = table.matrix(NAMES), np.array([[0.22], [12.0], [-1.1], [1.5]])
    assert (X[0:1] @ w).shape == (1, 1)
    assert round(float((X[0:1] @ w)[0, 0]), 2) == 296.96           # "add up to 296.96 k$"
    assert round(float((X[0:1] @ w)[0, 0]) + 40.0, 2) == 336.96    # "ŷ₀ = 336.96 k$"
    assert float(table["price"][0, 0]) == 368.2                     # "its true price was 368.2 k$"


def test_03_numpy_names_the_inner_sizes_of_the_wrong_order(table):
    X, w = table.matrix(NAMES), np.ones((4, 1))
    with pytest.raises(ValueError, match="size 300 is different from 1"):  # quoted in the text
        w @ X


def test_the_rule_quoted_in_02_and_03_is_the_one_that_made_the_data():
    from conftest import ROOT

    script = (ROOT / "data" / "make_apartments.py").read_text()
    assert "price = 40 + 0.22 * square_feet + 12 * bedrooms - 1.1 * age + 1.5 * floor + noise" in script
    assert "noise = rng.normal(0, 35, n)" in script  # "35² = 1,225"
    assert RULE == {"square_feet": 0.22, "bedrooms": 12.0, "age": -1.1, "floor": 1.5}
