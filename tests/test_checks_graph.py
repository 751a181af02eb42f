"""Checks of notebook 07: any valid order passes; typical mistakes fail with the right hint."""

import numpy as np
import pytest

from hostile_submissions import NUMERICAL_07
from lecture_utils import Add, Mul, ReLU, Sub, T, Tensor
from lecture_utils.checks import check_gradients_by_hand, check_topological_sort
from lecture_utils.checks.graph import _expect_topological_order, random_dag, small_graph_loss, topological_problem
from lecture_utils.checks.verdicts import Failed
from verdicts import defined, outcome

# --- topological_sort ------------------------------------------------------------------------

def depth_first(nodes, edges):
    inputs = {node: [] for node in nodes}
    for a, b in edges:
        inputs[b].append(a)
    order, placed = [], set()

    def place(node):
        if node not in placed:
            placed.add(node)
            for parent in inputs[node]:
                place(parent)
            order.append(node)

    for node in nodes:
        place(node)
    return order


def random_kahn(nodes, edges, seed=None):
    """Kahn's algorithm, taking a RANDOM ready node each time: a different valid order each run."""
    rng = np.random.default_rng(seed)
    waiting = {node: sum(1 for _, b in edges if b == node) for node in nodes}
    ready = [node for node in nodes if waiting[node] == 0]
    order = []
    while ready:
        node = ready.pop(rng.integers(len(ready)))
        order.append(node)
        for a, b in edges:
            if a == node:
                waiting[b] -= 1
                if waiting[b] == 0:
                    ready.append(b)
    return order


@pytest.mark.parametrize("thorough", [False, True])
def test_topological_sort_passes_any_valid_order(capsys, thorough):
    assert outcome(capsys, check_topological_sort, depth_first, thorough)[0]
    assert outcome(capsys, check_topological_sort, random_kahn, thorough)[0]
    assert outcome(capsys, check_topological_sort, lambda n, e: tuple(depth_first(n, e)), thorough)[0]
    assert outcome(capsys, check_topological_sort, lambda n, e: np.array(depth_first(n, e)), thorough)[0]


def test_random_kahn_really_gives_different_orders():
    nodes, edges = random_dag(np.random.default_rng(1), 9, 0.2)
    orders = {tuple(random_kahn(nodes, edges, seed)) for seed in range(20)}
    assert len(orders) > 1 and all(topological_problem(list(o), nodes, edges) is None for o in orders)


def test_random_dags_have_no_cycle_and_come_shuffled():
    rng = np.random.default_rng(0)
    for n in [3, 6, 9, 15, 30]:
        nodes, edges = random_dag(rng, n)
        assert len(set(nodes)) == n and edges
        assert topological_problem(depth_first(nodes, edges), nodes, edges) is None  # it has an order
        assert topological_problem(nodes, nodes, edges) is not None  # ... but not the given one
        assert topological_problem(nodes[::-1], nodes, edges) is not None  # ... nor its reverse
        assert topological_problem(sorted(nodes), nodes, edges) is not None  # ... nor the alphabetical one
    nodes, edges = random_dag(rng, 1)
    assert len(nodes) == 1 and edges == []


def test_topological_problem_names_the_broken_edge():
    edges = [("a", "b"), ("b", "c")]
    assert topological_problem(["a", "b", "c"], ["c", "b", "a"], edges) is None
    assert topological_problem(["b", "a", "c"], ["c", "b", "a"], edges) == \
        "'b' comes before its input 'a' (the edge a → b)"
    assert topological_problem(["a", "b"], ["c", "b", "a"], edges) == "it does not list every node exactly once"


def only_once_without_memory(nodes, edges):
    """Depth first without remembering visited nodes: a node used twice is listed twice."""
    inputs = {node: [a for a, b in edges if b == node] for node in nodes}
    order = []

    def place(node):
        for parent in inputs[node]:
            place(parent)
        order.append(node)

    for node in nodes:
        if not any(a == node for a, _ in edges):  # start from the nodes nobody uses
            place(node)
    return order


def swap_the_ends_of_one_edge(nodes, edges):
    order = depth_first(nodes, edges)
    if edges:
        i, j = order.index(edges[0][0]), order.index(edges[0][1])
        order[i], order[j] = order[j], order[i]
    return order


def forgets_lonely_nodes(nodes, edges):
    return [node for node in depth_first(nodes, edges) if any(node in edge for edge in edges)]


@pytest.mark.parametrize("wrong, hint", [
    (lambda n, e: depth_first(n, e)[::-1], "reverse it"),
    (lambda n, e: n, "in the order given"),
    (lambda n, e: sorted(n), "comes before its input"),
    (lambda n, e: swap_the_ends_of_one_edge(n, e), "comes before its input"),
    (only_once_without_memory, "list each node once"),
    (forgets_lonely_nodes, "also one without any edges"),
    (lambda n, e: set(n), "has no order"),
    (lambda n, e: {node: i for i, node in enumerate(n)}, "has no order"),
    (lambda n, e: None, "return"),
    (lambda n, e: " ".join(depth_first(n, e)), "expected a list of the node names"),
    (lambda n, e: list(range(len(n))), "which is not one of the nodes"),
    (lambda n, e: [node.upper() for node in depth_first(n, e)], "which is not one of the nodes"),
    (lambda n, e: ["a", "b", "c", "d", "e", "f"], "not one of the nodes"),  # hard-coded
    (lambda n, e: n[len(n)], "raised IndexError"),
])
def test_topological_sort_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_topological_sort, wrong)
    assert not passed and hint in out


def test_the_hint_for_an_order_that_is_neither_given_nor_reversed():
    edges = [("a", "b"), ("b", "c"), ("c", "d")]
    with pytest.raises(Failed) as failed:
        _expect_topological_order(["a", "c", "b", "d"], ["d", "c", "b", "a"], edges)
    assert "'c' comes before its input 'b'" in failed.value.message
    assert "may only be listed after all of its inputs" in failed.value.hint


def test_topological_sort_hard_coded_order_for_one_graph_fails(capsys):
    nodes, edges = random_dag(np.random.default_rng(3), 6)
    answer = depth_first(nodes, edges)
    passed, out = outcome(capsys, check_topological_sort, lambda n, e: answer)
    assert not passed


def test_topological_sort_must_not_be_fooled_by_a_mutated_input(capsys):
    def sorts_in_place_and_returns_nothing_else(nodes, edges):
        nodes[:] = depth_first(nodes, edges)
        edges.clear()  # even with the edges gone, the check uses its own copy
        return nodes

    assert outcome(capsys, check_topological_sort, sorts_in_place_and_returns_nothing_else)[0]

    def empties_the_edges(nodes, edges):
        edges.clear()
        return nodes

    assert not outcome(capsys, check_topological_sort, empties_the_edges)[0]


def test_topological_sort_not_attempted(capsys):
    def topological_sort(nodes, edges):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_topological_sort, topological_sort)
    assert not passed and "not attempted yet" in out


def test_topological_sort_not_a_function(capsys):
    passed, out = outcome(capsys, check_topological_sort, ["a", "b"])
    assert not passed and "should be a function" in out


# --- gradients_by_hand ----------------------------------------------------------------------------

def by_hand(a, b, c):
    v = a * b + c
    e = max(v, 0.0) - a
    dL_de = 2 * e
    dL_dv = dL_de * (1.0 if v > 0 else 0.0)
    return dL_dv * b - dL_de, dL_dv * a, dL_dv


def with_autograd(a, b, c):
    ta, tb, tc = (Tensor(float(x), requires_grad=True) for x in (a, b, c))
    e = Sub(ReLU(Add(Mul(ta, tb), tc)), ta)
    Mul(T(e), e).backward()
    return ta.grad.item(), tb.grad.item(), tc.grad.item()


def test_small_graph_loss_is_the_graph_of_the_notebook():
    for a, b, c in [(1.5, -0.5, 2.0), (-1.2, 0.7, -0.4), (0.8, 1.1, 0.3)]:
        ta, tb, tc = (Tensor(x) for x in (a, b, c))
        e = Sub(ReLU(Add(Mul(ta, tb), tc)), ta)
        assert small_graph_loss(a, b, c) == pytest.approx(Mul(T(e), e).value.item())
    assert by_hand(1.5, -0.5, 2.0) == pytest.approx((0.75, -0.75, -0.5))  # the notebook's example


@pytest.mark.parametrize("thorough", [False, True])
def test_gradients_by_hand_passes_correct_solutions(capsys, thorough):
    assert outcome(capsys, check_gradients_by_hand, by_hand, thorough)[0]
    assert outcome(capsys, check_gradients_by_hand, with_autograd, thorough)[0]
    assert outcome(capsys, check_gradients_by_hand, lambda a, b, c: list(by_hand(a, b, c)), thorough)[0]
    assert outcome(capsys, check_gradients_by_hand, lambda a, b, c: np.array(by_hand(a, b, c)), thorough)[0]


def mistake(da=None, db=None, dc=None):
    """A wrong answer built from the parts of the right one: each part may be replaced."""
    def answer(a, b, c):
        v = a * b + c
        m = 1.0 if v > 0 else 0.0
        e = max(v, 0.0) - a
        parts = {"e": e, "m": m, "a": a, "b": b}
        right = by_hand(a, b, c)
        return tuple(f(parts) if f else r for f, r in zip((da, db, dc), right))
    return answer


@pytest.mark.parametrize("wrong, hint", [
    (lambda a, b, c: tuple(g / 2 for g in by_hand(a, b, c)), "uses e twice"),
    (mistake(da=lambda p: 2 * p["e"] * p["m"] * p["b"]), "(you have only the one through Mul)"),
    (mistake(da=lambda p: -2 * p["e"]), "(you have only the one through Sub)"),
    (mistake(da=lambda p: 2 * p["e"] * p["m"] * p["b"] + 2 * p["e"]), "local gradient for its second input is −1"),
    (lambda a, b, c: (2 * (max(a * b + c, 0) - a) * (b - 1), 2 * (max(a * b + c, 0) - a) * a,
                      2 * (max(a * b + c, 0) - a)), "ReLU passes the upstream only where"),
    (mistake(da=lambda p: 2 * p["e"] * p["m"] * p["a"] - 2 * p["e"], db=lambda p: 2 * p["e"] * p["m"] * p["b"]),
     "local gradient for a is b"),
    (lambda a, b, c: tuple(-g for g in by_hand(a, b, c)), "mind the signs"),
    (mistake(dc=lambda p: p["m"]), "multiply the local gradients along the path"),
    (lambda a, b, c: (0.75, -0.75, -0.5), "expected"),  # hard-coded for the notebook's example
    (lambda a, b, c: None, "return"),
    (lambda a, b, c: {"a": 1.0, "b": 2.0, "c": 3.0}, "expected three numbers"),
    (lambda a, b, c: by_hand(a, b, c)[:2], "returned 2 values"),
    (lambda a, b, c: 1.0, "expected three numbers"),
    (lambda a, b, c: Tensor(1.0), "returned a Tensor"),
    (lambda a, b, c: (Tensor(1.0), 0.0, 0.0), "Tensor"),
    (lambda a, b, c: (float("nan"), 0.0, 0.0), "NaN"),
    (lambda a, b, c: (np.ones(3), 0.0, 0.0), "expected one number"),
    (lambda a, b, c: (a / 0, 0, 0), "raised ZeroDivisionError"),
])
def test_gradients_by_hand_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_gradients_by_hand, wrong)
    assert not passed and hint in out


def test_gradients_by_hand_tests_a_blocking_relu(capsys):
    """Forgetting the ReLU is invisible where it passes: the check must also try v < 0."""
    def no_relu(a, b, c):
        e = a * b + c - a
        return 2 * e * b - 2 * e, 2 * e * a, 2 * e

    for _ in range(5):  # random inputs: it must fail every time
        passed, out = outcome(capsys, check_gradients_by_hand, no_relu)
        assert not passed and "expected" in out


def test_gradients_by_hand_not_attempted(capsys):
    def gradients_by_hand(a, b, c):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_gradients_by_hand, gradients_by_hand)
    assert not passed and "not attempted yet" in out


# --- gradients_by_hand: only the chain rule passes ---------------------------------------------------------------

@pytest.mark.parametrize("step", ["1e-9", "1e-6", "1e-3", "1.0"])
def test_gradients_by_hand_refuses_central_differences(capsys, step):
    source = NUMERICAL_07["gradients_by_hand"].replace("slope(loss, p)", f"slope(loss, p, {step})")
    learner = defined(source, np=np)
    passed, out = outcome(capsys, check_gradients_by_hand, learner["gradients_by_hand"])
    assert not passed, out


def test_gradients_by_hand_passes_the_chain_rule_in_any_order_on_fresh_inputs_every_run(capsys):
    def in_one_line(a, b, c):
        v = a * b + c
        e = max(v, 0.0) - a
        return 2 * e * ((v > 0) * b - 1), 2 * e * (v > 0) * a, 2 * e * (v > 0)

    for solution in (in_one_line, by_hand):
        for _ in range(100):
            passed, out = outcome(capsys, check_gradients_by_hand, solution, thorough=True)
            assert passed, out
