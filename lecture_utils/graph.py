"""The computational graph of a Tensor: trace it, replay its backward pass, and why the order matters.

    loss = Mul(T(err), err) / N                 # any Tensor built with the autograd ops
    graph = trace(loss)                         # value nodes, op nodes, edges with shapes
    steps = backward_steps(loss)                # the backward pass, one op at a time, as data
    steps[3].parents[0].new_upstream            # what step 3 sent to the first input of its op

A traced graph has a value node for every tensor — data, parameters (requires_grad)
and intermediate results — and an op node (Add, Sub, Mul, ReLU, T, ...) between each
op's inputs and its result; every edge carries the shape [N×M] of the matrix that
flows along it. `plots.draw_graph` draws it as the lecture does.

`backward_steps` replays `Tensor.backward()` without changing it: it walks the same
reversed topological order on a fresh set of gradients, calls each op's own
backward function, records what every input received, and puts every `.grad` back
as it was. In the lecture's words: each op sends every input a new upstream
(upstream × local), and an input's node gradient is the sum of the upstreams it
receives. `naive_backward` is the WRONG way, kept to compare: it recurses along
every path from the loss, so a node reached by many paths is visited many times.

Numpy only: the drawings are in `plots.graph`.
"""

from dataclasses import dataclass

import numpy as np

from .autograd import Add, ReLU, Tensor, shape_str, topological_order
from .notation import minus, number, subscript
from .ops import OPS

__all__ = [
    "Graph", "GraphNode", "GraphEdge", "trace", "op_label", "edge_list", "display_name", "number_text",
    "BackwardStep", "ParentGradient", "backward_steps", "replayed_gradients", "gradient_contributions",
    "local_gradient", "complete_after",
    "naive_backward", "topological_backward", "diamond_chain", "visit_counts",
]


# ----------------------------------------------------------------------------
# Tracing: the graph as data
# ----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class GraphNode:
    """One node of a traced graph.

    key     "v3" for the value made third in topological order, "op3" for the op that made it
    kind    "data", "parameter", "intermediate" (value nodes) or "op"
    label   what a drawing writes in it: "W1", "Mul", "/4", ...
    tensor  the value; for an op node, the value the op makes
    """

    key: str
    kind: str
    label: str
    tensor: Tensor

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


def _reciprocal(c):
    """k when c = 1/k for a whole number k with |k| > 1 (c = 0.25 -> 4), else None."""
    if c != 0 and abs(1 / c - round(1 / c)) < 1e-9 and abs(round(1 / c)) > 1:
        return round(1 / c)
    return None


def number_text(c):
    """A number as the rules write it: "1/4" for a quarter, else 3 significant digits; a real minus."""
    k = _reciprocal(c)
    return minus(f"1/{k}") if k is not None else number(c, ".3g")


def op_label(tensor):
    """How a drawing names the op that made `tensor`: "Mul", "ReLU", "σ", and Scale's "/4" or "×0.5"."""
    if tensor.scale is not None:
        k = _reciprocal(tensor.scale)
        return minus(f"/{k}") if k is not None else "×" + number(tensor.scale, ".3g")
    op = OPS.get(tensor.op)
    return (op.symbol or op.name) if op else tensor.op


def display_name(tensor):
    """A tensor's name for rules and titles; an unnamed op result is "(Mul output)"."""
    if tensor.name:
        return tensor.name
    return f"({tensor.op} output)" if tensor.op else "(input)"


def trace(root):
    """The computational graph that made `root`: a Graph.

    Every tensor becomes a value node (its name as label); every tensor made by an
    op also gets an op node between its inputs and itself. Edges: input -> op,
    labelled with the input's shape, and op -> result, labelled with the result's.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"trace() needs a Tensor, got {type(root).__name__}.")
    order = topological_order(root)
    index = {t: i for i, t in enumerate(order)}
    nodes, edges = [], []
    for i, t in enumerate(order):
        if t.parents:
            nodes.append(GraphNode(f"op{i}", "op", op_label(t), t))
            for parent in t.parents:
                edges.append(GraphEdge(f"v{index[parent]}", f"op{i}", parent.shape))
            edges.append(GraphEdge(f"op{i}", f"v{i}", t.shape))
        kind = "intermediate" if t.parents else ("parameter" if t.requires_grad else "data")
        nodes.append(GraphNode(f"v{i}", kind, t.name or "", t))
    return Graph(root, tuple(order), tuple(nodes), tuple(edges))


def edge_list(root):
    """The graph of `root` as names and pairs: (nodes, edges), edge (a, b) meaning "a is an input of b".

    Value nodes only (an op and its result are one node here), named by their
    tensor's name, or "#3" for an unnamed tensor (its place in topological order).
    """
    order = topological_order(root)
    names = [t.name or f"#{i}" for i, t in enumerate(order)]
    index = {t: i for i, t in enumerate(order)}
    edges = [(names[index[p]], names[i]) for i, t in enumerate(order) for p in dict.fromkeys(t.parents)]
    return names, edges


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
    new_upstream  what this op sends to the input: upstream × local (UP combined with the local
                  gradient); None for data (requires_grad=False): no gradient is needed there
    before        the input's node gradient before this step: the sum of the upstreams it
                  received so far (None: nothing yet)
    after         ... and after it: before + new_upstream (the chain rule's sum)
    """

    parent: Tensor
    rule: str
    local: object
    local_label: str
    new_upstream: object
    before: object
    after: object

    @property
    def needs_gradient(self):
        return self.new_upstream is not None


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
    gradient itself (an array, a number, or None for the transpose) and its label,
    from the op's entry in the table of ops (lecture_utils.ops).
    """
    op = OPS.get(node.op)
    if op is None:
        return f"∂ℒ/∂{display_name(parent)}: see the docstring of {node.op}", None, "?"
    gradient = op.gradients[position]
    local = gradient.local(node, *node.parents)
    words = {"summed": _summed_over(parent.shape, node.shape), "n": parent.value.size}
    for letter, tensor in zip("AB", node.parents):
        words[letter], words[letter + "ᵀ"] = display_name(tensor), _transposed_name(tensor)
    if local is not None and np.ndim(local) == 0:
        words["local"] = number_text(local)
    elif local is not None:
        words["shape"] = shape_str(local.shape)
    label = gradient.label.format(**words) if gradient.label is not None else words["local"]
    return gradient.rule.format(**words), local, label


def _summed_over(small, big):
    """How a repeated input (a bias) collects its gradient: ", summed over the 4 rows"."""
    if small == big:
        return ""
    if len(small) == 1 or small[0] == 1 < big[0] and small[1:] == big[1:]:
        return f", summed over the {big[0]} rows"
    if small[0] == big[0]:
        return f", summed over the {big[1]} columns"
    return ", summed over all entries"


def _transposed_name(tensor):
    """"Hᵀ" for H; "err" for errᵀ (the transpose of a transpose)."""
    name = display_name(tensor)
    return name[:-1] if name.endswith("ᵀ") else f"{name}ᵀ"


def _new_upstreams(node, UP):
    """Run the backward of the op that made `node` alone: {id(input): the new upstream it sends there}.

    Uses the op's own backward function; every input's .grad is put back afterwards.
    """
    inputs = list(dict.fromkeys(node.parents))  # each input once
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
            new_upstreams = _new_upstreams(node, upstream)
            records = []
            for position, parent in enumerate(node.parents):
                if any(r.parent is parent for r in records):
                    continue  # the same tensor as both inputs: one record with the sum
                rule, local, local_label = local_gradient(node, parent, position)
                new_upstream = new_upstreams.get(id(parent))
                before = parent.grad
                if new_upstream is not None:
                    parent.accumulate(new_upstream)
                records.append(ParentGradient(parent, rule, local, local_label, new_upstream, before, parent.grad))
            steps.append(BackwardStep(len(steps), node, upstream, tuple(records)))
        return steps
    finally:
        for t, grad in zip(order, saved):
            t.grad = grad


def replayed_gradients(steps):
    """{tensor: its final node gradient} after all the steps (only tensors that received one)."""
    gradients = {steps[0].node: steps[0].upstream}
    for step in steps[1:]:
        for record in step.parents:
            if record.after is not None:
                gradients[record.parent] = record.after
    return gradients


def gradient_contributions(root, tensor):
    """The upstreams summed into ∂ℒ/∂tensor: [(consumer tensor, the new upstream it sent)], in backward order."""
    return [(step.node, record.new_upstream) for step in backward_steps(root)[1:]
            for record in step.parents if record.parent is tensor and record.needs_gradient]


def complete_after(graph, steps, index):
    """The tensors whose node gradient is complete after step `index`: every op using them has run."""
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
        new_upstreams = _new_upstreams(node, UP)
        for parent in dict.fromkeys(node.parents):
            if id(parent) in new_upstreams:
                visit(parent, new_upstreams[id(parent)])

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
    """A chain of `length` diamonds sᵢ = sᵢ₋₁ + ReLU(sᵢ₋₁) from s₀ = x, each sᵢ₋₁ used twice; returns the last s.

    Like a stack of residual blocks: from s₀ to the end there are 2^length paths.
    For s₀ > 0 every ReLU passes, the result is 2^length · s₀ and ∂/∂s₀ = 2^length.
    (s, not x: the lecture's xᵢ is sample i.)
    """
    h = Tensor(np.array([[float(x)]]), name="s₀", requires_grad=True)
    for i in range(1, length + 1):
        r = ReLU(h).named(f"r{subscript(i)}")
        h = Add(h, r).named(f"s{subscript(i)}")
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
