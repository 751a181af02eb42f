"""Pictures for notebook 00: neurons as functions, vanishing gradients and dead ReLUs.

A neuron computes ŷ = f(xw + b): it multiplies, adds, and applies an activation f
(ReLU chooses the larger of 0 and its input). The second half measures, with the
autograd core, the two failures that make backprop worth understanding: gradients
that shrink layer by layer, and ReLU units that never fire again. Those pictures
take any `nn.MLP`, so notebook 09 reruns them on a trained network.

Every function draws on `ax` (or `axes`) if given, or on a new figure, and returns the figure.
"""

import copy

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..diagnostics import hidden_preactivations, layer_gradient_norms
from ..nn import MLP, SGD, mse
from . import style

__all__ = [
    "ACTIVATION_NAMES", "activation", "neuron_output", "activation_gallery", "neuron_as_function",
    "neuron_frame", "neuron_curve", "neuron",
    "deep_network", "gradient_norm_frame", "gradient_norm_line", "gradient_norms_by_layer", "vanishing_gradients",
    "relu_network", "one_sgd_step", "relu_activity_frame", "relu_activity_picture", "relu_activity",
    "dead_fraction_frame", "dead_fraction_values", "dead_fraction_bars", "dead_relus_after_step", "dead_relu_demo",
]

# The activations of the neuron panel, by the names the dropdown shows.
ACTIVATION_NAMES = ("identity", "ReLU", "sigmoid", "tanh")
_FORMULAS = {"identity": "a", "ReLU": "max(0, a)", "sigmoid": "1 / (1 + e⁻ᵃ)", "tanh": "tanh(a)"}

# Gradient sizes span many powers of ten; a fixed range keeps pictures comparable.
GRADIENT_YLIM = (1e-20, 1e10)

_ACTIVITY_COLOURS = ListedColormap(["#EEEEEE", style.DATA, style.MODEL])  # silent, fires, dead


def activation(name, a):
    """f(a) element by element for one of ACTIVATION_NAMES; a: array of any shape."""
    a = np.asarray(a, dtype=np.float64)
    if name == "identity":
        return a
    if name == "ReLU":
        return np.maximum(0.0, a)
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * a))  # = 1 / (1 + e^-a), without overflow
    if name == "tanh":
        return np.tanh(a)
    raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATION_NAMES)}.")


def neuron_output(x, w, b, activation_name):
    """One neuron: ŷ = f(xw + b) for every entry of x (numbers w and b)."""
    return activation(activation_name, np.asarray(x, dtype=np.float64) * w + b)


def activation_gallery(names=ACTIVATION_NAMES, a_range=(-4.0, 4.0), axes=None):
    """Each activation f(a) in its own panel, titled with its formula."""
    fig, axes = style.target_axes_grid(axes, 1, len(names), 2.8 * len(names), 2.8, sharey=True)
    a = np.linspace(*a_range, 401)
    for i, (ax, name) in enumerate(zip(axes, names)):
        ax.axhline(0, color=style.RESIDUAL, linewidth=0.8)
        ax.axvline(0, color=style.RESIDUAL, linewidth=0.8)
        ax.plot(a, activation(name, a), color=style.MODEL, linewidth=2.5)
        ax.set_xlim(*a_range)
        ax.set_ylim(-2.2, 2.2)
        style.style_axes(ax, f"{name}: f(a) = {_FORMULAS[name]}", "a", "f(a)" if i == 0 else None)
    return fig


def neuron_as_function(x, w, b, ax=None):
    """A ReLU neuron as three small steps on numbers: multiply by w, add b, take max(0, ·)."""
    ax = style.target_axes(ax, 10, 1.8)
    product = x * w
    total = product + b
    y_hat = max(0.0, total)
    values = [f"x = {x:g}", f"{product:g}", f"{total:g}", f"ŷ = {y_hat:g}"]
    steps = [f"× w\n(w = {w:g})", f"+ b\n(b = {b:g})", "max(0, ·)\n(ReLU)"]
    xs = np.linspace(0.06, 0.94, 7)
    box = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": style.MODEL, "linewidth": 1.5}
    for i, text in enumerate(values):
        ax.text(xs[2 * i], 0.5, _minus(text), ha="center", va="center", fontsize=12, color=style.DATA)
    for i, text in enumerate(steps):
        ax.text(xs[2 * i + 1], 0.5, _minus(text), ha="center", va="center", fontsize=10, bbox=box)
    for left, right in zip(xs[:-1], xs[1:]):
        ax.annotate("", xy=(right - 0.05, 0.5), xytext=(left + 0.05, 0.5),
                    arrowprops={"arrowstyle": "->", "color": style.INK})
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.set_title("A neuron is a function: multiply, add, choose the larger number")
    return ax.figure


def neuron_frame(x_range=(-4.0, 4.0), y_range=(-1.6, 1.6), ax=None):
    """The empty axes of the neuron picture: limits, labels and the zero lines (the part that stays)."""
    ax = style.target_axes(ax)
    ax.axhline(0, color=style.RESIDUAL, linewidth=0.8)
    ax.axvline(0, color=style.RESIDUAL, linewidth=0.8)
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    style.style_axes(ax, None, "x: the neuron's input", "ŷ: its output")
    return ax.figure


def neuron_curve(w, b, activation_name, ax=None):
    """ŷ = f(xw + b) over the axes' x range, with x = −b/w marked (the part that moves).

    For sigmoid and tanh it also draws the limit of a very large w: a step at x = −b/w.
    """
    ax = style.target_axes(ax)
    x_min, x_max = ax.get_xlim()
    x = np.linspace(x_min, x_max, 401)
    ax.plot(x, neuron_output(x, w, b, activation_name), color=style.MODEL, linewidth=2.5,
            label=_minus(f"ŷ = {_applied(activation_name, f'x·{w:.2f} + {b:.2f}')}"))
    if w != 0:
        x0 = -b / w
        ax.axvline(x0, color=style.SECOND, linestyle=":", linewidth=1.8,
                   label=_minus(f"xw + b = 0 at x = −b/w = {x0:.2f}"))
        if activation_name in ("sigmoid", "tanh"):
            low = 0.0 if activation_name == "sigmoid" else -1.0
            left, right = (low, 1.0) if w > 0 else (1.0, low)
            ax.plot([x_min, x0, x0, x_max], [left, left, right, right], color=style.OPTIMUM,
                    linestyle="--", linewidth=1.2, label="w → ∞: a step at x = −b/w")
        title = _minus(f"{activation_name} neuron, w = {w:.2f}, b = {b:.2f}")
    else:
        title = _minus(f"{activation_name} neuron, w = 0: ŷ = f(b) is a constant")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return ax.figure


def neuron(w, b, activation_name, x_range=(-4.0, 4.0), y_range=(-1.6, 1.6), ax=None):
    """One neuron ŷ = f(xw + b) as a curve over x: neuron_frame and neuron_curve together."""
    ax = style.target_axes(ax)
    neuron_frame(x_range, y_range, ax=ax)
    neuron_curve(w, b, activation_name, ax=ax)
    return ax.figure


# --- vanishing gradients ---------------------------------------------------------------

def deep_network(n_in, depth, activation_name, init_scale, width=16, seed=0):
    """An MLP with `depth` layers: n_in -> width -> ... -> width -> 1, weights N(0, init_scale²).

    activation_name: "relu", "tanh" or "sigmoid" (as in nn.MLP). Seeded, so the same
    arguments give the same network.
    """
    sizes = [n_in] + [width] * (depth - 1) + [1]
    return MLP(sizes, activation=activation_name, init_scale=init_scale, rng=np.random.default_rng(seed))


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
    return ax.figure


def gradient_norms_by_layer(net, X, y, ax=None, ylim=GRADIENT_YLIM, title=None):
    """‖∂ℒ/∂Wₗ‖ of every layer of an MLP after one backward pass of the MSE on (X, y), log scale.

    X: [N×D], y: [N×1]. Leaves the network's gradients set (as layer_gradient_norms does).
    """
    ax = style.target_axes(ax)
    gradient_norm_frame(len(net.layers), ax=ax, ylim=ylim)
    gradient_norm_line(layer_gradient_norms(net, X, y), ax=ax, ylim=ylim, title=title)
    return ax.figure


def vanishing_gradients(X, y, depth, activation_name, init_scale, width=16, seed=0, ax=None, frame=True):
    """A fresh deep network's gradient size per layer (see deep_network), on the data (X, y).

    frame: also draw the axes (False when a panel keeps them as its background).
    """
    ax = style.target_axes(ax)
    net = deep_network(X.shape[1], depth, activation_name, init_scale, width, seed)
    if frame:
        gradient_norm_frame(depth, ax=ax)
    gradient_norm_line(layer_gradient_norms(net, X, y), ax=ax)
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

def relu_network(n_in, bias_init, width=16, hidden_layers=2, seed=0):
    """A ReLU MLP n_in -> width (× hidden_layers) -> 1 whose biases all start at `bias_init`."""
    net = MLP([n_in] + [width] * hidden_layers + [1], activation="relu", rng=np.random.default_rng(seed))
    for layer in net.layers:
        layer.b.value[:] = bias_init
    return net


def one_sgd_step(net, X, y, lr):
    """A copy of `net` after one gradient-descent step on the MSE of (X, y); `net` is unchanged."""
    net = copy.deepcopy(net)
    optimizer = SGD(net.parameters(), lr)
    loss = mse(y, net(X))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return net


def relu_activity_frame(layer_widths, n_examples, ax=None):
    """The axes of relu_activity: limits, layer separators and labels (the part that stays).

    layer_widths: the number of units Mₗ of each hidden layer; n_examples: N.
    """
    ax = style.target_axes(ax, 6, 3.6)
    n_units = int(np.sum(layer_widths))
    start = 0
    for i, width in enumerate(layer_widths):
        if i:
            ax.axhline(start, color=style.INK, linewidth=1.5, zorder=3)
        ax.text(-0.01 * n_examples, start + width / 2, f"layer {i + 1}", rotation=90, ha="right",
                va="center", fontsize=8)
        start += width
    ax.set_xlim(0, n_examples)
    ax.set_ylim(n_units, 0)
    ax.set_yticks([])
    style.style_axes(ax, None, "examples (rows of X)", None, grid=False)
    ax.set_ylabel("hidden units", labelpad=14)
    return ax.figure


def relu_activity_picture(preactivations, ax=None, title=None):
    """Which unit fires on which example, as an image (the part of relu_activity that moves)."""
    ax = style.target_axes(ax, 6, 3.6)
    fires = np.vstack([np.asarray(Z).T > 0 for Z in preactivations])  # [units × N]
    dead = ~fires.any(axis=1)
    picture = np.where(dead[:, None], 2, fires.astype(int))
    n_units, n_examples = picture.shape
    ax.imshow(picture, cmap=_ACTIVITY_COLOURS, vmin=0, vmax=2, aspect="auto", interpolation="nearest",
              extent=(0, n_examples, n_units, 0))
    rows = np.flatnonzero(dead)
    ax.scatter(np.full(len(rows), n_examples * 1.015), rows + 0.5, marker="x", s=14, color=style.MODEL,
               linewidths=1.2, clip_on=False, label="dead unit")
    ax.set_title(title if title is not None else
                 f"blue: the unit fires; dead units (×): {dead.sum()} of {n_units}")
    return ax.figure


def relu_activity(preactivations, ax=None, title=None):
    """Which ReLU unit fires on which example: one row per unit, one column per example.

    preactivations: list of [N×Mₗ] arrays, the inputs XW + b of each hidden layer's ReLU
    (diagnostics.hidden_preactivations(net, X), or [(X @ W1 + b1).value]).
    A unit fires where its input is > 0. Rows of units that fire on no example at all
    (dead units) are drawn in vermillion and marked × on the right.
    """
    ax = style.target_axes(ax, 6, 3.6)
    widths = [np.asarray(Z).shape[1] for Z in preactivations]
    relu_activity_frame(widths, np.asarray(preactivations[0]).shape[0], ax=ax)
    relu_activity_picture(preactivations, ax=ax, title=title)
    return ax.figure


def dead_fraction_frame(n_layers, ax=None):
    """The axes of dead_fraction_bars: one slot per hidden layer, 0–100 % (the part that stays)."""
    ax = style.target_axes(ax, 4, 3.6)
    layers = np.arange(1, n_layers + 1)
    ax.set_xticks(layers, [f"layer {layer}" for layer in layers])
    ax.set_xlim(0.4, n_layers + 0.6)
    ax.set_ylim(0, 1.15)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.legend(handles=[Patch(color=style.DATA, label="before the step"),
                       Patch(facecolor=style.MODEL, hatch="//", edgecolor="white", label="after the step")],
              loc="upper left", fontsize=8)
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
        ax.text(x, value + 0.02, f"{value:.0%}", ha="center", va="bottom", fontsize=8)
    ax.set_title(title or "dead units (never fire on the data)")
    return ax.figure


def dead_fraction_bars(before, after, ax=None, title=None):
    """The fraction of dead units per hidden layer before and after a step, as paired bars.

    before, after: [L-1] fractions (as from diagnostics.dead_relu_fraction).
    """
    ax = style.target_axes(ax, 4, 3.6)
    dead_fraction_frame(len(before), ax=ax)
    dead_fraction_values(before, after, ax=ax, title=title)
    return ax.figure


def dead_relus_after_step(net, X, y, lr, axes=None, frame=True):
    """One SGD step with learning rate η = lr on (X, y): which units fire afterwards, and how many died.

    Left: relu_activity of the network after the step; right: the fraction of dead
    units per hidden layer before and after. `net` (a ReLU MLP) is not changed.
    frame: also draw the axes (False when a panel keeps them as its background).
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, 10, 3.6)
    after = one_sgd_step(net, X, y, lr)
    before_Z, after_Z = hidden_preactivations(net, X), hidden_preactivations(after, X)
    if frame:
        relu_activity_frame([Z.shape[1] for Z in after_Z], len(X), ax=axes[0])
        dead_fraction_frame(len(after_Z), ax=axes[1])
    relu_activity_picture(after_Z, ax=axes[0])
    dead_fraction_values(_dead(before_Z), _dead(after_Z), ax=axes[1],
                         title=_minus(f"dead units, one step with η = {lr:.3g}"))
    return fig


def dead_relu_demo(X, y, bias_init, lr, width=16, seed=0, axes=None, frame=True):
    """A fresh ReLU network with every bias at `bias_init`, after one step of size η = lr (see relu_network)."""
    net = relu_network(X.shape[1], bias_init, width=width, seed=seed)
    return dead_relus_after_step(net, X, y, lr, axes=axes, frame=frame)


def _dead(preactivations):
    return [float(np.mean(np.all(np.asarray(Z) <= 0, axis=0))) for Z in preactivations]


def _applied(name, argument):
    return f"({argument})" if name == "identity" else f"{name}({argument})"


def _minus(text):
    """Typeset minus signs as − (U+2212) rather than hyphens."""
    return text.replace("-", "−").replace("+ −", "− ")
