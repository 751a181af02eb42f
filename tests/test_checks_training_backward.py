"""The check of notebook 09's engine: your backward(loss) from notebook 07's sort and notebook 08's op backwards.

Correct engines pass; typical mistakes fail with the right hint; broken answers get a verdict.
The engines are written as a learner would, in a namespace of their own, so that the check's
references for topological_sort and the op backwards are what they call.
"""

import numpy as np
import pytest

from hostile_submissions import FORWARD_MODE_09, LEARNERS_ORDER
from lecture_utils import Add, Mul, ReLU, Tensor
from lecture_utils.autograd import topological_order
from lecture_utils.checks import check_backward
from lecture_utils.checks.graph import reference_topological_sort
from lecture_utils.checks.training import reference_backward as reference_engine
from verdicts import defined, outcome

GRAPH = '''
def graph_of(loss):
    nodes, edges, todo = [], [], [loss]
    while todo:
        node = todo.pop()
        if any(node is seen for seen in nodes):
            continue
        nodes.append(node)
        for parent in node.parents:
            edges.append((parent, node))
            todo.append(parent)
    return nodes, edges
'''

STEP = '''
def new_upstreams(node):
    UP, values = node.grad, [p.value for p in node.parents]
    if node.op == "Add":
        return add_backward(UP, values[0].shape, values[1].shape)
    if node.op == "Sub":
        dA, dB = add_backward(UP, values[0].shape, values[1].shape)
        return dA, {SUB_SIGN} * dB
    if node.op == "Mul":
        return {MUL}
    if node.op == "T":
        return (t_backward(UP),)
    if node.op == "ReLU":
        return (relu_backward(UP, values[0]),)
    raise ValueError(f"backward: no rule for the op {{node.op!r}}")
'''

ENGINE = GRAPH + STEP + '''
def backward(loss):
    nodes, edges = graph_of(loss)
    order = {ORDER}
    {START}
    for node in {WALK}:
        if {SKIP}:
            continue
        for parent, g in zip(node.parents, new_upstreams(node)):
            if parent.requires_grad:
                parent.grad = g if parent.grad is None or not {ACCUMULATE} else parent.grad + g
'''

CORRECT = dict(
    ORDER="topological_sort(nodes, edges)",
    START="loss.grad = np.ones((1, 1))",
    WALK="reversed(order)",
    SKIP="not node.parents or node.grad is None",
    ACCUMULATE="True", SUB_SIGN="-1.0",
    MUL="mul_backward(UP, *values)",
)


def engine(namespace=None, **changes):
    """A learner's backward, its source with some parts changed, defined in a namespace of its own."""
    namespace = {"np": np, "topological_order": topological_order, "breadth_first": breadth_first,
                 **(namespace or {})}
    exec(ENGINE.format(**{**CORRECT, **changes}), namespace)
    return namespace["backward"]


def breadth_first(loss, nodes, edges):
    found, level = [loss], [loss]
    while level:
        level = [p for n in level for p in n.parents if not any(p is f for f in found)]
        level = [p for i, p in enumerate(level) if not any(p is q for q in level[:i])]
        found += level
    return found[::-1]


# --- correct engines pass ----------------------------------------------------------------------

@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    engine(),
    engine(ORDER="topological_order(loss)"),                              # the package's order is fine too
    engine(ORDER="topological_sort(nodes[::-1], edges[::-1])"),
    engine(MUL="(UP @ values[1].T, values[0].T @ UP)"),                  # its own rule, not notebook 08's
], ids=["as in the notebook", "autograd's order", "nodes listed the other way", "own Mul rule"])
def test_backward_passes_correct_engines(capsys, solution, thorough):
    passed, out = outcome(capsys, check_backward, solution, thorough)
    assert passed, out
    assert "✓ backward: correct" in out


def test_backward_is_tested_alone_with_references_for_notebooks_07_and_08(capsys):
    wrong = {"topological_sort": lambda nodes, edges: list(nodes),               # not an order
             "mul_backward": lambda UP, A, B: (UP @ B, A @ UP),                  # no transposes
             "add_backward": lambda UP, A_shape, b_shape: (UP, UP)}              # no sum over the rows
    namespace = dict(wrong)
    passed, out = outcome(capsys, check_backward, engine(namespace))
    assert passed, out
    assert all(namespace[name] is function for name, function in wrong.items())  # put back afterwards


# --- typical mistakes fail with their hint -------------------------------------------------------

@pytest.mark.parametrize("wrong, hint", [
    (engine(ACCUMULATE="False"), "their sum"),
    (engine(ORDER="breadth_first(loss, nodes, edges)"), "topological order"),
    (engine(SUB_SIGN="1.0"), "Sub sends −UP"),
    (engine(WALK="order"), "BACKWARDS"),                                                # the order forwards
    (engine(START="pass"), "loss.grad = np.ones((1, 1))"),                              # no ∂ℒ/∂ℒ = 1
    (engine(START="pass", SKIP="not node.parents"), "start at the loss"),               # ... and no guard
    (engine(START="loss.grad = np.zeros((1, 1))"), "loss.grad = 1"),
    (engine(SKIP="node.grad is None"), "skip them"),                                    # a leaf through an op
    (engine(MUL="mul_backward(UP, *values[::-1])"), "raised ValueError"),               # inputs swapped
    (lambda loss: loss.backward(), "carry no backward functions"),                     # the package's engine
    (lambda loss: None, "start at the loss"),
])
def test_backward_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_backward, wrong)
    assert not passed and "✗ backward: not correct yet" in out and hint in out, out


def test_backward_not_attempted_broken_and_not_a_function(capsys):
    def backward(loss):
        raise NotImplementedError()

    assert "not attempted yet" in outcome(capsys, check_backward, backward)[1]
    assert "should be a function" in outcome(capsys, check_backward, None)[1]
    passed, out = outcome(capsys, check_backward, lambda loss: loss.grad.T)  # AttributeError on None
    assert not passed and "It raised AttributeError" in out


# --- what the learner's function receives ---------------------------------------------------------

def test_backward_gets_graphs_of_plain_data_fresh_every_run_n_1_last():
    seen = []

    def spy(loss):
        nodes = topological_order(loss)
        seen.append(([n._backward for n in nodes], loss.value.copy(),
                     next(n for n in nodes if n.name == "X").value.shape if any(n.name == "X" for n in nodes)
                     else None))
        reference_engine(loss)

    for _ in range(2):
        check_backward(spy)
    assert all(function is None for functions, _, _ in seen for function in functions)  # no backward of its own
    half = len(seen) // 2
    assert seen[half - 1][2][0] == 1                                    # the last graph: the network with N = 1
    assert not np.array_equal(seen[0][1], seen[half][1])                # fresh numbers every run
    assert [shape[0] for *_, shape in seen[:half] if shape] == [6, 40, 5, 12, 1]


def test_the_reference_sort_takes_and_returns_the_learners_own_node_objects():
    a, b = Tensor(1.0, requires_grad=True), Tensor(2.0, requires_grad=True)
    c = Add(Mul(a, b), a)
    nodes = topological_order(c)[::-1]
    edges = [(p, n) for n in nodes for p in n.parents]
    order = reference_topological_sort(nodes, edges)
    assert sorted(map(id, order)) == sorted(map(id, nodes))
    assert all(order.index(p) < order.index(n) for p, n in edges)
    assert reference_topological_sort(["c", "a"], [("a", "b"), ("b", "c")]) == ["a", "b", "c"]  # edges name "b" too
    deep = [ReLU(a)]
    for _ in range(3000):                                                 # no recursion limit
        deep.append(ReLU(deep[-1]))
    chain = [(x, y) for x, y in zip(deep, deep[1:])]
    assert reference_topological_sort(deep[::-1], chain) == deep


# --- only a reverse pass passes ------------------------------------------------------------------------------------

def test_forward_mode_tangents_do_not_pass_they_leave_no_node_gradients(capsys):
    learner = defined(FORWARD_MODE_09["backward"], np=np)
    passed, out = outcome(capsys, check_backward, learner["backward"])
    assert not passed and ".grad is None after backward(loss)" in out and "leaves each node's gradient" in out


def test_a_numerical_backward_does_not_pass(capsys):
    """Central differences of the loss, replayed from the graph's values, for every parameter entry."""
    learner = defined(NUMERICAL_BACKWARD, np=np)
    passed, out = outcome(capsys, check_backward, learner["backward"])
    assert not passed, out


NUMERICAL_BACKWARD = '''
def backward(loss, h=1e-6):
''' + LEARNERS_ORDER + '''    def value_of_loss():
        values = {}
        for node in order:
            v = [values[id(p)] for p in node.parents]
            values[id(node)] = {"Add": lambda: v[0] + v[1], "Sub": lambda: v[0] - v[1], "Mul": lambda: v[0] @ v[1],
                                "T": lambda: v[0].T, "ReLU": lambda: np.maximum(v[0], 0)}.get(node.op,
                                                                                           lambda: node.value)()
        return values[id(loss)].item()
    for node in order:
        if node.requires_grad:
            grad = np.zeros(node.value.shape)
            if not node.parents:
                for i in np.ndindex(node.value.shape):
                    old = node.value[i]
                    node.value[i] = old + h
                    up = value_of_loss()
                    node.value[i] = old - h
                    down = value_of_loss()
                    node.value[i] = old
                    grad[i] = (up - down) / (2 * h)
            node.grad = grad
    loss.grad = np.ones((1, 1))
'''


def test_a_reverse_pass_passes_on_fresh_graphs_every_run(capsys):
    for thorough, runs in ((True, 5), (False, 30)):
        for _ in range(runs):
            passed, out = outcome(capsys, check_backward, engine(), thorough)
            assert passed, out
