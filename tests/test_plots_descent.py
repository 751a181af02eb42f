"""Pictures and panels of notebook 06, drawn with representative arguments and read back."""

import numpy as np
import pytest

from figures import changed_axes, layers_snapshot
from lecture_utils import plots, widgets
from lecture_utils.lessons import descent
from lecture_utils.plots import style
from lecture_utils.plots.style import Figure

K_RANGE, M_RANGE = (-50.0, 450.0), (-200.0, 300.0)


def f(theta):
    return theta**4 / 4 - theta**2 + theta / 2 + 2


def df(theta):
    return theta**3 - 2 * theta + 0.5


def slope(line):
    xs, ys = line.get_data()
    return (ys[-1] - ys[0]) / (xs[-1] - xs[0])


def lines_in(ax, color, linestyle=None):
    return [ln for ln in ax.get_lines() if ln.get_color() == color
            and (linestyle is None or ln.get_linestyle() == linestyle)]


def lr_limit_of(x):
    """2/λ_max from the Hessian written out by hand."""
    x = np.ravel(x)
    H = 2 / len(x) * np.array([[x @ x, x.sum()], [x.sum(), len(x)]])
    return 2 / np.linalg.eigvalsh(H).max()


def best_loss(x, y):
    k, m = np.polyfit(np.ravel(x), np.ravel(y), 1)
    return np.mean((y - (x * k + m)) ** 2)


def secant_picture(theta, h, theta_range=(-2.5, 2.5)):
    return plots.secant_and_tangent(descent.curve_points(f, theta_range), descent.secants_at(f, df, theta, h))


def run_picture(x, y, lr, steps, k_range=K_RANGE, m_range=M_RANGE, max_steps=None, equal_aspect=True):
    """gradient_descent_run drawn from what descent computes, as the notebook does."""
    return plots.gradient_descent_run(descent.loss_landscape(x, y, k_range, m_range),
                                      descent.descent_run(x, y, lr, steps), max_steps, equal_aspect)


def equal_compute_picture(x, y, lr, batch_size, epochs, seed=0):
    return plots.equal_compute(descent.loss_landscape(x, y, K_RANGE, M_RANGE),
                               descent.equal_compute_training(x, y, lr, batch_size, epochs, seed), epochs,
                               descent.loss_gap(x, y, (0.0, 0.0)))


def plain_gd(x, y, lr, steps):
    k = m = 0.0
    path = [(k, m)]
    for _ in range(steps):
        err = y - (x * k + m)
        k, m = k + lr * 2 * np.mean(x * err), m + lr * 2 * np.mean(err)
        path.append((k, m))
    return np.array(path)


# --- the derivative --------------------------------------------------------------------------

def test_secant_and_tangent_draws_the_curve_tangent_and_both_secants():
    fig = secant_picture(1.0, 0.5)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    curve = lines_in(ax, style.DATA)[0]
    assert np.allclose(curve.get_ydata(), f(curve.get_xdata()))
    (tangent,) = lines_in(ax, style.OPTIMUM, "-")
    (forward,) = [ln for ln in lines_in(ax, style.MODEL, "--") if len(ln.get_xdata()) == 2]
    (central,) = [ln for ln in lines_in(ax, style.SECOND, "-.") if len(ln.get_xdata()) == 2]
    assert slope(tangent) == pytest.approx(-0.5)                          # f′(1) = 1 − 2 + 1/2
    assert slope(forward) == pytest.approx((f(1.5) - f(1.0)) / 0.5)
    assert slope(central) == pytest.approx((f(1.5) - f(0.5)) / 1.0)
    assert np.allclose(tangent.get_xydata()[0], [-2.5, f(1.0) - 0.5 * (-3.5)])  # through (θ, f(θ))
    assert "tangent −0.5000" in ax.get_title() and f"forward {(f(1.5) - f(1.0)) / 0.5:.4f}" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()][1:] == [
        "tangent at θ: slope f′(θ)", "forward secant: θ to θ + h", "central secant: θ − h to θ + h"]


def test_secants_approach_the_tangent_as_h_shrinks():
    def secant_slopes(h):
        ax = secant_picture(-0.7, h).axes[0]
        return [slope(ln) for ln in ax.get_lines() if len(ln.get_xdata()) == 2]

    tangent, forward, central = secant_slopes(0.5)
    assert abs(forward - tangent) > 0.1
    tangent, forward, central = secant_slopes(1e-4)
    assert abs(forward - tangent) < 1e-3 and abs(central - tangent) < 1e-7


def test_difference_errors_on_log_log_axes():
    fig = plots.difference_errors(descent.difference_errors_at(f, df, 1.0, 1e-3))
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    forward = [ln for ln in lines_in(ax, style.MODEL) if len(ln.get_xdata()) == 200][0]
    central = [ln for ln in lines_in(ax, style.SECOND) if len(ln.get_xdata()) == 200][0]
    hs = forward.get_xdata()
    assert hs[0] == pytest.approx(1e-12) and hs[-1] == pytest.approx(1.0)
    big = hs > 1e-4  # where truncation, not rounding, decides: forward ≈ |f''|h/2, central ≈ |f'''|h²/6
    assert np.allclose(forward.get_ydata()[big], np.abs((f(1 + hs[big]) - f(1)) / hs[big] + 0.5))
    assert np.allclose(forward.get_ydata()[big & (hs < 1e-2)], hs[big & (hs < 1e-2)] / 2, rtol=0.05)  # f''(1) = 1
    assert np.allclose(central.get_ydata()[big & (hs < 1e-2)], hs[big & (hs < 1e-2)] ** 2, rtol=0.05)  # f'''(1) = 6
    markers = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 1]
    assert [m.get_xdata()[0] for m in markers] == [1e-3, 1e-3]
    assert markers[0].get_ydata()[0] == pytest.approx(abs((f(1.001) - f(1)) / 1e-3 + 0.5))
    assert "forward 5.0·10⁻⁴" in ax.get_title()


# --- the field --------------------------------------------------------------------------------

def test_gradient_field_arrows_point_downhill_with_unit_length(thousands):
    x, y = thousands
    fig = plots.gradient_field(descent.downhill_field(x, y, K_RANGE, M_RANGE, arrows=5))
    ax = fig.axes[0]
    (quiver,) = [c for c in ax.collections if hasattr(c, "U")]
    assert len(quiver.U) == 25
    k, m = quiver.X[7], quiver.Y[7]
    err = y - (x * k + m)
    down = np.array([2 * np.mean(x * err), 2 * np.mean(err)])
    assert np.allclose([quiver.U[7], quiver.V[7]], down / np.linalg.norm(down))
    assert np.allclose(np.hypot(quiver.U, quiver.V), 1)
    assert ax.get_aspect() == 1 and ax.get_title() == "−∇ℒ at every (k, m): the way down"


def test_gradient_field_draws_a_given_path(thousands):
    x, y = thousands
    path = plain_gd(x, y, 0.1, 12)
    ax = plots.gradient_field(descent.downhill_field(x, y, K_RANGE, M_RANGE), path=path).axes[0]
    walk = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 13]
    assert len(walk) == 1 and np.allclose(walk[0].get_xydata(), path)
    assert "gradient descent: 12 steps" in [t.get_text() for t in ax.get_legend().get_texts()]


# --- gradient descent and the learning rate -----------------------------------------------------

def test_gradient_descent_run_path_losses_and_the_edge(thousands):
    x, y = thousands
    fig = run_picture(x, y, 0.3, 20, max_steps=50)
    ax_path, ax_loss, ax_lr = fig.axes
    expected = plain_gd(x, y, 0.3, 20)
    walk = [ln for ln in ax_path.get_lines() if len(ln.get_xdata()) == 21]
    assert len(walk) == 1 and np.allclose(walk[0].get_xydata(), expected)
    (curve,) = [ln for ln in ax_loss.get_lines() if len(ln.get_xdata()) == 21]
    losses = np.mean((y - (x * expected[:, 0] + expected[:, 1])) ** 2, axis=0)
    assert np.allclose(curve.get_ydata(), losses - best_loss(x, y))
    assert ax_loss.get_xlim() == (0, 50) and ax_loss.get_yscale() == "log"
    edge = [ln for ln in ax_lr.get_lines() if ln.get_linestyle() == "--"]
    assert len(edge) == 1 and edge[0].get_xdata()[0] == pytest.approx(lr_limit_of(x))
    assert ax_lr.get_xlim() == pytest.approx((0, 1.3 * lr_limit_of(x)))
    (marker,) = [ln for ln in ax_lr.get_lines() if len(ln.get_xdata()) == 1 and ln.get_marker() == "o"]
    assert marker.get_xdata()[0] == 0.3 and marker.get_ydata()[0] == pytest.approx(losses[-1] - best_loss(x, y))
    (every_lr,) = [ln for ln in ax_lr.get_lines() if len(ln.get_xdata()) > 100]
    at_03 = np.interp(0.3, every_lr.get_xdata(), every_lr.get_ydata())
    assert at_03 == pytest.approx(losses[-1] - best_loss(x, y), rel=0.05)
    assert "0.452" in " ".join(t.get_text() for t in ax_lr.texts)
    assert ax_path.get_title().startswith("η = 0.3 = 0.66 × 2/λ_max")


def test_gradient_descent_run_says_too_small_converged_or_diverges(thousands):
    x, y = thousands
    limit = lr_limit_of(x)
    title = run_picture(x, y, 0.05, 30).axes[0].get_title()
    assert "not there yet after 30 steps" in title
    title = run_picture(x, y, 0.42, 200).axes[0].get_title()
    assert "converged" in title
    fig = run_picture(x, y, 1.02 * limit, 60)
    assert "diverges" in fig.axes[0].get_title()
    (curve,) = [ln for ln in fig.axes[1].get_lines() if len(ln.get_xdata()) == 61]
    assert curve.get_ydata()[-1] > 10 * curve.get_ydata()[0]  # visible: the loss runs away
    assert "η = 0: no step at all" in run_picture(x, y, 0.0, 10).axes[0].get_title()


def test_gradient_descent_run_on_raw_feet(apartments):
    x, y = apartments
    fig = run_picture(x, y, 0.9 * lr_limit_of(x), 100, (0.0, 0.5), (-200.0, 300.0), equal_aspect=False)
    assert fig.axes[0].get_aspect() == "auto"
    assert fig.axes[2].get_xlim()[1] == pytest.approx(1.3 * lr_limit_of(x))
    assert "0.90 × 2/λ_max" in fig.axes[0].get_title()


def test_scaling_comparison(apartments):
    x_feet, y = apartments
    x_std = (x_feet - x_feet.mean()) / x_feet.std()
    fig = plots.scaling_comparison(descent.edge_runs(y, [("feet", x_feet, (0, 0.5), (-200, 300)),
                                                         ("thousands", x_feet / 1000, K_RANGE, M_RANGE),
                                                         ("standardised", x_std, (-150, 350), (0, 500))],
                                                     steps=100))
    assert len(fig.axes) == 4
    assert "λ_max/λ_min = 11,562,001," in fig.axes[0].get_title() and "λ_max/λ_min = 1," in fig.axes[2].get_title()
    assert "η = 0.9 × 2/λ_max = 0.9" in fig.axes[2].get_title()
    walk = [ln for ln in fig.axes[1].get_lines() if len(ln.get_xdata()) == 101][0]
    assert np.allclose(walk.get_xydata(), plain_gd(x_feet / 1000, y, 0.9 * lr_limit_of(x_feet / 1000), 100))
    gap = fig.axes[3]
    assert [t.get_text() for t in gap.get_legend().get_texts()] == ["feet", "thousands", "standardised"]
    feet, thousands_, standardised = (ln.get_ydata() for ln in gap.get_lines())
    assert standardised[0] == pytest.approx(1) and standardised[60] < 1e-10
    assert feet[-1] > 1e-4 and feet[-1] == pytest.approx(feet[30], rel=0.01)  # stalls
    assert thousands_[60] < 0.05 * feet[60] and standardised[60] < 1e-4 * thousands_[60]


# --- equal compute ----------------------------------------------------------------------------

def test_equal_compute_gives_every_method_the_same_examples(thousands):
    x, y = thousands
    fig = equal_compute_picture(x, y, 0.05, 10, 3, seed=1)
    ax_path, ax_loss = fig.axes
    curves = {ln.get_color(): ln for ln in ax_loss.get_lines()}
    assert len(curves) == 3
    lengths = {color: len(ln.get_xdata()) for color, ln in curves.items()}
    assert lengths == {style.DATA: 3 + 1, style.MODEL: 3 * 30 + 1, style.SECOND: 3 * 300 + 1}
    assert all(ln.get_xdata()[-1] == 900 for ln in curves.values())
    assert ax_loss.get_xlim() == (0, 900)
    gd_path = [ln for ln in lines_in(ax_path, style.DATA) if len(ln.get_xdata()) == 4][0]
    assert np.allclose(gd_path.get_xydata(), plain_gd(x, y, 0.05, 3))
    assert ax_path.get_title() == "η = 0.05, steps taken:\ngradient descent: 3 · SGD, B = 10: 90 · SGD, B = 1: 900"
    assert ax_loss.get_title().startswith("ℒ at the end (ℒ* = 1,989):\ngradient descent: ")
    assert " · SGD, B = 10: " in ax_loss.get_title() and " · SGD, B = 1: " in ax_loss.get_title()
    assert ax_loss.get_xlabel().startswith("examples processed: 3 epochs of N = 300")
    # the key, in the lecture's words: SGD is gradient descent on a random batch of B samples
    key = {text.get_text(): line.get_color() for text, line in zip(ax_path.get_legend().get_texts(),
                                                                  ax_path.get_legend().legend_handles)}
    assert key == {"least squares: k = 238, m = 29.9": style.OPTIMUM, "gradient descent: B = N = 300": style.DATA,
                   "SGD with the slider's B": style.MODEL, "SGD, B = 1": style.SECOND}


def test_equal_compute_with_batch_size_one_or_n_draws_two_runs(thousands):
    x, y = thousands
    for batch_size in (1, 300):
        ax = equal_compute_picture(x, y, 0.05, batch_size, 2).axes[1]
        assert len(ax.get_lines()) == 2


# --- panels -----------------------------------------------------------------------------------

def test_tangent_panel_h_and_theta_move_the_picture():
    panel = widgets.tangent_panel(f, df)
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["h"].value = 1e-3
    after = layers_snapshot(panel)
    assert changed_axes(before, after) == [0, 1] and panel.picture.data != png
    forward = [ln for ln in lines_in(panel.moving_axes[0], style.MODEL, "--") if len(ln.get_xdata()) == 2][0]
    assert slope(forward) == pytest.approx((f(1.001) - f(1.0)) / 1e-3)
    again = layers_snapshot(panel)
    panel.controls["h"].value = 1e-3  # the same value: nothing to redraw
    assert layers_snapshot(panel) == again
    panel.controls["theta"].value = -1.5
    assert changed_axes(again, layers_snapshot(panel)) == [0, 1]
    assert panel.moving_axes[0].get_title().startswith("θ = −1.50")


def test_gradient_descent_panel_learning_rate_and_steps(thousands):
    x, y = thousands
    panel = widgets.gradient_descent_panel(x, y, K_RANGE, M_RANGE, lr=0.1, steps=20)
    assert f"{lr_limit_of(x):.3g}" in panel.controls["lr"].description
    assert panel.controls["lr"].max == pytest.approx(1.3 * lr_limit_of(x))
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["lr"].value = 0.3
    after = layers_snapshot(panel)
    assert changed_axes(before, after) == [0, 1, 2] and panel.picture.data != png
    walk = [ln for ln in panel.moving_axes[0].get_lines() if len(ln.get_xdata()) == 21]
    assert np.allclose(walk[0].get_xydata(), plain_gd(x, y, 0.3, 20))
    panel.controls["steps"].value = 40
    assert len([ln for ln in panel.moving_axes[1].get_lines() if len(ln.get_xdata()) == 41]) == 1
    again = layers_snapshot(panel)
    panel.controls["steps"].value = 40
    assert layers_snapshot(panel) == again
    panel.controls["lr"].value = 0.47  # across the edge
    assert "diverges" in panel.moving_axes[0].get_title()


def test_equal_compute_panel_batch_size_learning_rate_and_seed(thousands):
    x, y = thousands
    panel = widgets.equal_compute_panel(x, y, K_RANGE, M_RANGE, epochs=2)
    assert panel.controls["batch_size"].options == (1, 2, 5, 10, 20, 50, 100, 150, 300)

    def loss_curves():
        return {ln.get_color(): ln.get_xydata().tolist() for ln in panel.moving_axes[1].get_lines()}

    before, png = loss_curves(), panel.picture.data
    panel.controls["batch_size"].value = 50
    after = loss_curves()
    assert panel.picture.data != png
    assert after[style.DATA] == before[style.DATA] and after[style.SECOND] == before[style.SECOND]
    assert len(after[style.MODEL]) == 2 * 6 + 1
    panel.controls["seed"].value = 3  # reshuffled: SGD with B = 1 and with B = 50 changes, gradient descent does not
    reshuffled = loss_curves()
    assert np.allclose(reshuffled[style.DATA], after[style.DATA])  # the same sums, added in another order
    assert not np.allclose(reshuffled[style.SECOND], after[style.SECOND])
    panel.controls["lr"].value = 0.2
    assert not np.allclose(loss_curves()[style.DATA], reshuffled[style.DATA])
    again = layers_snapshot(panel)
    panel.controls["lr"].value = 0.2
    assert layers_snapshot(panel) == again


# --- the parts that stay and the parts that move ------------------------------------------------

def test_the_parts_that_stay_draw_no_moving_lines_and_no_titles(thousands):
    x, y = thousands
    ax = plots.secant_axes(descent.curve_points(f, (-2.5, 2.5))).axes[0]
    assert len(ax.get_lines()) == 1 and len(ax.get_legend().get_texts()) == 4 and ax.get_title() == ""
    ax = plots.difference_error_axes().axes[0]
    assert ax.get_lines() == [] and ax.get_xscale() == "log" and len(ax.get_legend().get_texts()) == 3
    fig = plots.gradient_descent_axes(descent.loss_landscape(x, y, K_RANGE, M_RANGE), descent.loss_gap(x, y, (0, 0)),
                                      descent.largest_stable_lr(x), 100, 0.6)
    assert [ax.get_title() for ax in fig.axes] == ["", "", ""]
    assert len(fig.axes[0].collections) >= 1 and fig.axes[1].get_lines() == []
    (edge,) = fig.axes[2].get_lines()
    assert edge.get_xdata()[0] == pytest.approx(lr_limit_of(x)) and fig.axes[2].get_xlim() == (0, 0.6)
    fig = plots.equal_compute_axes(descent.loss_landscape(x, y, K_RANGE, M_RANGE), 300, 4,
                                   descent.loss_gap(x, y, (0, 0)))
    assert fig.axes[1].get_lines() == [] and fig.axes[1].get_xlim() == (0, 1200)
    assert len(fig.axes[0].get_legend().get_texts()) == 4


def test_the_parts_that_move_draw_on_given_axes(thousands):
    x, y = thousands
    fig = plots.gradient_descent_axes(descent.loss_landscape(x, y, K_RANGE, M_RANGE), descent.loss_gap(x, y, (0, 0)),
                                      descent.largest_stable_lr(x), 100, 0.6)
    lines_before = [len(ax.get_lines()) for ax in fig.axes]
    plots.gradient_descent_curves(descent.descent_run(x, y, 0.2, 10, 0.6), axes=fig.axes)
    assert [len(ax.get_lines()) - n for ax, n in zip(fig.axes, lines_before)] == [2, 1, 3]
    assert all(ax.get_title() for ax in fig.axes)
    fig = plots.secant_axes(descent.curve_points(f, (-2.5, 2.5)))
    plots.secants(descent.secants_at(f, df, 0.0, 0.25), ax=fig.axes[0])
    assert len(fig.axes[0].get_lines()) == 1 + 6 and fig.axes[0].get_title().startswith("θ = 0.00, h = 0.25")
    fig = plots.difference_error_axes()
    plots.difference_error_curves(descent.difference_errors_at(f, df, 0.0, 1e-4), ax=fig.axes[0])
    assert len(fig.axes[0].get_lines()) == 5
    fig = plots.descent_path([[0.0, 0.0], [1.0, 2.0], [3.0, 1.0]])
    walk, start = fig.axes[0].get_lines()
    assert np.allclose(walk.get_xydata(), [[0, 0], [1, 2], [3, 1]]) and np.allclose(start.get_xydata(), [[0, 0]])
