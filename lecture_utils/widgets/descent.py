"""Panels for notebook 06: finding the best fit: derivatives and gradient descent."""

from .. import plots
from ..lessons import descent
from .panel import Layer, Panel, int_slider, log_slider, selection_slider, slider

__all__ = ["tangent_panel", "gradient_descent_panel", "equal_compute_panel"]


def tangent_panel(f, df, theta_range=(-2.5, 2.5), theta=1.0, h=0.5, h_range=(1e-12, 1.0),
                  error_range=(1e-14, 10.0)):
    """Sliders θ and h: the secants through θ and θ ± h and the tangent at θ (left);
    the errors of the forward and central differences against h, log-log (right).

    f: a function of one number (numpy-friendly), df: its derivative.
    """
    curve = descent.curve_points(f, theta_range)

    def frames(axes):
        plots.secant_axes(curve, ax=axes[0])
        plots.difference_error_axes(h_range, error_range, ax=axes[1])

    def slopes(axes, theta, h):
        secants = descent.secants_at(f, df, theta, h)
        errors = descent.difference_errors_at(f, df, theta, h, h_range)
        plots.secants(secants, ax=axes[0])
        plots.difference_error_curves(errors, ax=axes[1])
        return f"{plots.describe_secants(secants)}; {plots.describe_difference_errors(errors)}"

    controls = {"theta": slider("θ", *theta_range, theta, step=0.05),
                "h": log_slider("h", *h_range, h)}
    return Panel(controls, moving=Layer(slopes, "theta", "h"), background=Layer(frames), grid=(1, 2),
                 width=plots.style.PAGE_WIDTH, height=3.8)


def gradient_descent_panel(x, y, k_range, m_range, start=(0.0, 0.0), lr=0.1, steps=20, max_steps=100,
                           lr_max=None):
    """Sliders η and the number of steps: gradient descent from `start` on the ℒ(k, m)
    contours, ℒ − ℒ* after each step, and ℒ − ℒ* against η with 2/λ_max marked.

    The η slider runs to lr_max (default 1.3 × 2/λ_max) and names the threshold.
    """
    threshold = descent.largest_stable_lr(x)
    lr_max = lr_max if lr_max is not None else 1.3 * threshold
    landscape, gap = descent.loss_landscape(x, y, k_range, m_range), descent.loss_gap(x, y, start)

    def frames(axes):
        plots.gradient_descent_axes(landscape, gap, threshold, max_steps, lr_max, axes=axes)

    def run(axes, lr, steps):
        run = descent.descent_run(x, y, lr, steps, lr_max, start)
        plots.gradient_descent_curves(run, axes=axes)
        return plots.describe_descent_run(run)

    controls = {"lr": slider(f"η (diverges above 2/λ_max = {plots.style.number(threshold, '.3g')})", 0.0, lr_max,
                             lr, step=lr_max / 240, readout_format=".3f"),
                "steps": int_slider("steps", 1, max_steps, steps)}
    controls["lr"].layout.width = "480px"
    return Panel(controls, moving=Layer(run, "lr", "steps"), background=Layer(frames), grid=(1, 3),
                 width=plots.style.PAGE_WIDTH, height=plots.DESCENT_HEIGHT)


def equal_compute_panel(x, y, k_range, m_range, epochs=5, start=(0.0, 0.0), lr=0.05, batch_size=10,
                        batch_sizes=(1, 2, 5, 10, 20, 50, 100, 150), lr_range=(0.005, 0.3)):
    """Sliders batch size B, η and the shuffling seed: gradient descent (B = N) and SGD with
    batches of B and of 1 sample, each given `epochs`·N single-example gradients."""
    N = len(x)
    sizes = sorted({size for size in batch_sizes if size <= N} | {N})
    landscape, gap = descent.loss_landscape(x, y, k_range, m_range), descent.loss_gap(x, y, start)

    def frames(axes):
        plots.equal_compute_axes(landscape, N, epochs, gap, axes=axes)

    def runs(axes, batch_size, lr, seed):
        runs = descent.equal_compute_training(x, y, lr, batch_size, epochs, seed, start)
        plots.equal_compute_runs(runs, axes=axes)
        return f"{epochs} epochs of N = {N}, shuffling seed {seed}: {plots.describe_equal_compute(runs)}"

    controls = {"batch_size": selection_slider("batch size B", sizes, batch_size),
                "lr": slider("η", *lr_range, lr, step=0.005, readout_format=".3f"),
                "seed": int_slider("shuffling seed", 0, 9, 0)}
    return Panel(controls, moving=Layer(runs, "batch_size", "lr", "seed"), background=Layer(frames), grid=(1, 2),
                 width=plots.style.PAGE_WIDTH, height=3.8)
