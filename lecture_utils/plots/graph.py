"""Pictures for notebook 07: the computational graph, its backward pass (step by step and all at once), diamonds.

    graph = trace(loss)                         # lecture_utils.graph: the graph as data
    draw_graph(graph)                           # a matplotlib Figure (no graphviz, no system binary)
    steps = backward_steps(loss)                # lecture_utils.graph: the backward pass as data
    draw_backward_step(graph, steps, 3)         # step 3: upstream, local gradient, new upstream, node gradient
    draw_backward_pass(graph, steps)            # all steps at once: every new upstream, every node gradient

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
import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.textpath import TextToPath

from ..autograd import shape_str
from ..graph import Graph, GraphNode, complete_after, diamond_chain, display_name, number_text, trace
from ..notation import subscript, superscript
from . import style

__all__ = [
    "PlacedNode", "PlacedGraph", "graph_layout", "draw_graph", "describe_graph", "graph_figure_size",
    "backward_step_overlay", "values_frame", "backward_step_values", "draw_backward_step", "describe_backward_step",
    "draw_backward_pass", "BACKWARD_SPACING",
    "visit_counts_plot", "visit_counts_marker", "diamond_chain_figure", "diamond_chain_graph", "describe_diamonds",
    "VALUES_SIZE", "DIAMOND_FIGURE_SIZE", "DIAMOND_HEIGHT_RATIOS",
]

# --- sizes, in inches (the drawing's data units are inches, so shapes keep their proportions)

VALUE_FONT = 8.0        # points: style.SMALLEST_FONT, 10 pixels, for every text of a graph
OP_FONT = 8.0
EDGE_FONT = 8.0
LEGEND_FONT = 8.0
BOX_HEIGHT = 0.27
BOX_PAD = 0.05          # room left and right of a value's name
MIN_BOX_WIDTH = 0.30
MIN_OP_DIAMETER = 0.32
COLUMN_GAP = 0.12       # between neighbouring columns: room for an arrow (the lecture's network fits the page)
ROW_GAP = 0.8           # between the inputs of one op
NODE_SEPARATION = 0.30  # at least this much space between two nodes of one column
LABEL_RISE = 0.2        # an edge's shape label sits this far above the edge's middle, clear of the nodes
MARGIN = 0.1

_TEXT_TO_PATH = TextToPath()

# --- colours: told apart by shape (box / circle, border width) as well as by colour

KIND_COLORS = {"data": style.DATA, "parameter": style.MODEL, "intermediate": style.RESIDUAL, "op": style.SECOND}
KIND_LABELS = {"data": "data", "parameter": "parameter (requires_grad)", "intermediate": "intermediate value",
               "op": "op"}
EDGE_COLOR = "#555555"
_BACKWARD = style.line_colour(style.HIGHLIGHT)  # the backward pass: orange, dark enough on white


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


def graph_layout(graph, column_gap=COLUMN_GAP, row_gap=ROW_GAP, separation=NODE_SEPARATION):
    """`graph` (a Graph from graph.trace, or a Tensor, traced here) laid out for drawing: a PlacedGraph.

    A value's box is as wide as its name, an op's circle as its label. The gaps, in
    inches: column_gap between neighbouring columns, row_gap between the inputs of
    one op, separation at least between two nodes of one column. A PlacedGraph is
    returned as it is.
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
    positions = _layered_layout(graph.order, index, sizes, column_gap, row_gap, separation)
    nodes = tuple(PlacedNode(n.key, n.kind, n.label, n.tensor, *positions[n.key], *sizes[n.key]) for n in graph.nodes)
    return PlacedGraph(graph.root, graph.order, nodes, graph.edges)


@functools.lru_cache(maxsize=1024)
def _text_width(text, size):
    """The width of `text` in inches at font `size` (points), from the font's metrics."""
    if not text:
        return 0.0
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return width / 72


def _layered_layout(order, index, sizes, column_gap, row_gap, separation):
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
            offset = ((len(inputs) - 1) / 2 - j) * row_gap  # the first input on top
            successors[f"v{index[parent]}"].append((f"op{i}", offset))
    for i, t in enumerate(order):  # data and parameters sit just left of their first consumer
        if not t.parents and successors[f"v{i}"]:
            column[f"v{i}"] = min(column[consumer] for consumer, _ in successors[f"v{i}"]) - 1

    used = sorted(set(column.values()))
    half_width = {c: max(sizes[k][0] for k in column if column[k] == c) / 2 for c in used}
    x_of_column, x = {}, 0.0
    for previous, c in zip([None] + used, used):
        if previous is not None:
            x += half_width[previous] + column_gap + half_width[c]
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
            lowest = placed[below] + (sizes[below][1] + sizes[k][1]) / 2 + separation
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
        _legend(ax, _legend_handles(graph))
    return style.described(ax.figure, describe_graph(graph, title))


def describe_graph(graph, title=None):
    """A computational graph in words: its values by kind, its ops in order, the loss it ends in."""
    kinds = {kind: [n.label for n in graph.nodes if n.kind == kind] for kind in ("data", "parameter")}
    ops = [n.label for n in graph.nodes if n.is_op]
    root = next(n for n in graph.nodes if not n.is_op and n.tensor is graph.root)
    what = f"{title}: " if title else ""
    return (f"{what}the computational graph from the data {', '.join(kinds['data'])} and the parameters "
            f"{', '.join(kinds['parameter']) or 'none'} through {len(ops)} ops ({', '.join(ops)}) to "
            f"{root.label}, the shape on every edge")


def _frame(ax, extent):
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _legend(ax, handles, ncol=None):
    """A legend under the drawing; one row by default."""
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=ncol or len(handles),
              fontsize=LEGEND_FONT, frameon=False, handletextpad=0.4, columnspacing=1.2)


def _legend_width(handles, ncol):
    """The width in inches of the legend of `handles` in `ncol` columns, filled as matplotlib fills
    them: column by column, the first len(handles) % ncol columns one row longer."""
    rows, longer = divmod(len(handles), ncol)
    sizes = [rows + 1] * longer + [rows] * (ncol - longer)
    starts = np.cumsum([0] + sizes)
    columns = [handles[a:b] for a, b in zip(starts, starts[1:]) if b > a]
    em = LEGEND_FONT / 72
    handle = (2.0 + 0.4 + 1.0) * em  # the handle, the pad after it, and an em to spare
    widths = [handle + max(_text_width(h.get_label(), LEGEND_FONT) for h in column) for column in columns]
    return sum(widths) + 1.2 * em * (len(columns) - 1) + 0.8 * em


def _legend_handles(graph, extra=()):
    """The kinds of node in `graph`, the edges' shapes, and `extra` handles after them."""
    kinds = [kind for kind in ("data", "parameter", "intermediate", "op") if any(n.kind == kind for n in graph.nodes)]
    handles = [Line2D([], [], linestyle="none", marker="o" if kind == "op" else "s", markersize=9,
                      markerfacecolor=_face(kind), markeredgecolor=KIND_COLORS[kind],
                      markeredgewidth=2.2 if kind == "parameter" else 1.0, label=KIND_LABELS[kind])
               for kind in kinds]
    handles.append(Line2D([], [], color=EDGE_COLOR, linewidth=0.9, label="[N×M]: the shape along an edge"))
    return handles + list(extra)


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


def _draw_halo(ax, node, color=style.line_colour(style.HIGHLIGHT)):
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


def _edge_ends(source, target):
    """(start, end): where the edge from `source` to `target` leaves the one outline and meets the other."""
    return _boundary(source, (target.x, target.y)), _boundary(target, (source.x, source.y))


def _edge_label_place(start, end):
    """((x, y), level) of an edge's shape label: above the middle of a level edge, on that of a slanted one."""
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    if abs(end[1] - start[1]) < 0.05:
        return (middle[0], middle[1] + LABEL_RISE), True
    return middle, False


def _draw_edge(ax, source, target, color, linewidth, label=None, reverse=False, zorder=1):
    """An arrow from the outline of `source` to the outline of `target`; its label above its middle."""
    start, end = _edge_ends(source, target)
    head, tail = (start, end) if reverse else (end, start)
    arrow = FancyArrowPatch(tail, head, arrowstyle="-|>", mutation_scale=7 + 2 * linewidth, color=color,
                            linewidth=linewidth, shrinkA=0, shrinkB=0.5, zorder=zorder)
    _add(ax, arrow)
    if label:
        place, level = _edge_label_place(start, end)
        if level:  # a level edge: its label above it
            ax.text(*place, label, ha="center", va="center", fontsize=EDGE_FONT, color=color, zorder=2)
        else:  # a slanted edge: its label on it, interrupting the line
            ax.text(*place, label, ha="center", va="center", fontsize=EDGE_FONT, color=color, zorder=2,
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
            color = style.line_colour(style.HIGHLIGHT) if record.needs_gradient else style.RESIDUAL
            _draw_edge(ax, graph.value_node(record.parent), op, color, 2.2 if record.needs_gradient else 1.0,
                       reverse=True, zorder=2.6)
        _draw_edge(ax, op, result, style.line_colour(style.HIGHLIGHT), 2.2, reverse=True, zorder=2.6)
    ax.set_title(_step_title(step, len(steps) - 1), fontsize=10)
    return ax.figure


def describe_backward_step(step, last):
    """One step of the backward pass in words: which op passes UP to which inputs, with the new upstreams' shapes."""
    if step.is_start:
        return f"the graph, step 0 of {last}: the start at the loss, ∂ℒ/∂{display_name(step.node)} = 1"
    sent = "; ".join(f"to {display_name(r.parent)}: {r.rule}, new upstream {shape_str(np.shape(r.new_upstream))}, "
                     f"node gradient {shape_str(np.shape(r.after))}" if r.needs_gradient
                     else f"to {display_name(r.parent)}: nothing (data)" for r in step.parents)
    return (f"the graph, step {step.index} of {last}: {step.node.op} passes UP = ∂ℒ/∂{display_name(step.node)} "
            f"{shape_str(np.shape(step.upstream))} back; {sent}")


def _step_title(step, last):
    if step.is_start:
        return f"step 0 of {last}: start at the loss, ∂ℒ/∂{display_name(step.node)} = 1"
    inputs = ", ".join(display_name(r.parent) for r in step.parents)
    return (f"step {step.index} of {last}: {step.node.op} passes UP = ∂ℒ/∂{display_name(step.node)} "
            f"back to {inputs}      (● node gradient complete)")


# The numbers of a step are drawn in inches too: the upstream on the left, then one
# group per input of the op: its local gradient, the new upstream it receives
# (upstream × local), and its node gradient (the sum of the upstreams it has received).
VALUES_SIZE = (style.PAGE_WIDTH, 2.5)
_UPSTREAM_SLOT = (0.0, 1.1)
_GROUP_STARTS = (1.4, 5.32)
_SLOT_WIDTH, _SLOT_GAP = 1.1, 0.25
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
        sent = record.rule.partition(" = ")[2]  # one new upstream, not yet the input's node gradient ∂ℒ/∂input
        ax.text(start, height - 0.12, f"new upstream to {display_name(record.parent)} = {sent}", fontsize=8.5,
                va="center", fontweight="bold", color=style.INK if record.needs_gradient else style.RESIDUAL)
        if not record.needs_gradient:
            ax.text(start, sum(_MATRIX_BOX) / 2, f"{display_name(record.parent)} is data (requires_grad=False):\n"
                    "no gradient is needed, nothing is passed.", fontsize=8.5, va="center", color=style.RESIDUAL)
            continue
        summed = "sum of its upstreams" if record.before is not None else "its first upstream"
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
    ax.text((x0 + x1) / 2, y1 + 0.08, caption, fontsize=style.SMALLEST_FONT, ha="center", va="bottom",
            linespacing=1.3)
    if value is None or np.ndim(value) == 0:
        text = "1 per entry" if value is None else number_text(float(value))  # None: T, which only moves entries
        ax.text((x0 + x1) / 2, _FIRST_ROW, text, fontsize=11, ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": style.RESIDUAL})
        return
    matrix = np.atleast_2d(np.asarray(value, dtype=float))
    rows, cols = matrix.shape
    cell = min((x1 - x0) / cols, (y1 - y0) / rows, _MAX_CELL)
    style.matrix_cells(ax, matrix, (x0 + x1 - cell * cols) / 2, y1, cell=(cell, cell), down=False,
                       scale=style.colour_scale(matrix), alpha=0.55, edgecolor=style.RESIDUAL, linewidth=0.6,
                       numbers="short" if cell * 72 / _CELL_EMS >= style.SMALLEST_FONT else None,
                       fontsize=style.SMALLEST_FONT, max_numbers=30)


_CELL_EMS = 3.3  # a cell is at least this many font sizes wide to write its number: room for "−6.02" (3.1)


def draw_backward_step(graph, steps, index, axes=None):
    """Step `index` of the backward pass: the graph with the step marked (top) and its numbers (bottom)."""
    graph = graph_layout(graph)
    if axes is None:
        axes = _two_rows(graph)
    draw_graph(graph, ax=axes[0])
    backward_step_overlay(graph, steps, index, ax=axes[0])
    backward_step_values(steps[index], ax=axes[1])
    return style.described(axes[0].figure, describe_backward_step(steps[index], len(steps) - 1))


def _two_rows(graph):
    """The axes of a new figure: the graph on top and the values below, each at its natural height."""
    width, height = graph_figure_size(graph)
    fig, axes = style.new_figure(max(width, VALUES_SIZE[0]), height + VALUES_SIZE[1], nrows=2)
    axes[0].get_gridspec().set_height_ratios([height, VALUES_SIZE[1]])
    return list(axes)


# ----------------------------------------------------------------------------
# Drawing the whole backward pass at once
# ----------------------------------------------------------------------------

# The complete backward pass writes a label on every backward arrow and beside every
# value: its graph is laid out with more room between rows than the forward one.
BACKWARD_SPACING = {"column_gap": COLUMN_GAP, "row_gap": 1.5, "separation": 1.0}
UPSTREAM_FONT = 8.0     # points: the new upstream on a backward arrow
GRADIENT_FONT = 8.0     # ... and a value's node gradient
BACKWARD_OFFSET = 0.07  # inches: a backward arrow runs this far beside its forward edge
LABEL_GAP = 0.03        # inches: the least room between a label and anything else drawn
OVERHANG = 0.15          # inches: how far a label may reach beyond the graph's first and last node
_LINE_SPACING = 1.2     # a label's line height, in font sizes
_LABEL_PAD = 0.15       # the padding of a label's box, in font sizes
_TOUCH = 1e-6          # inches: boxes that only touch do not overlap
_WRAP = 16              # characters: a longer new upstream ("UP, summed over the 4 rows") takes two lines


@dataclass(frozen=True, eq=False)
class _BackwardArrow:
    """An arrow of the backward pass, from `source` back to `target` (PlacedNodes), and its label or None."""

    source: PlacedNode
    target: PlacedNode
    label: str = None


@dataclass(frozen=True)
class _Label:
    """A label of the backward pass placed at (x, y), in inches; `gid` names what it labels."""

    text: str
    x: float
    y: float
    size: float
    gid: str
    is_gradient: bool  # a node gradient (else a new upstream)

    def box(self):
        return _label_box(self.text, self.x, self.y, self.size)


def draw_backward_pass(graph, steps, ax=None, title=None, legend=True):
    """The complete backward pass in one picture: everything the steps send back, on the graph.

    graph  the Graph of the loss from graph.trace, or the loss (a Tensor); laid out here with
           BACKWARD_SPACING, the room its labels need (a PlacedGraph is drawn as it is laid out)
    steps  backward_steps(loss): the backward pass as data (nothing is computed here)

    The forward graph as draw_graph draws it, and beside every one of its edges an orange arrow
    going back: from a value to the op that made it (the value's node gradient is the op's UP),
    and from an op to each input that needs a gradient, labelled with the new upstream the op
    sends there, upstream × local: the right-hand side of the step's rule ("UP · W2ᵀ"). Data
    (requires_grad=False) receive nothing. Beside every value that needs a gradient: its node
    gradient ∂ℒ/∂(value) and its shape, the sum of the new upstreams it receives (a value used
    by k ops says so); the loss starts with ∂ℒ/∂ℒ = 1. No label covers another, a node or a shape.
    Each artist's gid says what it shows: "backward op8 v6" (the arrow from op8 back to v6),
    "new upstream op8 v6" (its label), "node gradient v6". Returns the figure.
    """
    graph = graph_layout(graph, **BACKWARD_SPACING)
    if not steps or steps[0].node is not graph.root:
        raise ValueError("draw_backward_pass needs the steps of the graph's own loss: "
                         "backward_steps(loss) for the loss the graph was traced from.")
    arrows, gradients = _backward_parts(graph, steps)
    labels = _place_labels(graph, arrows, gradients)
    x0, x1, y0, y1 = graph.extent()
    for label in labels:
        bx0, by0, bx1, by1 = label.box()
        x0, x1 = min(x0, bx0 - LABEL_GAP), max(x1, bx1 + LABEL_GAP)
        y0, y1 = min(y0, by0 - LABEL_GAP), max(y1, by1 + LABEL_GAP)
    width = max(x1 - x0, 4.0) + 0.2
    handles = _legend_handles(graph, extra=[
        Line2D([], [], color=_BACKWARD, linewidth=1.6, label="backward: the new upstream UP × local"),
        Line2D([], [], linestyle="none", marker="s", markersize=9, markerfacecolor=_light(style.HIGHLIGHT, 0.25),
               markeredgecolor=_BACKWARD, label="∂ℒ/∂(value): the sum of the upstreams it receives")])
    ncol = next((n for n in (4, 3) if _legend_width(handles, n) <= width), 2)
    if ax is None:  # a figure at the drawing's natural size: an inch of the layout is an inch of the figure
        width = max(width, _legend_width(handles, ncol) + 0.2)
        rows = -(-len(handles) // ncol)
        ax = style.new_figure(width, (y1 - y0) + (0.35 if title else 0.1) + (0.05 + 0.22 * rows if legend else 0))[1]
    draw_graph(graph, ax=ax, legend=False, frame=(x0, x1, y0, y1))
    for arrow in arrows:  # under the shape labels: a slanted edge's label interrupts its arrow too
        patch = _add(ax, FancyArrowPatch(*_backward_ends(arrow), arrowstyle="-|>", mutation_scale=10,
                                         color=_BACKWARD, linewidth=1.6, shrinkA=0, shrinkB=0.5, zorder=1.5))
        patch.set_gid(f"backward {arrow.source.key} {arrow.target.key}")
    for label in labels:
        face, edge_width = (_light(style.HIGHLIGHT, 0.25), 0.8) if label.is_gradient else ("white", 0.6)
        ax.text(label.x, label.y, label.text, ha="center", va="center", fontsize=label.size, color=style.INK,
                zorder=6, linespacing=_LINE_SPACING, gid=label.gid, in_layout=False,  # inside the frame
                bbox={"boxstyle": f"round,pad={_LABEL_PAD}", "facecolor": face, "edgecolor": _BACKWARD,
                      "linewidth": edge_width})
    if title is not None:
        ax.set_title(title, fontsize=10)
    if legend:
        _legend(ax, handles, ncol=ncol)
    sums = [text.replace("\n", ", ") for _, text, uses in gradients if uses > 1]
    return style.described(ax.figure, f"{describe_graph(graph, title)}; the backward pass drawn on it: beside every "
                                      f"edge an arrow back with the new upstream it carries, beside every value its "
                                      f"node gradient" + (f" ({'; '.join(sums)})" if sums else ""))


def _place_labels(graph, arrows, gradients):
    """Every label of the backward pass, each placed clear of what is drawn and placed before it: [_Label].

    First the sums (a value used by several ops: what the picture is for), then the new
    upstreams beside their arrows, then the other node gradients.
    """
    obstacles = _drawn_boxes(graph, arrows)

    def place(text, size, gid, is_gradient, candidates):
        x, y = _first_free(candidates, obstacles, text, size)
        return _Label(text, x, y, size, gid, is_gradient)

    def gradient(node, text):
        return place(text, GRADIENT_FONT, f"node gradient {node.key}", True,
                     _beside_node(graph, node, text, GRADIENT_FONT))

    labels = [gradient(node, text) for node, text, uses in gradients if uses > 1]
    labels += [place(arrow.label, UPSTREAM_FONT, f"new upstream {arrow.source.key} {arrow.target.key}", False,
                     _beside_arrow(arrow, arrow.label, UPSTREAM_FONT)) for arrow in arrows if arrow.label is not None]
    labels += [gradient(node, text) for node, text, uses in gradients if uses <= 1]
    return labels


def _backward_parts(graph, steps):
    """The arrows of the backward pass and the node gradients to write:
    ([_BackwardArrow], [(value node, its label, how many upstreams it receives)]).

    Read from the step records, in their order: step 0 starts at the loss; each later step's
    op gets an arrow from its result and sends one to every input that needs a gradient.
    """
    start = steps[0]
    shapes = {start.node: np.shape(start.upstream)}
    uses = {start.node: 0}
    arrows = []
    for step in steps[1:]:
        op = graph.op_node(step.node)
        arrows.append(_BackwardArrow(graph.value_node(step.node), op))
        for record in step.parents:
            if record.needs_gradient:
                arrows.append(_BackwardArrow(op, graph.value_node(record.parent), _new_upstream_text(record.rule)))
                shapes[record.parent] = np.shape(record.after)
                uses[record.parent] = uses.get(record.parent, 0) + 1
    gradients = []
    for tensor, shape in shapes.items():
        name = f"∂ℒ/∂{display_name(tensor)}"
        if tensor is start.node:
            text = f"{name} = {number_text(float(np.ravel(start.upstream)[0]))}  {shape_str(shape)}"
        elif uses[tensor] > 1:
            text = f"{name}  {shape_str(shape)}\nsum of {uses[tensor]} upstreams"
        else:
            text = f"{name}  {shape_str(shape)}"
        gradients.append((graph.value_node(tensor), text, uses[tensor]))
    return arrows, gradients


def _new_upstream_text(rule):
    """What a rule says an op sends: "∂ℒ/∂W2 = Hᵀ · UP" -> "Hᵀ · UP"; a long one on two lines."""
    _, _, sent = rule.partition(" = ")
    return textwrap.fill(sent or rule, _WRAP)


def _backward_ends(arrow):
    """(tail, head) of a backward arrow: beside its forward edge, BACKWARD_OFFSET to the side."""
    start, end = _edge_ends(arrow.source, arrow.target)
    nx, ny = _side(start, end)
    return (start[0] + BACKWARD_OFFSET * nx, start[1] + BACKWARD_OFFSET * ny), \
        (end[0] + BACKWARD_OFFSET * nx, end[1] + BACKWARD_OFFSET * ny)


def _side(start, end):
    """The unit normal of a segment on the side its backward arrow and label go: below a level one,
    on the right of a slanted one (above it if it falls to the right, below if it rises)."""
    (lx, ly), (rx, ry) = sorted([start, end])
    dx, dy = rx - lx, ry - ly
    if abs(dy) < 0.05:
        return 0.0, -1.0
    length = np.hypot(dx, dy)
    normal = np.array([abs(dy), dx * np.sign(ly - ry)]) / length
    return float(normal[0]), float(normal[1])


def _label_size(text, size):
    """(width, height) in inches of a label's box: its longest line, its lines, and the padding."""
    lines = text.split("\n")
    pad = 2 * _LABEL_PAD * size / 72
    return (max(_text_width(line, size) for line in lines) + pad,
            len(lines) * _LINE_SPACING * size / 72 + pad)


def _label_box(text, x, y, size):
    width, height = _label_size(text, size)
    return x - width / 2, y - height / 2, x + width / 2, y + height / 2


def _drawn_boxes(graph, arrows):
    """[x0, y0, x1, y1] rows of everything a label must keep clear of: nodes, shape labels, arrows,
    and the space beyond OVERHANG left and right of the graph (a label there would widen the picture)."""
    x0, x1, _, _ = graph.extent()
    boxes = [(x0 - OVERHANG - 100, -1e4, x0 - OVERHANG, 1e4), (x1 + OVERHANG, -1e4, x1 + OVERHANG + 100, 1e4)]
    for node in graph.nodes:
        half_width, half_height = node.width / 2, node.height / 2
        if node.is_op:  # a circle as a cross of two rectangles: its corners stay free
            boxes.append((node.x - half_width, node.y - 0.71 * half_height, node.x + half_width,
                          node.y + 0.71 * half_height))
            half_width *= 0.71
        boxes.append((node.x - half_width, node.y - half_height, node.x + half_width, node.y + half_height))
    segments = []
    for edge in graph.edges:
        start, end = _edge_ends(graph[edge.source], graph[edge.target])
        segments.append((start, end))
        place, _ = _edge_label_place(start, end)
        boxes.append(_label_box(edge.label, *place, EDGE_FONT))
    segments.extend(_backward_ends(arrow) for arrow in arrows)
    for (sx, sy), (ex, ey) in segments:  # a line as a row of small squares along it
        count = max(2, int(np.hypot(ex - sx, ey - sy) / 0.03) + 1)
        for t in np.linspace(0, 1, count):
            x, y = sx + t * (ex - sx), sy + t * (ey - sy)
            boxes.append((x - 0.01, y - 0.01, x + 0.01, y + 0.01))
    return boxes


def _first_free(candidates, obstacles, text, size):
    """The first candidate centre (x, y) where the label overlaps nothing drawn; it becomes an obstacle.

    If none is free, the one with the least overlap.
    """
    drawn = np.asarray(obstacles)
    width, height = _label_size(text, size)
    best, least = None, np.inf
    for x, y in candidates:
        box = (x - width / 2 - LABEL_GAP, y - height / 2 - LABEL_GAP, x + width / 2 + LABEL_GAP,
               y + height / 2 + LABEL_GAP)
        overlap_x = np.clip(np.minimum(drawn[:, 2], box[2]) - np.maximum(drawn[:, 0], box[0]) - _TOUCH, 0, None)
        overlap_y = np.clip(np.minimum(drawn[:, 3], box[3]) - np.maximum(drawn[:, 1], box[1]) - _TOUCH, 0, None)
        overlap = float(np.sum(overlap_x * overlap_y))
        if overlap < least:
            best, least = (x, y), overlap
            if overlap == 0:
                break
    obstacles.append(_label_box(text, *best, size))
    return best


def _beside_node(graph, node, text, size):
    """Where a value's node gradient may go, best first: on its box on the side away from the ops
    that use it (above if they are level with it, and above the shape labels level with it),
    then on the other side; then shifted sideways, then further out."""
    width, height = _label_size(text, size)
    top = node.y + node.height / 2 + LABEL_GAP + height / 2
    over_shapes = node.y + LABEL_RISE + _label_size("[1×1]", EDGE_FONT)[1] / 2 + LABEL_GAP + height / 2
    bottom = node.y - node.height / 2 - LABEL_GAP - height / 2
    consumers = [graph[edge.target].y for edge in graph.edges if edge.source == node.key]
    below_first = bool(consumers) and node.y < np.mean(consumers) - 0.05
    candidates = []
    for out in (0.0, 0.1, 0.2, 0.3):
        for shift in (0.0, -width / 3, width / 3, -width / 2, width / 2):
            above = [(node.x + shift, top + out), (node.x + shift, max(top, over_shapes) + out)]
            below = [(node.x + shift, bottom - out)]
            candidates += below + above if below_first else above + below
    return candidates


def _beside_arrow(arrow, text, size):
    """Where a backward arrow's label may go, best first: beside its middle on the arrow's side, then
    along it and further out, then on the other side."""
    (sx, sy), (ex, ey) = _backward_ends(arrow)
    nx, ny = _side((sx, sy), (ex, ey))
    width, height = _label_size(text, size)
    clear = abs(nx) * width / 2 + abs(ny) * height / 2 + LABEL_GAP
    candidates = []
    for sign in (1, -1):
        for out in (0.0, 0.05, 0.1, 0.15, 0.25, 0.35):
            for t in (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9):
                distance = clear + out + (0 if sign > 0 else BACKWARD_OFFSET)
                x, y = sx + t * (ex - sx), sy + t * (ey - sy)
                candidates.append((x + sign * distance * nx, y + sign * distance * ny))
    return candidates


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
    ax.plot(lengths, [r[1] for r in rows], **_NAIVE)
    ax.plot(lengths, [r[2] for r in rows], **_TOPOLOGICAL)
    ax.set_yscale("log")
    ax.set_xticks(lengths)
    style.style_axes(ax, "Nodes visited: 3·2ⁿ − 2 by the naive recursion, 2n + 1 in topological order",
                     "diamonds in the chain", "visits (log scale)")
    if current is not None:
        visit_counts_marker(rows, current, ax)
    elif legend:
        ax.legend(fontsize=8, loc="upper left")
    return style.described(ax.figure, "nodes visited against the diamonds in the chain: " + "; ".join(
        f"{n}: {style.number(naive, ',')} by the naive recursion, {topological} in topological order"
        for n, naive, topological, _ in rows))


_NAIVE = {"color": style.MODEL, "marker": "o", "linestyle": "-", "label": "naive recursion (every path)"}
_TOPOLOGICAL = {"color": style.OPTIMUM, "marker": "s", "linestyle": "--",
                "label": "topological order (every node once)"}


def visit_counts_marker(rows, current, ax):
    """Mark one chain length on visit_counts_plot: a bar between its two counts, and the key to all three."""
    row = next(r for r in rows if r[0] == current)
    bar, = ax.plot([current, current], [row[2], row[1]], color=style.line_colour(style.HIGHLIGHT), linewidth=6,
                   solid_capstyle="round",
                   label=f"{current} diamonds: {style.number(row[1], ',')} vs {row[2]} visits")
    ax.legend(handles=[Line2D([], [], **_NAIVE), Line2D([], [], **_TOPOLOGICAL), bar], fontsize=8, loc="upper left")
    return style.described(ax.figure, describe_diamonds(rows, current))


def describe_diamonds(rows, current):
    """A chain of diamonds in words: its paths, and the visits of both methods."""
    _, naive, topological, _ = next(r for r in rows if r[0] == current)
    return (f"a chain of {current} diamonds: 2{superscript(current)} = {2 ** current} paths from s₀ to "
            f"s{subscript(current)}; the naive recursion visits {style.number(naive, ',')} nodes, the topological "
            f"order {topological}")


DIAMOND_FIGURE_SIZE = (style.PAGE_WIDTH, 4.2)
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
    return style.described(axes[0].figure, describe_diamonds(rows, length))


def diamond_chain_graph(length, ax=None, frame_length=None):
    """The graph of a chain of `length` diamonds, titled with its number of paths."""
    graph = _diamond_chain_layout(length)
    frame = _diamond_chain_layout(frame_length).extent() if frame_length else None
    title = f"{length} diamonds: 2{superscript(length)} = {2 ** length} paths from s₀ to s{subscript(length)}"
    return draw_graph(graph, ax=ax, legend=False, title=title, frame=frame)


@functools.lru_cache(maxsize=16)
def _diamond_chain_layout(length):
    """The laid-out chain of `length` diamonds: the same for every call, so made once."""
    return graph_layout(diamond_chain(length))
