"""Checks for notebook 08: the backward of every op, written by hand in numpy.

Each check calls the learner's backward on random inputs of several shapes (N = 1
last) and compares every gradient it returns with the op's exact rule (dA = UP Bᵀ, ...)
to round-off: within a few units of round-off of the numbers the rule multiplies and adds
(Exercise.expect_exact). The rule computed in any honest way agrees that well; a numerical
derivative does not — and the inputs put some of ReLU's inputs 10⁻⁸ from its kink, make ℒ
of the whole network overflow, and (in thorough mode) are large enough that an answer
computed entry by entry, one forward pass per entry, runs out of time. Typical mistakes get
a hint in the lecture's words.
"""

import math

import numpy as np

from ..autograd import shape_str
from ..lessons.backprop import random_network
from ..ops import OPS
from .exercise import BACKWARD_RULES, NUMERICAL_DERIVATIVES, Exercise, grading
from .verdicts import Failed, describe_inputs_dict

__all__ = [
    "check_add_backward", "check_mul_backward", "check_t_backward", "check_relu_backward",
    "check_network_backward",
]

# What notebook 08's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed",
    *(f"lecture_utils.autograd.{name}" for name in ("Tensor", "Add", "Sub", "Mul", "ReLU", "T")),
)

# What computes an op's gradients in the package (besides the core's backward rules).
_BY_HAND = ("lecture_utils.lessons.backprop.autograd_op_gradients",
            "lecture_utils.lessons.backprop.numerical_op_gradients",
            "lecture_utils.lessons.backprop.autograd_network_gradients",
            "lecture_utils.lessons.backprop.numerical_network_gradients", "lecture_utils.graph.backward_steps",
            "lecture_utils.graph.naive_backward", "lecture_utils.graph.topological_backward")

KINK = 1e-8   # how close to ReLU's kink some of its inputs are: no step of a numerical derivative fits
LARGE = 400  # the large thorough cases' size: a forward pass per entry takes far longer than a call may (10 s)
LARGE_NETWORK = (1000, 60, 120)  # N, D, M: one forward pass per parameter takes far longer than a call may


def _scales(ex, shape):
    """A factor between 10⁻³ and 10³ for each entry: values of very different sizes side by side."""
    return 10.0 ** ex.rng.uniform(-3, 3, size=shape)
_NUMERICAL = ("use the op's rule (the chain rule trick): a numerical derivative comes close, but never to the last "
              "digits, nor across ReLU's kink.")


# --- the reference backward of every op (swapped in to test network_backward alone) ----------

def _add_backward(UP, A_shape, b_shape):
    db = UP if tuple(b_shape) == UP.shape else UP.sum(axis=0, keepdims=True)
    return UP, db


def _mul_backward(UP, A, B):
    return UP @ B.T, A.T @ UP


def _t_backward(UP):
    return UP.T


def _relu_backward(UP, A):
    return UP * (A > 0)


REFERENCES = {"add_backward": _add_backward, "mul_backward": _mul_backward,
              "t_backward": _t_backward, "relu_backward": _relu_backward}


# --- comparing gradients ---------------------------------------------------------------------

def _unpack(got, names):
    """The learner's return value as len(names) gradients; anything else fails with a hint."""
    wanted = ", ".join(names)
    if isinstance(got, (tuple, list)) and len(got) == len(names):
        return got
    if got is None:
        raise Failed("It returned None.", f"did you forget the `return` statement? `return {wanted}`.")
    if isinstance(got, (tuple, list)):
        raise Failed(f"It returned {len(got)} values; expected {len(names)} gradients ({wanted}).",
                     f"return one gradient per input, in this order: `return {wanted}`.")
    kind = f"one array {shape_str(got.shape)}" if isinstance(got, np.ndarray) else f"a {type(got).__name__}"
    raise Failed(f"It returned {kind}; expected {len(names)} gradients ({wanted}).",
                 f"an op with {len(names)} inputs sends a new upstream to each: `return {wanted}`.")


def _expect_gradient(ex, got, expected, scale, terms, name, inputs, mistakes=None, hint=None, shape_hints=None):
    """`got` must be the gradient `name` (e.g. "dA"): the node's shape and the exact rule's values to round-off.

    scale: the size of the numbers the rule combines for each entry (an array of the node's shape);
    terms: how many it adds up. shape_hints: {wrong shape: hint} for typical shape mistakes ("()" for
    a single number).
    """
    node = name[1:]
    shape = np.shape(got) if isinstance(got, (np.ndarray, float, int, np.number)) else None
    if shape is not None and shape != expected.shape:
        what = "as a single number" if shape == () else f"of shape {shape_str(shape)}"
        raise Failed(
            f"It returned {name} {what}, but {node} is {shape_str(expected.shape)}, "
            f"for {describe_inputs_dict(inputs)}.",
            (shape_hints or {}).get(shape,
                                    f"a gradient has the shape of its node: {name} is {shape_str(expected.shape)}, "
                                    f"like {node}."))
    clean = {hint_text: wrong for hint_text, wrong in (mistakes or {}).items() if wrong is not None}
    ex.expect_exact(got, expected, scale, inputs, what=f"returned as {name}", terms=terms, mistakes=clean, hint=hint,
                    numerical_hint=_NUMERICAL)


def _column_sums(UP):
    """UP's rows summed, [1×M], each column exactly (math.fsum) and then rounded once."""
    return np.array([[math.fsum(column) for column in UP.T]])


def _maybe(compute):
    """A typical mistake's value, or None when that mistake would not even run for these shapes."""
    try:
        return compute()
    except ValueError:
        return None


def _with_n1_last(ex, cases, extra):
    """The cases to run: `cases` (the last has N = 1), with `extra` ones before it when thorough."""
    return cases[:-1] + (list(extra) if ex.thorough else []) + cases[-1:]


# --- Add, with a repeated bias ------------------------------------------------------------------

@grading(off_limits=[*BACKWARD_RULES, *NUMERICAL_DERIVATIVES, *_BY_HAND])
def check_add_backward(add_backward, thorough=False):
    """add_backward(UP, A_shape, b_shape) -> (dA, db) for out = A + b.

    A is [N×M]; b is [N×M] too, or a bias [1×M] repeated over the N rows; UP is [N×M].
    Accepts the rule, dA = UP and db = UP or its rows summed, computed any way, to round-off.
    """
    __tracebackhide__ = True
    with Exercise("add_backward", add_backward, thorough, stand_in=_add_backward) as ex:
        cases = _with_n1_last(ex, [(3, 4, "bias"), (3, 4, "full"), (50, 3, "bias"), (1, 5, "bias")],
                              [(2, 3, "full"), (17, 6, "bias"), (200, 5, "bias"), (LARGE, LARGE, "bias")])
        for N, M, kind in cases:
            A = ex.rng.normal(size=(N, M))
            b = ex.rng.normal(size=(1, M) if kind == "bias" else (N, M))
            UP = ex.rng.normal(size=(N, M)) * _scales(ex, (N, M))
            inputs = {"UP": UP, "A_shape": A.shape, "b_shape": b.shape}
            dA, db = _unpack(ex.call(UP, A.shape, b.shape), ["dA", "db"])
            if kind == "bias" and N > 1 and np.shape(dA) == b.shape and np.shape(db) == A.shape:
                raise Failed("It returned the bias's gradient first.", "return them in the order of the inputs: "
                             "`return dA, db`.")
            _expect_gradient(ex, dA, UP, np.abs(UP), 1, "dA", inputs,
                             mistakes={"Add passes the upstream on unchanged: dA = UP (the minus sign "
                                       "belongs to Sub's second input).": -UP},
                             hint="Add's local gradient is 1: A gets the upstream unchanged, dA = UP.")
            if kind == "bias":
                sum_rows = "its gradient is the sum of the N upstream rows, UP.sum(axis=0, keepdims=True)."
                shape_hints = {
                    (N, M): f"the bias is an input to N nodes (it is repeated over the N rows): {sum_rows}",
                    (M,): "keep the bias's shape [1×M]: UP.sum(axis=0, keepdims=True), or reshape(1, -1).",
                    (): "you summed every entry of UP; the bias has one gradient per column: sum over the "
                        "rows only, UP.sum(axis=0, keepdims=True).",
                    (1, 1): "you summed every entry of UP; the bias has one gradient per column: sum over the "
                            "rows only, axis=0.",
                    (N, 1): "you summed over the columns (axis=1); the bias is repeated over the ROWS: axis=0.",
                    (N,): "you summed over the columns (axis=1); the bias is repeated over the ROWS: axis=0.",
                }
                mistakes = {
                    "sum, do not average: each of the N rows sends its own upstream to b, and they add up.":
                        UP.mean(axis=0, keepdims=True),
                    "Add passes the upstream on unchanged: no minus sign.": -UP.sum(axis=0, keepdims=True),
                }
                hint = f"b is repeated over the N rows, so {sum_rows}"
            else:
                shape_hints = {
                    (1, M): "here b has A's shape [N×M], nothing is repeated: db = UP. Sum over the rows "
                            "only when b is a [1×M] row (b_shape[0] == 1) repeated over N > 1 rows.",
                    (M,): "here b has A's shape [N×M], nothing is repeated: db = UP.",
                }
                mistakes = {"Add passes the upstream on unchanged: no minus sign.": -UP}
                hint = "b has A's shape here, so it gets the upstream unchanged: db = UP."
            if kind == "bias":
                expected, scale, terms = _column_sums(UP), np.abs(UP).sum(axis=0, keepdims=True), N
            else:
                expected, scale, terms = UP, np.abs(UP), 1
            _expect_gradient(ex, db, expected, scale, terms, "db", inputs, mistakes=mistakes, hint=hint,
                             shape_hints=shape_hints)
        sizes = ", ".join(str(N) for N, _, kind in cases if kind == "bias")
        ex.passed(f"dA and db are the rule's to round-off for A [N×M] + a bias b [1×M] with N = {sizes}, "
                  "and for b [N×M]")


# --- Mul, the matrix product ----------------------------------------------------------------------

@grading(off_limits=[*BACKWARD_RULES, *NUMERICAL_DERIVATIVES, *_BY_HAND])
def check_mul_backward(mul_backward, thorough=False):
    """mul_backward(UP, A, B) -> (dA, dB) for out = AB, A [n×p], B [p×m], UP [n×m].

    Accepts the rule, dA = UP Bᵀ and dB = Aᵀ UP, computed any way, to round-off.
    """
    __tracebackhide__ = True
    with Exercise("mul_backward", mul_backward, thorough, stand_in=_mul_backward) as ex:
        cases = _with_n1_last(ex, [(3, 3, 3), (4, 3, 2), (50, 4, 3), (1, 3, 2)],
                              [(2, 5, 1), (17, 4, 6), (200, 6, 3), (LARGE // 2, LARGE // 2, LARGE // 2)])
        for n, p, m in cases:
            A, B = ex.rng.normal(size=(n, p)) * _scales(ex, (n, p)), ex.rng.normal(size=(p, m)) * _scales(ex, (p, m))
            UP = ex.rng.normal(size=(n, m)) * _scales(ex, (n, m))
            inputs = {"UP": UP, "A": A, "B": B}
            dA, dB = _unpack(ex.call(UP, A, B), ["dA", "dB"])
            if (n, p) != (p, m) and np.shape(dA) == B.shape and np.shape(dB) == A.shape:
                raise Failed("It returned dB first.", "return them in the order of the inputs: `return dA, dB`.")
            _expect_gradient(
                ex, dA, UP @ B.T, np.abs(UP) @ np.abs(B).T, m, "dA", inputs,
                mistakes={
                    "transpose B: dA = UP Bᵀ ([n×m] times [m×p] gives A's shape [n×p]).": _maybe(lambda: UP @ B),
                    "the order matters: UP first, then Bᵀ — dA = UP Bᵀ.": _maybe(lambda: B.T @ UP),
                    "UP first, then Bᵀ: dA = UP Bᵀ.": _maybe(lambda: B @ UP),
                    "that is dB = Aᵀ UP. dA = UP Bᵀ, and return them in the order (dA, dB).":
                        _maybe(lambda: A.T @ UP),
                },
                hint="the chain rule trick: dA = UP Bᵀ.",
                shape_hints={(p, n): "that is A's shape transposed: dA = UP Bᵀ, not B UPᵀ.",
                             (n, m): "that is UP's shape; dA has A's shape [n×p]: UP [n×m] times Bᵀ [m×p]."})
            _expect_gradient(
                ex, dB, A.T @ UP, np.abs(A).T @ np.abs(UP), n, "dB", inputs,
                mistakes={
                    "that is dB transposed: dB = Aᵀ UP, not UPᵀ A.": _maybe(lambda: UP.T @ A),
                    "the order matters: Aᵀ first, then UP — dB = Aᵀ UP.": _maybe(lambda: UP @ A.T),
                    "transpose A: dB = Aᵀ UP ([p×n] times [n×m] gives B's shape [p×m]).": _maybe(lambda: A @ UP),
                    "that is dA = UP Bᵀ. dB = Aᵀ UP.": _maybe(lambda: UP @ B.T),
                },
                hint="the chain rule trick: dB = Aᵀ UP.",
                shape_hints={(m, p): "that is B's shape transposed: dB = Aᵀ UP, not UPᵀ A.",
                             (n, m): "that is UP's shape; dB has B's shape [p×m]: Aᵀ [p×n] times UP [n×m]."})
        shapes = ", ".join(f"[{n}×{p}]·[{p}×{m}]" for n, p, m in cases)
        ex.passed(f"dA = UP Bᵀ and dB = Aᵀ UP to round-off for {shapes}")


# --- T, the transpose -------------------------------------------------------------------------

@grading(off_limits=[*BACKWARD_RULES, *NUMERICAL_DERIVATIVES, *_BY_HAND])
def check_t_backward(t_backward, thorough=False):
    """t_backward(UP) -> dA for out = Aᵀ, with A [n×m] and UP [m×n]. Accepts the rule, dA = UPᵀ, to round-off."""
    __tracebackhide__ = True
    with Exercise("t_backward", t_backward, thorough, stand_in=_t_backward) as ex:
        cases = _with_n1_last(ex, [(3, 3), (4, 2), (50, 3), (1, 4)], [(2, 5), (17, 17), (200, 3), (LARGE, LARGE)])
        for n, m in cases:
            A, UP = ex.rng.normal(size=(n, m)), ex.rng.normal(size=(m, n)) * _scales(ex, (m, n))
            inputs = {"UP": UP, "A": A}
            _expect_gradient(
                ex, ex.call(UP), UP.T, np.abs(UP.T), 1, "dA", inputs,
                mistakes={"the gradient of T is the TRANSPOSED upstream: dA = UPᵀ.": UP,
                          "T only moves entries (local gradient 1): no minus sign, dA = UPᵀ.": -UP.T},
                hint="every entry of A moves to the transposed place; its gradient moves back: dA = UPᵀ.",
                shape_hints={(m, n): f"dA has A's shape {shape_str((n, m))}; UP arrives with the output's shape "
                                     f"{shape_str((m, n))}: transpose it back, dA = UPᵀ."})
        ex.passed("dA = UPᵀ, exactly, for A " + ", ".join(shape_str(c) for c in cases))


# --- ReLU ------------------------------------------------------------------------------------

@grading(off_limits=[*BACKWARD_RULES, *NUMERICAL_DERIVATIVES, *_BY_HAND])
def check_relu_backward(relu_backward, thorough=False):
    """relu_backward(UP, A) -> dA for out = max(0, A), A and UP [n×m].

    Accepts the rule, dA = UP ⊙ R with the mask R of A's entries above 0, to round-off; some of A's
    entries lie KINK from the kink.
    """
    __tracebackhide__ = True
    with Exercise("relu_backward", relu_backward, thorough, stand_in=_relu_backward) as ex:
        cases = _with_n1_last(ex, [(3, 3), (4, 2), (50, 3), (1, 5)], [(2, 5), (17, 4), (200, 3), (LARGE, LARGE)])
        for n, m in cases:
            A = OPS["ReLU"].random_inputs(n, ex.rng, M=m)["A"]  # away from the kink at 0 ...
            near = ex.rng.random((n, m)) < 0.3
            A[near] = np.sign(A[near]) * KINK * ex.rng.uniform(1, 10, np.count_nonzero(near))  # ... but these
            UP = ex.rng.normal(size=(n, m)) * _scales(ex, (n, m))
            R = (A > 0).astype(float)
            _expect_gradient(
                ex, ex.call(UP, A), np.where(A > 0, UP, 0.0), np.abs(UP), 1, "dA", {"UP": UP, "A": A},
                mistakes={
                    "the mask R comes from the node's input A (1 where a > 0), not from the upstream UP.":
                        UP * (UP > 0),
                    "multiply the mask by the upstream: dA = UP ⊙ R.": R,
                    "multiply UP by the mask R (0 or 1), not by ReLU(A) itself.": UP * np.maximum(A, 0),
                    "ReLU lets the gradient through only where a > 0: multiply UP by the mask R.": UP,
                    "⊙ is the element-wise (Hadamard) product, UP * R in numpy, not the matrix product @.":
                        _maybe(lambda: UP @ R),
                    "R is 1 where a > 0 (where ReLU lets a through), not where a < 0.": UP * (A < 0),
                },
                hint="dA = UP ⊙ R, with the mask R = 1 where a > 0, else 0.")
        ex.passed("dA = UP ⊙ R, exactly, for A " + ", ".join(shape_str(c) for c in cases) + f", some entries "
                  f"{KINK:g} from the kink")


# --- the whole network -------------------------------------------------------------------------

def network_gradients(X, y, W1, b1, W2, b2, uses=2.0, sign=-1.0, per_N=True, mask="input"):
    """∂ℒ/∂W1, b1, W2, b2 of ℒ = errᵀerr / N by the chain rule; the keywords make typical mistakes."""
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    err = y - (H @ W2 + b2)
    d_err = uses * err / (len(X) if per_N else 1.0)  # err is used twice in errᵀerr
    d_y_hat = sign * d_err                            # Sub: the second input gets -UP
    dH = d_y_hat @ W2.T
    R = {"input": Z1 > 0, "upstream": dH > 0, "none": np.ones_like(Z1)}[mask]
    dZ1 = dH * R
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0, keepdims=True),
            "W2": H.T @ d_y_hat, "b2": d_y_hat.sum(axis=0, keepdims=True)}


def reference_network_backward(X, y, W1, b1, W2, b2):
    """(dW1, db1, dW2, db2) of ℒ = errᵀerr / N for ŷ = ReLU(XW₁ + b₁)W₂ + b₂, err = y − ŷ."""
    gradients = network_gradients(X, y, W1, b1, W2, b2)
    return gradients["W1"], gradients["b1"], gradients["W2"], gradients["b2"]


def network_scales(X, y, W1, b1, W2, b2):
    """The size of the numbers the chain rule combines for each entry of dW1, db1, dW2 and db2: the rule run
    on sizes, every sum a sum of absolute values."""
    Z1 = X @ W1 + b1
    size_H = np.abs(X) @ np.abs(W1) + np.abs(b1)
    size_d = 2 * (np.abs(y) + size_H @ np.abs(W2) + np.abs(b2)) / len(X)  # of ∂ℒ/∂ŷ
    size_dZ1 = (size_d @ np.abs(W2).T) * (Z1 > 0)
    return {"W1": np.abs(X).T @ size_dZ1, "b1": size_dZ1.sum(axis=0, keepdims=True),
            "W2": size_H.T @ size_d, "b2": size_d.sum(axis=0, keepdims=True)}


def _network_inputs(ex, N, D, M, kind="usual"):
    """The network's data and parameters ({name: array}); in every column of XW₁ + b₁ one entry lies
    KINK (relative) from ReLU's kink; "vast": y near 10¹⁶⁰, so that ℒ overflows but not its gradients."""
    values = random_network(N, ex.rng, D, M, margin=0.0)
    XW = values["X"] @ values["W1"]
    rows = ex.rng.integers(0, N, size=M)
    sizes = np.abs(XW).mean(axis=0) + 1.0
    near = ex.rng.choice([-1.0, 1.0], size=M) * KINK * sizes
    values["b1"] = (near - XW[rows, np.arange(M)]).reshape(1, M)
    if kind == "vast":
        values["y"] = values["y"] * 1e160
    return values


@grading(off_limits=[*BACKWARD_RULES, *NUMERICAL_DERIVATIVES, *_BY_HAND])
def check_network_backward(network_backward, thorough=False):
    """network_backward(X, y, W1, b1, W2, b2) -> (dW1, db1, dW2, db2) for
    ŷ = ReLU(XW₁ + b₁)W₂ + b₂ and ℒ = errᵀerr / N with err = y - ŷ, by the chain rule.

    Accepts the backward pass through the network's nodes, computed any way: every gradient must
    equal the chain rule's to round-off — with an input of ReLU in every hidden unit a hair from its
    kink, and once with y so vast that ℒ itself overflows — which no numerical derivative reaches.
    Tested alone: add_backward, mul_backward, t_backward and relu_backward are the reference ones
    while it runs, so a mistake in an earlier exercise costs nothing here.
    """
    __tracebackhide__ = True
    with Exercise("network_backward", network_backward, thorough,
                  stand_in=reference_network_backward) as ex:
        cases = _with_n1_last(ex, [(4, 2, 3, "usual"), (50, 3, 5, "usual"), (20, 3, 4, "vast"), (1, 2, 4, "usual")],
                              [(2, 1, 2, "usual"), (17, 3, 4, "usual"), (200, 3, 5, "usual"),
                               (*LARGE_NETWORK, "usual")])
        for N, D, M, kind in cases:
            values = _network_inputs(ex, N, D, M, kind)
            expected, scales = network_gradients(**values), network_scales(**values)
            got = ex.call(*values.values(), references=REFERENCES)
            gradients = dict(zip(["W1", "b1", "W2", "b2"], _unpack(got, ["dW1", "db1", "dW2", "db2"])))
            variants = {
                "err is used twice in ℒ = errᵀerr / N (by T and by Mul): its gradient is the SUM of both "
                "uses, 2·err / N.": network_gradients(**values, uses=1.0),
                "err = y − ŷ: Sub sends −UP to its second input, so ∂ℒ/∂ŷ = −∂ℒ/∂err.":
                    network_gradients(**values, sign=1.0),
                "ℒ = errᵀerr / N: keep the factor 1/N in the upstream.": network_gradients(**values, per_N=False),
                "through the ReLU, multiply by its mask R (1 where XW₁ + b₁ > 0).":
                    network_gradients(**values, mask="none"),
                "ReLU's mask R comes from its input XW₁ + b₁, not from the upstream.":
                    network_gradients(**values, mask="upstream"),
            }
            inputs = {name: values[name] for name in values}
            for name, rows_of in [("b2", "ŷ"), ("W2", None), ("b1", "XW₁ + b₁"), ("W1", None)]:
                shape_hints = {}
                if rows_of:
                    width = expected[name].shape[1]
                    summed = (f"b{name[1]} is repeated over the N rows of {rows_of}: sum the upstream's rows, "
                              "with keepdims=True to keep its shape " + shape_str(expected[name].shape) + ".")
                    shape_hints = {(N, width): summed, (width,): summed, (): summed}
                else:
                    layer_input = "X" if name == "W1" else "H"
                    shape_hints = {expected[name].shape[::-1]: f"d{name} has {name}'s shape "
                                   f"{shape_str(expected[name].shape)}: {layer_input}ᵀ times the upstream, in this "
                                   "order."}
                if kind == "vast" and not np.all(np.isfinite(np.asarray(gradients[name], dtype=float))):
                    raise Failed(f"For y near 10¹⁶⁰ ({describe_inputs_dict(inputs)}): it returned d{name} with inf "
                                 "or NaN.", _VAST)
                _expect_gradient(ex, gradients[name], expected[name], scales[name], N + D + M, "d" + name, inputs,
                                 mistakes={hint: wrong[name] for hint, wrong in variants.items()},
                                 hint="go backwards one node at a time: ℒ → err → ŷ → b₂, W₂, H → "
                                      "XW₁ + b₁ → b₁, W₁, with the pieces you wrote above.",
                                 shape_hints=shape_hints)
        sizes = ", ".join(str(N) for N, _, _, _ in cases)
        ex.passed(f"dW₁, db₁, dW₂, db₂ are the chain rule's to round-off for N = {sizes} (ReLU's inputs {KINK:g} from "
                  "its kink, and once ℒ too vast to compute)")


_VAST = ("here ℒ itself overflows (its errors, squared, exceed the largest float), but its gradients do not: "
         "compute them backwards from ∂ℒ/∂err = 2·err / N, not from values of ℒ.")
