"""Check for notebook 09: your own backward(loss), assembled from notebook 07's topological sort
and notebook 08's op backwards.

The check builds graphs from the lecture's ops Add, Sub, Mul, ReLU and T — the lecture's network
ŷ = ReLU(XW₁ + b₁)W₂ + b₂ with ℒ = errᵀerr · (1/N), notebook 07's small graph (a node used by two
ops) and a chain of diamonds — and hands the learner's backward the loss of a copy that is pure
data: every Tensor with its value, name, requires_grad, op and parents, and no backward function
of its own (as a Tensor arrives in a grading kernel). Then it reads the .grad of the parameters it
made and compares them with Tensor.backward() on the original graph.

While it runs, the learner's topological_sort and op backwards are replaced by references, so
that a mistake there costs the mark of notebook 07 or 08, not this one:

* topological_sort(nodes, edges) receives whatever the learner's backward passes: a list of
  hashable items (usually the Tensors themselves) and a list of pairs (a, b) of those items, "a is
  an input of b". It uses only their hash and equality, and returns the same items as a list.
* add_backward, mul_backward, t_backward and relu_backward take and return numpy arrays (and
  shapes as tuples), as in notebook 08.
"""

import numpy as np

from ..autograd import Add, Mul, ReLU, Sub, T, Tensor, shape_str, topological_order
from .backprop import KINK
from .backprop import REFERENCES as _OP_BACKWARDS
from .exercise import BACKWARD_RULES, NUMERICAL_DERIVATIVES, Exercise, grading
from .graph import reference_topological_sort
from .verdicts import Failed, describe_inputs_dict

__all__ = ["check_backward"]

# What notebook 09's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.load_apartments", "lecture_utils.data.train_test_split",
    "lecture_utils.nn.mse",
    *(f"lecture_utils.autograd.{name}" for name in ("Tensor", "Add", "Sub", "Mul", "ReLU", "T", "zero_grad",
                                                    "shape_str")),
)


# --- the references swapped in for notebooks 07 and 08 ---------------------------------------------

_REFERENCES = {"topological_sort": reference_topological_sort, **_OP_BACKWARDS}


def _new_upstreams(node, sub_sign=-1.0):
    """What the op that made `node` sends back to each of its inputs (the references of notebook 08)."""
    UP, values = node.grad, [parent.value for parent in node.parents]
    if node.op == "Add":
        return _OP_BACKWARDS["add_backward"](UP, values[0].shape, values[1].shape)
    if node.op == "Sub":
        dA, dB = _OP_BACKWARDS["add_backward"](UP, values[0].shape, values[1].shape)
        return dA, sub_sign * dB
    if node.op == "Mul":
        return _OP_BACKWARDS["mul_backward"](UP, *values)
    if node.op == "T":
        return (_OP_BACKWARDS["t_backward"](UP),)
    if node.op == "ReLU":
        return (_OP_BACKWARDS["relu_backward"](UP, values[0]),)
    raise ValueError(f"backward: the lecture's engine knows Add, Sub, Mul, T and ReLU, not {node.op!r}")


def reference_backward(loss, order=None, accumulate=True, sub_sign=-1.0):
    """The reference engine on a graph of data Tensors: fills the .grad of every tensor that requires one.

    order: the nodes inputs first (a topological order by default); accumulate=False and
    sub_sign=+1 replay two typical mistakes.
    """
    order = order if order is not None else topological_order(loss)
    loss.grad = np.ones_like(loss.value)
    for node in reversed(order):
        if not node.parents or node.grad is None:
            continue
        for parent, new_upstream in zip(node.parents, _new_upstreams(node, sub_sign)):
            if parent.requires_grad:
                parent.grad = new_upstream if parent.grad is None or not accumulate else parent.grad + new_upstream


def _breadth_first(loss):
    """The nodes as a walk from the loss finds them level by level, reversed: NOT a topological order
    when a node is reached along paths of different lengths (err: directly and through T)."""
    found, level = [loss], [loss]
    while level:
        level = [p for node in level for p in node.parents if not any(p is f for f in found)]
        unique = []
        for p in level:
            if not any(p is u for u in unique):
                unique.append(p)
        found += unique
        level = unique
    return found[::-1]


# --- the graphs -----------------------------------------------------------------------------------

def _lecture_network(X, y, W1, b1, W2, b2):
    """ℒ = errᵀerr · (1/N) for ŷ = ReLU(XW₁ + b₁)W₂ + b₂, err = y − ŷ, from the lecture's five ops.

    Arrays in; returns (loss [1×1], [W1, b1, W2, b2] as Tensors that require a gradient).
    """
    params = [Tensor(value, name=name, requires_grad=True)
              for name, value in zip(("W1", "b1", "W2", "b2"), (W1, b1, W2, b2))]
    W1, b1, W2, b2 = params
    H = ReLU(Add(Mul(Tensor(X, name="X"), W1), b1))
    err = Sub(Tensor(y, name="y"), Add(Mul(H, W2), b2))
    loss = Mul(Mul(T(err), err), Tensor(np.array([[1.0 / len(y)]]), name="1/N"))
    return loss, params


def _small_graph(a, b, c):
    """Notebook 07's graph on [1×1] matrices: u = ab, v = u + c, h = ReLU(v), e = h − a, ℒ = eᵀe."""
    params = [Tensor(np.array([[value]]), name=name, requires_grad=True) for name, value in zip("abc", (a, b, c))]
    a, b, c = params
    e = Sub(ReLU(Add(Mul(a, b), c)), a)
    return Mul(T(e), e), params


def _diamond_chain(x0, length):
    """xᵢ = xᵢ₋₁ + ReLU(xᵢ₋₁), each xᵢ₋₁ used twice; ℒ = x_nᵀx_n. The gradient of x₀ needs every path."""
    x = Tensor(np.array([[x0]]), name="x0", requires_grad=True)
    h = x
    for _ in range(length):
        h = Add(h, ReLU(h))
    return Mul(T(h), h), [x]


def _as_data(loss):
    """A copy of the graph as pure data — value, name, requires_grad, op, parents; no backward
    functions: [(node, its copy)] for every node, inputs first (the loss's copy last)."""
    copies, pairs = {}, []
    for node in topological_order(loss):
        copy = Tensor(node.value.copy(), name=node.name, requires_grad=node.requires_grad)
        copy.op = node.op
        copy.parents = tuple(copies[id(parent)] for parent in node.parents)
        copies[id(node)] = copy
        pairs.append((node, copy))
    return pairs


def _replayed(build, *args, **mistake):
    """Every node's gradient (in _as_data's order) when the reference engine replays a typical mistake."""
    nodes = [copy for _, copy in _as_data(build(*args)[0])]
    if mistake.pop("breadth_first", False):
        mistake["order"] = _breadth_first(nodes[-1])
    reference_backward(nodes[-1], **mistake)
    return [node.grad for node in nodes]


def _sizes(nodes):
    """{id(node): the size of the numbers the chain rule combines for its gradient} for a graph's nodes
    (inputs first, the loss last): the reference engine run on absolute values, ReLU's mask from the sign of
    its input."""
    size = {id(nodes[-1]): np.ones_like(nodes[-1].value)}
    for node in reversed(nodes):
        if not node.parents or id(node) not in size:
            continue
        UP, values = size[id(node)], [np.abs(parent.value) for parent in node.parents]
        if node.op in ("Add", "Sub"):
            parts = _OP_BACKWARDS["add_backward"](UP, values[0].shape, values[1].shape)
        elif node.op == "Mul":
            parts = _OP_BACKWARDS["mul_backward"](UP, *values)
        elif node.op == "T":
            parts = (UP.T,)
        else:
            parts = (UP * (node.parents[0].value > 0),)
        for parent, part in zip(node.parents, parts):
            if parent.requires_grad:
                size[id(parent)] = size.get(id(parent), 0.0) + part
    return size


# --- the check ----------------------------------------------------------------------------------------

_HINT = ("topological_sort the graph's nodes, set loss.grad = 1, then walk the order backwards: for every "
         "node made by an op, send each input its new upstream, and ADD it to that input's .grad.")

_MISTAKES = {
    "a node used by two ops receives two upstreams, and its node gradient is their sum: add each new "
    "upstream to .grad (grad + new_upstream) instead of replacing it.": {"accumulate": False},
    "a node may pass its gradient on only when it is complete, after every op that uses it: walk a "
    "topological order (your topological_sort) from the loss back, not the order a search from the loss "
    "finds the nodes in.": {"breadth_first": True},
    "Sub sends −UP to its second input: err = y − ŷ, so ∂ℒ/∂ŷ = −∂ℒ/∂err.": {"sub_sign": 1.0},
}


@grading(off_limits=[*BACKWARD_RULES, *NUMERICAL_DERIVATIVES, "lecture_utils.autograd.topological_order",
                     "lecture_utils.graph.backward_steps", "lecture_utils.graph.naive_backward",
                     "lecture_utils.graph.topological_backward"])
def check_backward(backward, thorough=False):
    """backward(loss) -> None; afterwards every tensor of the graph that requires a gradient has it in .grad.

    Accepts a backward pass: every node's gradient — the parameters' and every intermediate node's,
    which a reverse pass leaves on its way — must equal Tensor.backward()'s on the same graph to
    round-off. The graphs are made of Add, Sub, Mul, ReLU and T and carry no backward functions of
    their own; some of ReLU's inputs lie a hair from its kink, in one ℒ itself overflows, and in
    thorough mode one network is large: numerical derivatives, and forward-mode derivatives (which
    leave no node gradients, or need a forward pass per entry of every node), do not pass.
    """
    __tracebackhide__ = True
    with Exercise("backward", backward, thorough, stand_in=reference_backward) as ex:
        rng = ex.rng
        networks = [(6, 3, 4, "usual"), (40, 2, 8, "usual"), (5, 4, 1, "usual"), (12, 3, 5, "vast")]
        networks += [(200, 5, 16, "usual"), (17, 1, 3, "usual"), (2, 2, 2, "usual"), (1000, 20, 64, "usual")] \
            if thorough else []
        cases = [("the lecture's network", _lecture_network, _network_inputs(rng, *size)) for size in networks]
        cases += [("notebook 07's small graph", _small_graph, _small_graph_inputs(rng, passes))
                  for passes in ([True, False] + ([True, False] if thorough else []))]
        cases += [("a chain of 6 diamonds", _diamond_chain, (float(rng.uniform(0.2, 1.0)), 6))]
        cases += [("the lecture's network", _lecture_network, _network_inputs(rng, 1, 3, 2))]  # N = 1 last
        for what, build, args in cases:
            with np.errstate(over="ignore"):  # a vast ℒ is ∞: its gradients are not
                loss, params = build(*args)
                pairs = _as_data(loss)
                data_loss = pairs[-1][1]
                loss.backward()  # the package's engine, on the original graph: the expected gradients
            inputs = _describe(what, build, args)
            _call(ex, data_loss, inputs)
            sizes = _sizes([copy for _, copy in pairs])
            terms = len(pairs) + max(max(node.value.shape) for node, _ in pairs)
            replays = zip(*_mistaken(build, args))  # per node: what each typical mistake leaves in its .grad
            wrong = {id(copy): dict(zip(_MISTAKES, grads)) for (_, copy), grads in zip(pairs, replays)}
            parameters = {id(p) for p in params}
            for node, copy in sorted(pairs, key=lambda pair: id(pair[0]) not in parameters):  # parameters first
                if copy.requires_grad:
                    _expect_gradient(ex, copy, node, data_loss, inputs, wrong[id(copy)], sizes[id(copy)], terms,
                                     id(node) in parameters)
        sizes = ", ".join(str(args[0].shape[0]) for _, build, args in cases if build is _lecture_network)
        ex.passed(f"every node's gradient equals Tensor.backward()'s to round-off for the lecture's network (N = "
                  f"{sizes}), notebook 07's small graph and a chain of diamonds")


def _network_inputs(rng, N, D, M, kind="usual"):
    """X [N×D], y [N×1] and parameters W1 [D×M], b1 [1×M], W2 [M×1], b2 [1×1], about half the ReLUs firing
    and in every hidden unit one input KINK (relative) from the kink; "vast": y near 10¹⁶⁰, so that ℒ
    overflows but not its gradients."""
    X, y, W1, W2, b2 = (rng.normal(size=(N, D)), rng.normal(size=(N, 1)), rng.normal(size=(D, M)),
                        rng.normal(size=(M, 1)), rng.normal(size=(1, 1)))
    XW = X @ W1
    near = rng.choice([-1.0, 1.0], size=M) * KINK * (np.abs(XW).mean(axis=0) + 1.0)
    b1 = (near - XW[rng.integers(0, N, size=M), np.arange(M)]).reshape(1, M)
    return X, y * (1e160 if kind == "vast" else 1.0), W1, b1, W2, b2


def _small_graph_inputs(rng, relu_passes):
    """a, b, c with v = ab + c clearly positive (or negative), e = ReLU(v) − a clearly apart from 0."""
    while True:
        a, b, c = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 2.0)), float(rng.normal()), float(rng.normal())
        v = a * b + c
        if (v > 0.3 if relu_passes else v < -0.3) and abs(max(v, 0.0) - a) > 0.3 and abs(b) > 0.3:
            return a, b, c


def _describe(what, build, args):
    if build is _lecture_network:
        X, y, W1, *_ = args
        return {"graph": what, "X": X, "y": y, "W1": W1}
    if build is _small_graph:
        return {"graph": what, **dict(zip("abc", (round(v, 3) for v in args)))}
    return {"graph": what, "x0": round(args[0], 3)}


def _mistaken(build, args):
    """For every typical mistake, every node's gradient it would give (None where it cannot run)."""
    results = []
    for mistake in _MISTAKES.values():
        try:
            with np.errstate(all="ignore"):
                results.append(_replayed(build, *args, **dict(mistake)))
        except (TypeError, ValueError):
            results.append([None] * len(_as_data(build(*args)[0])))
    return results


def _call(ex, loss, inputs):
    """ex.call with the references of notebooks 07 and 08, and sharper hints for typical failures."""
    __tracebackhide__ = True
    try:
        ex.call(loss, references=_REFERENCES)
    except Failed as failure:
        if not failure.message.startswith("It raised"):
            raise  # it did not answer, or not readably: its verdict says so
        if loss.grad is None:
            failure.hint = _START
        elif "NoneType" in failure.message or "has 0," in failure.message:  # an op got None as its UP
            failure.hint = ("a .grad was None when an op needed it as its upstream: walk the order BACKWARDS, "
                            "from the loss to the inputs (reversed(order)), so that every node's gradient is "
                            "complete before it is passed on.")
        elif "''" in failure.message:
            failure.hint = ("data and parameters were made by no op (node.op == '', node.parents == ()): "
                            "skip them, there is nothing to pass on.")
        raise


_START = "start at the loss: loss.grad = np.ones((1, 1)), ∂ℒ/∂ℒ = 1 — every other gradient is built from it."


def _expect_gradient(ex, got, expected, loss, inputs, mistakes, size, terms, parameter):
    """The learner's .grad of one node (`got`, in the graph of `loss`) against Tensor.backward()'s (`expected`'s),
    to round-off of the numbers the chain rule combines for it (`size`); `parameter`: a leaf it was asked for."""
    __tracebackhide__ = True
    name = "loss" if got is loss else got.name or f"the {got.op} output {shape_str(got.value.shape)}"
    where = describe_inputs_dict(inputs)
    if got.grad is None:
        if loss.grad is None and (parameter or got is loss):
            hint = _START
        elif parameter:
            hint = ("walk the order BACKWARDS, from the loss to the inputs (reversed(order)), and send every "
                    "input that requires a gradient its new upstream (parent.grad = ...). loss.backward() does "
                    "nothing here: these Tensors carry no backward functions of their own, your backward "
                    "walks the graph itself.")
        else:
            hint = ("a backward pass leaves each node's gradient on the node as it passes (parent.grad = ... for "
                    "every input that requires a gradient, not only for the parameters): it is the upstream the "
                    "node passes on.")
        raise Failed(f"For {where}: {name}.grad is None after backward(loss): no gradient reached {name}.", hint)
    if np.shape(got.grad) != expected.shape:
        raise Failed(f"For {where}: {name}.grad has shape {shape_str(np.shape(got.grad))}, but {name} is "
                     f"{shape_str(expected.shape)}.",
                     "a gradient has the shape of its node; check the order of the arguments you pass to "
                     "each op's backward (mul_backward(UP, A, B) with A, B the op's inputs in order).")
    clean = {hint: wrong for hint, wrong in mistakes.items() if wrong is not None}
    if not np.all(np.isfinite(np.asarray(got.grad, dtype=float))) and np.all(np.isfinite(expected.grad)):
        raise Failed(f"For {where}: {name}.grad holds inf or NaN; ℒ itself is too vast for a float here, but "
                     "not its gradients.", "compute the gradients backwards from ∂ℒ/∂ℒ = 1, never from values of ℒ.")
    ex.expect_exact(got.grad, expected.grad, size, inputs, what=f"left {name}.grad as", terms=terms, mistakes=clean,
                    hint=_HINT, numerical_hint=_NUMERICAL)


_NUMERICAL = ("walk the graph backwards with the ops' rules: a numerical derivative comes close, but never to the "
              "last digits, nor across ReLU's kink.")
