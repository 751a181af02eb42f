"""The numbers behind notebook 06: differences, the gradient and Hessian of the MSE, gradient
descent and its learning-rate edge, SGD with several batch sizes at equal compute; and the claims its text makes."""

import numpy as np
import pytest

from lecture_utils import numerical_gradient
from lecture_utils.lessons import descent
from lecture_utils.lessons.linear_regression import least_squares_line, line


def explicit_hessian(x):
    """(2/N)·[[Σx², Σx], [Σx, N]] written out, for comparison."""
    x = np.ravel(x)
    return 2 / len(x) * np.array([[x @ x, x.sum()], [x.sum(), len(x)]])


def closed_form_path(x, y, k, m, lr, steps):
    """θ_t = θ* + (I - ηH)^t (θ_0 - θ*): gradient descent on a quadratic, without stepping."""
    H = explicit_hessian(x)
    best = np.array(least_squares_line(x, y))
    shrink = np.eye(2) - lr * H
    return np.array([best + np.linalg.matrix_power(shrink, t) @ (np.array([k, m]) - best) for t in range(steps + 1)])


# --- differences ----------------------------------------------------------------------------

def test_forward_difference_error_is_about_half_h_times_the_second_derivative():
    h = np.array([1e-2, 1e-3])
    error = descent.forward_difference(np.exp, 0.0, h) - 1.0  # f' = f'' = 1 at 0
    assert np.allclose(error, h / 2, rtol=0.02)


def test_central_difference_error_is_about_h_squared_over_six_times_the_third_derivative():
    h = np.array([1e-2, 1e-3])
    error = descent.central_difference(np.exp, 0.0, h) - 1.0
    assert np.allclose(error, h**2 / 6, rtol=0.02)


def test_differences_of_a_line_are_its_slope():
    assert descent.forward_difference(lambda t: 3 * t - 1, 2.0, 0.5) == pytest.approx(3)
    assert descent.central_difference(lambda t: 3 * t - 1, 2.0, 0.5) == pytest.approx(3)


# --- gradient and Hessian ---------------------------------------------------------------------

@pytest.mark.parametrize("k, m", [(0.0, 0.0), (100.0, 50.0), (400.0, -150.0)])
def test_mse_gradient_matches_central_differences(thousands, k, m):
    x, y = thousands
    numeric = numerical_gradient(lambda theta: line(x, y, *theta).loss, np.array([k, m]))
    assert np.allclose(descent.mse_gradient(x, y, k, m), numeric, rtol=1e-6)


def test_mse_gradient_vanishes_at_the_least_squares_line(thousands):
    x, y = thousands
    assert np.allclose(descent.mse_gradient(x, y, *least_squares_line(x, y)), 0, atol=1e-8)


def test_mse_hessian_of_a_small_example():
    assert np.allclose(descent.mse_hessian(np.array([[1.0], [2.0], [3.0]])), 2 / 3 * np.array([[14, 6], [6, 3]]))


def test_mse_hessian_is_the_derivative_of_the_gradient(thousands):
    x, y = thousands
    columns = [numerical_gradient(lambda theta: descent.mse_gradient(x, y, *theta)[i], np.array([50.0, 20.0]))
               for i in range(2)]
    assert np.allclose(descent.mse_hessian(x), np.array(columns), rtol=1e-5)


@pytest.mark.parametrize("units", ["thousands", "feet", "standardised", "random"])
def test_gradient_descent_converges_just_below_the_edge_and_diverges_just_above(apartments, units):
    x, y = apartments
    x = {"thousands": x / 1000, "feet": x, "standardised": (x - x.mean()) / x.std(),
         "random": np.random.default_rng(3).normal(2.0, 0.7, size=(40, 1))}[units]
    if units == "random":
        y = 3 * x + 1 + np.random.default_rng(4).normal(0, 0.5, size=x.shape)
    lr_limit = descent.largest_stable_lr(x)
    assert lr_limit == pytest.approx(2 / np.linalg.eigvalsh(explicit_hessian(x)).max())
    best = np.array(least_squares_line(x, y))
    start_distance = np.linalg.norm(best)
    if units == "feet":  # twelve million times slower along the valley floor: look at the steep direction
        below = descent.gradient_descent(x, y, 0.0, 0.0, 0.98 * lr_limit, 2000)
        assert np.all(np.abs(below) < 10 * start_distance)
    else:
        below = descent.gradient_descent(x, y, 0.0, 0.0, 0.98 * lr_limit, 3000)
        assert np.linalg.norm(below[-1] - best) < 1e-6 * start_distance
    above = descent.gradient_descent(x, y, 0.0, 0.0, 1.02 * lr_limit, 3000)
    assert not np.all(np.isfinite(above)) or np.linalg.norm(above[-1] - best) > 1e6 * start_distance


# --- gradient descent -------------------------------------------------------------------------

def test_gradient_descent_follows_the_closed_form(thousands):
    x, y = thousands
    path = descent.gradient_descent(x, y, 10.0, -20.0, 0.3, 25)
    assert path.shape == (26, 2) and np.allclose(path[0], [10.0, -20.0])
    assert np.allclose(path, closed_form_path(x, y, 10.0, -20.0, 0.3, 25))


def test_losses_along_a_path(thousands):
    x, y = thousands
    path = np.array([[0.0, 0.0], [200.0, 10.0], [238.0, 30.0]])
    assert np.allclose(descent.losses_along(x, y, path), [line(x, y, k, m).loss for k, m in path])


def test_loss_after_steps_for_many_learning_rates_at_once(thousands):
    x, y = thousands
    lrs = np.array([0.0, 0.1, 0.3, 0.44, 0.5])
    got = descent.loss_after_steps(x, y, 0.0, 0.0, lrs, 30)
    one_by_one = [descent.losses_along(x, y, descent.gradient_descent(x, y, 0.0, 0.0, lr, 30))[-1] for lr in lrs]
    assert np.allclose(got, one_by_one, rtol=1e-9)
    assert got[0] == pytest.approx(line(x, y, 0.0, 0.0).loss)


# --- SGD on random batches -----------------------------------------------------------------------------

def reference_sgd(x, y, k, m, lr, batch_size, epochs, seed):
    """The plain loop: shuffle, then one step per batch with mse_gradient on that batch."""
    rng = np.random.default_rng(seed)
    path = [(k, m)]
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            dk, dm = descent.mse_gradient(x[rows], y[rows], k, m)
            k, m = k - lr * dk, m - lr * dm
            path.append((k, m))
    return np.array(path)


@pytest.mark.parametrize("batch_size", [1, 7, 50, 300])
def test_sgd_is_the_plain_loop(thousands, batch_size):
    x, y = thousands
    run = descent.sgd(x, y, 5.0, 5.0, 0.05, batch_size, 2, seed=11)
    assert np.allclose(run.path, reference_sgd(x, y, 5.0, 5.0, 0.05, batch_size, 2, seed=11))


@pytest.mark.parametrize("batch_size", [1, 7, 50, 300])
def test_every_batch_size_gets_the_same_compute(thousands, batch_size):
    x, y = thousands
    run = descent.sgd(x, y, 0.0, 0.0, 0.05, batch_size, 3)
    assert run.steps == 3 * int(np.ceil(300 / batch_size))
    assert run.examples[0] == 0 and run.examples[-1] == 3 * 300
    assert np.all(np.diff(run.examples) <= batch_size) and np.all(np.diff(run.examples) >= 1)


def test_full_batch_is_gradient_descent(thousands):
    x, y = thousands
    run = descent.sgd(x, y, 0.0, 0.0, 0.2, 300, 8)
    assert np.allclose(run.path, descent.gradient_descent(x, y, 0.0, 0.0, 0.2, 8))


def test_sgd_is_seeded(thousands):
    x, y = thousands
    first = descent.sgd(x, y, 0.0, 0.0, 0.05, 10, 1, seed=1).path
    assert np.array_equal(first, descent.sgd(x, y, 0.0, 0.0, 0.05, 10, 1, seed=1).path)
    assert not np.allclose(first, descent.sgd(x, y, 0.0, 0.0, 0.05, 10, 1, seed=2).path)


@pytest.mark.parametrize("batch_size", [0, 301])
def test_sgd_rejects_impossible_batch_sizes(thousands, batch_size):
    x, y = thousands
    with pytest.raises(ValueError, match="batch_size"):
        descent.sgd(x, y, 0.0, 0.0, 0.05, batch_size, 1)


# --- what notebook 06 says in its text ----------------------------------------------------------

def f(theta):
    return theta**4 / 4 - theta**2 + theta / 2 + 2


def df(theta):
    return theta**3 - 2 * theta + 0.5


def test_claim_forward_about_8_digits_central_about_10_and_rounding_takes_over():
    h = np.geomspace(1e-12, 1, 200)
    forward = np.abs(descent.forward_difference(f, 1.0, h) - df(1.0)) / abs(df(1.0))
    central = np.abs(descent.central_difference(f, 1.0, h) - df(1.0)) / abs(df(1.0))
    assert 1e-9 < forward.min() < 1e-7 and 1e-11 < central.min() < 1e-9
    assert 1e-10 < h[forward.argmin()] < 1e-6  # below about 1e-8, forward errors grow again
    assert 1e-7 < h[central.argmin()] < 1e-4
    assert forward[h < 1e-11].min() > 100 * forward.min() and central[h < 1e-11].min() > 1e4 * central.min()


def test_claim_lr_too_small_and_best_lr_just_below_the_edge(thousands):
    x, y = thousands
    best = line(x, y, *least_squares_line(x, y)).loss
    assert descent.loss_after_steps(x, y, 0.0, 0.0, [0.05], 100)[0] > 1.01 * best  # 100 steps: not there yet
    lr_limit = descent.largest_stable_lr(x)
    assert 0.45 < lr_limit < 0.46  # "2/λ_max = 0.452" in the printed output and the slider
    lrs = np.linspace(0.01, 1.3 * lr_limit, 500)
    best_lr = lrs[np.argmin(descent.loss_after_steps(x, y, 0.0, 0.0, lrs, 30))]
    assert 0.8 * lr_limit < best_lr < lr_limit


def test_claim_raw_feet_k_settles_m_does_not_move_and_the_loss_stalls(apartments):
    x_feet, y = apartments
    lr_limit = descent.largest_stable_lr(x_feet)
    assert 7e-7 < lr_limit < 9e-7
    path = descent.gradient_descent(x_feet, y, 0.0, 0.0, 0.9 * lr_limit, 100)
    assert abs(path[-1, 0] - path[20, 0]) < 0.02 * abs(path[-1, 0])  # k settles within about 20 steps
    assert np.abs(path[:, 1]).max() < 1.0                           # m does not move
    best = line(x_feet, y, *least_squares_line(x_feet, y)).loss
    assert 80 < descent.losses_along(x_feet, y, path[-1:])[0] - best < 120  # stalls about 100 above ℒ*
    lrs = np.linspace(0.1, 0.95, 50) * lr_limit
    assert np.all(np.abs(descent.loss_after_steps(x_feet, y, 0.0, 0.0, lrs, 100) - best - 100) < 20)  # for every η


def test_claim_eigenvalue_ratios_and_the_round_bowl(apartments):
    x_feet, y = apartments
    ratio = {}
    standardised = (x_feet - x_feet.mean()) / x_feet.std()
    for name, x in [("feet", x_feet), ("thousands", x_feet / 1000), ("standardised", standardised)]:
        low, high = np.linalg.eigvalsh(descent.mse_hessian(x))
        ratio[name] = high / low
    assert 11e6 < ratio["feet"] < 13e6 and 30 < ratio["thousands"] < 40 and ratio["standardised"] == pytest.approx(1)
    assert 1.0 < (x_feet / 1000).mean() < 1.1 and 0.35 < (x_feet / 1000).std() < 0.4
    H_feet = descent.mse_hessian(x_feet)
    assert 1e6 < H_feet[0, 0] / H_feet[1, 1] < 2e6  # the k-direction a million times more curved
    assert 230 < least_squares_line(x_feet / 1000, y)[0] < 250  # about 240 k$ per 1000 square feet
    x_std = (x_feet - x_feet.mean()) / x_feet.std()
    assert np.allclose(descent.mse_hessian(x_std), 2 * np.eye(2))
    assert descent.largest_stable_lr(x_std) == pytest.approx(1)
    one_step = descent.gradient_descent(x_std, y, 0.0, 0.0, 0.5, 1)[-1]
    assert np.allclose(one_step, least_squares_line(x_std, y))
    # the same line, written in different units
    predictions = [x * k + m for x in (x_feet, x_feet / 1000, x_std) for k, m in [least_squares_line(x, y)]]
    assert np.allclose(predictions[0], predictions[1]) and np.allclose(predictions[0], predictions[2])


def test_claim_equal_compute_gd_five_times_sgd_within_ten_percent(thousands):
    x, y = thousands
    best = line(x, y, *least_squares_line(x, y)).loss
    final = {B: descent.losses_along(x, y, descent.sgd(x, y, 0.0, 0.0, 0.05, B, 5, seed=0).path)[-1]
             for B in (1, 10, 300)}
    assert 4 * best < final[300] < 6 * best
    assert final[10] < 1.1 * best and final[1] < 1.1 * best


def test_claim_sgd_jitters_more_with_a_larger_learning_rate_and_is_slower_with_a_smaller_one(thousands):
    x, y = thousands

    def losses(lr):
        return descent.losses_along(x, y, descent.sgd(x, y, 0.0, 0.0, lr, 1, 5, seed=0).path)

    small, medium, large = losses(0.01), losses(0.05), losses(0.2)
    last_epoch = slice(-300, None)
    assert np.std(large[last_epoch]) > 3 * np.std(medium[last_epoch]) > 3 * np.std(small[last_epoch])
    assert np.mean(small[:300]) > np.mean(medium[:300])  # calmer, but slower


def test_loss_grid_is_the_mse_of_every_line_and_the_landscape_marks_least_squares(thousands):
    x, y = thousands
    ks, ms = np.linspace(0, 400, 7), np.linspace(-100, 200, 5)
    grid = descent.loss_grid(x, y, ks, ms)
    brute = [[np.mean((y - (x * k + m)) ** 2) for k in ks] for m in ms]
    assert grid.shape == (5, 7) and np.allclose(grid, brute)
    landscape = descent.loss_landscape(x, y, (0, 400), (-100, 200), resolution=7)
    assert np.allclose(landscape.best, np.polyfit(np.ravel(x), np.ravel(y), 1))
    assert descent.loss_gap(x, y, landscape.best) > 0  # never 0: a log axis starts below it
    assert descent.loss_gap(x, y, (0, 0)) == pytest.approx(np.mean(y**2) - descent.best_loss(x, y))
