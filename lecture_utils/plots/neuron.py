"""Pictures for notebook 00: neurons as functions, vanishing gradients and dead ReLUs.

A neuron computes ŷ = f(xw + b): it multiplies, adds, and applies an activation f
(ReLU chooses the larger of 0 and its input). The second half draws what
`lecture_utils.lessons.training` measures with the autograd core: gradients that shrink
layer by layer, and ReLU units that never fire again (for any `nn.MLP`, so notebook 09
draws them for a trained network too).

Every function takes numbers computed elsewhere (`activations`, `diagnostics`), draws on
`ax` (or `axes`) if given or on a new figure, and returns the figure.
"""

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ..activations import FORMULAS
from . import style

__all__ = [
    "activation_gallery", "neuron_as_function", "neuron_frame", "neuron_curve", "neuron", "describe_neuron",
    "gradient_norm_frame", "gradient_norm_line", "gradient_norms_by_layer", "describe_gradient_norms",
    "relu_activity_frame", "relu_activity_picture", "relu_activity", "describe_relu_activity",
    "dead_fraction_frame", "dead_fraction_values", "dead_fraction_bars", "dead_relus_after_step",
    "describe_dead_relus",
]

# Gradient sizes span many powers of ten; a fixed range keeps pictures comparable.
GRADIENT_YLIM = (1e-20, 1e10)

_ACTIVITY_COLOURS = ListedColormap(["#EEEEEE", style.DATA, style.MODEL])  # silent, fires, dead
_DEAD_MARK_ROOM = 0.04  # a strip right of the examples, as a fraction of them: where a dead unit's × goes


def activation_gallery(curves, axes=None):
    """Each activation f(a) in its own panel, titled with its formula.

    curves: {name: (a [S], f(a) [S])} in the order to draw them (as from activations.curve).
    """
    fig, axes = style.target_axes_grid(axes, 1, len(curves), style.PAGE_WIDTH, 2.8, sharey=True)
    for i, (ax, (name, (a, f_a))) in enumerate(zip(axes, curves.items())):
        ax.axhline(0, color=style.RESIDUAL, linewidth=0.8)
        ax.axvline(0, color=style.RESIDUAL, linewidth=0.8)
        ax.plot(a, f_a, color=style.MODEL, linewidth=2.5)
        ax.set_xlim(a[0], a[-1])
        ax.set_ylim(-2.2, 2.2)
        style.style_axes(ax, f"{name}\nf(a) = {FORMULAS[name]}", "a", "f(a)" if i == 0 else None)
        ax.title.set_fontsize(10)
    return style.described(fig, "the activation functions f(a) for a from " + style.number(a[0]) + " to "
                           + style.number(a[-1]) + ": " + "; ".join(f"{name}, f(a) = {FORMULAS[name]}"
                                                                    for name in curves))


def neuron_as_function(steps, ax=None):
    """A ReLU neuron as three small steps on numbers: multiply by w, add b, take max(0, ·).

    steps: an activations.NeuronSteps (x, w, b and what the neuron computes from them).
    """
    ax = style.target_axes(ax, style.PAGE_WIDTH, 1.8)
    x, w, b, product, total, y_hat = steps
    g = lambda value: style.number(value, "g")  # noqa: E731
    values = [f"x = {g(x)}", g(product), g(total), f"ŷ = {g(y_hat)}"]
    steps = [f"× w\n(w = {g(w)})", f"+ b\n(b = {g(b)})", "max(0, ·)\n(ReLU)"]
    xs = np.linspace(0.06, 0.94, 7)
    box = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": style.MODEL, "linewidth": 1.5}
    for i, text in enumerate(values):
        ax.text(xs[2 * i], 0.5, text, ha="center", va="center", fontsize=12, color=style.DATA)
    for i, text in enumerate(steps):
        ax.text(xs[2 * i + 1], 0.5, text, ha="center", va="center", fontsize=10, bbox=box)
    for left, right in zip(xs[:-1], xs[1:]):
        ax.annotate("", xy=(right - 0.05, 0.5), xytext=(left + 0.05, 0.5),
                    arrowprops={"arrowstyle": "->", "color": style.INK})
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.set_title("A neuron is a function: multiply, add, choose the larger number")
    return style.described(ax.figure, f"a ReLU neuron as three steps on numbers: x = {g(x)}, times w = {g(w)} "
                                      f"gives {g(product)}, plus b = {g(b)} gives {g(total)}, max(0, ·) gives "
                                      f"ŷ = {g(y_hat)}")


def neuron_frame(x_range=(-4.0, 4.0), y_range=(-1.6, 1.6), ax=None):
    """The empty axes of the neuron picture: limits, labels and the zero lines (the part that stays)."""
    ax = style.target_axes(ax)
    ax.axhline(0, color=style.RESIDUAL, linewidth=0.8)
    ax.axvline(0, color=style.RESIDUAL, linewidth=0.8)
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    style.style_axes(ax, None, "x: the neuron's input", "ŷ: its output")
    return ax.figure


def neuron_curve(x, y_hat, w, b, activation_name, ax=None):
    """ŷ = f(xw + b) at the points x [S] (as from activations.neuron_curve_points), with x = −b/w
    marked (the part that moves).

    For sigmoid and tanh it also draws the limit of a very large w: a step at x = −b/w.
    """
    ax = style.target_axes(ax)
    x_min, x_max = ax.get_xlim()
    ax.plot(x, y_hat, color=style.MODEL, linewidth=2.5, label=f"ŷ = {_neuron_formula(w, b, activation_name)}")
    if w != 0:
        x0 = -b / w
        ax.axvline(x0, color=style.SECOND, linestyle=":", linewidth=1.8,
                   label=f"xw + b = 0 at x = −b/w = {style.number(x0, '.2f')}")
        if activation_name in ("sigmoid", "tanh"):
            low = 0.0 if activation_name == "sigmoid" else -1.0
            left, right = (low, 1.0) if w > 0 else (1.0, low)
            ax.plot([x_min, x0, x0, x_max], [left, left, right, right], color=style.OPTIMUM,
                    linestyle="--", linewidth=1.2, label="w → ∞: a step at x = −b/w")
        title = f"{activation_name} neuron, w = {style.number(w, '.2f')}, b = {style.number(b, '.2f')}"
    else:
        title = f"{activation_name} neuron, w = 0: ŷ = f(b) is a constant"
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return style.described(ax.figure, describe_neuron(w, b, activation_name, (x_min, x_max)))


def describe_neuron(w, b, activation_name, x_range):
    """The neuron picture in words: its formula, where xw + b = 0, over which x."""
    where = (f"xw + b = 0 at x = −b/w = {style.number(-b / w, '.2f')}" if w != 0
             else "w = 0: ŷ = f(b) is a constant")
    return (f"{activation_name} neuron ŷ = {_neuron_formula(w, b, activation_name)} for x from "
            f"{style.number(x_range[0])} to {style.number(x_range[1])}; {where}")


def _neuron_formula(w, b, activation_name):
    return _applied(activation_name, f"x·{style.number(w, '.2f')} {style.term(b, '.2f')}")


def neuron(x, y_hat, w, b, activation_name, y_range=(-1.6, 1.6), ax=None):
    """One neuron ŷ = f(xw + b) as a curve over x [S] (from x[0] to x[-1]): neuron_frame and
    neuron_curve together."""
    ax = style.target_axes(ax)
    neuron_frame((x[0], x[-1]), y_range, ax=ax)
    neuron_curve(x, y_hat, w, b, activation_name, ax=ax)
    return ax.figure


# --- vanishing gradients ---------------------------------------------------------------

def gradient_norm_frame(n_layers, ax=None, ylim=GRADIENT_YLIM):
    """Log-scale axes for one gradient size per layer l = 1..L (the part that stays)."""
    ax = style.target_axes(ax)
    ax.set_yscale("log")
    ax.set_xlim(0.5, n_layers + 0.5)
    ax.set_ylim(*ylim)
    low, high = np.log10(ylim)
    every = 5 if high - low > 12 else 1  # a grid line every 10⁵ on the default scale, else every 10
    ax.set_yticks([10.0**k for k in range(int(np.ceil(low / every) * every), int(high) + 1, every)])
    ax.minorticks_off()
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: style.power_of_ten(value)))
    ax.set_xticks(_layer_ticks(n_layers))
    style.style_axes(ax, None, "layer l  (1 = next to the input, L = next to ℒ)", "‖∂ℒ/∂Wₗ‖  (log scale)")
    return ax.figure


def gradient_norm_line(norms, ax=None, ylim=GRADIENT_YLIM, title=None):
    """The gradient size of each layer as points on a line; values outside `ylim` sit on its edge.

    norms: [L], ‖∂ℒ/∂Wₗ‖ for l = 1..L (as from diagnostics.layer_gradient_norms).
    The default title compares the first layer's gradient with the last one's.
    """
    ax = style.target_axes(ax)
    norms = np.asarray(norms, dtype=np.float64)
    layers = np.arange(1, len(norms) + 1)
    shown = np.clip(np.nan_to_num(norms, nan=ylim[0], posinf=ylim[1]), *ylim)
    ax.plot(layers, shown, color=style.DATA, marker="o", markersize=6, linewidth=1.5, label="‖∂ℒ/∂Wₗ‖")
    outside = shown != norms
    if np.any(outside):
        ax.plot(layers[outside], shown[outside], color=style.MODEL, marker="X", markersize=10,
                linestyle="none", label="beyond the scale")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(title if title is not None else _gradient_ratio_title(norms))
    return style.described(ax.figure, describe_gradient_norms(norms))


def describe_gradient_norms(norms):
    """The gradient sizes per layer in words: the first and the last layer's, and their ratio."""
    norms = np.asarray(norms, dtype=np.float64)
    return (f"‖∂ℒ/∂Wₗ‖ for layers 1 to {len(norms)}: {style.scientific(norms[0])} at layer 1, "
            f"{style.scientific(norms[-1])} at layer {len(norms)}; {_gradient_ratio_title(norms)}")


def gradient_norms_by_layer(norms, ax=None, ylim=GRADIENT_YLIM, title=None):
    """‖∂ℒ/∂Wₗ‖ of every layer l = 1..L on a log scale: gradient_norm_frame and gradient_norm_line together.

    norms: [L] (as from diagnostics.layer_gradient_norms).
    """
    ax = style.target_axes(ax)
    gradient_norm_frame(len(norms), ax=ax, ylim=ylim)
    gradient_norm_line(norms, ax=ax, ylim=ylim, title=title)
    return ax.figure


def _layer_ticks(n_layers):
    """Every layer for a few layers; else 1, multiples of 5 and the last one."""
    if n_layers <= 12:
        return list(range(1, n_layers + 1))
    return sorted({1, n_layers} | set(range(5, n_layers + 1, 5)))


def _gradient_ratio_title(norms):
    first, last = norms[0], norms[-1]
    if not np.isfinite(first) or not np.isfinite(last) or last == 0:
        return "the gradient has overflowed or vanished completely"
    if first == 0:
        return "layer 1 gets no gradient at all"
    return f"layer 1 gets {style.scientific(first / last)} × the gradient of layer {len(norms)}"


# --- dead ReLUs ---------------------------------------------------------------------------

def relu_activity_frame(layer_widths, n_examples, ax=None):
    """The axes of relu_activity: limits, layer separators and labels (the part that stays).

    layer_widths: the number of units Mₗ of each hidden layer; n_examples: N.
    """
    ax = style.target_axes(ax, 6, 3.6)
    n_units = int(np.sum(layer_widths))
    start = 0
    for i, width in enumerate(layer_widths):
        ax.text(-0.01 * n_examples, start + width / 2, f"layer {i + 1}", rotation=90, ha="right",
                va="center", fontsize=8)
        start += width
    ax.set_xlim(0, n_examples * (1 + _DEAD_MARK_ROOM))  # on the right, inside: the dead units' × marks
    ax.set_ylim(n_units, 0)
    ax.set_yticks([])
    style.style_axes(ax, None, "examples (rows of X)", None, grid=False)
    ax.set_ylabel("hidden units", labelpad=14)
    return ax.figure


def relu_activity_picture(activity, ax=None, title=None):
    """Which unit fires on which example, as an image (the part of relu_activity that moves)."""
    ax = style.target_axes(ax, 6, 3.6)
    fires, dead = activity.fires, activity.dead  # [units × N], [units]
    picture = np.where(dead[:, None], 2, fires.astype(int))
    n_units, n_examples = picture.shape
    ax.imshow(picture, cmap=_ACTIVITY_COLOURS, vmin=0, vmax=2, aspect="auto", interpolation="nearest",
              extent=(0, n_examples, n_units, 0))
    for start in np.cumsum(activity.widths)[:-1]:  # between two layers
        ax.axhline(start, color=style.INK, linewidth=1.5, zorder=3)
    rows = np.flatnonzero(dead)
    ax.scatter(np.full(len(rows), n_examples * (1 + _DEAD_MARK_ROOM / 2)), rows + 0.5, marker="x", s=14,
               color=style.MODEL, linewidths=1.2, label="dead unit")
    ax.set_title(title if title is not None else
                 f"blue: the unit fires; dead units (×): {dead.sum()} of {n_units}")
    return style.described(ax.figure, describe_relu_activity(activity))


def describe_relu_activity(activity):
    """Which units fire, in words: per hidden layer, how many units are dead."""
    n_examples = activity.fires.shape[1]
    layers, start = [], 0
    for i, width in enumerate(activity.widths, start=1):
        layers.append(f"layer {i}: {int(activity.dead[start:start + width].sum())} of {width} units dead")
        start += width
    return f"which hidden ReLU units fire on which of {n_examples} examples; " + ", ".join(layers)


def relu_activity(activity, ax=None, title=None):
    """Which ReLU unit fires on which example: one row per unit, one column per example.

    activity: a diagnostics.UnitActivity (from unit_activity of the inputs XW + b of each
    hidden layer's ReLU). A unit fires where its input is > 0. Rows of units that fire on no
    example at all (dead units) are drawn in vermillion and marked × on the right.
    """
    ax = style.target_axes(ax, 6, 3.6)
    relu_activity_frame(activity.widths, activity.fires.shape[1], ax=ax)
    relu_activity_picture(activity, ax=ax, title=title)
    return ax.figure


def dead_fraction_frame(n_layers, ax=None):
    """The axes of dead_fraction_bars: one slot per hidden layer, 0–100 % (the part that stays)."""
    ax = style.target_axes(ax, 4, 3.6)
    layers = np.arange(1, n_layers + 1)
    ax.set_xticks(layers, [f"layer {layer}" for layer in layers])
    ax.set_xlim(0.4, n_layers + 0.6)
    ax.set_ylim(0, 1.15)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    style.key_below(ax, [Patch(color=style.DATA, label="before the step"),
                         Patch(facecolor=style.MODEL, hatch="//", edgecolor="white", label="after the step")])
    style.style_axes(ax, None, None, "fraction of the layer")
    return ax.figure


def dead_fraction_values(before, after, ax=None, title=None):
    """The paired bars of dead_fraction_bars (the part that moves; the legend is the frame's)."""
    ax = style.target_axes(ax, 4, 3.6)
    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    layers = np.arange(1, len(before) + 1)
    ax.bar(layers - 0.2, before, width=0.4, color=style.DATA)
    ax.bar(layers + 0.2, after, width=0.4, color=style.MODEL, hatch="//", edgecolor="white")
    for x, value in zip(np.concatenate([layers - 0.2, layers + 0.2]), np.concatenate([before, after])):
        ax.text(x, value + 0.02, style.number(value, ".0%"), ha="center", va="bottom", fontsize=8)
    ax.set_title(title or "dead units (never fire on the data)")
    return ax.figure


def dead_fraction_bars(before, after, ax=None, title=None):
    """The fraction of dead units per hidden layer before and after a step, as paired bars.

    before, after: [L-1] fractions (as from diagnostics.dead_fractions).
    """
    ax = style.target_axes(ax, 4, 3.6)
    dead_fraction_frame(len(before), ax=ax)
    dead_fraction_values(before, after, ax=ax, title=title)
    return ax.figure


def dead_relus_after_step(step, axes=None, frame=True):
    """One SGD step with learning rate η: which units fire afterwards, and how many died.

    step: a diagnostics.ReLUStep. Left: relu_activity after the step; right: the fraction of
    dead units per hidden layer before and after.
    frame: also draw the axes (False when a panel keeps them as its background).
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 3.6, gridspec_kw={"width_ratios": [1.7, 1]})
    if frame:
        relu_activity_frame(step.after.widths, step.after.fires.shape[1], ax=axes[0])
        dead_fraction_frame(len(step.after.widths), ax=axes[1])
    relu_activity_picture(step.after, ax=axes[0])
    dead_fraction_values(step.dead_before, step.dead_after, ax=axes[1],
                         title=f"dead units, one step with η = {style.number(step.lr, '.3g')}")
    return style.described(fig, describe_dead_relus(step))


def describe_dead_relus(step):
    """One step's effect on the ReLU units in words: the dead fraction of each layer before and after it."""
    layers = ", ".join(f"layer {i}: {style.number(before, '.0%')} → {style.number(after, '.0%')}"
                       for i, (before, after) in enumerate(zip(step.dead_before, step.dead_after), start=1))
    return f"one SGD step with η = {style.number(step.lr, '.3g')}: dead units before → after, {layers}"


def _applied(name, argument):
    return f"({argument})" if name == "linear" else f"{name}({argument})"
