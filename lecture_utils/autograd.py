"""A tiny autograd engine over numpy matrices: the lecture's backprop, written out.

Every value in a network is a `Tensor`. An op (`Add`, `Sub`, `Mul`, `ReLU`, `T`, ...)
computes its output from its inputs (the forward pass) and remembers one small
function that, given the gradient of the loss with respect to its output (the
*upstream*, UP), adds the gradient of the loss with respect to each input to that
input's `.grad` (the backward pass). `loss.backward()` calls those functions from
the loss back to the inputs, each node after every node that uses it.

    X  = Tensor(x, name="X")                          # data: [N×D]
    W1 = Tensor(w, name="W1", requires_grad=True)     # parameter: [D×M]
    b1 = Tensor(b, name="b1", requires_grad=True)     # bias: [1×M]
    H  = ReLU(Add(Mul(X, W1), b1))                    # or: ReLU(X @ W1 + b1)
    ...
    loss.backward()                                   # loss is [1×1]
    W1.grad                                           # [D×M], like W1.value

Naming follows the lecture: `Mul` is the MATRIX product, shapes are written
[rows×columns], and UP is the upstream gradient arriving at an op's output.
What the lessons say about each op (its rule in words, its shapes, its local
gradients) is in the table of ops, `ops.py`: its `OPS` names every op this module defines.

Gradients accumulate: a node used by two ops gets the sum of both gradients
(the chain rule's sum). `.grad` is None until `backward()` reaches a tensor.
Gradients are never modified in place, so two tensors may share one gradient array.

`backward()` uses the graph up: as it passes each op it lets go of that op's inputs
and backward rule, so the intermediate results nobody else holds are freed during the
pass, not when the next step replaces the loss. The tensors you hold keep their .value
and .grad; a second backward() through the same graph raises an error that says so.
"""

import numpy as np


def shape_str(shape):
    """Write a numpy shape in the lecture's notation: (3, 2) -> '[3×2]'."""
    if len(shape) == 0:
        return "[scalar]"
    return "[" + "×".join(str(size) for size in shape) + "]"


def _as_matrix(value, name=None):
    """Check `value` and return it as a float64 numpy array of 1 or 2 dimensions."""
    if type(value) is np.ndarray and value.dtype.type is np.float64 and 1 <= value.ndim <= 2:
        return value  # already one: every op's output arrives here
    label = f"Tensor {name!r}" if name else "Tensor"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (np.ndarray, int, float, np.number)):
        raise TypeError(
            f"{label} needs a numpy array (or a single number), got {type(value).__name__}. "
            "Wrap your data first, e.g. Tensor(np.array([[1.0, 2.0]]))."
        )
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{label} needs numbers, got an array of dtype {array.dtype}.")
    if array.ndim == 0:
        array = array.reshape(1, 1)  # a single number is a [1×1] matrix
    if array.ndim > 2:
        raise ValueError(
            f"{label} holds a matrix [rows×columns] or a vector [M]; got {shape_str(array.shape)}."
        )
    return array.astype(np.float64, copy=False)


class Tensor:
    """A matrix in the computational graph: its value, its gradient, and how it was made.

    value          float64 array [n×m] (or a vector [m], e.g. a bias)
    grad           gradient of the loss w.r.t. value, same shape; None until backward()
    name           label used in messages and graph drawings ("W1", "X", ...)
    requires_grad  True for parameters; gradients flow only to nodes that need them
    op, parents    the op that made this tensor and its inputs ("" and () for data); backward()
                   empties parents once it has passed the op (the graph is used up)
    scale          the number c of a Scale output c·A (drawn as "/4" or "×0.5"); None otherwise
    """

    __slots__ = ("value", "grad", "name", "requires_grad", "op", "parents", "scale", "_backward")
    __array_ufunc__ = None  # numpy_array + tensor calls our __radd__ instead of numpy's

    def __init__(self, value, name=None, requires_grad=False):
        self.value = _as_matrix(value, name)
        if requires_grad:  # a parameter owns its value: training never changes your array
            self.value = self.value.copy()
        self.grad = None
        self.name = name
        self.requires_grad = requires_grad
        self.op = ""
        self.parents = ()
        self.scale = None
        self._backward = None  # set by the op that made this tensor

    @property
    def shape(self):
        return self.value.shape

    @property
    def label(self):
        """How messages name this tensor: its name, or the op that made it."""
        return self.name or (f"the {self.op} output" if self.op else "this tensor")

    def named(self, name):
        """Give this tensor a name (shown in graphs and messages); returns the tensor."""
        self.name = name
        return self

    def __repr__(self):
        label = self.name or (f"{self.op}(...)" if self.op else "Tensor")
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"<{label} {shape_str(self.shape)}{grad}>"

    # Operators map onto the lecture's ops.
    def __add__(self, other):
        return Add(self, other)

    def __radd__(self, other):
        return Add(other, self)

    def __sub__(self, other):
        return Sub(self, other)

    def __rsub__(self, other):
        return Sub(other, self)

    def __matmul__(self, other):
        return Mul(self, other)

    def __rmatmul__(self, other):
        return Mul(other, self)

    def __mul__(self, c):
        if isinstance(c, (Tensor, np.ndarray)):
            raise TypeError(
                "Tensor * Tensor is not one of the lecture's ops: use @ (Mul) for the matrix "
                "product, or multiply by a single number, e.g. 0.5 * A."
            )
        return Scale(self, c)

    __rmul__ = __mul__

    def __truediv__(self, c):
        if isinstance(c, (Tensor, np.ndarray)):
            raise TypeError("A Tensor can only be divided by a single number, e.g. loss / N.")
        return Scale(self, 1.0 / c)

    def __neg__(self):
        return Scale(self, -1.0)

    @property
    def T(self):
        return T(self)

    def accumulate(self, gradient):
        """Add one consumer's gradient to .grad: the chain rule (sum) over all consumers.

        The first gradient is kept as it arrives (no copy: Add and T pass theirs on
        unchanged, so it may be another tensor's too); a second one makes a new array,
        the sum. An array a tensor received is never changed.
        """
        self.grad = gradient if self.grad is None else self.grad + gradient

    def zero_grad(self):
        """Forget the accumulated gradient of this tensor (None acts as zero)."""
        self.grad = None

    def backward(self, UP=None):
        """Backpropagate from this tensor to every tensor it was computed from.

        UP: the gradient of the loss w.r.t. this tensor, same shape. It may be left
        out only when this tensor is the loss itself, a [1×1] (then UP = 1).

        Each node's backward runs after all nodes that use it, so its .grad is
        complete before it is passed on. Afterwards every node in the graph that
        requires a gradient has .grad with its value's shape.

        The graph is used up: once an op has passed its gradients on, its output lets
        go of the op's inputs and backward rule (parents become ()), so the intermediate
        results nobody holds are freed right away. The tensors you hold keep .value and
        .grad. A second backward() through the same graph raises a RuntimeError: build
        it again (run the forward pass). The leaves (tensors you created) ACCUMULATE over
        passes: call zero_grad(...) between training steps.
        """
        if UP is None:
            if self.value.size != 1:
                raise ValueError(
                    f"backward() without an upstream gradient needs a [1×1] loss, but "
                    f"{self.label} is {shape_str(self.shape)}. Reduce it to a "
                    "loss first (e.g. Mean(...)), or pass the upstream: backward(UP)."
                )
            UP = np.ones(self.value.shape)
        else:
            UP = _as_matrix(UP, "UP")
            if UP.shape != self.shape:
                raise ValueError(
                    f"backward(UP): UP must have the shape of {self.label}, "
                    f"{shape_str(self.shape)}, got {shape_str(UP.shape)}."
                )
        if not self.requires_grad:
            raise ValueError(
                f"backward(): {self.label} does not depend on any tensor with "
                "requires_grad=True, so there is no gradient to compute."
            )
        order = topological_order(self)
        for node in order:
            if node.parents:
                node.grad = None  # intermediate: holds the gradient of this pass only
        self.accumulate(UP)
        while order:  # from the loss back to the inputs
            node = order.pop()
            if node._backward is not None:  # None for data and for tensors you created
                node._backward(node.grad)
                node.parents, node._backward = (), None  # its inputs have their share: let go of them


def as_tensor(x):
    """Return x if it is a Tensor, else wrap it as a constant (data) Tensor."""
    return x if isinstance(x, Tensor) else Tensor(x)


def topological_order(root):
    """All tensors `root` was computed from, inputs before the ops that use them.

    Iterative depth-first search (no recursion limit), deterministic: parents are
    visited in the order the op lists them. Each node appears once, even when it is
    used several times (a diamond), so backward visits it once. A RuntimeError for a
    graph that backward() has used up.
    """
    if root.op and not root.parents:
        _raise_used_up(root)
    order, visited = [], {root}
    stack = [(root, iter(root.parents))]  # each node with the parents it has yet to visit
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in visited:
                visited.add(parent)
                if not parent.parents:  # data or a parameter: nothing comes before it
                    if parent.op:  # ... or an op's output that backward() has already let go of
                        _raise_used_up(parent)
                    order.append(parent)
                    continue
                stack.append((parent, iter(parent.parents)))
                break
        else:  # all of its parents are in the order: the node follows them
            stack.pop()
            order.append(node)
    return order


def _raise_used_up(tensor):
    """The error for a tensor an op made whose inputs backward() has let go of."""
    raise RuntimeError(
        f"backward() has already used up the graph that made {tensor.label}: it lets go of every op's "
        "inputs to free their memory. Build the graph again (run the forward pass) to backpropagate "
        "or trace it once more; trace or draw a graph before backward()."
    )


def zero_grad(*tensors):
    """Forget the gradients of the given tensors (or of lists of them)."""
    for t in tensors:
        for tensor in (t if isinstance(t, (list, tuple)) else [t]):
            tensor.zero_grad()


def _result(value, op, parents, backward):
    """The output Tensor of an op: its value, the op and the inputs that made it, its backward rule.

    Gradients flow only towards parameters: the rule is kept when some input requires a gradient.
    """
    out = Tensor(value)
    out.op, out.parents = op, parents
    for parent in parents:
        if parent.requires_grad:
            out.requires_grad, out._backward = True, backward
            break
    return out


def _sum_to_shape(gradient, shape):
    """Undo broadcasting: sum the gradient over the rows a bias was repeated on.

    A [1×M] (or [M]) bias added to N rows is an input to N nodes, so its gradient
    is the sum of the N upstream rows: a row of N ones times UP, 1ᵀUP (numpy's matrix
    product sums rows several times faster than .sum(axis=0)).
    """
    if gradient.shape == shape:
        return gradient
    if len(shape) == 1:  # [M] bias
        return np.ones(len(gradient)) @ gradient
    if shape[0] == 1 and shape[1] == gradient.shape[1]:  # [1×M] bias: sum the rows
        return np.ones((1, len(gradient))) @ gradient
    repeated_axes = tuple(axis for axis in (0, 1) if shape[axis] == 1)  # [N×1] or [1×1]
    return gradient.sum(axis=repeated_axes, keepdims=True)


def _check_elementwise(op, A, B, verb):
    """Shapes must match, or one side must repeat over the other's rows (a bias)."""
    a, b = A.value.shape, B.value.shape
    if a == b or _repeats_into(b, a) or _repeats_into(a, b):
        return
    raise ValueError(
        f"{op}: cannot {verb} {shape_str(a)} and {shape_str(b)} "
        "(shapes must match, or one must be a row [1×M] repeated over the N rows)"
    )


def _repeats_into(small, big):
    """Can `small` ([1×M], [M], [N×1] or [1×1]) be repeated to fill the matrix `big`?"""
    if len(big) != 2:
        return False
    if len(small) == 1:
        return small[0] == big[1]
    return small[0] in (1, big[0]) and small[1] in (1, big[1])


# ----------------------------------------------------------------------------
# The lecture's five ops
# ----------------------------------------------------------------------------

def Add(A, B):
    """Add: [n×m] + [n×m] -> [n×m]; a bias [1×m] or [m] is repeated over the n rows.

    Local gradient: 1. Each input receives the upstream unchanged: dA = UP, dB = UP.
    A repeated bias is an input to n nodes: its gradient is the sum of the upstream rows.
    """
    A, B = as_tensor(A), as_tensor(B)
    _check_elementwise("Add", A, B, "add")

    def backward(UP):
        if A.requires_grad:
            A.accumulate(_sum_to_shape(UP, A.shape))
        if B.requires_grad:
            B.accumulate(_sum_to_shape(UP, B.shape))

    return _result(A.value + B.value, "Add", (A, B), backward)


def Sub(A, B):
    """Sub: [n×m] - [n×m] -> [n×m] (B may be a [1×m] row repeated over the rows).

    Local gradient: +1 for A, -1 for B. dA = UP, dB = -UP (summed over repeated rows).
    """
    A, B = as_tensor(A), as_tensor(B)
    _check_elementwise("Sub", A, B, "subtract")

    def backward(UP):
        if A.requires_grad:
            A.accumulate(_sum_to_shape(UP, A.shape))
        if B.requires_grad:
            B.accumulate(_sum_to_shape(-UP, B.shape))

    return _result(A.value - B.value, "Sub", (A, B), backward)


def Mul(A, B):
    """Mul, the matrix product: [n×p] @ [p×m] -> [n×m].

    Local gradients, with UP of shape [n×m]:  dA = UP Bᵀ  [n×p],  dB = Aᵀ UP  [p×m].
    """
    A, B = as_tensor(A), as_tensor(B)
    if A.value.ndim != 2 or B.value.ndim != 2:
        raise ValueError(
            f"Mul: multiplies matrices; got {shape_str(A.shape)} and {shape_str(B.shape)}. "
            "Make a vector a row [1×m] or a column [m×1] with .reshape(1, -1) or .reshape(-1, 1)."
        )
    if A.shape[1] != B.shape[0]:
        raise ValueError(
            f"Mul: cannot multiply {shape_str(A.shape)} by {shape_str(B.shape)} "
            f"(inner sizes {A.shape[1]} and {B.shape[0]} differ)"
        )

    def backward(UP):
        if A.requires_grad:
            A.accumulate(UP @ B.value.T)
        if B.requires_grad:
            B.accumulate(A.value.T @ UP)

    return _result(A.value @ B.value, "Mul", (A, B), backward)


def ReLU(A):
    """ReLU: [n×m] -> [n×m], max(0, a) element by element.

    Local gradient: the mask R (1 where a > 0, else 0). dA = UP ⊙ R.
    """
    A = as_tensor(A)
    out = np.maximum(A.value, 0.0)

    def backward(UP):
        A.accumulate(UP * (out > 0))  # out > 0 exactly where a > 0: R, read from the output

    return _result(out, "ReLU", (A,), backward)


def T(A):
    """T, the transpose: [n×m] -> [m×n]. Gradient: the transposed upstream, dA = UPᵀ."""
    A = as_tensor(A)
    if A.value.ndim != 2:
        raise ValueError(f"T: transposes a matrix; got the vector {shape_str(A.shape)}.")

    def backward(UP):
        A.accumulate(UP.T)

    return _result(A.value.T, "T", (A,), backward)


# ----------------------------------------------------------------------------
# Extra ops the notebooks use
# ----------------------------------------------------------------------------

def Scale(A, c):
    """Scale by a number: c·A, [n×m] -> [n×m] (A / N is Scale(A, 1/N)). dA = c·UP."""
    A = as_tensor(A)
    if not isinstance(c, (int, float)) and (isinstance(c, Tensor) or np.ndim(c) != 0):
        raise TypeError(f"Scale: multiplies by a single number; got {type(c).__name__}.")
    c = float(c)

    def backward(UP):
        A.accumulate(c * UP)

    out = _result(c * A.value, "Scale", (A,), backward)
    out.scale = c
    return out


def Sum(A):
    """Sum of all entries: [n×m] -> [1×1]. Each entry contributes once: dA = UP·1 [n×m]."""
    A = as_tensor(A)

    def backward(UP):
        A.accumulate(np.full(A.shape, UP.item()))

    return _result(np.array([[A.value.sum()]]), "Sum", (A,), backward)


def Mean(A):
    """Mean of all entries: [n×m] -> [1×1]. dA = UP / (n·m) in every entry."""
    A = as_tensor(A)
    count = A.value.size

    def backward(UP):
        A.accumulate(np.full(A.shape, UP.item() / count))

    return _result(np.array([[A.value.sum() / count]]), "Mean", (A,), backward)


def Square(A):
    """Square, element by element: [n×m] -> [n×m], a². dA = UP ⊙ 2a."""
    A = as_tensor(A)

    def backward(UP):
        A.accumulate(UP * (2.0 * A.value))

    return _result(np.square(A.value), "Square", (A,), backward)


def Sigmoid(A):
    """Sigmoid, element by element: [n×m] -> [n×m], s = 1 / (1 + e^-a).

    Local gradient s(1 - s), at most 1/4: dA = UP ⊙ s(1 - s).
    """
    A = as_tensor(A)
    s = 0.5 * (1.0 + np.tanh(0.5 * A.value))  # = 1 / (1 + e^-a), without overflow

    def backward(UP):
        A.accumulate(UP * (s * (1.0 - s)))

    return _result(s, "Sigmoid", (A,), backward)


def Tanh(A):
    """Tanh, element by element: [n×m] -> [n×m], t = tanh(a). dA = UP ⊙ (1 - t²)."""
    A = as_tensor(A)
    t = np.tanh(A.value)

    def backward(UP):
        A.accumulate(UP * (1.0 - t * t))

    return _result(t, "Tanh", (A,), backward)
