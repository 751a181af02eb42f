"""The derivative of every op, three ways: by hand, by the autograd core, by central differences.

An op's backward gets the upstream UP = ∂ℒ/∂out (the shape of its output) and returns
one new upstream per input, ∂ℒ/∂A (the shape of A). Whatever comes after the op, UP
is exactly the gradient of the stand-in loss

    ℒ = Σ UP ⊙ out          (every entry of the output, weighted by its upstream)

so the new upstreams can be checked against central differences of that ℒ.
`compare` does this for one op (or for the whole two-layer network) on random inputs
and returns, for every gradient, the learner's, the core's and the numerical values.

The hand-written backward functions have the notebook's signatures, which the table of
ops (lecture_utils.ops) knows how to call, e.g. add_backward(UP, A_shape, b_shape) -> (dA, db)
and mul_backward(UP, A, B) -> (dA, dB); for the whole network:

    network_backward(X, y, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)

Shapes in the backward pass: a gradient always has the shape of its node. An op's upstream
UP = ∂ℒ/∂out arrives with the shape of the op's output; the new upstream it sends to each
input, ∂ℒ/∂A, has that input's shape. `backward_shapes` names those shapes for the lecture's
ops and `random_question` makes quiz questions about them.
"""

from dataclasses import dataclass

import numpy as np

from ..autograd import Add, Mul, ReLU, Scale, Sub, T, Tensor, shape_str
from ..gradcheck import GradientCheck, numerical_gradient
from ..notation import subscript
from ..ops import by_name

__all__ = [
    "COMPARED", "OP_INPUTS", "NETWORK_PARAMETERS", "math_name",
    "random_op_inputs", "op_loss", "numerical_op_gradients", "autograd_op_gradients",
    "random_network", "network_graph", "network_loss", "numerical_network_gradients",
    "autograd_network_gradients", "hand_gradients", "ThreeWay", "compare", "mul_jacobians",
    "SHAPE_OPS", "output_shape", "backward_shapes", "ShapeQuestion", "random_question",
]

COMPARED = ("Add", "Mul", "T", "ReLU", "network")  # what the three-way comparison compares
OP_INPUTS = {op: by_name(op).inputs for op in COMPARED[:-1]}
NETWORK_PARAMETERS = ("W1", "b1", "W2", "b2")

OP_STEP = 1e-5      # the step of the central differences: far smaller than ops.RELU_MARGIN
NETWORK_MARGIN = 1e-4
NETWORK_STEP = 1e-6


def math_name(name):
    """A node's name as the lecture writes it: 'W1' -> 'W₁'."""
    return subscript(name)


# --- one op --------------------------------------------------------------------------

def _op(op):
    """The table's entry for one of the ops compared here (a clear ValueError for any other)."""
    if op not in OP_INPUTS:
        raise ValueError(f"unknown op {op!r}; one of {', '.join(OP_INPUTS)}")
    return by_name(op)


def random_op_inputs(op, N, rng, M=3, P=2):
    """Random inputs of `op` with N rows, and a random upstream UP of its output's shape.

    The table of ops' example (lecture_utils.ops): Add: A [N×M] + a bias b [1×M];
    Mul: A [N×M] @ B [M×P]; T: A [N×M]; ReLU: A [N×M] with every entry at least
    ops.RELU_MARGIN away from the kink at 0. Returns ({input name: array}, UP).
    """
    entry = _op(op)
    inputs = entry.random_inputs(N, rng, M, P)
    return inputs, rng.normal(size=entry.shape(*(x.shape for x in inputs.values())))


def op_loss(op, inputs, UP):
    """The stand-in loss ℒ = Σ UP ⊙ op(inputs), one number; its gradient w.r.t. the output is UP."""
    out = _op(op).forward(*inputs.values()).value
    return float(np.sum(UP * out))


def numerical_op_gradients(op, inputs, UP, h=OP_STEP):
    """Central differences of ℒ = Σ UP ⊙ op(inputs): {input name: ∂ℒ/∂input, the input's shape}."""
    arrays = {name: np.array(value, dtype=np.float64) for name, value in inputs.items()}  # copies
    loss = lambda _: op_loss(op, arrays, UP)  # noqa: E731  reads the nudged entry through `arrays`
    return {name: numerical_gradient(loss, arrays[name], h) for name in arrays}


def autograd_op_gradients(op, inputs, UP):
    """The core's gradients: run the op on Tensors and call backward(UP). {input name: gradient}."""
    tensors = {name: Tensor(value, name=name, requires_grad=True) for name, value in inputs.items()}
    _op(op).forward(*tensors.values()).backward(UP)
    return {name: tensor.grad for name, tensor in tensors.items()}


def _call_op_backward(op, function, inputs, UP):
    """Call a hand-written backward with the notebook's signature for `op`, on copies of the arrays."""
    arguments = _op(op).arguments(UP, *inputs.values())
    return function(*(a.copy() if isinstance(a, np.ndarray) else a for a in arguments))


# --- the whole two-layer network ----------------------------------------------------

def random_network(N, rng, D=2, M=3, margin=NETWORK_MARGIN):
    """Data and parameters of ŷ = ReLU(XW₁ + b₁)W₂ + b₂ with N rows.

    X [N×D], y [N×1], W1 [D×M], b1 [1×M], W2 [M×1], b2 [1×1], drawn again until every
    entry of XW₁ + b₁ is at least `margin` from the ReLU's kink at 0 (central
    differences across a kink would be wrong). Returns {name: array}.
    """
    for _ in range(1000):
        values = {"X": rng.normal(size=(N, D)), "y": rng.normal(size=(N, 1)),
                  "W1": rng.normal(size=(D, M)), "b1": rng.normal(0, 0.5, size=(1, M)),
                  "W2": rng.normal(size=(M, 1)), "b2": rng.normal(0, 0.5, size=(1, 1))}
        if np.min(np.abs(values["X"] @ values["W1"] + values["b1"])) >= margin:
            return values
    raise RuntimeError("random_network: could not keep XW₁ + b₁ away from 0; use a smaller margin.")


def network_graph(X, y, W1, b1, W2, b2):
    """The lecture's network and loss as autograd Tensors.

    ŷ = ReLU(XW₁ + b₁)W₂ + b₂,  err = y - ŷ,  ℒ = errᵀerr / N  [1×1].
    Returns (loss, {"W1": Tensor, "b1": ..., "W2": ..., "b2": ...}).
    """
    parameters = {name: Tensor(value, name=name, requires_grad=True)
                  for name, value in zip(NETWORK_PARAMETERS, (W1, b1, W2, b2))}
    H = ReLU(Add(Mul(Tensor(X, name="X"), parameters["W1"]), parameters["b1"]))
    y_hat = Add(Mul(H, parameters["W2"]), parameters["b2"])
    err = Sub(Tensor(y, name="y"), y_hat)
    loss = Scale(Mul(T(err), err), 1.0 / len(X))
    return loss, parameters


def network_loss(X, y, W1, b1, W2, b2):
    """ℒ = errᵀerr / N of the two-layer network, one number."""
    return network_graph(X, y, W1, b1, W2, b2)[0].value.item()


def numerical_network_gradients(values, h=NETWORK_STEP):
    """Central differences of ℒ w.r.t. W1, b1, W2, b2. values: {name: array} as random_network's."""
    arrays = {name: np.array(value, dtype=np.float64) for name, value in values.items()}
    loss = lambda _: network_loss(**arrays)  # noqa: E731
    return {name: numerical_gradient(loss, arrays[name], h) for name in NETWORK_PARAMETERS}


def autograd_network_gradients(values):
    """The core's gradients of ℒ w.r.t. W1, b1, W2, b2, from one backward()."""
    loss, parameters = network_graph(**values)
    loss.backward()
    return {name: tensor.grad for name, tensor in parameters.items()}


# --- the learner's gradients, whatever the function does ----------------------------------

def hand_gradients(op, function, values, UP=None):
    """Call a hand-written backward; return [(gradient or None, problem or None)] per input.

    op: one of COMPARED; values: the op's inputs (or the network's {name: array});
    UP: the upstream (not used for "network", whose upstream is ℒ itself).
    A function that is missing, raises, or returns something other than gradients of
    the right shapes gives a short problem text instead of a gradient. A stand-in for an
    unsolved exercise (lecture_utils.checks.self_check) is judged as the learner's function it
    replaced: the comparison shows the learner's own answer.
    """
    function = getattr(function, "replaced", function)
    if op == "network":
        names = NETWORK_PARAMETERS
        shapes = [values[name].shape for name in names]
        call = lambda: function(*(values[name].copy() for name in ("X", "y", *names)))  # noqa: E731
    else:
        names = OP_INPUTS[op]
        shapes = [values[name].shape for name in names]
        call = lambda: _call_op_backward(op, function, values, UP)  # noqa: E731
    if function is None:
        return [(None, "no function given")] * len(names)
    try:
        result = call()
    except NotImplementedError:
        return [(None, "not implemented yet")] * len(names)
    except Exception as error:  # the learner's bug: shown, not raised
        return [(None, f"raised {type(error).__name__}: {error}")] * len(names)
    if len(names) == 1:
        result = (result,)
    elif not isinstance(result, (tuple, list)) or len(result) != len(names):
        wanted = ", ".join("d" + name for name in names)
        return [(None, f"returned {_describe(result)}; expected {len(names)} gradients ({wanted})")] * len(names)
    return [_as_gradient(value, shape) for value, shape in zip(result, shapes)]


def _as_gradient(value, shape):
    if value is None:
        return None, "returned None"
    if isinstance(value, Tensor):
        return None, "returned a Tensor; expected a numpy array"
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None, f"returned {_describe(value)}; expected a numpy array"
    if array.shape != shape:
        return None, f"returned shape {shape_str(array.shape)}, expected {shape_str(shape)}"
    if not np.all(np.isfinite(array)):
        return None, "returned NaN or inf"
    return array, None


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"one array {shape_str(value.shape)}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)}"
    return "None" if value is None else f"a {type(value).__name__}"


# --- the comparison --------------------------------------------------------------------

@dataclass
class ThreeWay:
    """One gradient, three ways: numerical (the reference), the autograd core's, the learner's.

    name: the node ("A", "b", "W1", ...); hand is None when the learner's function gave
    no usable gradient, and `problem` then says why.
    """

    name: str
    numeric: np.ndarray
    autograd: np.ndarray
    hand: np.ndarray = None
    problem: str = None

    @property
    def label(self):
        return f"∂ℒ/∂{math_name(self.name)}"

    @property
    def shape(self):
        return self.numeric.shape

    @property
    def autograd_check(self):
        """The core against central differences (gradcheck's relative error and verdict)."""
        return GradientCheck(self.name, self.autograd, self.numeric)

    @property
    def hand_check(self):
        """The learner's gradient against central differences, or None."""
        return None if self.hand is None else GradientCheck(self.name, self.hand, self.numeric)


def compare(op, function, N=3, seed=0):
    """Every gradient of `op` (or of "network") three ways, on random inputs with N rows.

    function: the learner's backward for this op (see the module's docstring), or None.
    seed: the random inputs; the same seed gives the same inputs.
    Returns a list of ThreeWay, one per input (per parameter for the network).
    """
    rng = np.random.default_rng(seed)
    if op == "network":
        values = random_network(N, rng)
        numeric, core = numerical_network_gradients(values), autograd_network_gradients(values)
        hand = hand_gradients(op, function, values)
    else:
        values, UP = random_op_inputs(op, N, rng)
        numeric, core = numerical_op_gradients(op, values, UP), autograd_op_gradients(op, values, UP)
        hand = hand_gradients(op, function, values, UP)
    return [ThreeWay(name, numeric[name], core[name], gradient, problem)
            for name, (gradient, problem) in zip(numeric, hand)]


def mul_jacobians(A, B):
    """The full Jacobians of C = AB, for A [n×p] and B [p×m].

    J_A [nm × np]: entry ((i, j), (k, l)) is ∂C[i, j]/∂A[k, l] = B[l, j] if i = k, else 0;
    J_B [nm × pm]: entry ((i, j), (k, l)) is ∂C[i, j]/∂B[k, l] = A[i, k] if j = l, else 0.
    Rows and columns count the entries row by row (numpy's reshape(-1)). Mostly zeros:
    UP·J_A, reshaped, is just UP Bᵀ, and UP·J_B is Aᵀ UP.
    """
    n, m = A.shape[0], B.shape[1]
    return np.kron(np.eye(n), B.T), np.kron(A, np.eye(m))


# --- shapes in the backward pass: a gradient always has the shape of its node ---------------------

SHAPE_OPS = ("Add", "Sub", "Mul", "T", "ReLU")  # the quiz asks about the lecture's five ops


def output_shape(op, shapes):
    """The shape of op's output; shapes: the inputs' shapes in order, e.g. [(4, 3), (1, 3)].

    The op's shape rule from the table of ops (lecture_utils.ops), e.g. Mul: [n×p] @ [p×m] -> [n×m].
    """
    return tuple(by_name(op).shape(*(tuple(s) for s in shapes)))


def backward_shapes(op, inputs):
    """The shapes on the backward edges of one op: {"UP": output's, name: that input's}.

    inputs: {name: shape} in the op's order, e.g. {"A": (4, 3), "B": (3, 2)}.
    """
    shapes = {"UP": output_shape(op, inputs.values())}
    shapes.update({name: tuple(shape) for name, shape in inputs.items()})
    return shapes


@dataclass(frozen=True)
class ShapeQuestion:
    """What is the shape of one backward edge of an op?

    op: "Add", "Sub", "Mul", "T" or "ReLU"; inputs: ((name, shape), ...);
    asked: "UP" (the upstream arriving at the output) or an input's name (its new upstream);
    choices: the shapes offered, the answer among them.
    """

    op: str
    inputs: tuple
    asked: str
    choices: tuple

    @property
    def shapes(self):
        return dict(self.inputs)

    @property
    def output(self):
        return output_shape(self.op, self.shapes.values())

    @property
    def answer(self):
        return self.output if self.asked == "UP" else self.shapes[self.asked]

    @property
    def edge(self):
        """The asked edge as the lecture writes it: 'UP' or '∂ℒ/∂A'."""
        return "UP" if self.asked == "UP" else f"∂ℒ/∂{self.asked}"

    @property
    def prompt(self):
        return f"What is the shape of {self.edge}?"

    def is_right(self, answer):
        return answer is not None and tuple(answer) == self.answer

    def explanation(self):
        """Why the answer is what it is, in one sentence."""
        if self.asked == "UP":
            return (f"UP = ∂ℒ/∂out is the gradient of the output, so it has the output's shape "
                    f"{shape_str(self.answer)}.")
        text = (f"∂ℒ/∂{self.asked} is the gradient of the node {self.asked}, so it has "
                f"{self.asked}'s shape {shape_str(self.answer)}")
        if by_name(self.op).repeats_rows and self.answer[0] == 1 and self.output[0] > 1:
            return text + f": the {self.output[0]} upstream rows are summed into one."
        return text + "."


def random_question(rng):
    """A random ShapeQuestion about one op, with distinct sizes so every shape tells its story."""
    op = SHAPE_OPS[rng.integers(len(SHAPE_OPS))]
    n, p, m = (int(size) for size in rng.choice(range(2, 8), size=3, replace=False))
    if by_name(op).repeats_rows:  # Add, Sub: a bias more often than a full matrix
        bias = rng.random() < 0.6
        inputs = (("A", (n, m)), ("b", (1, m)) if bias else ("B", (n, m)))
    elif op == "Mul":
        inputs = (("A", (n, p)), ("B", (p, m)))
    else:
        inputs = (("A", (n, m)),)
    names = ["UP"] + [name for name, _ in inputs]
    asked = names[rng.integers(len(names))]
    return ShapeQuestion(op, inputs, asked, _choices(op, inputs, asked))


def _choices(op, inputs, asked, count=5):
    """The answer and the most plausible wrong shapes: its transpose, the output's, the inputs'."""
    shapes = dict(inputs)
    out = output_shape(op, shapes.values())
    answer = out if asked == "UP" else shapes[asked]
    candidates = [answer[::-1], out, out[::-1]]
    for shape in shapes.values():
        candidates += [shape, shape[::-1]]
    candidates += [(answer[0], answer[0]), (1, answer[1]), (answer[0], 1)]
    wrong = []
    for shape in candidates:
        if shape != answer and shape not in wrong:
            wrong.append(shape)
    return tuple(sorted(wrong[:count - 1] + [answer]))
