"""Pictures for notebook 06: finding the best fit: derivatives and gradient descent.

Every function takes data and parameters, draws on `ax` (or `axes`) if given or on
a new figure otherwise, and returns the figure. Pictures that a panel animates
come in two parts, as in notebook 01: the part that stays (`..._axes`: curves and
contours, axis limits, the key to the lines) and the part that moves (the lines
themselves, with their numbers in the titles); a third function draws both.
The numbers come from `lecture_utils.descent`; the ℒ(k, m) contours from `line`.
"""

import numpy as np
from matplotlib.lines import Line2D

from .. import descent
from . import style
from .line import least_squares_line, mse_contours, mse_of_line

__all__ = [
    "secant_axes", "secants", "secant_and_tangent",
    "difference_error_axes", "difference_error_curves", "difference_errors",
    "descent_path", "gradient_field",
    "gradient_descent_axes", "gradient_descent_curves", "gradient_descent_run",
    "scaling_comparison",
    "equal_compute_axes", "equal_compute_runs", "equal_compute",
]

# How each line looks, so that a key drawn once (in the part that stays) matches the
# lines drawn on every change. Told apart by colour AND line style or marker.
TANGENT = {"color": style.OPTIMUM, "linestyle": "-"}
FORWARD = {"color": style.MODEL, "linestyle": "--", "marker": "o"}
CENTRAL = {"color": style.SECOND, "linestyle": "-.", "marker": "s"}
PATH = {"color": style.MODEL, "linestyle": "-", "marker": "o"}
RUNS = {
    "gd": {"color": style.DATA, "linestyle": "-", "marker": "o", "linewidth": 2.0, "alpha": 1.0},
    "minibatch": {"color": style.MODEL, "linestyle": "--", "marker": None, "linewidth": 1.6, "alpha": 1.0},
    "sgd": {"color": style.SECOND, "linestyle": "-", "marker": None, "linewidth": 0.8, "alpha": 0.75},
}
GAP_LABEL = f"{style.LOSS} − {style.LOSS}*: above the best line"


def _key(label, **line_style):
    """A legend entry for a line that is drawn later (or elsewhere)."""
    return Line2D([], [], label=label, **line_style)


def _number(value):
    """A loss for a title: 1,989, or 3.2e+21 (or inf) once it has run away."""
    return f"{value:,.0f}" if np.isfinite(value) and abs(value) < 1e7 else f"{value:.1e}"


# --- the derivative as the slope of the tangent --------------------------------------------

def secant_axes(f, theta_range, ax=None):
    """The curve f(θ) over theta_range and the key to the lines (the part of
    secant_and_tangent that stays)."""
    ax = style.target_axes(ax)
    thetas = np.linspace(*theta_range, 300)
    values = np.asarray(f(thetas), dtype=np.float64)
    curve, = ax.plot(thetas, values, color=style.DATA, linewidth=2.5, label="f(θ)")
    pad = 0.15 * np.ptp(values)
    ax.set_xlim(*theta_range)
    ax.set_ylim(values.min() - pad, values.max() + pad)
    style.style_axes(ax, None, "θ", "f(θ)")
    ax.legend(handles=[
        curve,
        _key("tangent at θ: slope f′(θ)", **TANGENT),
        _key("forward secant: θ to θ + h", **FORWARD),
        _key("central secant: θ − h to θ + h", **CENTRAL),
    ], loc="upper center", fontsize=8)
    return ax.figure


def secants(f, df, theta, h, ax=None):
    """At θ: the tangent (slope f′(θ)), the forward secant through θ and θ + h, and the
    central secant through θ - h and θ + h; their slopes in the title (the part of
    secant_and_tangent that moves)."""
    ax = style.target_axes(ax)
    ends = np.array(ax.get_xlim())
    f0, exact = float(f(theta)), float(df(theta))
    forward = float(descent.forward_difference(f, theta, h))
    central = float(descent.central_difference(f, theta, h))
    f_minus, f_plus = float(f(theta - h)), float(f(theta + h))
    ax.plot(ends, f0 + exact * (ends - theta), linewidth=1.6, **TANGENT)
    ax.plot(ends, f0 + forward * (ends - theta), linewidth=1.6, markevery=[], **FORWARD)
    ax.plot(ends, f_minus + central * (ends - (theta - h)), linewidth=1.6, markevery=[], **CENTRAL)
    ax.plot([theta + h], [f_plus], markersize=7, markeredgecolor=style.INK, **{**FORWARD, "linestyle": "none"})
    ax.plot([theta - h], [f_minus], markersize=7, markeredgecolor=style.INK, **{**CENTRAL, "linestyle": "none"})
    ax.plot([theta], [f0], marker="o", markersize=10, color=style.HIGHLIGHT, markeredgecolor=style.INK,
            linestyle="none")
    ax.set_title(f"θ = {theta:.2f}, h = {h:.2g}: slopes  tangent {exact:.4f} · forward {forward:.4f} · "
                 f"central {central:.4f}", fontsize=10)
    return ax.figure


def secant_and_tangent(f, df, theta, h, theta_range, ax=None):
    """f(θ), a point θ, the secants with step h and the tangent they approach as h → 0."""
    ax = style.target_axes(ax)
    secant_axes(f, theta_range, ax=ax)
    secants(f, df, theta, h, ax=ax)
    return ax.figure


def difference_error_axes(h_range=(1e-12, 1.0), error_range=(1e-14, 10.0), ax=None):
    """Log-log axes for the error of a difference quotient against the step h, and the key
    (the part that stays)."""
    ax = style.target_axes(ax)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.minorticks_off()  # a dozen decades: minor ticks would only clutter (and slow) the picture
    ax.set_xlim(*h_range)
    ax.set_ylim(*error_range)
    style.style_axes(ax, None, "step h", "error |slope − f′(θ)|")
    ax.text(0.03, 0.04, "← rounding errors grow\n    as h shrinks", transform=ax.transAxes, fontsize=8,
            color=style.RESIDUAL)
    ax.legend(handles=[
        _key("forward difference: error ∝ h", **FORWARD, markevery=[]),
        _key("central difference: error ∝ h²", **CENTRAL, markevery=[]),
        _key("the slider's h", color=style.HIGHLIGHT),
    ], loc="upper right", fontsize=8)
    return ax.figure


def difference_error_curves(f, df, theta, h, h_range=(1e-12, 1.0), ax=None):
    """Error of the forward and the central difference at θ for every step h, and at the
    current h (the part of difference_errors that moves)."""
    ax = style.target_axes(ax)
    steps = np.geomspace(*h_range, 200)
    exact = float(df(theta))
    at_h = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for difference, line_style in [(descent.forward_difference, FORWARD), (descent.central_difference, CENTRAL)]:
            errors = np.abs(difference(f, theta, steps) - exact)
            errors[errors == 0] = np.nan  # exact to the last bit: no point on a log axis
            error = abs(float(difference(f, theta, h)) - exact)
            at_h.append(error)
            ax.plot(steps, errors, linewidth=1.6, markevery=[], **line_style)
            ax.plot([h], [error if error > 0 else np.nan], markersize=8, markeredgecolor=style.INK,
                    **{**line_style, "linestyle": "none"})
    ax.axvline(h, color=style.HIGHLIGHT, linewidth=1.5)
    ax.set_title(f"errors at h = {h:.2g}:  forward {at_h[0]:.1e} · central {at_h[1]:.1e}", fontsize=10)
    return ax.figure


def difference_errors(f, df, theta, h, h_range=(1e-12, 1.0), error_range=(1e-14, 10.0), ax=None):
    """How far the forward and central differences are from f′(θ), against h (log-log)."""
    ax = style.target_axes(ax)
    difference_error_axes(h_range, error_range, ax=ax)
    difference_error_curves(f, df, theta, h, h_range, ax=ax)
    return ax.figure


# --- the gradient as a field ----------------------------------------------------------------

def descent_path(path, ax=None, color=style.MODEL, linestyle="-", marker="o", label=None, linewidth=1.4,
                 alpha=1.0):
    """A path of (k, m) points [S×2] on the ℒ(k, m) plane; its start as a square."""
    ax = style.target_axes(ax)
    path = np.asarray(path, dtype=np.float64)
    ax.plot(path[:, 0], path[:, 1], color=color, linestyle=linestyle, marker=marker, markersize=3.5,
            linewidth=linewidth, alpha=alpha, label=label, zorder=4)
    ax.plot(path[0, 0], path[0, 1], marker="s", markersize=8, color=color, markeredgecolor=style.INK,
            linestyle="none", zorder=5)
    return ax.figure


def gradient_field(x, y, k_range, m_range, path=None, arrows=13, ax=None):
    """The ℒ(k, m) contours with an arrow at every grid point pointing downhill, along -∇ℒ.

    The arrows show the direction only (they all have the same length); path: an
    optional walk [S×2] to draw on top, e.g. gradient descent following the arrows.
    """
    ax = style.target_axes(ax, 6.4, 5.6)
    mse_contours(x, y, k_range, m_range, ax=ax)
    ks, ms = np.linspace(*k_range, arrows), np.linspace(*m_range, arrows)
    K, M = np.meshgrid(ks, ms)
    gradient = np.array([descent.mse_gradient(x, y, k, m) for k, m in zip(K.ravel(), M.ravel())])
    down = -gradient / np.linalg.norm(gradient, axis=1, keepdims=True).clip(1e-300)
    spacing = min(ks[1] - ks[0], ms[1] - ms[0])
    ax.quiver(K.ravel(), M.ravel(), down[:, 0], down[:, 1], angles="xy", scale_units="xy",
              scale=1 / (0.7 * spacing), pivot="mid", color=style.INK, alpha=0.55, width=0.004)
    if path is not None:
        descent_path(path, ax=ax, label=f"gradient descent: {len(path) - 1} steps", **PATH)
    ax.set_aspect("equal", adjustable="box")
    ax.set_title("−∇ℒ at every (k, m): the way down")
    ax.legend(loc="upper right", fontsize=8)
    return ax.figure


# --- gradient descent and its learning rate -------------------------------------------------

def _best_and_gap(x, y, start):
    """ℒ* of the least-squares line, and how far above it the start is: ℒ(start) - ℒ*."""
    best = mse_of_line(x, y, *least_squares_line(x, y))
    return best, max(mse_of_line(x, y, *start) - best, 1e-9 * max(best, 1.0))


def gradient_descent_axes(x, y, k_range, m_range, max_steps, lr_max, start=(0.0, 0.0), equal_aspect=True,
                          axes=None):
    """The parts of gradient_descent_run that stay: the ℒ(k, m) contours, the axes of the
    loss curve, and the learning-rate axis with the threshold 2/λ_max and the region beyond it."""
    fig, axes = style.target_axes_grid(axes, 1, 3, 14, 4.4)
    mse_contours(x, y, k_range, m_range, ax=axes[0])
    if equal_aspect:
        axes[0].set_aspect("equal", adjustable="box")
    axes[0].legend(handles=axes[0].get_lines() + [_key("gradient descent from the square", **PATH)],
                   loc="upper right", fontsize=8)
    _, gap = _best_and_gap(x, y, start)
    for ax in axes[1:]:
        ax.set_yscale("log")
        ax.minorticks_off()
        ax.set_ylim(1e-6 * gap, 30 * gap)
    axes[1].set_xlim(0, max_steps)
    style.style_axes(axes[1], None, "step t", GAP_LABEL)
    threshold = descent.largest_stable_lr(x)
    axes[2].set_xlim(0, lr_max)
    axes[2].axvspan(threshold, lr_max, color=style.MODEL, alpha=0.12, linewidth=0)
    axes[2].axvline(threshold, color=style.INK, linestyle="--", linewidth=1.5)
    axes[2].text(threshold, 0.12, f" 2/λ_max\n = {threshold:.3g}:\n diverges\n beyond",
                 transform=axes[2].get_xaxis_transform(), va="center", ha="left", fontsize=8)
    style.style_axes(axes[2], None, "learning rate η", f"{style.LOSS} − {style.LOSS}* after the last step")
    axes[2].legend(handles=[_key("every η, the same number of steps", color=style.DATA, linewidth=1.6),
                            _key("the slider's η", **PATH)], loc="lower left", fontsize=8)
    return fig


def _descent_verdict(lr, threshold, final_loss, best, steps):
    """In words, what gradient descent with this η did in this many steps."""
    if lr >= threshold:
        return "η ≥ 2/λ_max: every step overshoots further — diverges"
    if lr <= 0:
        return "η = 0: no step at all"
    if final_loss <= 1.01 * best:
        return f"converged: ℒ within 1% of ℒ* after {steps} steps"
    return f"η < 2/λ_max: it converges, but is not there yet after {steps} steps"


def gradient_descent_curves(x, y, lr, steps, lr_max, start=(0.0, 0.0), axes=None):
    """The parts of gradient_descent_run that move: the path on ℒ(k, m), ℒ - ℒ* after each
    step, and ℒ - ℒ* after the last step for every η in [0, lr_max] with the current η marked."""
    fig, axes = style.target_axes_grid(axes, 1, 3, 14, 4.4)
    best, _ = _best_and_gap(x, y, start)
    path = descent.gradient_descent(x, y, *start, lr, steps)
    losses = descent.losses_along(x, y, path)
    threshold = descent.largest_stable_lr(x)
    descent_path(path, ax=axes[0], **PATH)
    verdict = _descent_verdict(lr, threshold, losses[-1], best, steps)
    axes[0].set_title(f"η = {lr:.3g} = {lr / threshold:.2f} × 2/λ_max\n{verdict}", fontsize=10)
    axes[1].plot(np.arange(steps + 1), losses - best, markersize=3, linewidth=1.4, **PATH)
    axes[1].set_title(f"{style.LOSS} after {steps} steps: {_number(losses[-1])}  ({style.LOSS}* = {_number(best)})",
                      fontsize=10)
    lrs = np.linspace(0, lr_max, 241)
    axes[2].plot(lrs, descent.loss_after_steps(x, y, *start, lrs, steps) - best, color=style.DATA, linewidth=1.6)
    axes[2].axvline(lr, color=style.MODEL, linewidth=1.2)
    axes[2].plot([lr], [losses[-1] - best], markersize=9, markeredgecolor=style.INK, **{**PATH, "linestyle": "none"})
    axes[2].set_title(f"too small ← η → too large, after {steps} steps", fontsize=10)
    return fig


def gradient_descent_run(x, y, lr, steps, k_range, m_range, start=(0.0, 0.0), max_steps=None, lr_max=None,
                         equal_aspect=True, axes=None):
    """Gradient descent from `start` with learning rate lr: its path on the ℒ(k, m) contours,
    ℒ − ℒ* after each step, and ℒ − ℒ* after the last step against η with 2/λ_max marked.

    max_steps: the step axis' length (default: steps); lr_max: the η axis' end (default 1.3 × 2/λ_max).
    """
    fig, axes = style.target_axes_grid(axes, 1, 3, 14, 4.4)
    lr_max = lr_max if lr_max is not None else 1.3 * descent.largest_stable_lr(x)
    gradient_descent_axes(x, y, k_range, m_range, max_steps or steps, lr_max, start, equal_aspect, axes=axes)
    gradient_descent_curves(x, y, lr, steps, lr_max, start, axes=axes)
    return fig


def scaling_comparison(y, variants, steps=100, start=(0.0, 0.0), edge_fraction=0.9, axes=None):
    """The same data with x in different units, each run with η = edge_fraction × 2/λ_max,
    the same fraction of its own edge.

    variants: [(label, x [N×1], k_range, m_range), ...]. One landscape per variant with
    its path, then one plot of the fraction of the way down to ℒ* still left after each step.
    """
    panels = len(variants) + 1
    rows = (panels + 1) // 2
    fig, axes = style.target_axes_grid(axes, rows, 2, 10.5, 4.2 * rows)
    line_styles = [
        {"color": style.MODEL, "linestyle": "-"}, {"color": style.DATA, "linestyle": "--"},
        {"color": style.OPTIMUM, "linestyle": "-."}, {"color": style.SECOND, "linestyle": ":"},
    ]
    gap_ax = axes[len(variants)]
    for (label, x, k_range, m_range), ax, line_style in zip(variants, axes, line_styles * panels):
        eigenvalues = np.linalg.eigvalsh(descent.mse_hessian(x))
        lr = edge_fraction * 2 / eigenvalues.max()
        path = descent.gradient_descent(x, y, *start, lr, steps)
        mse_contours(x, y, k_range, m_range, ax=ax)
        descent_path(path, ax=ax, label=f"{steps} steps", **line_style)
        condition = eigenvalues.max() / eigenvalues.min()
        ax.set_title(f"{label}\nλ_max/λ_min = {condition:,.0f}, η = {edge_fraction:.2g} × 2/λ_max = {lr:.2g}",
                     fontsize=10)
        ax.legend(loc="upper right", fontsize=8)
        losses = descent.losses_along(x, y, path)
        best, _ = _best_and_gap(x, y, start)
        left = np.clip((losses - best) / (losses[0] - best), 1e-16, None)
        gap_ax.plot(np.arange(steps + 1), left, linewidth=2, label=label, **line_style)
    gap_ax.set_yscale("log")
    gap_ax.set_ylim(1e-16, 2)
    style.style_axes(gap_ax, "How much of the way down is left", "step t", "(ℒ − ℒ*) / (ℒ₀ − ℒ*)")
    gap_ax.legend(loc="lower left", fontsize=8)
    for ax in axes[panels:]:
        ax.set_visible(False)
    return fig


# --- gradient descent, SGD and mini-batches at equal compute --------------------------------

def _run_kind(batch_size, N):
    return "gd" if batch_size == N else "sgd" if batch_size == 1 else "minibatch"


def equal_compute_axes(x, y, epochs, k_range, m_range, start=(0.0, 0.0), axes=None):
    """The parts of equal_compute that stay: the ℒ(k, m) contours with the key, and the axes
    of ℒ − ℒ* against the number of single-example gradients computed (epochs·N of them)."""
    fig, axes = style.target_axes_grid(axes, 1, 2, 12, 4.6)
    mse_contours(x, y, k_range, m_range, ax=axes[0])
    axes[0].set_aspect("equal", adjustable="box")
    N = len(np.ravel(x))
    axes[0].legend(handles=axes[0].get_lines() + [
        _key(f"gradient descent: B = N = {N}", **RUNS["gd"]),
        _key("mini-batches of the slider's B", **RUNS["minibatch"]),
        _key("SGD: B = 1", **{**RUNS["sgd"], "linewidth": 1.2}),
    ], loc="upper right", fontsize=8)
    _, gap = _best_and_gap(x, y, start)
    axes[1].set_yscale("log")
    axes[1].minorticks_off()
    axes[1].set_xlim(0, epochs * N)
    axes[1].set_ylim(1e-5 * gap, 3 * gap)
    axes[1].set_xticks(N * np.arange(epochs + 1))
    style.style_axes(axes[1], None, f"examples processed: {epochs} epochs of N = {N}, the same for all", GAP_LABEL)
    return fig


def equal_compute_runs(x, y, lr, batch_size, epochs, seed=0, start=(0.0, 0.0), axes=None):
    """The parts of equal_compute that move: gradient descent (B = N), SGD (B = 1) and
    mini-batches of `batch_size`, each for `epochs` epochs with learning rate lr: their
    paths on ℒ(k, m), ℒ − ℒ* against the examples processed, steps and final ℒ in the title."""
    fig, axes = style.target_axes_grid(axes, 1, 2, 12, 4.6)
    N = len(np.ravel(x))
    best, _ = _best_and_gap(x, y, start)
    names = {"gd": "GD", "minibatch": f"B = {batch_size}", "sgd": "SGD"}
    steps, finals = [], []
    for size in sorted({1, batch_size, N}):  # SGD first, underneath
        run = descent.minibatch_sgd(x, y, *start, lr, size, epochs, seed)
        losses = descent.losses_along(x, y, run.path)
        kind = _run_kind(size, N)
        descent_path(run.path, ax=axes[0], **RUNS[kind])
        axes[1].plot(run.examples, losses - best, markersize=4, **RUNS[kind])
        steps.append(f"{names[kind]}: {run.steps:,}")
        finals.append(f"{names[kind]}: {_number(losses[-1])}")
    axes[0].set_title(f"η = {lr:.3g}, steps taken: " + " · ".join(reversed(steps)), fontsize=10)
    axes[1].set_title(f"{style.LOSS} at the end: " + " · ".join(reversed(finals))
                      + f"  ({style.LOSS}* = {_number(best)})", fontsize=10)
    return fig


def equal_compute(x, y, lr, batch_size, epochs, k_range, m_range, seed=0, start=(0.0, 0.0), axes=None):
    """Gradient descent, SGD and mini-batches of `batch_size`, given the same number of
    single-example gradients (epochs·N): their paths on ℒ(k, m) and their losses."""
    fig, axes = style.target_axes_grid(axes, 1, 2, 12, 4.6)
    equal_compute_axes(x, y, epochs, k_range, m_range, start, axes=axes)
    equal_compute_runs(x, y, lr, batch_size, epochs, seed, start, axes=axes)
    return fig
