"""Pictures for notebook 07: the computational graph, its backward pass step by step, and a chain of diamonds.

    graph = trace(loss)                         # lecture_utils.graph: the graph as data
    draw_graph(graph)                           # a matplotlib Figure (no graphviz, no system binary)
    steps = backward_steps(loss)                # lecture_utils.graph: the backward pass as data
    draw_backward_step(graph, steps, 3)         # step 3: upstream, local gradient, new upstream, node gradient

The graph is drawn as the lecture draws it. Value nodes are boxes: data (blue),
parameters (vermillion, thick border) and intermediate results (white). Op nodes
are circles (purple): Add, Sub, Mul, ReLU, T, ... Every edge carries the shape
[N×M] of the matrix that flows along it. Inputs are on the left, the loss on the
right: the forward pass runs left to right, the backward pass right to left.

The layout needs no extra library: each node gets a column by its depth (an op
one column right of its deepest input, its result one column right of the op),
and the rows are spread from the loss backwards, each op's inputs above and below it.
`graph_layout` places the nodes (in inches, from the widths of their labels); every
drawing function takes a traced Graph, a laid-out one, or a Tensor.
"""

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.collections import QuadMesh
from matplotlib.colors import Normalize, to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.textpath import TextToPath

from ..autograd import shape_str
from ..graph import Graph, GraphNode, complete_after, diamond_chain, display_name, number_text, trace
from ..notation import subscript, superscript
from . import style

__all__ = [
    "PlacedNode", "PlacedGraph", "graph_layout", "draw_graph", "graph_figure_size",
    "backward_step_overlay", "values_frame", "backward_step_values", "draw_backward_step",
    "visit_counts_plot", "visit_counts_marker", "diamond_chain_figure", "diamond_chain_graph",
    "VALUES_SIZE", "DIAMOND_FIGURE_SIZE", "DIAMOND_HEIGHT_RATIOS",
]

# --- sizes, in inches (the drawing's data units are inches, so shapes keep their proportions)

VALUE_FONT = 8.0        # points
OP_FONT = 7.0
EDGE_FONT = 6.5
BOX_HEIGHT = 0.27
BOX_PAD = 0.07          # room left and right of a value's name
MIN_BOX_WIDTH = 0.30
MIN_OP_DIAMETER = 0.32
COLUMN_GAP = 0.26       # between neighbouring columns: room for an arrow
ROW_GAP = 0.8           # between the inputs of one op
NODE_SEPARATION = 0.30  # at least this much space between two nodes of one column
LABEL_RISE = 0.15       # an edge's shape label sits this far above the edge's middle
MARGIN = 0.12

_TEXT_TO_PATH = TextToPath()

# --- colours: told apart by shape (box / circle, border width) as well as by colour

KIND_COLORS = {"data": style.DATA, "parameter": style.MODEL, "intermediate": style.RESIDUAL, "op": style.SECOND}
KIND_LABELS = {"data": "data", "parameter": "parameter (requires_grad)", "intermediate": "intermediate value",
               "op": "op"}
EDGE_COLOR = "#555555"


def _light(color, strength=0.3):
    """The colour mixed with white: strength 1 is the colour itself, 0 is white."""
    return tuple(1 - (1 - c) * strength for c in to_rgb(color))


def _face(kind):
    return "white" if kind == "intermediate" else _light(KIND_COLORS[kind])


# ----------------------------------------------------------------------------
# Laying the graph out
# ----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class PlacedNode(GraphNode):
    """A node of a traced graph with its place in the drawing: centre (x, y) and size, in inches."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, eq=False)
class PlacedGraph(Graph):
    """A traced graph laid out for drawing: its nodes are PlacedNodes."""

    def extent(self):
        """(x_min, x_max, y_min, y_max) of everything drawn, in inches."""
        xs = [n.x - n.width / 2 for n in self.nodes] + [n.x + n.width / 2 for n in self.nodes]
        ys = [n.y - n.height / 2 for n in self.nodes] + [n.y + n.height / 2 + LABEL_RISE + 0.08
                                                        for n in self.nodes]
        return min(xs) - MARGIN, max(xs) + MARGIN, min(ys) - MARGIN, max(ys) + MARGIN


def graph_layout(graph):
    """`graph` (a Graph from graph.trace, or a Tensor, traced here) laid out for drawing: a PlacedGraph.

    A value's box is as wide as its name, an op's circle as its label.
    """
    if isinstance(graph, PlacedGraph):
        return graph
    graph = graph if isinstance(graph, Graph) else trace(graph)
    sizes = {}
    for node in graph.nodes:
        if node.is_op:
            diameter = max(MIN_OP_DIAMETER, _text_width(node.label, OP_FONT) + 0.1)
            sizes[node.key] = (diameter, diameter)
        else:
            sizes[node.key] = (max(MIN_BOX_WIDTH, _text_width(node.label, VALUE_FONT) + 2 * BOX_PAD), BOX_HEIGHT)
    index = {t: i for i, t in enumerate(graph.order)}
    positions = _layered_layout(graph.order, index, sizes)
    nodes = tuple(PlacedNode(n.key, n.kind, n.label, n.tensor, *positions[n.key], *sizes[n.key]) for n in graph.nodes)
    return PlacedGraph(graph.root, graph.order, nodes, graph.edges)


@functools.lru_cache(maxsize=1024)
def _text_width(text, size):
    """The width of `text` in inches at font `size` (points), from the font's metrics."""
    if not text:
        return 0.0
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return width / 72


def _layered_layout(order, index, sizes):
    """{key: (x, y)} in inches: columns by depth, rows spread from the root backwards."""
    column = {}
    for i, t in enumerate(order):
        if t.parents:
            column[f"op{i}"] = max(column[f"v{index[p]}"] for p in t.parents) + 1
            column[f"v{i}"] = column[f"op{i}"] + 1
        else:
            column[f"v{i}"] = 0
    successors = {key: [] for key in column}  # key -> [(consumer key, preferred offset in y)]
    for i, t in enumerate(order):
        if not t.parents:
            continue
        successors[f"op{i}"].append((f"v{i}", 0.0))
        inputs = list(dict.fromkeys(t.parents))  # each input once, in order
        for j, parent in enumerate(inputs):
            offset = ((len(inputs) - 1) / 2 - j) * ROW_GAP  # the first input on top
            successors[f"v{index[parent]}"].append((f"op{i}", offset))
    for i, t in enumerate(order):  # data and parameters sit just left of their first consumer
        if not t.parents and successors[f"v{i}"]:
            column[f"v{i}"] = min(column[consumer] for consumer, _ in successors[f"v{i}"]) - 1

    used = sorted(set(column.values()))
    half_width = {c: max(sizes[k][0] for k in column if column[k] == c) / 2 for c in used}
    x_of_column, x = {}, 0.0
    for previous, c in zip([None] + used, used):
        if previous is not None:
            x += half_width[previous] + COLUMN_GAP + half_width[c]
        x_of_column[c] = x

    y = {}
    for c in reversed(used):  # from the root back: every consumer is placed before its inputs
        keys = [k for k in column if column[k] == c]  # in topological order
        desired = {}
        for k in keys:
            wishes = [y[consumer] + offset for consumer, offset in successors[k]]
            desired[k] = float(np.mean(wishes)) if wishes else 0.0
        keys.sort(key=lambda k: desired[k])  # bottom to top; then push apart where they overlap
        placed = {keys[0]: desired[keys[0]]}
        for below, k in zip(keys, keys[1:]):
            lowest = placed[below] + (sizes[below][1] + sizes[k][1]) / 2 + NODE_SEPARATION
            placed[k] = max(desired[k], lowest)
        shift = np.mean([desired[k] for k in keys]) - np.mean(list(placed.values()))
        for k, p in placed.items():
            y[k] = p + shift
    return {k: (x_of_column[column[k]], y[k]) for k in column}


# ----------------------------------------------------------------------------
# Drawing the graph
# ----------------------------------------------------------------------------

def graph_figure_size(graph, legend=True, title=True):
    """(width, height) in inches of a figure that shows `graph` at its natural size."""
    x0, x1, y0, y1 = graph_layout(graph).extent()
    return max(x1 - x0, 4.0) + 0.2, (y1 - y0) + (0.35 if title else 0.1) + (0.35 if legend else 0.0)


def draw_graph(graph, ax=None, highlight=(), title=None, legend=True, frame=None):
    """Draw a computational graph: boxes for values, circles for ops, the shape [N×M] on every edge.

    graph:     a Graph from graph.trace (laid out here, or already by graph_layout), or a Tensor
    highlight: tensors whose value nodes get an orange frame (e.g. a node used twice)
    frame:     (x_min, x_max, y_min, y_max) in inches to show; the graph's own extent by default
    Returns the figure.
    """
    graph = graph_layout(graph)
    if ax is None:
        ax = style.new_figure(*graph_figure_size(graph, legend, title is not None))[1]
    for edge in graph.edges:
        _draw_edge(ax, graph[edge.source], graph[edge.target], EDGE_COLOR, 0.9, edge.label)
    for node in graph.nodes:
        _draw_node(ax, node)
    for tensor in highlight:
        _draw_halo(ax, graph.value_node(tensor))
    _frame(ax, frame or graph.extent())
    if title is not None:
        ax.set_title(title, fontsize=10)
    if legend:
        _legend(ax, graph)
    return ax.figure


def _frame(ax, extent):
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _legend(ax, graph):
    kinds = [kind for kind in ("data", "parameter", "intermediate", "op") if any(n.kind == kind for n in graph.nodes)]
    handles = [Line2D([], [], linestyle="none", marker="o" if kind == "op" else "s", markersize=9,
                      markerfacecolor=_face(kind), markeredgecolor=KIND_COLORS[kind],
                      markeredgewidth=2.2 if kind == "parameter" else 1.0, label=KIND_LABELS[kind])
               for kind in kinds]
    handles.append(Line2D([], [], color=EDGE_COLOR, linewidth=0.9, label="[N×M]: the shape along an edge"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles),
              fontsize=7.5, frameon=False, handletextpad=0.4, columnspacing=1.2)


def _add(ax, patch):
    """Add a patch without updating the data limits (the frame is set explicitly): much faster."""
    ax.add_artist(patch)
    return patch


def _draw_node(ax, node):
    color = KIND_COLORS[node.kind]
    if node.is_op:
        _add(ax, Circle((node.x, node.y), node.width / 2, facecolor=_face("op"), edgecolor=color,
                        linewidth=1.2, zorder=3))
        ax.text(node.x, node.y, node.label, ha="center", va="center", fontsize=OP_FONT, zorder=4)
    else:
        _add(ax, _box(node, facecolor=_face(node.kind), edgecolor=color,
                      linewidth=2.2 if node.kind == "parameter" else 1.0, zorder=3))
        ax.text(node.x, node.y, node.label, ha="center", va="center", fontsize=VALUE_FONT, zorder=4)


def _box(node, grow=0.0, **kwargs):
    width, height = node.width + 2 * grow, node.height + 2 * grow
    return FancyBboxPatch((node.x - width / 2, node.y - height / 2), width, height,
                          boxstyle="round,pad=0,rounding_size=0.06", **kwargs)


def _draw_halo(ax, node, color=style.HIGHLIGHT):
    """A thick orange frame just outside a node."""
    if node.is_op:
        patch = Circle((node.x, node.y), node.width / 2 + 0.045, fill=False, edgecolor=color, linewidth=3.5,
                       zorder=5)
    else:
        patch = _box(node, grow=0.045, fill=False, edgecolor=color, linewidth=3.5, zorder=5)
    _add(ax, patch)
    return patch


def _boundary(node, toward):
    """Where the straight line from the node's centre towards `toward` leaves its outline."""
    dx, dy = toward[0] - node.x, toward[1] - node.y
    length = np.hypot(dx, dy)
    if length == 0:
        return node.x, node.y
    if node.is_op:
        t = (node.width / 2) / length
    else:
        t = min((node.width / 2) / abs(dx) if dx else np.inf, (node.height / 2) / abs(dy) if dy else np.inf)
    return node.x + t * dx, node.y + t * dy


def _draw_edge(ax, source, target, color, linewidth, label=None, reverse=False, zorder=1):
    """An arrow from the outline of `source` to the outline of `target`; its label above its middle."""
    start = _boundary(source, (target.x, target.y))
    end = _boundary(target, (source.x, source.y))
    head, tail = (start, end) if reverse else (end, start)
    arrow = FancyArrowPatch(tail, head, arrowstyle="-|>", mutation_scale=7 + 2 * linewidth, color=color,
                            linewidth=linewidth, shrinkA=0, shrinkB=0.5, zorder=zorder)
    _add(ax, arrow)
    if label:
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        if abs(end[1] - start[1]) < 0.05:  # a level edge: its label above it
            ax.text(middle[0], middle[1] + LABEL_RISE, label, ha="center", va="center", fontsize=EDGE_FONT,
                    color=color, zorder=2)
        else:  # a slanted edge: its label on it, interrupting the line
            ax.text(*middle, label, ha="center", va="center", fontsize=EDGE_FONT, color=color, zorder=2,
                    bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"})
    return arrow


# ----------------------------------------------------------------------------
# Drawing one backward step
# ----------------------------------------------------------------------------

def backward_step_overlay(graph, steps, index, ax):
    """On a drawn graph: frame the current op and its result, the arrows back to its inputs,
    and a green dot on every value whose node gradient is complete. Returns the figure."""
    graph, step = graph_layout(graph), steps[index]
    done = complete_after(graph, steps, index)
    dots = [graph.value_node(t) for t in done]
    ax.scatter([n.x + n.width / 2 - 0.02 for n in dots], [n.y + n.height / 2 - 0.02 for n in dots], s=22,
               color=style.OPTIMUM, edgecolors="white", linewidths=0.8, zorder=5)
    result = graph.value_node(step.node)
    _draw_halo(ax, result)
    if not step.is_start:
        op = graph.op_node(step.node)
        _draw_halo(ax, op)
        for record in step.parents:
            color = style.HIGHLIGHT if record.needs_gradient else style.RESIDUAL
            _draw_edge(ax, graph.value_node(record.parent), op, color, 2.2 if record.needs_gradient else 1.0,
                       reverse=True, zorder=2.6)
        _draw_edge(ax, op, result, style.HIGHLIGHT, 2.2, reverse=True, zorder=2.6)
    ax.set_title(_step_title(step, len(steps) - 1), fontsize=10)
    return ax.figure


def _step_title(step, last):
    if step.is_start:
        return f"step 0 of {last}: start at the loss, ∂ℒ/∂{display_name(step.node)} = 1"
    inputs = ", ".join(display_name(r.parent) for r in step.parents)
    return (f"step {step.index} of {last}: {step.node.op} passes UP = ∂ℒ/∂{display_name(step.node)} "
            f"back to {inputs}      (● node gradient complete)")


# The numbers of a step are drawn in inches too: the upstream on the left, then one
# group per input of the op: its local gradient, the new upstream it receives
# (upstream × local), and its node gradient (the sum of the upstreams it has received).
VALUES_SIZE = (10.4, 2.5)
_UPSTREAM_SLOT = (0.0, 1.25)
_GROUP_STARTS = (1.65, 6.15)
_SLOT_WIDTH, _SLOT_GAP = 1.25, 0.27
_MATRIX_BOX = (0.1, 1.65)        # (bottom, top) of the matrices
_MAX_CELL = 0.4
_FIRST_ROW = _MATRIX_BOX[1] - 0.22  # numbers and the → += signs sit level with a matrix's first row


def values_frame(ax):
    """Prepare axes for backward_step_values: inches as data units, no axis lines."""
    width, height = VALUES_SIZE
    ax.set_xlim(-0.05, width + 0.05)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax.figure


def backward_step_values(step, ax=None):
    """The numbers of one backward step, as small heatmaps with their values.

    Left: the upstream UP = ∂ℒ/∂node. Then for each input of the op: the rule in
    the lecture's words, the local gradient, the new upstream the op sends the input
    (upstream × local), and the input's node gradient: the sum of the upstreams it has
    received so far, from all the ops that use it.
    Returns the figure.
    """
    if ax is None:
        ax = style.new_figure(*VALUES_SIZE)[1]
    values_frame(ax)
    height = VALUES_SIZE[1]
    _matrix(ax, step.upstream, _UPSTREAM_SLOT,
            f"upstream UP\n= ∂ℒ/∂{display_name(step.node)} {shape_str(step.upstream.shape)}")
    if step.is_start:
        loss = display_name(step.node)
        ax.text(_GROUP_STARTS[0], sum(_MATRIX_BOX) / 2,
                f"The start: the gradient of the loss with respect to itself, ∂ℒ/∂{loss}, is 1.\n"
                "Every other gradient is built from it, from right to left: move the slider.",
                fontsize=9, va="center")
    for start, record in zip(_GROUP_STARTS, step.parents):
        slots = [(start + i * (_SLOT_WIDTH + _SLOT_GAP), start + i * (_SLOT_WIDTH + _SLOT_GAP) + _SLOT_WIDTH)
                 for i in range(3)]
        ax.text(start, height - 0.12, f"to {display_name(record.parent)}:  {record.rule}", fontsize=8.5,
                va="center", fontweight="bold", color=style.INK if record.needs_gradient else style.RESIDUAL)
        if not record.needs_gradient:
            ax.text(start, sum(_MATRIX_BOX) / 2, f"{display_name(record.parent)} is data (requires_grad=False):\n"
                    "no gradient is needed, nothing is passed.", fontsize=8.5, va="center", color=style.RESIDUAL)
            continue
        summed = "earlier upstreams + this one" if record.before is not None else "its first upstream"
        _matrix(ax, record.local, slots[0], f"local gradient\n{record.local_label}")
        _matrix(ax, record.new_upstream, slots[1],
                f"new upstream\n{shape_str(np.shape(record.new_upstream))}")
        _matrix(ax, record.after, slots[2],
                f"node gradient\n∂ℒ/∂{display_name(record.parent)} {shape_str(record.after.shape)}\n{summed}")
        for (left, _), symbol in zip(slots[1:], ("→", "+=")):
            ax.text(left - _SLOT_GAP / 2, _FIRST_ROW, symbol, fontsize=10, ha="center", va="center")
    return ax.figure


def _matrix(ax, value, slot, caption):
    """A matrix as a small heatmap with its numbers (or a number in a box), captioned, in a slot (x0, x1)."""
    x0, x1 = slot
    y0, y1 = _MATRIX_BOX
    ax.text((x0 + x1) / 2, y1 + 0.08, caption, fontsize=7.5, ha="center", va="bottom", linespacing=1.3)
    if value is None or np.ndim(value) == 0:
        text = "UPᵀ" if value is None else number_text(float(value))
        ax.text((x0 + x1) / 2, _FIRST_ROW, text, fontsize=11, ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": style.RESIDUAL})
        return
    matrix = np.atleast_2d(np.asarray(value, dtype=float))
    rows, cols = matrix.shape
    cell = min((x1 - x0) / cols, (y1 - y0) / rows, _MAX_CELL)
    left, top = (x0 + x1 - cell * cols) / 2, y1
    scale = max(float(np.abs(matrix).max()), 1e-12)
    corners = np.stack(np.meshgrid(left + cell * np.arange(cols + 1), top - cell * np.arange(rows + 1)), axis=-1)
    cells = QuadMesh(corners, array=matrix, cmap=style.DIVERGING_CMAP, norm=Normalize(-scale, scale), alpha=0.55,
                     edgecolors=style.RESIDUAL, linewidth=0.3, zorder=1, antialiased=False, snap=True)
    ax.add_collection(cells, autolim=False)  # what pcolormesh draws, without its limit updates: faster
    if matrix.size <= 30:  # one text per row: entries 6 monospace characters apart, one per cell
        size = min(7.5, cell * 72 / (_ENTRY_CHARS * 0.602))
        for r in range(rows):
            ax.text(left + cell * cols / 2, top - (r + 0.5) * cell,
                    "".join(f"{_entry(v):^{_ENTRY_CHARS}}" for v in matrix[r]), fontsize=size,
                    family="DejaVu Sans Mono", ha="center", va="center", zorder=3)


_ENTRY_CHARS = 6


def _entry(v):
    """One entry of a matrix in at most 5 characters: "−1.50", "13.5", "−136", "0"."""
    if abs(v) < 0.005:
        return "0"
    if abs(v) < 9.995:
        text = f"{v:.2f}"
    elif abs(v) < 99.95:
        text = f"{v:.1f}"
    elif abs(v) < 999.5:
        text = f"{v:.0f}"
    else:
        text = f"{v:.0e}".replace("e+0", "e")
    return text.replace("-", "−")


def draw_backward_step(graph, steps, index, axes=None):
    """Step `index` of the backward pass: the graph with the step marked (top) and its numbers (bottom)."""
    graph = graph_layout(graph)
    if axes is None:
        axes = _two_rows(graph)
    draw_graph(graph, ax=axes[0])
    backward_step_overlay(graph, steps, index, ax=axes[0])
    backward_step_values(steps[index], ax=axes[1])
    return axes[0].figure


def _two_rows(graph):
    """The axes of a new figure: the graph on top and the values below, each at its natural height."""
    width, height = graph_figure_size(graph)
    fig, axes = style.new_figure(max(width, VALUES_SIZE[0]), height + VALUES_SIZE[1], nrows=2)
    axes[0].get_gridspec().set_height_ratios([height, VALUES_SIZE[1]])
    return list(axes)


# ----------------------------------------------------------------------------
# Why the order matters: the naive recursion against the topological order
# ----------------------------------------------------------------------------


def visit_counts_plot(rows, ax=None, current=None, legend=True):
    """Nodes visited by the naive recursion and by the topological order, against the chain length.

    rows: visit_counts(...) output; current: a length to mark (see visit_counts_marker).
    Log scale: the naive count doubles with every diamond, the topological one grows by 2.
    """
    ax = style.target_axes(ax, 5.2, 3.6)
    lengths = [r[0] for r in rows]
    ax.plot(lengths, [r[1] for r in rows], color=style.MODEL, marker="o", linestyle="-",
            label="naive recursion (every path)")
    ax.plot(lengths, [r[2] for r in rows], color=style.OPTIMUM, marker="s", linestyle="--",
            label="topological order (every node once)")
    ax.set_yscale("log")
    ax.set_xticks(lengths)
    style.style_axes(ax, "Nodes visited: 3·2ⁿ − 2 by the naive recursion, 2n + 1 in topological order",
                     "diamonds in the chain", "visits (log scale)")
    if current is not None:
        visit_counts_marker(rows, current, ax)
    elif legend:
        ax.legend(fontsize=8, loc="upper left")
    return ax.figure


def visit_counts_marker(rows, current, ax):
    """Mark one chain length on visit_counts_plot: a bar between its two counts, and the legend."""
    row = next(r for r in rows if r[0] == current)
    ax.plot([current, current], [row[2], row[1]], color=style.HIGHLIGHT, linewidth=6, alpha=0.6,
            solid_capstyle="round", label=f"{current} diamonds: {row[1]:,} vs {row[2]} visits")
    ax.legend(fontsize=8, loc="upper left")
    return ax.figure


DIAMOND_FIGURE_SIZE = (10.0, 4.4)
DIAMOND_HEIGHT_RATIOS = (1.5, 2.9)


def diamond_chain_figure(length, rows, axes=None, frame_length=None):
    """A chain of `length` diamonds (top) and the visit counts of both methods (bottom).

    frame_length: draw the chain in the frame of a chain this long (so that charts of
    several lengths line up); the chain's own size by default.
    """
    if axes is None:
        _, axes = style.new_figure(*DIAMOND_FIGURE_SIZE, nrows=2)
        axes[0].get_gridspec().set_height_ratios(DIAMOND_HEIGHT_RATIOS)
    diamond_chain_graph(length, ax=axes[0], frame_length=frame_length)
    visit_counts_plot(rows, ax=axes[1], current=length)
    return axes[0].figure


def diamond_chain_graph(length, ax=None, frame_length=None):
    """The graph of a chain of `length` diamonds, titled with its number of paths."""
    graph = _diamond_chain_layout(length)
    frame = _diamond_chain_layout(frame_length).extent() if frame_length else None
    title = f"{length} diamonds: 2{superscript(length)} = {2 ** length} paths from x₀ to x{subscript(length)}"
    return draw_graph(graph, ax=ax, legend=False, title=title, frame=frame)


@functools.lru_cache(maxsize=16)
def _diamond_chain_layout(length):
    """The laid-out chain of `length` diamonds: the same for every call, so made once."""
    return graph_layout(diamond_chain(length))
