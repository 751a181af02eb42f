"""The computational graph of a Tensor: trace it, draw it, and replay its backward pass.

    loss = Mul(T(err), err) / N                 # any Tensor built with the autograd ops
    graph = trace(loss)                         # value nodes, op nodes, edges with shapes
    draw_graph(graph)                           # a matplotlib Figure (no graphviz, no system binary)
    steps = backward_steps(loss)                # the backward pass, one op at a time, as data
    draw_backward_step(graph, steps, 3)         # step 3: upstream, local and node gradients

The graph is drawn as the lecture draws it. Value nodes are boxes: data (blue),
parameters (vermillion, thick border) and intermediate results (white). Op nodes
are circles (purple): Add, Sub, Mul, ReLU, T, ... Every edge carries the shape
[N×M] of the matrix that flows along it. Inputs are on the left, the loss on the
right: the forward pass runs left to right, the backward pass right to left.

The layout needs no extra library: each node gets a column by its depth (an op
one column right of its deepest input, its result one column right of the op),
and the rows are spread from the loss backwards, each op's inputs above and below it.

`backward_steps` replays `Tensor.backward()` without changing it: it walks the same
reversed topological order on a fresh set of gradients, calls each op's own
backward function, records what every input received, and puts every `.grad` back
as it was. `naive_backward` is the WRONG way, kept to compare: it recurses along
every path from the loss, so a node reached by many paths is visited many times.
"""

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.textpath import TextToPath

from .autograd import Add, ReLU, Tensor, shape_str, topological_order
from .notation import subscript, superscript
from .plots import style

__all__ = [
    "Graph", "GraphNode", "GraphEdge", "trace", "op_label", "edge_list",
    "draw_graph", "graph_figure_size",
    "BackwardStep", "ParentGradient", "backward_steps", "replayed_gradients", "gradient_contributions",
    "local_gradient", "complete_after",
    "backward_step_overlay", "values_frame", "backward_step_values", "draw_backward_step",
    "naive_backward", "topological_backward", "diamond_chain", "visit_counts", "visit_counts_plot",
    "visit_counts_marker", "diamond_chain_figure", "diamond_chain_graph",
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
# Tracing: the graph as data
# ----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class GraphNode:
    """One node of the drawing, with its place (inches) and size.

    key     "v3" for the value made third in topological order, "op3" for the op that made it
    kind    "data", "parameter", "intermediate" (value nodes) or "op"
    label   what the drawing writes in it: "W1", "Mul", "/4", ...
    tensor  the value; for an op node, the value the op makes
    """

    key: str
    kind: str
    label: str
    tensor: Tensor
    x: float
    y: float
    width: float
    height: float

    @property
    def is_op(self):
        return self.kind == "op"


@dataclass(frozen=True)
class GraphEdge:
    """An arrow from `source` to `target` (node keys) carrying a matrix of `shape`."""

    source: str
    target: str
    shape: tuple

    @property
    def label(self):
        return shape_str(self.shape)


@dataclass(frozen=True, eq=False)
class Graph:
    """A traced computational graph: nodes in topological order (ops before their results), edges."""

    root: Tensor
    order: tuple          # the tensors, inputs first (autograd's topological_order)
    nodes: tuple          # GraphNode, value and op nodes
    edges: tuple          # GraphEdge

    def __post_init__(self):
        object.__setattr__(self, "_by_key", {node.key: node for node in self.nodes})
        object.__setattr__(self, "_index", {tensor: i for i, tensor in enumerate(self.order)})

    def __getitem__(self, key):
        return self._by_key[key]

    def value_node(self, tensor):
        """The box of a tensor."""
        return self._by_key[f"v{self._index[tensor]}"]

    def op_node(self, tensor):
        """The circle of the op that made a tensor (KeyError for data and parameters)."""
        return self._by_key[f"op{self._index[tensor]}"]

    def consumers(self, tensor):
        """The tensors made by ops that use `tensor` (each once), in topological order."""
        return [t for t in self.order if any(p is tensor for p in t.parents)]

    def extent(self):
        """(x_min, x_max, y_min, y_max) of everything drawn, in inches."""
        xs = [n.x - n.width / 2 for n in self.nodes] + [n.x + n.width / 2 for n in self.nodes]
        ys = [n.y - n.height / 2 for n in self.nodes] + [n.y + n.height / 2 + LABEL_RISE + 0.08
                                                        for n in self.nodes]
        return min(xs) - MARGIN, max(xs) + MARGIN, min(ys) - MARGIN, max(ys) + MARGIN


def op_label(tensor):
    """How the drawing names the op that made `tensor`: "Mul", "ReLU", "/4", "×0.5", ..."""
    if tensor.op == "Scale":
        c = getattr(tensor, "scale", None)
        if c is not None and c != 0 and abs(1 / c - round(1 / c)) < 1e-9 and abs(round(1 / c)) > 1:
            return f"/{round(1 / c)}".replace("-", "−")
        return f"×{c:.3g}".replace("-", "−") if c is not None else "Scale"
    return {"Sigmoid": "σ", "Tanh": "tanh", "Sum": "Σ", "Square": "x²", "Mean": "mean"}.get(tensor.op, tensor.op)


@functools.lru_cache(maxsize=1024)
def _text_width(text, size):
    """The width of `text` in inches at font `size` (points), from the font's metrics."""
    if not text:
        return 0.0
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return width / 72


def _unique(tensors):
    seen, unique = set(), []
    for t in tensors:
        if id(t) not in seen:
            seen.add(id(t))
            unique.append(t)
    return unique


def trace(root):
    """The computational graph that made `root`, laid out for drawing: a Graph.

    Every tensor becomes a value node (its name as label); every tensor made by an
    op also gets an op node between its inputs and itself. Edges: input -> op,
    labelled with the input's shape, and op -> result, labelled with the result's.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"trace() needs a Tensor, got {type(root).__name__}.")
    order = topological_order(root)
    index = {t: i for i, t in enumerate(order)}
    sizes, kinds, labels, tensor_of = {}, {}, {}, {}
    edges = []
    for i, t in enumerate(order):
        kind = "intermediate" if t.parents else ("parameter" if t.requires_grad else "data")
        label = t.name or ""
        kinds[f"v{i}"], labels[f"v{i}"], tensor_of[f"v{i}"] = kind, label, t
        sizes[f"v{i}"] = (max(MIN_BOX_WIDTH, _text_width(label, VALUE_FONT) + 2 * BOX_PAD), BOX_HEIGHT)
        if t.parents:
            label = op_label(t)
            diameter = max(MIN_OP_DIAMETER, _text_width(label, OP_FONT) + 0.1)
            kinds[f"op{i}"], labels[f"op{i}"], tensor_of[f"op{i}"] = "op", label, t
            sizes[f"op{i}"] = (diameter, diameter)
            for parent in t.parents:
                edges.append(GraphEdge(f"v{index[parent]}", f"op{i}", parent.shape))
            edges.append(GraphEdge(f"op{i}", f"v{i}", t.shape))
    positions = _layered_layout(order, index, sizes)
    keys = [key for i, t in enumerate(order) for key in ((f"op{i}",) if t.parents else ()) + (f"v{i}",)]
    nodes = tuple(GraphNode(key, kinds[key], labels[key], tensor_of[key], *positions[key], *sizes[key])
                  for key in keys)
    return Graph(root, tuple(order), nodes, tuple(edges))


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
        inputs = _unique(t.parents)
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


def edge_list(root):
    """The graph of `root` as names and pairs: (nodes, edges), edge (a, b) meaning "a is an input of b".

    Value nodes only (an op and its result are one node here), named by their
    tensor's name, or "#3" for an unnamed tensor (its place in topological order).
    """
    order = topological_order(root)
    names = [t.name or f"#{i}" for i, t in enumerate(order)]
    index = {t: i for i, t in enumerate(order)}
    edges = [(names[index[p]], names[i]) for i, t in enumerate(order) for p in _unique(t.parents)]
    return names, edges


# ----------------------------------------------------------------------------
# Drawing the graph
# ----------------------------------------------------------------------------

def graph_figure_size(graph, legend=True, title=True):
    """(width, height) in inches of a figure that shows `graph` at its natural size."""
    x0, x1, y0, y1 = graph.extent()
    return max(x1 - x0, 4.0) + 0.2, (y1 - y0) + (0.35 if title else 0.1) + (0.35 if legend else 0.0)


def draw_graph(graph, ax=None, highlight=(), title=None, legend=True, frame=None):
    """Draw a computational graph: boxes for values, circles for ops, the shape [N×M] on every edge.

    graph:     a Graph from trace(), or a Tensor (traced here)
    highlight: tensors whose value nodes get an orange frame (e.g. a node used twice)
    frame:     (x_min, x_max, y_min, y_max) in inches to show; the graph's own extent by default
    Returns the figure.
    """
    graph = graph if isinstance(graph, Graph) else trace(graph)
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
# The backward pass, one op at a time (a replay of Tensor.backward)
# ----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ParentGradient:
    """What one input of an op receives in one backward step.

    parent        the input tensor
    rule          the op's rule for this input in the lecture's words, e.g. "∂ℒ/∂W2 = Hᵀ · UP"
    local         the local gradient: an array (Bᵀ, the ReLU mask R), a number (1, −1, 1/N), or None
    local_label   what `local` is, e.g. "Hᵀ [3×4]"
    node_gradient the gradient this op sends to the input (UP combined with the local gradient);
                  None for data (requires_grad=False): no gradient is needed there
    before        the input's accumulated gradient before this step (None: nothing yet)
    after         ... and after it: before + node_gradient (the chain rule's sum)
    """

    parent: Tensor
    rule: str
    local: object
    local_label: str
    node_gradient: object
    before: object
    after: object

    @property
    def needs_gradient(self):
        return self.node_gradient is not None


@dataclass(frozen=True, eq=False)
class BackwardStep:
    """One step of the backward pass: the op that made `node` passes the upstream to its inputs.

    index     0 for the start (∂ℒ/∂ℒ = 1), then 1, 2, ... in reversed topological order
    node      the tensor whose op runs its backward (the root at step 0)
    upstream  UP = ∂ℒ/∂node, complete: every op that uses `node` has already passed its share
    parents   one ParentGradient per distinct input (empty at step 0)
    """

    index: int
    node: Tensor
    upstream: np.ndarray
    parents: tuple

    @property
    def is_start(self):
        return self.index == 0


def local_gradient(node, parent, position):
    """The local gradient of the op that made `node` for its input `parent` (input number `position`).

    Returns (rule, local, local_label): the rule in the lecture's words, the local
    gradient itself (an array, a number, or None for the transpose) and its label.
    """
    name = _name(parent)
    other = node.parents[1 - position] if len(node.parents) == 2 else None
    summed = "UP" + _summed_over(parent.shape, node.shape)
    if node.op == "Add":
        return f"∂ℒ/∂{name} = {summed}", 1.0, "1"
    if node.op == "Sub":
        if position == 0:
            return f"∂ℒ/∂{name} = {summed}", 1.0, "+1"
        return f"∂ℒ/∂{name} = −{summed}", -1.0, "−1"
    if node.op == "Mul":
        local, label = other.value.T, _transposed_name(other)
        if position == 0:
            return f"∂ℒ/∂{name} = UP · {label}", local, f"{label} {shape_str(local.shape)}"
        return f"∂ℒ/∂{name} = {label} · UP", local, f"{label} {shape_str(local.shape)}"
    if node.op == "ReLU":
        return f"∂ℒ/∂{name} = UP ⊙ R", (parent.value > 0).astype(float), f"R = 1 where {name} > 0"
    if node.op == "T":
        return f"∂ℒ/∂{name} = UPᵀ", None, "transpose"
    if node.op == "Scale":
        c = node.scale
        return f"∂ℒ/∂{name} = {_number(c)} · UP", c, _number(c)
    if node.op == "Sum":
        return f"∂ℒ/∂{name} = UP in every entry", 1.0, "1"
    if node.op == "Mean":
        return f"∂ℒ/∂{name} = UP / {parent.value.size} in every entry", 1.0 / parent.value.size, \
            _number(1.0 / parent.value.size)
    if node.op == "Square":
        return f"∂ℒ/∂{name} = UP ⊙ 2{name}", 2.0 * parent.value, f"2{name}"
    if node.op == "Sigmoid":
        s = node.value
        return f"∂ℒ/∂{name} = UP ⊙ σ(1 − σ)", s * (1 - s), "σ(1 − σ)"
    if node.op == "Tanh":
        t = node.value
        return f"∂ℒ/∂{name} = UP ⊙ (1 − tanh²)", 1 - t * t, "1 − tanh²"
    return f"∂ℒ/∂{name}: see the docstring of {node.op}", None, "?"


def _summed_over(small, big):
    """How a repeated input (a bias) collects its gradient: ", summed over the 4 rows"."""
    if small == big:
        return ""
    if len(small) == 1 or small[0] == 1 < big[0] and small[1:] == big[1:]:
        return f", summed over the {big[0]} rows"
    if small[0] == big[0]:
        return f", summed over the {big[1]} columns"
    return ", summed over all entries"


def _number(c):
    if c != 0 and abs(1 / c - round(1 / c)) < 1e-9 and abs(round(1 / c)) > 1:
        return f"1/{round(1 / c)}".replace("-", "−")
    return f"{c:.3g}".replace("-", "−")


def _name(tensor):
    """A tensor's name for rules and titles; an unnamed op result is "(Mul output)"."""
    if tensor.name:
        return tensor.name
    return f"({tensor.op} output)" if tensor.op else "(input)"


def _transposed_name(tensor):
    """"Hᵀ" for H; "err" for errᵀ (the transpose of a transpose)."""
    name = _name(tensor)
    return name[:-1] if name.endswith("ᵀ") else f"{name}ᵀ"


def _gradient_pieces(node, UP):
    """Run the backward of the op that made `node` alone: {id(input): the gradient it sends there}.

    Uses the op's own backward function; every input's .grad is put back afterwards.
    """
    inputs = _unique(node.parents)
    saved = [p.grad for p in inputs]
    for p in inputs:
        p.grad = None
    try:
        node._backward(UP)
        return {id(p): p.grad for p in inputs if p.grad is not None}
    finally:
        for p, grad in zip(inputs, saved):
            p.grad = grad


def backward_steps(root):
    """The backward pass of `root`, one op at a time: a list of BackwardStep.

    Replays what `root.backward()` does — the reversed topological order, each
    op's own backward function, gradients summed with += — on a fresh set of
    gradients, recording what every input receives. Afterwards every tensor's
    .grad is exactly what it was before: nothing in the graph changes.
    """
    order = topological_order(root)
    saved = [t.grad for t in order]
    try:
        for t in order:
            t.grad = None
        root.grad = np.ones_like(root.value)
        steps = [BackwardStep(0, root, root.grad, ())]
        for node in reversed(order):
            if node._backward is None:
                continue
            upstream = node.grad
            pieces = _gradient_pieces(node, upstream)
            records = []
            for position, parent in enumerate(node.parents):
                if any(r.parent is parent for r in records):
                    continue  # the same tensor as both inputs: one record with the sum
                rule, local, local_label = local_gradient(node, parent, position)
                piece = pieces.get(id(parent))
                before = parent.grad
                if piece is not None:
                    parent.accumulate(piece)
                records.append(ParentGradient(parent, rule, local, local_label, piece, before, parent.grad))
            steps.append(BackwardStep(len(steps), node, upstream, tuple(records)))
        return steps
    finally:
        for t, grad in zip(order, saved):
            t.grad = grad


def replayed_gradients(steps):
    """{tensor: its final gradient} after all the steps (only tensors that received one)."""
    gradients = {steps[0].node: steps[0].upstream}
    for step in steps[1:]:
        for record in step.parents:
            if record.after is not None:
                gradients[record.parent] = record.after
    return gradients


def gradient_contributions(root, tensor):
    """The pieces summed into ∂ℒ/∂tensor: [(consumer tensor, the gradient it sent)], in backward order."""
    return [(step.node, record.node_gradient) for step in backward_steps(root)[1:]
            for record in step.parents if record.parent is tensor and record.needs_gradient]


def complete_after(graph, steps, index):
    """The tensors whose gradient is complete after step `index`: every op using them has run."""
    ran = {id(step.node) for step in steps[1:index + 1]}
    complete = [steps[0].node]
    for tensor in graph.order:
        if tensor is steps[0].node or not tensor.requires_grad:
            continue
        consumers = graph.consumers(tensor)
        if consumers and all(id(c) in ran for c in consumers):
            complete.append(tensor)
    return complete


# ----------------------------------------------------------------------------
# Drawing one backward step
# ----------------------------------------------------------------------------

def backward_step_overlay(graph, steps, index, ax):
    """On a drawn graph: frame the current op and its result, the arrows back to its inputs,
    and a green dot on every value whose gradient is complete. Returns the figure."""
    step = steps[index]
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
        return f"step 0 of {last}: start at the loss, ∂ℒ/∂{_name(step.node)} = 1"
    inputs = ", ".join(_name(r.parent) for r in step.parents)
    return (f"step {step.index} of {last}: {step.node.op} passes UP = ∂ℒ/∂{_name(step.node)} "
            f"back to {inputs}      (● gradient complete)")


# The numbers of a step are drawn in inches too: the upstream on the left, then one
# group per input of the op: its local gradient, the node gradient it receives, and
# its accumulated gradient.
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
    the lecture's words, the local gradient, the node gradient the input receives,
    and its accumulated gradient (the sum over all the ops that use it so far).
    Returns the figure.
    """
    if ax is None:
        ax = style.new_figure(*VALUES_SIZE)[1]
    values_frame(ax)
    height = VALUES_SIZE[1]
    _matrix(ax, step.upstream, _UPSTREAM_SLOT,
            f"upstream UP\n= ∂ℒ/∂{_name(step.node)} {shape_str(step.upstream.shape)}")
    if step.is_start:
        ax.text(_GROUP_STARTS[0], sum(_MATRIX_BOX) / 2,
                f"The start: the gradient of the loss with respect to itself, ∂ℒ/∂{_name(step.node)}, is 1.\n"
                "Every other gradient is built from it, from right to left: move the slider.",
                fontsize=9, va="center")
    for start, record in zip(_GROUP_STARTS, step.parents):
        slots = [(start + i * (_SLOT_WIDTH + _SLOT_GAP), start + i * (_SLOT_WIDTH + _SLOT_GAP) + _SLOT_WIDTH)
                 for i in range(3)]
        ax.text(start, height - 0.12, f"to {_name(record.parent)}:  {record.rule}", fontsize=8.5,
                va="center", fontweight="bold", color=style.INK if record.needs_gradient else style.RESIDUAL)
        if not record.needs_gradient:
            ax.text(start, sum(_MATRIX_BOX) / 2, f"{_name(record.parent)} is data (requires_grad=False):\n"
                    "no gradient is needed, nothing is passed.", fontsize=8.5, va="center", color=style.RESIDUAL)
            continue
        summed = "earlier pieces + this one" if record.before is not None else "its first piece"
        _matrix(ax, record.local, slots[0], f"local gradient\n{record.local_label}")
        _matrix(ax, record.node_gradient, slots[1],
                f"node gradient\n{shape_str(np.shape(record.node_gradient))}")
        _matrix(ax, record.after, slots[2],
                f"∂ℒ/∂{_name(record.parent)} {shape_str(record.after.shape)}\n{summed}")
        for (left, _), symbol in zip(slots[1:], ("→", "+=")):
            ax.text(left - _SLOT_GAP / 2, _FIRST_ROW, symbol, fontsize=10, ha="center", va="center")
    return ax.figure


def _matrix(ax, value, slot, caption):
    """A matrix as a small heatmap with its numbers (or a number in a box), captioned, in a slot (x0, x1)."""
    x0, x1 = slot
    y0, y1 = _MATRIX_BOX
    ax.text((x0 + x1) / 2, y1 + 0.08, caption, fontsize=7.5, ha="center", va="bottom", linespacing=1.3)
    if value is None or np.ndim(value) == 0:
        text = "UPᵀ" if value is None else _number(float(value))
        ax.text((x0 + x1) / 2, _FIRST_ROW, text, fontsize=11, ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": style.RESIDUAL})
        return
    matrix = np.atleast_2d(np.asarray(value, dtype=float))
    rows, cols = matrix.shape
    cell = min((x1 - x0) / cols, (y1 - y0) / rows, _MAX_CELL)
    left, top = (x0 + x1 - cell * cols) / 2, y1
    scale = max(float(np.abs(matrix).max()), 1e-12)
    ax.pcolormesh(left + cell * np.arange(cols + 1), top - cell * np.arange(rows + 1), matrix,
                  cmap=style.DIVERGING_CMAP, vmin=-scale, vmax=scale, alpha=0.55, edgecolors=style.RESIDUAL,
                  linewidth=0.3, zorder=1)
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

def naive_backward(root):
    """THE WRONG WAY to backpropagate, kept for comparison: recurse along every path.

    visit(node, UP): pass UP through the node's op to each input and visit that
    input at once with what it received, without waiting for the node's other
    consumers. The sums still come out right (each path adds its piece to the
    leaves), but a node reached by k paths is visited k times, and so is
    everything before it: on a chain of diamonds that is exponential.

    Returns ({leaf tensor: its gradient}, number of visits). Leaves out data
    (requires_grad=False). Every tensor's .grad is left as it was.
    """
    gradients, visits = {}, 0

    def visit(node, UP):
        nonlocal visits
        visits += 1
        if not node.parents:
            gradients[node] = gradients[node] + UP if node in gradients else UP
            return
        pieces = _gradient_pieces(node, UP)
        for parent in _unique(node.parents):
            if id(parent) in pieces:
                visit(parent, pieces[id(parent)])

    visit(root, np.ones_like(root.value))
    return gradients, visits


def topological_backward(root):
    """The right way: every node once, in reversed topological order (what Tensor.backward does).

    Returns ({leaf tensor: its gradient}, number of visits), like naive_backward.
    """
    steps = backward_steps(root)
    gradients = {t: g for t, g in replayed_gradients(steps).items() if not t.parents}
    visits = sum(1 for t in topological_order(root) if t.requires_grad)
    return gradients, visits






def diamond_chain(length, x=0.5):
    """A chain of `length` diamonds xᵢ = xᵢ₋₁ + ReLU(xᵢ₋₁), each xᵢ₋₁ used twice; returns the last x.

    Like a stack of residual blocks: from x₀ to the end there are 2^length paths.
    For x₀ > 0 every ReLU passes, the result is 2^length · x₀ and ∂/∂x₀ = 2^length.
    """
    h = Tensor(np.array([[float(x)]]), name="x₀", requires_grad=True)
    for i in range(1, length + 1):
        r = ReLU(h).named(f"r{subscript(i)}")
        h = Add(h, r).named(f"x{subscript(i)}")
    return h


def visit_counts(lengths, x=0.5):
    """For each chain length: (length, naive visits, topological visits, max |difference| of the gradients)."""
    rows = []
    for length in lengths:
        root = diamond_chain(length, x)
        naive, naive_visits = naive_backward(root)
        topological, topological_visits = topological_backward(root)
        difference = max(float(np.max(np.abs(naive[t] - topological[t]))) for t in topological)
        rows.append((length, naive_visits, topological_visits, difference))
    return rows


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
    graph = trace(diamond_chain(length))
    frame = _diamond_chain_extent(frame_length) if frame_length else None
    title = f"{length} diamonds: 2{superscript(length)} = {2 ** length} paths from x₀ to x{subscript(length)}"
    return draw_graph(graph, ax=ax, legend=False, title=title, frame=frame)


@functools.lru_cache(maxsize=16)
def _diamond_chain_extent(length):
    return trace(diamond_chain(length)).extent()
