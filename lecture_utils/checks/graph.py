"""Checks for notebook 07: a topological order of a graph, and the gradients of a small graph by hand."""

from fractions import Fraction

import numpy as np

from ..autograd import Tensor
from .exercise import BACKWARD_RULES, NUMERICAL_DERIVATIVES, Exercise, grading
from .verdicts import Failed, describe

__all__ = ["check_topological_sort", "check_gradients_by_hand", "random_dag", "topological_problem",
           "small_graph_loss"]

# What notebook 07's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.load_apartments",
    *(f"lecture_utils.autograd.{name}" for name in ("Tensor", "Add", "Sub", "Mul", "ReLU", "T", "shape_str")),
)

_NAMES = list("abcdefghijkmnpqrstuvwxyz") + ["X", "W1", "b1", "H", "W2", "err", "ŷ", "ℒ"] + \
    [f"n{i}" for i in range(1, 41)]  # node names for random graphs, all different


# --- exercise 1: a topological order ------------------------------------------------------

def random_dag(rng, n, density=0.35):
    """A random graph without cycles: (nodes, edges), edge (a, b) meaning "a is an input of b".

    The nodes come shuffled: neither their given order, nor its reverse, nor their
    alphabetical order is a topological order (for three nodes or more).
    """
    for _ in range(100):
        names = [str(name) for name in rng.choice(_NAMES, size=n, replace=False)]  # hidden order: names
        edges = [(names[i], names[j]) for i in range(n) for j in range(i + 1, n) if rng.random() < density]
        if n > 1 and not edges:
            continue
        nodes = [names[i] for i in rng.permutation(n)]
        if n < 3 or all(topological_problem(order, nodes, edges) for order in (nodes, nodes[::-1], sorted(nodes))):
            return nodes, edges
    raise RuntimeError("could not draw a suitable random graph")  # pragma: no cover


def _loss_like_graph(rng):
    """The shape of the lecture's loss, with random names: a node used by two ops (err by T and Mul)."""
    err, transposed, product, loss, y, y_hat = (str(n) for n in rng.choice(_NAMES, size=6, replace=False))
    edges = [(y, err), (y_hat, err), (err, transposed), (transposed, product), (err, product), (product, loss)]
    nodes = [loss, product, transposed, err, y_hat, y]  # the reverse of a topological order
    return [nodes[i] for i in (2, 0, 4, 1, 3, 5)], edges


def topological_problem(order, nodes, edges):
    """What is wrong with `order` as a topological order of the graph (nodes, edges): a text, or None."""
    if len(order) != len(nodes) or sorted(order) != sorted(nodes):
        return "it does not list every node exactly once"
    position = {node: i for i, node in enumerate(order)}
    for a, b in edges:
        if position[a] > position[b]:
            return f"{b!r} comes before its input {a!r} (the edge {a} → {b})"
    return None


def reference_topological_sort(nodes, edges):
    """Every node after all of its inputs, depth first and without recursion.

    nodes: hashable items; edges: pairs (a, b), a an input of b (their items may be missing from
    nodes: they are placed too). Returns the items themselves, each once, in a list.
    """
    inputs = {node: [] for node in nodes}
    for a, b in edges:
        inputs.setdefault(a, [])
        inputs.setdefault(b, []).append(a)
    order, placed = [], set()
    for start in inputs:
        stack = [(start, False)]
        while stack:
            node, inputs_placed = stack.pop()
            if inputs_placed:
                order.append(node)
            elif node not in placed:
                placed.add(node)
                stack.append((node, True))
                stack.extend((parent, False) for parent in reversed(inputs[node]) if parent not in placed)
    return order


@grading(off_limits=["graphlib", "lecture_utils.autograd.topological_order", "lecture_utils.graph.trace",
                     "lecture_utils.graph.topological_backward", "lecture_utils.graph.backward_steps"])
def check_topological_sort(topological_sort, thorough=False):
    """topological_sort(nodes, edges) -> a list of all nodes, each after all of its inputs.

    Any valid order passes: there are usually many.
    """
    __tracebackhide__ = True
    with Exercise("topological_sort", topological_sort, thorough, stand_in=reference_topological_sort) as ex:
        graphs = [random_dag(ex.rng, 6), random_dag(ex.rng, 9), _loss_like_graph(ex.rng)]
        if ex.thorough:
            graphs += [random_dag(ex.rng, 15, 0.2), random_dag(ex.rng, 30, 0.15), random_dag(ex.rng, 12, 0.8)]
        graphs += [random_dag(ex.rng, 1)]  # one node and no edges: last, it hides some mistakes
        for nodes, edges in graphs:
            got = ex.call(list(nodes), list(edges))
            _expect_topological_order(got, nodes, edges)
        sizes = ", ".join(str(len(nodes)) for nodes, _ in graphs)
        ex.passed(f"a valid order for random graphs with {sizes} nodes (one with a node used by two ops)")


def _expect_topological_order(got, nodes, edges):
    __tracebackhide__ = True
    where = _graph_text(nodes, edges)
    if got is None:
        raise Failed(f"It returned None for {where}.", "did you forget the `return` statement?")
    if isinstance(got, np.ndarray):
        got = got.tolist()
    if isinstance(got, (set, frozenset, dict)):
        raise Failed(f"It returned a {type(got).__name__} for {where}; a {type(got).__name__} has no order.",
                     "collect the nodes in a list, in the order you visit them.")
    if not isinstance(got, (list, tuple)):
        raise Failed(f"It returned {describe(got)} for {where}; expected a list of the node names.",
                     "return a list such as ['a', 'b', 'c'].")
    got = list(got)
    unknown = [item for item in got if not isinstance(item, str) or item not in nodes]
    if unknown:
        raise Failed(f"For {where}: it returned {unknown[0]!r}, which is not one of the nodes.",
                     "return the node names themselves, each once.")
    repeated = sorted({node for node in got if got.count(node) > 1})
    if repeated:
        raise Failed(f"For {where}: {repeated[0]!r} appears {got.count(repeated[0])} times.",
                     "list each node once, even when it is the input of several nodes: remember which "
                     "nodes you have visited.")
    missing = [node for node in nodes if node not in got]
    if missing:
        raise Failed(f"For {where}: {missing[0]!r} is missing.",
                     "every node belongs in the order, also one without any edges.")
    problem = topological_problem(got, nodes, edges)
    if problem:
        if got == list(nodes):
            hint = "it returned the nodes in the order given: sort them so that every input comes first."
        elif topological_problem(got[::-1], nodes, edges) is None:
            hint = ("that is the order backward() walks: the loss first. A topological order lists every "
                    "input BEFORE the nodes that use it: reverse it.")
        else:
            hint = ("a node may only be listed after all of its inputs; e.g. visit a node's inputs first "
                    "(depth first), then append the node.")
        raise Failed(f"For {where}, it returned {got if len(got) <= 12 else 'an order'} in which {problem}.", hint)


def _graph_text(nodes, edges):
    if len(nodes) <= 9:
        arrows = ", ".join(f"{a} → {b}" for a, b in edges) or "no edges"
        return f"nodes {list(nodes)} with edges {arrows}"
    return f"a random graph with {len(nodes)} nodes and {len(edges)} edges"


# --- exercise 2: the gradients of a small graph by hand ----------------------------------

def small_graph_loss(a, b, c):
    """The exercise's graph: u = a·b, v = u + c, h = ReLU(v), e = h − a, ℒ = eᵀe (numbers: e·e)."""
    u = a * b
    v = u + c
    h = max(v, 0.0)
    e = h - a
    return e * e


def reference_gradients_by_hand(a, b, c):
    """(dℒ/da, dℒ/db, dℒ/dc) of small_graph_loss by the chain rule, from ℒ back to a, b and c."""
    v = a * b + c
    e = max(v, 0.0) - a
    d_e = 2 * e                        # ℒ = e·e uses e twice
    d_v = d_e * (1.0 if v > 0 else 0.0)  # through ReLU; u = ab and c get it unchanged through the sum
    return d_v * b - d_e, d_v * a, d_v  # a feeds Mul (times b) and Sub (times −1)


def _inputs(rng, relu_passes):
    """Random a, b, c with v = ab + c clearly positive (or negative) and e, a, b clearly apart from 0."""
    while True:
        a = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 2.0))
        b, c = float(rng.normal(0.0, 1.5)), float(rng.normal(0.0, 1.5))
        v = a * b + c
        e = max(v, 0.0) - a
        if (v > 0.3 if relu_passes else v < -0.3) and abs(e) > 0.3 and abs(b) > 0.3 and abs(a - b) > 0.3:
            return round(a, 3), round(b, 3), round(c, 3)


def _near_the_kink(rng, relu_passes):
    """a, b, c with v = ab + c = ±10⁻⁶ exactly (a, b to 3 decimals): the ReLU's kink is 10⁻⁶ away, closer
    than any step a numerical derivative could take across it."""
    while True:
        a, b, _ = _inputs(rng, relu_passes)
        c = round(-a * b, 6) + (1e-6 if relu_passes else -1e-6)
        v = a * b + c
        if (v > 0) == relu_passes and abs(max(v, 0.0) - a) > 0.3:
            return a, b, c


def _vast(rng, relu_passes):
    """a, b, c where ℒ = e² overflows (|e| near 10¹⁵⁵) but the three derivatives do not: c vast when the
    ReLU passes, a vast when it blocks."""
    a, b, c = _inputs(rng, relu_passes)
    if relu_passes:
        return a, b, float(rng.uniform(1, 3) * 1e155)
    return float(np.sign(a) * rng.uniform(1, 3) * 1e155), -np.sign(a) * abs(b), c  # ab < 0: it blocks


def exact_small_graph_gradients(a, b, c):
    """(∂ℒ/∂a, ∂ℒ/∂b, ∂ℒ/∂c) of small_graph_loss in exact arithmetic, each rounded once."""
    a, b, c = Fraction(a), Fraction(b), Fraction(c)
    v = a * b + c
    passes = 1 if v > 0 else 0
    twice_e = 2 * (max(v, 0) - a)
    return float(twice_e * passes * b - twice_e), float(twice_e * passes * a), float(twice_e * passes)


def _small_graph_scales(a, b, c):
    """The size of the numbers the chain rule combines for each of ∂ℒ/∂a, ∂ℒ/∂b, ∂ℒ/∂c."""
    e = 2 * (abs(a * b) + abs(c) + abs(a))  # 2e and what it is computed from
    passes = 1.0 if a * b + c > 0 else 0.0
    return e * (passes * abs(b) + 1), e * passes * abs(a), e * passes


_NUMERICAL = ("walk back from ℒ with the local gradients, as on paper: a difference of ℒ at nearby points comes "
              "close, but never to the last digits, and not at all across the ReLU's kink or where ℒ overflows.")


@grading(off_limits=[*BACKWARD_RULES, *NUMERICAL_DERIVATIVES, "lecture_utils.graph.backward_steps",
                     "lecture_utils.graph.naive_backward", "lecture_utils.graph.topological_backward"])
def check_gradients_by_hand(gradients_by_hand, thorough=False):
    """gradients_by_hand(a, b, c) -> (dℒ/da, dℒ/db, dℒ/dc) for the graph of small_graph_loss, by the chain rule.

    Accepts the chain rule worked out by hand, in any order: each number must equal the exact derivative
    to round-off at fresh random a, b, c with the ReLU passing and blocking — also where the ReLU's kink
    is 10⁻⁶ away and where ℒ itself overflows, so that no numerical derivative (differences of ℒ)
    passes.
    """
    __tracebackhide__ = True
    with Exercise("gradients_by_hand", gradients_by_hand, thorough,
                  stand_in=reference_gradients_by_hand) as ex:
        passing = [True, False] + ([True, False, True] if ex.thorough else [])
        cases = [_inputs(ex.rng, p) for p in passing] + [_near_the_kink(ex.rng, p) for p in (True, False)] + \
            [_vast(ex.rng, p) for p in (True, False)]
        for a, b, c in cases:
            inputs = {"a": a, "b": b, "c": c}
            got = _three_numbers(ex.call(a, b, c), inputs)
            with np.errstate(all="ignore"):
                mistakes = _mistakes(a, b, c)
            for name, value, expected, scale, wrong in zip("abc", got, exact_small_graph_gradients(a, b, c),
                                                            _small_graph_scales(a, b, c), mistakes):
                ex.expect_exact_number(value, expected, scale, inputs, what=f"returned dℒ/d{name} =", terms=2,
                                       mistakes=_finite(wrong), hint=_HINTS[name], numerical_hint=_NUMERICAL)
        ex.passed(f"(dℒ/da, dℒ/db, dℒ/dc) equal the chain rule's to round-off at {len(cases)} random points, with "
                  "the ReLU passing and blocking, 10⁻⁶ from its kink, and where ℒ overflows")


def _finite(mistakes):
    """Only the mistakes with a finite value can be told apart from the answer."""
    return {hint: value for hint, value in mistakes.items() if np.all(np.isfinite(value))}


_HINTS = {
    "a": "walk back from ℒ: ∂ℒ/∂e, then ∂ℒ/∂h and ∂ℒ/∂v; a is used by Mul AND by Sub: add both paths.",
    "b": "∂ℒ/∂b = ∂ℒ/∂u · (local gradient of u = a·b for b).",
    "c": "∂ℒ/∂c = ∂ℒ/∂v · 1: multiply the local gradients along the path ℒ ← e ← h ← v ← c.",
}


def _mistakes(a, b, c):
    """{hint: wrong value} for dℒ/da, dℒ/db and dℒ/dc: the typical slips."""
    v = a * b + c
    m = 1.0 if v > 0 else 0.0  # ReLU's local gradient
    e = max(v, 0.0) - a
    E = 2 * e                  # ∂ℒ/∂e
    twice = "ℒ = e·e uses e twice (like errᵀerr): ∂ℒ/∂e = e + e = 2e, the chain rule's sum."
    relu = "ReLU passes the upstream only where its input v = ab + c is positive (local gradient 1, else 0)."
    swap = "Mul's local gradient for a is b, and for b it is a."
    sign = "e = h − a: mind the signs (Sub's local gradients are +1 for h and −1 for a)."
    return [
        {twice: e * m * b - e, relu: E * b - E, swap: E * m * a - E, sign: -E * m * b + E,
         "a feeds two ops, Mul and Sub: ∂ℒ/∂a is the SUM of both paths (you have only the one through Mul).":
             E * m * b,
         "a feeds two ops, Mul and Sub: ∂ℒ/∂a is the SUM of both paths (you have only the one through Sub).":
             -E,
         "Sub's local gradient for its second input is −1: the path through Sub adds −∂ℒ/∂e.": E * m * b + E},
        {twice: e * m * a, relu: E * a, swap: E * m * b, sign: -E * m * a},
        {twice: e * m, relu: E, sign: -E * m},
    ]


def _three_numbers(got, inputs):
    __tracebackhide__ = True
    where = ", ".join(f"{k} = {v}" for k, v in inputs.items())
    if got is None:
        raise Failed(f"It returned None for {where}.", "did you forget the `return` statement?")
    if isinstance(got, Tensor):
        raise Failed(f"It returned a Tensor for {where}; expected three numbers.",
                     "return dL_da, dL_db, dL_dc (plain numbers).")
    if isinstance(got, dict) or isinstance(got, (str, bytes)) or not hasattr(got, "__len__"):
        raise Failed(f"It returned {describe(got)} for {where}; expected three numbers (dℒ/da, dℒ/db, dℒ/dc).",
                     "end with: return dL_da, dL_db, dL_dc")
    if len(got) != 3:
        raise Failed(f"It returned {len(got)} values for {where}; expected three (dℒ/da, dℒ/db, dℒ/dc).",
                     "end with: return dL_da, dL_db, dL_dc")
    return list(got)
