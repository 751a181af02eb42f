"""Pictures for notebook 05: stacked linear layers collapse; activations (the playground: plots/playground.py).

Every function takes data and what was computed from them (`activations` curves, the
`regions` of a model), draws on `ax` (or `axes`) if given or on a new
figure otherwise, and returns the figure.
"""

import numpy as np

from ..activations import LABELS
from ..autograd import shape_str
from ..notation import subscript
from . import style
from .classify import decision_boundary

__all__ = ["activation_functions", "entry_range", "elementwise_activation", "matrix_and_frame",
           "activation_of_entries", "describe_activation_of_entries", "collapse_comparison"]

# How each activation is drawn: colour AND line style, so the curves stay apart without colour.
_CURVE_STYLE = {
    "ReLU": (style.MODEL, "-"),
    "tanh": (style.DATA, "--"),
    "sigmoid": (style.OPTIMUM, "-."),
    "linear": (style.RESIDUAL, ":"),
}


def activation_functions(curves, ax=None):
    """The activation functions f(z) side by side, as the network applies them to every entry.

    curves: {name: (z [S], f(z) [S])} (as from activations.curve), drawn over the first one's z.
    """
    ax = style.target_axes(ax, 6.4, 4.0)
    for name, (z, f_z) in curves.items():
        color, linestyle = _CURVE_STYLE[name]
        ax.plot(z, f_z, color=color, linestyle=linestyle, linewidth=2.2, label=LABELS[name],
                zorder=1 if name == "linear" else 2)
    z = next(iter(curves.values()))[0]
    ax.axhline(0, color=style.INK, linewidth=0.6)
    ax.axvline(0, color=style.INK, linewidth=0.6)
    ax.set_xlim(z[0], z[-1])
    ax.set_ylim(-1.5, 2.5)
    style.style_axes(ax, "Activation functions: one number in, one number out", "z", "f(z)")
    ax.legend(loc="upper left", fontsize=9)
    return style.described(ax.figure, f"the activation functions f(z) for z from {style.number(z[0])} to "
                                      f"{style.number(z[-1])}: " + ", ".join(LABELS[name] for name in curves))


def _matrix_cells(ax, M, title, limit):
    """A small matrix as cells coloured on the scale [-limit, limit], with its numbers written in them."""
    style.matrix_cells(ax, M, -0.5, -0.5, scale=limit, edgecolor="none", linewidth=0, numbers=".2f", fontsize=9)
    _matrix_frame(ax, M.shape)
    ax.set_title(title, fontsize=10)


def _matrix_frame(ax, shape):
    """Axes for a matrix of `shape` drawn as unit cells, row 0 on top: its limits, equal units, no ticks."""
    rows, cols = shape
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def entry_range(Z):
    """The range of z the curve of elementwise_activation spans for a matrix Z: (−limit, limit)."""
    limit = max(3.0, float(np.max(np.abs(Z))) * 1.1)
    return -limit, limit


def elementwise_activation(Z, H, curve, activation, axes=None):
    """A matrix Z, each of its entries on the activation's curve, and H = f(Z), entry by entry.

    Z: a small matrix [N×M] (its numbers are written in the cells); H = f(Z) [N×M];
    curve: (z [S], f(z) [S]) across entry_range(Z) (as from activations.curve). Three axes:
    Z, the curve f(z) with Z's entries on it, and H [N×M].
    """
    fig, axes = style.target_axes_grid(axes, 1, 3, style.PAGE_WIDTH, 3.0)
    matrix_and_frame(Z, axes=axes)
    return activation_of_entries(Z, H, curve, activation, axes=axes)


def matrix_and_frame(Z, axes=None):
    """The parts of elementwise_activation that do not depend on the activation: Z and the curve's axes."""
    fig, axes = style.target_axes_grid(axes, 1, 3, style.PAGE_WIDTH, 3.0)
    Z = np.asarray(Z, dtype=float)
    _matrix_cells(axes[0], Z, f"Z = XW + b  {shape_str(Z.shape)}", style.colour_scale(Z))
    axes[1].axhline(0, color=style.INK, linewidth=0.5)
    axes[1].axvline(0, color=style.INK, linewidth=0.5)
    axes[1].set_xlim(*entry_range(Z))
    axes[1].set_ylim(*entry_range(Z))
    style.style_axes(axes[1], None, "z", "f(z)")
    _matrix_frame(axes[2], Z.shape)  # H = f(Z) has Z's shape
    return fig


def activation_of_entries(Z, H, curve, activation, axes=None):
    """The parts of elementwise_activation that change with the activation: f(z), Z's entries on it, H = f(Z)."""
    fig, axes = style.target_axes_grid(axes, 1, 3, style.PAGE_WIDTH, 3.0)
    Z, H = np.asarray(Z, dtype=float), np.asarray(H, dtype=float)
    name = LABELS[activation]
    color, linestyle = _CURVE_STYLE[activation]
    axes[1].plot(*curve, color=color, linestyle=linestyle, linewidth=2, label=f"f = {name}")
    axes[1].scatter(Z.ravel(), H.ravel(), s=30, color=style.HIGHLIGHT, edgecolors=style.INK, linewidths=0.6,
                    zorder=3, label="the entries of Z")
    axes[1].set_title(f"{name}: every entry on its own", fontsize=10)
    axes[1].legend(loc="upper left", fontsize=8)
    title = f"H = {name}(Z)  {shape_str(Z.shape)}" if activation != "linear" else f"H = Z  {shape_str(Z.shape)}"
    _matrix_cells(axes[2], H, title, style.colour_scale(Z))  # Z's colour scale: compare the two cell by cell
    return style.described(fig, describe_activation_of_entries(Z, H, activation))


def describe_activation_of_entries(Z, H, activation):
    """An activation applied entry by entry, in words: Z's and H's entries, row by row."""
    name = LABELS[activation]

    def rows(M):
        return "; ".join(" ".join(style.number(v, ".2f") for v in row) for row in np.atleast_2d(M))

    return (f"the {name} curve with every entry of Z {shape_str(np.shape(Z))} on it, and H = {name}(Z) entry by "
            f"entry: Z = [{rows(Z)}], H = [{rows(H)}]")


def collapse_comparison(compared, X, y, depth, axes=None, levels=9):
    """Two decision boundaries side by side: L stacked linear layers, and the one projection XQ + U.

    compared: a regions.RegionsCompared (the stacked layers first); X [N×2], y [N×1] the points shown.
    Besides the boundary (output 0.5, solid), `levels` dashed level lines of each output show that
    it is a tilted plane. The right title gives the largest difference of the two outputs on the plane.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 4.4)
    outputs = [compared.first, compared.second]
    titles = [f"{depth} stacked linear layers: H{subscript(depth)}",
              f"one projection: XQ + U\nlargest difference: {style.scientific(compared.difference)}"]
    heights = np.linspace(compared.first.outputs.min(), compared.first.outputs.max(), levels + 2)[1:-1]
    for ax, regions, title in zip(axes, outputs, titles):
        decision_boundary(regions, X, y, ax=ax, title=title)
        ax.contour(regions.grid, regions.grid, regions.outputs, levels=heights, colors=style.RESIDUAL,
                   linewidths=0.8, linestyles="--")
    axes[0].text(0.02, 0.02, "solid: the boundary ŷ = 0.5 · dashed: other levels of ŷ", fontsize=8,
                 transform=axes[0].transAxes, color=style.INK,
                 bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
    return style.described(fig, f"the decision boundary ŷ = 0.5 and other levels of ŷ over the plane, with the "
                                f"points: left {depth} stacked linear layers, right the one projection XQ + U; "
                                f"straight and the same, largest difference {style.scientific(compared.difference)}")
