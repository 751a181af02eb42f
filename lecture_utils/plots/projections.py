"""Pictures for notebook 04: linear projections H = XW + b, and layers stacked on layers.

* `network_diagram`, `network_gallery`: a network drawn from its layer sizes [D, M₁, ..., K]
  (an `nn.Architecture`), with its parameter count (weights + biases) in the title.
* `xw_plus_b`: the row b [1×M] repeated over the N rows of XW (broadcasting).
* `projection_scatter`: the apartments as points in the new coordinates H [N×2].
* `linear_map`, `linear_map_examples`: a grid and a few points before and after
  H = XW + b with a 2×2 W (a `lessons.linear_regression.MappedPlane`); straight lines stay straight and parallel.
* `stacked_shapes`: H₁ = XW₁ + b₁, H₂ = H₁W₂ + b₂, ... with the shape of every matrix.

Every function takes data and what was computed from them, draws on `ax` (or `axes`) if
given or on a new figure otherwise, and returns the figure.
"""

import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle, Polygon, Rectangle

from ..notation import column_index, subscript
from . import style

__all__ = [
    "LECTURE_NETWORKS", "network_name", "network_diagram", "describe_network", "network_gallery",
    "xw_plus_b", "projection_scatter",
    "linear_map", "linear_map_before", "linear_map_frame", "linear_map_after", "describe_linear_map",
    "linear_map_examples",
    "stacked_shapes",
]

# The lecture's sequence: more outputs first, then a hidden layer, then a second one.
LECTURE_NETWORKS = ([2, 1], [2, 2], [2, 3], [2, 4], [2, 4, 1], [2, 4, 2], [2, 4, 3], [2, 4, 3, 1])



def _shape(rows, columns):
    return f"[{rows}×{columns}]"


# --- networks as lists of layer sizes ---------------------------------------------------

def network_name(sizes):
    """[2, 4, 1] -> '2 → 4 → 1'."""
    return " → ".join(str(n) for n in sizes)


def _layer_names(sizes, output_symbol="ŷ"):
    """What each layer's values are called: X, H₁, H₂, ..., ŷ (or H for output_symbol "h")."""
    last = "ŷ" if output_symbol == "ŷ" else output_symbol.upper()
    return ["X"] + [f"H{subscript(l)}" for l in range(1, len(sizes) - 1)] + [last]


def _node_labels(sizes, output_symbol="ŷ"):
    inputs = [f"x{column_index(j + 1)}" for j in range(sizes[0])]
    hidden = [[""] * n for n in sizes[1:-1]]
    K = sizes[-1]
    outputs = [output_symbol] if K == 1 else [f"{output_symbol}{column_index(j + 1)}" for j in range(K)]
    return [inputs, *hidden, outputs]


def _node_positions(sizes, spacing=2.4):
    """Centres of every layer's nodes: a list of [n×2] arrays, layers left to right, first node on top."""
    return [np.column_stack([np.full(n, spacing * l), (n - 1) / 2 - np.arange(n)]) for l, n in enumerate(sizes)]


def network_diagram(network, weights=None, biases=None, input_names=None, output_names=None,
                    output_symbol="ŷ", shapes=True, ax=None, title=None):
    """A network drawn from its layer sizes [D, M₁, ..., K]: circles for units, lines for weights.

    network: an nn.Architecture (its sizes and parameter counts).

    Layers go left to right: the inputs x⁽¹⁾ … x⁽ᴰ⁾ (outlined in DATA), hidden units
    (SECOND), outputs ŷ, or ŷ⁽¹⁾ … ŷ⁽ᴷ⁾ if there are several (MODEL). Every line is one weight; the title counts the
    parameters: weights plus one bias per unit after the inputs.

    weights: optional list of the matrices W₁, W₂, ... ([Mₗ₋₁×Mₗ] each): lines are then
             coloured by sign (positive: solid, negative: dashed) and as thick as |w|,
             and each shows its value when there are few of them.
    biases:  optional list of b₁, b₂, ... ([1×Mₗ] each), written next to their units.
    input_names, output_names: optional words beside the input and output units.
    output_symbol: what the outputs are called: "ŷ" (a prediction) or e.g. "h" (new features h⁽ʲ⁾).
    shapes:  write each layer's shape (X [N×D], ...) and each W's shape below the picture.
    """
    sizes = network.sizes
    height = max(2.6, 0.55 * max(sizes) + 1.6)
    width = max(3.6, 1.5 * len(sizes) + (2.4 if input_names or output_names else 1.0))
    ax = style.target_axes(ax, width, height)
    positions = _node_positions(sizes)
    bottom = min(centres[:, 1].min() for centres in positions)
    top = max(centres[:, 1].max() for centres in positions)

    _draw_weights(ax, positions, weights)
    _draw_units(ax, positions, _node_labels(sizes, output_symbol))
    _draw_names(ax, positions, input_names, output_names, biases)
    if shapes:
        _draw_shapes(ax, positions, sizes, _layer_names(sizes, output_symbol), bottom - 0.75)

    left_pad = 2.2 if input_names is not None else 0.6
    right_pad = 2.4 if output_names is not None else (1.1 if biases is not None else 0.6)
    ax.set_xlim(-left_pad, positions[-1][0, 0] + right_pad)
    ax.set_ylim(bottom - (1.3 if shapes else 0.6), top + 0.6)
    ax.set_aspect("equal")
    ax.set_xticks([])  # no ticks to lay out: a panel redraws this picture on every change
    ax.set_yticks([])
    ax.axis("off")
    ax.set_title(title if title is not None else _parameter_count(network), fontsize=10)
    return style.described(ax.figure, describe_network(network))


def _parameter_count(network):
    return (f"{network_name(network.sizes)}: {network.weights + network.biases} parameters "
            f"({network.weights} weights + {network.biases} biases)")


def describe_network(network):
    """A network drawn from its layer sizes, in words: its layers and its parameter count."""
    sizes = network.sizes
    hidden = ", ".join(map(str, sizes[1:-1])) or "none"
    return (f"a network of {sizes[0]} inputs, hidden layers of {hidden} units and {sizes[-1]} outputs, every "
            f"weight a line: {_parameter_count(network)}")


_RADIUS = 0.3  # of a unit's circle


def _draw_weights(ax, positions, weights):
    """One line per weight, layer by layer, in the order of W's rows (inputs) and columns (outputs)."""
    segments, colors, widths, linestyles, values = [], [], [], [], []
    for l, (left, right) in enumerate(zip(positions[:-1], positions[1:])):
        W = None if weights is None else np.asarray(weights[l], dtype=float).reshape(len(left), len(right))
        largest = 1.0 if W is None else max(np.abs(W).max(), 1e-12)
        for i, start in enumerate(left):
            for j, end in enumerate(right):
                segments.append([start, end])
                if W is None:
                    colors.append(style.RESIDUAL), widths.append(0.9), linestyles.append("solid")
                else:
                    w = W[i, j]
                    colors.append(style.MODEL if w >= 0 else style.DATA)
                    widths.append(0.6 + 2.6 * abs(w) / largest)
                    linestyles.append("solid" if w >= 0 else "dashed")
                    values.append((start, end, j, len(right), w))
    ax.add_collection(LineCollection(segments, colors=colors, linewidths=widths, linestyles=linestyles,
                                     zorder=1, label="weights"))
    if weights is not None and len(values) <= 12:
        for start, end, j, n_out, w in values:  # labels at different distances, so they do not collide
            t = 0.22 + 0.4 * (j / max(n_out - 1, 1))
            x, y = start + t * (end - start)
            ax.text(x, y, style.number(w, ".2g"), ha="center", va="center", fontsize=8, zorder=2,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})


def _draw_units(ax, positions, labels):
    """Every layer's units as circles (one collection per layer), with their labels inside."""
    roles = ["inputs"] + ["hidden"] * (len(positions) - 2) + ["outputs"]
    role_colors = {"inputs": style.DATA, "hidden": style.SECOND, "outputs": style.MODEL}
    for l, (centres, role) in enumerate(zip(positions, roles)):
        circles = [Circle(tuple(c), _RADIUS) for c in centres]
        ax.add_collection(PatchCollection(circles, facecolor="white", edgecolor=role_colors[role], linewidth=2,
                                          zorder=3, label=f"layer {l}: {len(centres)} {role}"))
        for (x, y), text in zip(centres, labels[l]):
            if text:
                ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=4)


def _draw_names(ax, positions, input_names, output_names, biases):
    """Words beside the inputs and outputs, and each unit's bias b⁽ʲ⁾."""
    gap = _RADIUS + 0.15
    if input_names is not None:
        for (x, y), name in zip(positions[0], input_names):
            ax.text(x - gap, y, name, ha="right", va="center", fontsize=9, color=style.DATA)
    if output_names is not None:
        for (x, y), name in zip(positions[-1], output_names):
            ax.text(x + gap, y + (0.12 if biases is not None else 0), name, ha="left", va="center", fontsize=9,
                    color=style.text_colour(style.MODEL))
    if biases is not None:
        for l, b in enumerate(biases, start=1):
            for j, ((x, y), value) in enumerate(zip(positions[l], np.ravel(b)), start=1):
                ax.text(x + gap, y - 0.22, f"b{column_index(j)} = {style.number(value, '.2g')}", ha="left", va="center",
                        fontsize=8, color=style.INK)


def _draw_shapes(ax, positions, sizes, names, y):
    """Below the picture: each layer's values with their shape [N×Mₗ], and each W's shape between them."""
    for l, centres in enumerate(positions):
        ax.text(centres[0, 0], y, f"{names[l]} {_shape('N', sizes[l])}", ha="center", va="top", fontsize=8,
                color=style.INK)
    for l in range(1, len(sizes)):
        x = (positions[l - 1][0, 0] + positions[l][0, 0]) / 2
        name = "W" if len(sizes) == 2 else f"W{subscript(l)}"  # one layer: the lecture's plain W
        ax.text(x, y, f"{name} {_shape(sizes[l - 1], sizes[l])}", ha="center", va="top", fontsize=8,
                color=style.RESIDUAL)


def network_gallery(networks, ncols=4, axes=None):
    """Several networks side by side (nn.Architecture each), with their parameter counts."""
    nrows = -(-len(networks) // ncols)
    fig, axes = style.target_axes_grid(axes, nrows, ncols, style.page_width(2.9 * ncols), 2.2 * nrows)
    widest = max(len(network.sizes) for network in networks)
    tallest = max(max(network.sizes) for network in networks)
    for ax, network in zip(axes, networks):
        sizes = network.sizes
        network_diagram(network, shapes=False, ax=ax,
                        title=f"{network_name(sizes)}\n{network.weights + network.biases} parameters "
                              f"({network.weights} + {network.biases})")
        middle = _node_positions(sizes)[-1][0, 0] / 2  # one scale for all: bigger networks look bigger
        half_width = _node_positions([1] * widest)[-1][0, 0] / 2 + 0.6
        ax.set_xlim(middle - half_width, middle + half_width)
        ax.set_ylim(-tallest / 2 - 0.2, tallest / 2 + 0.2)
    for ax in axes[len(networks):]:
        ax.axis("off")
    return style.described(fig, "networks drawn from their layer sizes: " + "; ".join(
        f"{network_name(network.sizes)}, {network.weights + network.biases} parameters" for network in networks))


# --- XW + b: the bias row repeated over the N rows ------------------------------------------

def _cells(ax, x0, y0, values, facecolor, alpha=0.3, linestyle="solid", text_color=style.INK):
    """A matrix drawn as cells with its numbers; its top-left corner at (x0, y0), cells 1.4 × 0.8."""
    values = np.atleast_2d(values)
    style.matrix_cells(ax, values, x0, y0, cell=(1.4, 0.8), down=False, color=facecolor, alpha=alpha,
                       edgecolor=style.INK, linewidth=0.8, linestyle=linestyle, numbers=".2f", fontsize=8,
                       ink=text_color)
    return x0 + 1.4 * values.shape[1]


def xw_plus_b(XW, b, H, rows=5, ax=None, title=None):
    """XW [N×M] + b [1×M] = H [N×M]: the one row b is repeated over every row of XW.

    Shows the first `rows` rows of XW, of b repeated (the real b solid, its copies
    dashed) and of H.
    """
    XW, b, H = np.atleast_2d(XW), np.atleast_2d(b), np.atleast_2d(H)
    N, M = XW.shape
    shown = min(rows, N)
    H = H[:shown]
    width = max(6.0, 1.55 * M + 3.0)
    units_wide, units_high = 3 * 1.4 * M + 2.4, 0.8 * shown + 1.4
    ax = style.target_axes(ax, width, width / units_wide * units_high + 0.1)
    centres = []
    x = 0.0
    right = _cells(ax, x, 0, XW[:shown], style.DATA)
    centres.append((x + right) / 2)
    ax.text(centres[-1], -0.8 * shown - 0.4, f"XW {_shape('N', M)}", ha="center", va="top", fontsize=9)
    ax.text(right + 0.5, -0.4 * shown, "+", ha="center", va="center", fontsize=16)
    x = right + 1.0
    right = _cells(ax, x, 0, b, style.HIGHLIGHT, alpha=0.45)
    _cells(ax, x, -0.8, np.repeat(b, shown - 1, axis=0), style.HIGHLIGHT, alpha=0.12, linestyle="dashed",
           text_color=style.RESIDUAL)
    centres.append((x + right) / 2)
    ax.text(centres[-1], -0.8 * shown - 0.4, f"b {_shape(1, M)}, repeated\nover the N rows", ha="center",
            va="top", fontsize=9)
    ax.text(right + 0.5, -0.4 * shown, "=", ha="center", va="center", fontsize=16)
    x = right + 1.0
    right = _cells(ax, x, 0, H, style.OPTIMUM)
    centres.append((x + right) / 2)
    ax.text(centres[-1], -0.8 * shown - 0.4, f"H = XW + b {_shape('N', M)}", ha="center", va="top", fontsize=9)
    if N > shown:  # more rows below
        for centre in centres:
            ax.text(centre, -0.8 * shown - 0.02, "⋮", ha="center", va="top", fontsize=11, color=style.RESIDUAL)
    ax.set_xlim(-0.2, right + 0.2)
    ax.set_ylim(-0.8 * shown - 1.3, 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or f"XW + b: b {_shape(1, M)} is added to each of the N = {N} rows (broadcasting)",
                 fontsize=10)
    bias = " ".join(style.number(v, ".2f") for v in b[0])
    return style.described(ax.figure, f"XW {_shape('N', M)} plus b {_shape(1, M)} = [{bias}] repeated over its "
                                      f"N = {N} rows gives H {_shape('N', M)}; the first {shown} rows shown")


# --- the apartments in their new coordinates ---------------------------------------------------

def projection_scatter(H, y, names=("h⁽¹⁾", "h⁽²⁾"), ax=None, title=None, color_label=style.Y_PRICE):
    """The N rows of H [N×2] as points, coloured by y [N×1] (e.g. the price)."""
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[1] != 2:
        raise ValueError(f"projection_scatter draws H with two columns, got {_shape(*H.shape)}.")
    ax = style.target_axes(ax, 5.6, 4.2)
    points = ax.scatter(H[:, 0], H[:, 1], c=np.ravel(y), cmap=style.SEQUENTIAL_CMAP, s=16, edgecolors=style.EDGE,
                        linewidths=0.3)
    ax.figure.colorbar(points, ax=ax, label=color_label)
    ax.axhline(0, color=style.RESIDUAL, linewidth=0.8)
    ax.axvline(0, color=style.RESIDUAL, linewidth=0.8)
    style.style_axes(ax, title or f"The apartments, projected: H = XW + b {_shape(len(H), 2)}", *names)
    return style.described(ax.figure, f"the {len(H)} apartments as points in the new coordinates {names[0]} and "
                                      f"{names[1]}, coloured by {color_label}")


# --- a 2×2 W acting on the plane ----------------------------------------------------------------

def _draw_plane(ax, mapped):
    """Grid lines, the unit square and the points after the map (a lessons.linear_regression.MappedPlane)."""
    ax.add_collection(LineCollection(mapped.x1_lines, colors=style.DATA, linewidths=1.1, label="lines x⁽¹⁾ = c"))
    ax.add_collection(LineCollection(mapped.x2_lines, colors=style.SECOND, linewidths=1.1, linestyles="dashed",
                                     label="lines x⁽²⁾ = c"))
    ax.add_patch(Polygon(mapped.square, closed=True, facecolor=to_rgba(style.HIGHLIGHT, 0.35),
                         edgecolor=style.line_colour(style.HIGHLIGHT), linewidth=1.5, label="unit square"))
    points = mapped.points
    ax.scatter(points[:, 0], points[:, 1], s=40, color=style.MODEL, edgecolors="white", zorder=4, label="points")
    right = ax.get_xlim()[1]
    for i, (x, y) in enumerate(points, start=1):  # its number beside it, on the side with room
        near_edge = x > right - 0.15 * (right - ax.get_xlim()[0])
        ax.text(x, y, f"{i} " if near_edge else f" {i}", fontsize=8, va="bottom", ha="right" if near_edge else "left",
                color=style.text_colour(style.MODEL), zorder=5, clip_on=True)


def linear_map_before(plane, view=4.0, ax=None):
    """The plane before the layer (lessons.linear_regression.map_plane with W = I, b = 0): grid lines x⁽¹⁾ = c (solid)
    and x⁽²⁾ = c (dashed), the unit square, the points."""
    ax = style.target_axes(ax, 4.4, 4.4)
    _draw_plane(ax, plane)
    _square_axes(ax, view)
    style.style_axes(ax, "before: the rows of X", "x⁽¹⁾", "x⁽²⁾")
    _large_axis_labels(ax)
    return ax.figure


def linear_map_frame(view=4.0, ax=None):
    """The empty plane after the layer, with its axes (the part of linear_map_after that stays)."""
    ax = style.target_axes(ax, 4.4, 4.4)
    _square_axes(ax, view)
    style.style_axes(ax, None, "h⁽¹⁾", "h⁽²⁾")
    _large_axis_labels(ax)
    return ax.figure


def _large_axis_labels(ax):
    """Axis labels whose superscripts (x⁽¹⁾, h⁽²⁾) stay readable: a size larger than the ticks'."""
    ax.xaxis.label.set_fontsize(13)
    ax.yaxis.label.set_fontsize(13)


def linear_map_after(mapped, ax=None, title=None):
    """The same grid, unit square and points after H = XW + b, with det W in the title.

    mapped: a lessons.linear_regression.MappedPlane. Every grid line is mapped point by point; that it
    stays a straight line, parallel to its neighbours, is the result.
    """
    ax = style.target_axes(ax, 4.4, 4.4)
    _draw_plane(ax, mapped)
    ax.set_title(title or f"after: H = XW + b\n{_det_effect(mapped.det)}", fontsize=10)
    return style.described(ax.figure, describe_linear_map(mapped))


def _det_effect(det):
    if abs(det) < 1e-9:
        return "det W = 0: the plane is flattened onto a line"
    return (f"det W = {style.number(det, '.2f')}: areas ×{style.number(abs(det), '.2f')}"
            + (", flipped" if det < 0 else ""))


def describe_linear_map(mapped, b=None):
    """The plane after H = XW + b with a 2×2 W, in words: W (and b), what det W does, and that lines stay lines."""
    rows = "; ".join(" ".join(style.number(w, ".2g") for w in row) for row in mapped.W)
    bias = "" if b is None else f", b = [{' '.join(style.number(v, '.2g') for v in b)}]"
    return (f"the grid, the unit square and {len(mapped.points)} points after H = XW + b with W = [{rows}]{bias}: "
            f"{_det_effect(mapped.det)}; straight lines stay straight and parallel")


def _square_axes(ax, view):
    ax.set_xlim(-view, view)
    ax.set_ylim(-view, view)
    ax.set_aspect("equal")
    ax.axhline(0, color=style.INK, linewidth=0.6)
    ax.axvline(0, color=style.INK, linewidth=0.6)


def linear_map(before, after, view=4.0, axes=None):
    """The plane before (left) and after (right) one layer H = XW + b with a 2×2 W (MappedPlanes)."""
    fig, axes = style.target_axes_grid(axes, 1, 2, 8.8, 4.6)
    linear_map_before(before, view, ax=axes[0])
    linear_map_frame(view, ax=axes[1])
    return linear_map_after(after, ax=axes[1])


def linear_map_examples(examples, view=4.0, axes=None):
    """Several layers side by side, each drawn as the plane after it: examples is [(label, MappedPlane), ...]."""
    fig, axes = style.target_axes_grid(axes, 1, len(examples), style.page_width(3.3 * len(examples)), 3.6)
    for ax, (label, mapped) in zip(axes, examples):
        linear_map_frame(view, ax=ax)
        rows = "; ".join(" ".join(style.number(w, ".2g") for w in row) for row in mapped.W)
        linear_map_after(mapped, ax=ax, title=f"{label}\nW = [{rows}]")
    return style.described(fig, "the plane after several layers H = XW + b: " + "; ".join(
        f"{label}: {describe_linear_map(mapped)}" for label, mapped in examples))


# --- stacked layers and the shape of every matrix ------------------------------------------------

def _block(ax, x0, y_top, rows, columns, drawn_rows, color, name):
    """A matrix as a block of `drawn_rows` × `columns` cells, its name and shape below it."""
    ax.add_patch(Rectangle((x0, y_top - drawn_rows), columns, drawn_rows, facecolor=to_rgba(color, 0.3),
                           edgecolor=style.INK, linewidth=1.0))
    inner = [[(x0 + c, y_top), (x0 + c, y_top - drawn_rows)] for c in range(1, columns)]
    inner += [[(x0, y_top - r), (x0 + columns, y_top - r)] for r in range(1, drawn_rows)]
    if inner:  # the cells' borders: a guide inside the block's dark outline
        ax.add_collection(LineCollection(inner, colors=style.INK, linewidths=0.3, alpha=0.5, gid="guide"))
    ax.text(x0 + columns / 2, y_top - drawn_rows - 0.3, f"{name} {_shape(rows, columns)}", ha="center", va="top",
            fontsize=9)
    return x0 + columns


def stacked_shapes(N, network, ax=None, tall=6):
    """H₁ = XW₁ + b₁, H₂ = H₁W₂ + b₂, ...: one row per layer, every matrix drawn with its shape.

    N: the number of rows of X; network: an nn.Architecture with sizes [D, M₁, M₂, ...]. A
    matrix with N rows is drawn `tall` cells high (N does not fit); every other size is drawn
    to scale, so the inner sizes of each product visibly match.
    """
    sizes = network.sizes
    names = ["X"] + [f"H{subscript(l)}" for l in range(1, len(sizes))]
    row_height = max(tall, max(sizes)) + 2.0
    text_width = 10.0
    right = max(n_in + 3 * n_out + 4 * 1.4 for n_in, n_out in zip(sizes[:-1], sizes[1:])) + text_width
    height = (len(sizes) - 1) * row_height
    unit = min(0.3, (style.PAGE_WIDTH - 0.3) / right)  # inches per cell: the page's width at most
    ax = style.target_axes(ax, unit * right + 0.3, unit * height + 0.7)
    for l in range(1, len(sizes)):
        top = -(l - 1) * row_height
        n_in, n_out = sizes[l - 1], sizes[l]
        x = _block(ax, 0, top, N, n_in, tall, style.DATA if l == 1 else style.OPTIMUM, names[l - 1])
        ax.text(x + 0.7, top - tall / 2, "·", ha="center", va="center", fontsize=18)
        x = _block(ax, x + 1.4, top, n_in, n_out, n_in, style.MODEL, f"W{subscript(l)}")
        ax.text(x + 0.7, top - tall / 2, "+", ha="center", va="center", fontsize=14)
        x = _block(ax, x + 1.4, top, 1, n_out, 1, style.HIGHLIGHT, f"b{subscript(l)}")
        ax.text(x + 0.7, top - tall / 2, "=", ha="center", va="center", fontsize=14)
        x = _block(ax, x + 1.4, top, N, n_out, tall, style.OPTIMUM, names[l])
        ax.text(x + 1.0, top - tall / 2, f"{_shape(N, n_in)} · {_shape(n_in, n_out)} → {_shape(N, n_out)}\n"
                f"inner sizes {n_in} and {n_in} match", ha="left", va="center", fontsize=9, color=style.RESIDUAL)
    ax.set_xlim(-0.3, right)
    ax.set_ylim(-height + 0.5, 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    layers = ", ".join(f"H{subscript(l)} = {names[l - 1]}W{subscript(l)} + b{subscript(l)}"
                       for l in range(1, len(sizes)))
    ax.set_title(f"Stacked layers: {layers}", fontsize=10)
    shapes = "; ".join(f"{_shape(N, n_in)} · {_shape(n_in, n_out)} + {_shape(1, n_out)} → {_shape(N, n_out)}"
                       for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    return style.described(ax.figure, f"stacked layers {layers}, every matrix with its shape: {shapes}")
