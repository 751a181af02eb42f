"""Pictures for notebook 05: stacked linear layers collapse; activations (the playground: plots/playground.py).

Every function takes data and parameters, draws on `ax` (or `axes`) if given or on
a new figure otherwise, and returns the figure.
"""

import numpy as np

from ..autograd import Tensor, shape_str
from ..nn import ACTIVATIONS
from ..notation import subscript
from . import style
from .classify import decision_boundary

__all__ = ["ACTIVATION_LABELS", "activate", "activation_functions", "elementwise_activation", "matrix_and_frame",
           "activation_of_entries", "collapse_comparison"]

# How each activation is named and drawn: colour AND line style, so the curves stay apart without colour.
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear (none)"}
_CURVE_STYLE = {
    "relu": (style.MODEL, "-"),
    "tanh": (style.DATA, "--"),
    "sigmoid": (style.OPTIMUM, "-."),
    "linear": (style.RESIDUAL, ":"),
}


def activate(Z, activation):
    """The activation `nn.MLP` applies, entry by entry: Z [N×M] -> [N×M] ("linear" leaves Z as it is)."""
    function = ACTIVATIONS[activation]
    Z = np.asarray(Z, dtype=float)
    return Z.copy() if function is None else function(Tensor(Z)).value


def activation_functions(names=("relu", "tanh", "sigmoid", "linear"), z_range=(-4.0, 4.0), ax=None):
    """The activation functions f(z) side by side, as the network applies them to every entry."""
    ax = style.target_axes(ax, 6.4, 4.0)
    z = np.linspace(*z_range, 401).reshape(1, -1)
    for name in names:
        color, linestyle = _CURVE_STYLE[name]
        ax.plot(z.ravel(), activate(z, name).ravel(), color=color, linestyle=linestyle, linewidth=2.2,
                label=ACTIVATION_LABELS[name], zorder=1 if name == "linear" else 2)
    ax.axhline(0, color=style.INK, linewidth=0.6)
    ax.axvline(0, color=style.INK, linewidth=0.6)
    ax.set_xlim(*z_range)
    ax.set_ylim(-1.5, 2.5)
    style.style_axes(ax, "Activation functions: one number in, one number out", "z", "f(z)")
    ax.legend(loc="upper left", fontsize=9)
    return ax.figure


def _matrix_cells(ax, M, title, limit):
    """A small matrix as cells coloured on the scale [-limit, limit], with its numbers written in them."""
    ax.imshow(M, cmap=style.DIVERGING_CMAP, vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(M):
        ink = "white" if abs(value) > 0.6 * limit else style.INK  # readable on the darkest cells
        ax.text(j, i, f"{value:.2f}".replace("-", "−"), ha="center", va="center", fontsize=9, color=ink)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def _colour_limit(Z):
    return max(float(np.max(np.abs(Z))), 1e-9)


def _curve_limit(Z):
    return max(3.0, float(np.max(np.abs(Z))) * 1.1)


def elementwise_activation(Z, activation, axes=None):
    """A matrix Z, each of its entries on the activation's curve, and H = f(Z), entry by entry.

    Z: a small matrix [N×M] (its numbers are written in the cells). Three axes:
    Z, the curve f(z) with Z's entries on it, and H [N×M].
    """
    fig, axes = style.target_axes_grid(axes, 1, 3, 11, 3.3)
    matrix_and_frame(Z, axes=axes)
    activation_of_entries(Z, activation, axes=axes)
    return fig


def matrix_and_frame(Z, axes=None):
    """The parts of elementwise_activation that do not depend on the activation: Z and the curve's axes."""
    fig, axes = style.target_axes_grid(axes, 1, 3, 11, 3.3)
    Z = np.asarray(Z, dtype=float)
    _matrix_cells(axes[0], Z, f"Z = XW + b  {shape_str(Z.shape)}", _colour_limit(Z))
    limit = _curve_limit(Z)
    axes[1].axhline(0, color=style.INK, linewidth=0.5)
    axes[1].axvline(0, color=style.INK, linewidth=0.5)
    axes[1].set_xlim(-limit, limit)
    axes[1].set_ylim(-limit, limit)
    style.style_axes(axes[1], None, "z", "f(z)")
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    return fig


def activation_of_entries(Z, activation, axes=None):
    """The parts of elementwise_activation that change with the activation: f(z), Z's entries on it, H = f(Z)."""
    fig, axes = style.target_axes_grid(axes, 1, 3, 11, 3.3)
    Z = np.asarray(Z, dtype=float)
    H = activate(Z, activation)
    name = ACTIVATION_LABELS[activation]
    color, linestyle = _CURVE_STYLE[activation]
    limit = _curve_limit(Z)
    z = np.linspace(-limit, limit, 201).reshape(1, -1)
    axes[1].plot(z.ravel(), activate(z, activation).ravel(), color=color, linestyle=linestyle, linewidth=2,
                 label=f"f = {name}")
    axes[1].scatter(Z.ravel(), H.ravel(), s=30, color=style.HIGHLIGHT, edgecolors=style.INK, linewidths=0.6,
                    zorder=3, label="the entries of Z")
    axes[1].set_title(f"{name}: every entry on its own", fontsize=10)
    axes[1].legend(loc="upper left", fontsize=8)
    title = f"H = {name}(Z)  {shape_str(Z.shape)}" if activation != "linear" else f"H = Z  {shape_str(Z.shape)}"
    _matrix_cells(axes[2], H, title, _colour_limit(Z))  # Z's colour scale: compare the two cell by cell
    return fig


def collapse_comparison(stacked, single, X, y, depth, axes=None, limit=1.5, resolution=80, levels=9):
    """Two decision boundaries side by side: L stacked linear layers, and the one projection XQ + U.

    stacked, single: functions from points [M×2] to outputs [M×1]; X [N×2], y [N×1] the points shown.
    Besides the boundary (output 0.5, solid), `levels` dashed level lines of each output show that
    it is a tilted plane. The right title gives the largest difference of the two outputs on the plane.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, 10, 4.6)
    grid = np.linspace(-limit, limit, resolution)
    G1, G2 = np.meshgrid(grid, grid)
    P = np.column_stack([G1.ravel(), G2.ravel()])
    outputs = [np.asarray(f(P), dtype=float).reshape(G1.shape) for f in (stacked, single)]
    difference = float(np.max(np.abs(outputs[0] - outputs[1])))
    titles = [f"{depth} stacked linear layers: H{subscript(depth)}",
              f"one projection: XQ + U\nlargest difference: {difference:.1e}"]
    heights = np.linspace(outputs[0].min(), outputs[0].max(), levels + 2)[1:-1]
    for ax, function, output, title in zip(axes, (stacked, single), outputs, titles):
        decision_boundary(function, X, y, ax=ax, limit=limit, resolution=resolution, title=title)
        ax.contour(G1, G2, output, levels=heights, colors=style.RESIDUAL, linewidths=0.8, linestyles="--")
    axes[0].text(0.02, 0.02, "solid: the boundary ŷ = 0.5 · dashed: other levels of ŷ", fontsize=8,
                 transform=axes[0].transAxes, color=style.INK,
                 bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none"})
    return fig
