"""Pictures for notebook 06: finding the best fit: derivatives and gradient descent.

Every function takes what `lecture_utils.lessons.descent` computed (a `Curve`, `Secants`, a
`DescentRun`, ...), draws on `ax` (or `axes`) if given or on a new figure otherwise, and
returns the figure. Pictures that a panel animates come in two parts, as in notebook 01:
the part that stays (`..._axes`: curves and contours, axis limits, the key to the lines) and
the part that moves (the lines themselves, with their numbers in the titles); a third
function draws both. The ℒ(k, m) contours come from `line`.
"""

import textwrap

import numpy as np
from matplotlib.lines import Line2D

from . import style
from .linear_regression import mse_contours

__all__ = [
    "secant_axes", "secants", "secant_and_tangent", "describe_secants",
    "difference_error_axes", "difference_error_curves", "difference_errors", "describe_difference_errors",
    "descent_path", "gradient_field",
    "gradient_descent_axes", "gradient_descent_curves", "gradient_descent_run", "describe_descent_run",
    "DESCENT_HEIGHT",
    "scaling_comparison",
    "equal_compute_axes", "equal_compute_runs", "equal_compute", "describe_equal_compute",
]

# How each line looks, so that a key drawn once (in the part that stays) matches the
# lines drawn on every change. Told apart by colour AND line style or marker.
TANGENT = {"color": style.OPTIMUM, "linestyle": "-"}
FORWARD_DIFFERENCE = {"color": style.MODEL, "linestyle": "--", "marker": "o"}
CENTRAL_DIFFERENCE = {"color": style.SECOND, "linestyle": "-.", "marker": "s"}
PATH = {"color": style.MODEL, "linestyle": "-", "marker": "o"}
BEYOND = {"color": style.MODEL, "linestyle": "none", "marker": "^"}  # a value past the top of a log axis
DESCENT_HEIGHT = 3.7  # inches: the three pictures of gradient descent, with their key under them
RUNS = {  # by batch size: gradient descent (B = N), SGD with the slider's B, SGD with B = 1
    "gd": {"color": style.DATA, "linestyle": "-", "marker": "o", "linewidth": 2.0, "alpha": 1.0},
    "sgd": {"color": style.MODEL, "linestyle": "--", "marker": None, "linewidth": 1.6, "alpha": 1.0},
    "sgd_1": {"color": style.SECOND, "linestyle": "-", "marker": None, "linewidth": 0.8, "alpha": 1.0},
}
GAP_LABEL = f"{style.LOSS} − {style.LOSS}*: above the best line"


def _key(label, **line_style):
    """A legend entry for a line that is drawn later (or elsewhere)."""
    return Line2D([], [], label=label, **line_style)


def _loss(value):
    """A loss for a title: 1,989, or 3.2e+21 (or inf) once it has run away."""
    return style.number(value, ",.0f", large=1e7)


# --- the derivative as the slope of the tangent --------------------------------------------

def secant_axes(curve, ax=None):
    """The curve f(θ) (a descent.Curve) and the key to the lines (the part of secant_and_tangent that stays)."""
    ax = style.target_axes(ax)
    thetas, values = curve
    curve, = ax.plot(thetas, values, color=style.DATA, linewidth=2.5, label="f(θ)")
    pad = 0.15 * np.ptp(values)
    ax.set_xlim(thetas[0], thetas[-1])
    ax.set_ylim(values.min() - pad, values.max() + pad)
    style.style_axes(ax, None, "θ", "f(θ)")
    style.key_below(ax, [curve, _key("tangent at θ: slope f′(θ)", **TANGENT),
                         _key("forward secant: θ to θ + h", **FORWARD_DIFFERENCE),
                         _key("central secant: θ − h to θ + h", **CENTRAL_DIFFERENCE)])
    return ax.figure


def secants(secants, ax=None):
    """At θ: the tangent (slope f′(θ)), the forward secant through θ and θ + h, and the
    central secant through θ - h and θ + h; their slopes in the title (the part of
    secant_and_tangent that moves). secants: a descent.Secants."""
    ax = style.target_axes(ax)
    ends = np.array(ax.get_xlim())
    theta, h, f0, exact, forward, central, f_minus, f_plus = secants
    ax.plot(ends, f0 + exact * (ends - theta), linewidth=1.6, **TANGENT)
    ax.plot(ends, f0 + forward * (ends - theta), linewidth=1.6, markevery=[], **FORWARD_DIFFERENCE)
    ax.plot(ends, f_minus + central * (ends - (theta - h)), linewidth=1.6, markevery=[], **CENTRAL_DIFFERENCE)
    for end, value, line_style in [(theta + h, f_plus, FORWARD_DIFFERENCE), (theta - h, f_minus, CENTRAL_DIFFERENCE)]:
        ax.plot([end], [value], markersize=7, markeredgecolor=style.INK, **{**line_style, "linestyle": "none"})
    ax.plot([theta], [f0], marker="o", markersize=10, color=style.HIGHLIGHT, markeredgecolor=style.INK,
            linestyle="none")
    ax.set_title(f"θ = {style.number(theta, '.2f')}, h = {style.number(h, '.2g')}\nslopes: "
                 f"tangent {style.number(exact, '.4f')} · forward {style.number(forward, '.4f')} · "
                 f"central {style.number(central, '.4f')}", fontsize=10)
    return style.described(ax.figure, describe_secants(secants))


def describe_secants(secants):
    """The tangent and the two secants at θ in words, with their slopes."""
    return (f"f(θ) with its tangent at θ = {style.number(secants.theta, '.2f')} and the secants with step h = "
            f"{style.number(secants.h, '.2g')}: slopes tangent {style.number(secants.exact, '.4f')}, forward "
            f"{style.number(secants.forward, '.4f')}, central {style.number(secants.central, '.4f')}")


def secant_and_tangent(curve, at, ax=None):
    """f(θ) (a descent.Curve), a point θ, the secants with step h and the tangent they approach
    as h → 0 (at: a descent.Secants)."""
    ax = style.target_axes(ax)
    secant_axes(curve, ax=ax)
    return secants(at, ax=ax)


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
    style.key_below(ax, [_key("forward difference: error ∝ h", **FORWARD_DIFFERENCE, markevery=[]),
                         _key("central difference: error ∝ h²", **CENTRAL_DIFFERENCE, markevery=[]),
                         _key("the slider's h", color=style.line_colour(style.HIGHLIGHT))])
    return ax.figure


def difference_error_curves(errors, ax=None):
    """Error of the forward and the central difference at θ for every step h, and at the
    current h (the part of difference_errors that moves). errors: a descent.DifferenceErrors."""
    ax = style.target_axes(ax)
    h = errors.h
    for curve, error, line_style in [(errors.forward, errors.at_h[0], FORWARD_DIFFERENCE),
                                     (errors.central, errors.at_h[1], CENTRAL_DIFFERENCE)]:
        shown = np.where(curve == 0, np.nan, curve)  # exact to the last bit: no point on a log axis
        ax.plot(errors.steps, shown, linewidth=1.6, markevery=[], **line_style)
        ax.plot([h], [error if error > 0 else np.nan], markersize=8, markeredgecolor=style.INK,
                **{**line_style, "linestyle": "none"})
    ax.axvline(h, color=style.line_colour(style.HIGHLIGHT), linewidth=1.5)
    ax.set_title(f"errors at h = {style.number(h, '.2g')}\nforward {style.scientific(errors.at_h[0])} · "
                 f"central {style.scientific(errors.at_h[1])}", fontsize=10)
    return style.described(ax.figure, describe_difference_errors(errors))


def describe_difference_errors(errors):
    """The errors of the two difference quotients against h in words, and their values at the slider's h."""
    return (f"the error of the forward and the central difference against the step h from "
            f"{style.scientific(errors.steps[0])} to {style.scientific(errors.steps[-1])}, log-log; at h = "
            f"{style.number(errors.h, '.2g')}: forward {style.scientific(errors.at_h[0])}, central "
            f"{style.scientific(errors.at_h[1])}")


def difference_errors(errors, error_range=(1e-14, 10.0), ax=None):
    """How far the forward and central differences are from f′(θ), against h (log-log).

    errors: a descent.DifferenceErrors; the h axis spans its steps.
    """
    ax = style.target_axes(ax)
    difference_error_axes((errors.steps[0], errors.steps[-1]), error_range, ax=ax)
    return difference_error_curves(errors, ax=ax)


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


def gradient_field(field, path=None, ax=None):
    """The ℒ(k, m) contours with an arrow at every grid point pointing downhill, along -∇ℒ.

    field: a descent.DownhillField. The arrows show the direction only (they all have the
    same length); path: an optional walk [S×2] to draw on top, e.g. gradient descent
    following the arrows.
    """
    ax = style.target_axes(ax, 6.4, 5.6)
    mse_contours(field.landscape, ax=ax)
    K, M, down = field.ks, field.ms, field.directions
    spacing = min(K[0, 1] - K[0, 0], M[1, 0] - M[0, 0])
    ax.quiver(K.ravel(), M.ravel(), down[:, 0], down[:, 1], angles="xy", scale_units="xy",
              scale=1 / (0.7 * spacing), pivot="mid", color=style.INK, alpha=0.55, width=0.004)
    if path is not None:
        descent_path(path, ax=ax, label=f"gradient descent: {len(path) - 1} steps", **PATH)
    ax.set_aspect("equal", adjustable="box")
    ax.set_title("−∇ℒ at every (k, m): the way down")
    ax.legend(loc="upper right", fontsize=8)
    walk = "" if path is None else f"; gradient descent walks {len(path) - 1} steps down them"
    k_best, m_best = field.landscape.best
    return style.described(ax.figure, f"the contours of ℒ(k, m), lowest at k = {style.number(k_best, '.3g')}, m = "
                                      f"{style.number(m_best, '.3g')}, with an arrow at each of {K.size} grid points "
                                      f"pointing downhill, along −∇ℒ{walk}")


# --- gradient descent and its learning rate -------------------------------------------------

def gradient_descent_axes(landscape, gap, threshold, max_steps, lr_max, equal_aspect=True, axes=None):
    """The parts of gradient_descent_run that stay: the ℒ(k, m) contours (a descent.Landscape),
    the axes of the loss curve (down from gap = ℒ(start) − ℒ*), and the learning-rate axis up to
    lr_max with the threshold 2/λ_max and the region beyond it."""
    fig, axes = style.target_axes_grid(axes, 1, 3, style.PAGE_WIDTH, DESCENT_HEIGHT)
    mse_contours(landscape, ax=axes[0])
    if equal_aspect:
        axes[0].set_aspect("equal", adjustable="box")
    # the key under the pictures, where no path runs over it
    style.key_below(axes[0], axes[0].get_lines() + [_key("gradient descent from the square", **PATH)], ncols=1)
    style.key_below(axes[2], [_key("every η, the same number of steps", color=style.DATA, linewidth=1.6),
                              _key("beyond the scale", **BEYOND)], ncols=1)
    for ax in axes[1:]:
        ax.set_yscale("log")
        ax.minorticks_off()
        ax.set_ylim(1e-6 * gap, 30 * gap)
    axes[1].set_xlim(0, max_steps)
    style.style_axes(axes[1], None, "step t", GAP_LABEL)
    axes[2].set_xlim(0, lr_max)
    axes[2].axvspan(threshold, lr_max, color=style.MODEL, alpha=0.12, linewidth=0, gid="guide")  # a shade
    axes[2].axvline(threshold, color=style.INK, linestyle="--", linewidth=1.5)
    axes[2].text(threshold, 0.12, f" 2/λ_max\n = {style.number(threshold, '.3g')}:\n diverges\n beyond",
                 transform=axes[2].get_xaxis_transform(), va="center", ha="left", fontsize=8)
    style.style_axes(axes[2], None, "learning rate η", f"{style.LOSS} − {style.LOSS}* after the last step")
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


def gradient_descent_curves(run, axes=None):
    """The parts of gradient_descent_run that move: the path on ℒ(k, m), ℒ - ℒ* after each
    step, and ℒ - ℒ* after the last step for every η of the sweep with the current η marked.

    run: a descent.DescentRun.
    """
    fig, axes = style.target_axes_grid(axes, 1, 3, style.PAGE_WIDTH, DESCENT_HEIGHT)
    lr, steps, path, losses, best, _, threshold, lrs, final_losses = run
    descent_path(path, ax=axes[0], **PATH)
    verdict = textwrap.fill(_descent_verdict(lr, threshold, losses[-1], best, steps), 34)
    axes[0].set_title(f"η = {style.number(lr, '.3g')} = {style.number(lr / threshold, '.2f')} × 2/λ_max\n{verdict}",
                      fontsize=9)
    axes[1].plot(np.arange(steps + 1), losses - best, markersize=3, linewidth=1.4, **PATH)
    axes[1].set_title(f"{style.LOSS} after {steps} steps: {_loss(losses[-1])}\n({style.LOSS}* = {_loss(best)})",
                      fontsize=9)
    axes[2].plot(lrs, final_losses - best, color=style.DATA, linewidth=1.6)
    axes[2].axvline(lr, color=style.MODEL, linewidth=1.2)
    top = axes[2].get_ylim()[1]
    beyond = not losses[-1] - best < top  # off the scale (or no number at all): marked at its top edge
    axes[2].plot([lr], [top if beyond else losses[-1] - best], markersize=9, markeredgecolor=style.INK,
                 clip_on=False, **({**BEYOND, "color": PATH["color"]} if beyond else {**PATH, "linestyle": "none"}))
    axes[2].set_title(f"too small ← η → too large\nafter {steps} steps", fontsize=9)
    return style.described(fig, describe_descent_run(run))


def describe_descent_run(run):
    """Gradient descent with one η in words: η against 2/λ_max, what it did, ℒ at the end."""
    verdict = _descent_verdict(run.lr, run.threshold, run.losses[-1], run.best, run.steps)
    return (f"gradient descent with η = {style.number(run.lr, '.3g')} = {style.number(run.lr / run.threshold, '.2f')} "
            f"× 2/λ_max on the contours of ℒ(k, m), ℒ − ℒ* after each step, and after {run.steps} steps "
            f"for every η: {verdict}; ℒ = {_loss(run.losses[-1])} after {run.steps} steps, ℒ* = {_loss(run.best)}")


def gradient_descent_run(landscape, run, max_steps=None, equal_aspect=True, axes=None):
    """Gradient descent (a descent.DescentRun): its path on the ℒ(k, m) contours (a descent.Landscape),
    ℒ − ℒ* after each step, and ℒ − ℒ* after the last step against η with 2/λ_max marked.

    max_steps: the step axis' length (default: the run's steps); the η axis ends where the run's sweep does.
    """
    fig, axes = style.target_axes_grid(axes, 1, 3, style.PAGE_WIDTH, DESCENT_HEIGHT)
    gradient_descent_axes(landscape, run.gap, run.threshold, max_steps or run.steps, run.lrs[-1], equal_aspect,
                          axes=axes)
    gradient_descent_curves(run, axes=axes)
    return fig


def scaling_comparison(runs, edge_fraction=0.9, axes=None):
    """The same data with x in different units, each run with η = edge_fraction × 2/λ_max,
    the same fraction of its own edge.

    runs: [descent.EdgeRun, ...] (from descent.edge_runs with the same edge_fraction). One
    landscape per run with its path, then one plot of the fraction of the way down to ℒ*
    still left after each step.
    """
    panels = len(runs) + 1
    rows = (panels + 1) // 2
    fig, axes = style.target_axes_grid(axes, rows, 2, style.PAGE_WIDTH, 3.9 * rows)
    line_styles = [
        {"color": style.MODEL, "linestyle": "-"}, {"color": style.DATA, "linestyle": "--"},
        {"color": style.OPTIMUM, "linestyle": "-."}, {"color": style.SECOND, "linestyle": ":"},
    ]
    gap_ax = axes[len(runs)]
    for (label, landscape, lr, condition, path, left), ax, line_style in zip(runs, axes, line_styles * panels):
        steps = len(path) - 1
        mse_contours(landscape, ax=ax)
        descent_path(path, ax=ax, label=f"{steps} steps", **line_style)
        ax.set_title(f"{label}\nλ_max/λ_min = {style.number(condition, ',.0f')}, η = "
                     f"{style.number(edge_fraction, '.2g')} × 2/λ_max = {style.number(lr, '.2g')}", fontsize=10)
        ax.legend(loc="upper right", fontsize=8)
        gap_ax.plot(np.arange(steps + 1), left, linewidth=2, label=label, **line_style)
    gap_ax.set_yscale("log")
    gap_ax.set_ylim(1e-16, 2)
    style.style_axes(gap_ax, "How much of the way down is left", "step t", "(ℒ − ℒ*) / (ℒ₀ − ℒ*)")
    gap_ax.legend(loc="lower left", fontsize=8)
    for ax in axes[panels:]:
        ax.set_visible(False)
    return style.described(fig, "the same data with x in different units, each run with η = "
                           f"{style.number(edge_fraction, '.2g')} × its own 2/λ_max: " + "; ".join(
                               f"{label}: λ_max/λ_min = {style.number(condition, ',.0f')}, {len(path) - 1} steps, "
                               f"{style.scientific(left[-1])} of the way down left"
                               for label, _, _, condition, path, left in runs))


# --- gradient descent and SGD with different batch sizes, at equal compute ---------------------

def _run_kind(batch_size, N):
    return "gd" if batch_size == N else "sgd_1" if batch_size == 1 else "sgd"


def equal_compute_axes(landscape, N, epochs, gap, axes=None):
    """The parts of equal_compute that stay: the ℒ(k, m) contours (a descent.Landscape) with the
    key, and the axes of ℒ − ℒ* (down from gap = ℒ(start) − ℒ*) against the number of
    single-example gradients computed (epochs·N of them)."""
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 3.8)
    mse_contours(landscape, ax=axes[0])
    axes[0].set_aspect("equal", adjustable="box")
    style.key_below(axes[0], axes[0].get_lines() + [
        _key(f"gradient descent: B = N = {N}", **RUNS["gd"]),
        _key("SGD with the slider's B", **RUNS["sgd"]),
        _key("SGD, B = 1", **{**RUNS["sgd_1"], "linewidth": 1.2}),
    ])
    axes[1].set_yscale("log")
    axes[1].minorticks_off()
    axes[1].set_xlim(0, epochs * N)
    axes[1].set_ylim(1e-5 * gap, 3 * gap)
    axes[1].set_xticks(N * np.arange(epochs + 1))
    style.style_axes(axes[1], None, f"examples processed: {epochs} epochs of N = {N}, the same for all", GAP_LABEL)
    return fig


def equal_compute_runs(runs, axes=None):
    """The parts of equal_compute that move: gradient descent (B = N) and SGD on random batches
    of B samples and of one sample (B = 1), each for the same number of epochs: their paths on
    ℒ(k, m), ℒ − ℒ* against the examples processed, steps and final ℒ in the titles.

    runs: a descent.EqualCompute.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 3.8)
    lr, N, best = runs.lr, runs.N, runs.best
    names = {"gd": "gradient descent", "sgd": f"SGD, B = {runs.batch_size}", "sgd_1": "SGD, B = 1"}
    steps, finals = [], []
    for run, losses in runs.runs:  # B = 1 first, underneath
        kind = _run_kind(run.batch_size, N)
        descent_path(run.path, ax=axes[0], **RUNS[kind])
        axes[1].plot(run.examples, losses - best, markersize=4, **RUNS[kind])
        steps.append(f"{names[kind]}: {style.number(run.steps, ',')}")
        finals.append(f"{names[kind]}: {_loss(losses[-1])}")
    axes[0].set_title(f"η = {style.number(lr, '.3g')}, steps taken:\n" + " · ".join(reversed(steps)), fontsize=9)
    axes[1].set_title(f"{style.LOSS} at the end ({style.LOSS}* = {_loss(best)}):\n" + " · ".join(reversed(finals)),
                      fontsize=9)
    return style.described(fig, describe_equal_compute(runs))


def describe_equal_compute(runs):
    """Gradient descent and SGD at equal compute in words: each one's steps and final ℒ."""
    names = {"gd": "gradient descent", "sgd": f"SGD with B = {runs.batch_size}", "sgd_1": "SGD with B = 1"}
    results = [f"{names[_run_kind(run.batch_size, runs.N)]}: {style.number(run.steps, ',')} steps, ℒ = "
               f"{_loss(losses[-1])}" for run, losses in reversed(runs.runs)]
    return (f"paths on the contours of ℒ(k, m) and ℒ − ℒ* against the examples processed, η = "
            f"{style.number(runs.lr, '.3g')}, ℒ* = {_loss(runs.best)}: " + "; ".join(results))


def equal_compute(landscape, runs, epochs, gap, axes=None):
    """Gradient descent (B = N) and SGD with batches of B and of 1 sample (a descent.EqualCompute),
    given the same number of single-example gradients (epochs·N): their paths on ℒ(k, m) and
    their losses."""
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 3.8)
    equal_compute_axes(landscape, runs.N, epochs, gap, axes=axes)
    return equal_compute_runs(runs, axes=axes)
