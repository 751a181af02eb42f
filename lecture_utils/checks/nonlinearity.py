"""Checks for notebook 05: ReLU, and stacked linear layers collapsing into one projection XQ + U."""

import numpy as np

from ..autograd import shape_str
from ..notation import subscript
from .exercise import Exercise, grading
from .verdicts import Failed, preview

__all__ = ["check_relu", "check_collapse"]

# What notebook 05's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.make_toy", "lecture_utils.nn.MLP",
    *(f"lecture_utils.autograd.{name}" for name in ("Mul", "shape_str")),
)


def reference_relu(x):
    """max(0, x) for every entry of x."""
    return np.maximum(x, 0.0)


@grading(off_limits=["lecture_utils.autograd.ReLU"])
def check_relu(relu, thorough=False):
    """relu(x) -> ReLU applied to every entry of a matrix x [N×M]: max(0, x), same shape."""
    __tracebackhide__ = True
    with Exercise("relu", relu, thorough, stand_in=reference_relu) as ex:
        shapes = ex.sizes([(3, 4), (50, 8)], extra=[(2, 17), (200, 3), (17, 1)]) + [(1, 1)]  # [1×1] last
        for shape in shapes:
            x = ex.rng.normal(0.0, 2.0, size=shape)
            if x.size >= 3:  # surely one entry of each kind, so that each mistake looks like itself
                x.flat[ex.rng.permutation(x.size)[:3]] = [ex.rng.uniform(-3, -0.1), ex.rng.uniform(0.1, 0.9),
                                                          ex.rng.uniform(1.5, 3)]
            else:
                x = -np.abs(x)  # one negative entry: returning x unchanged must not pass
            got = _call_relu(ex, x)
            _catch_summaries(got, x)
            ex.expect_array(
                got, np.maximum(x, 0.0), inputs={"x": x},
                mistakes={
                    "ReLU sets negative entries to 0; it does not flip their sign (that is |x|).": np.abs(x),
                    "negative entries must become 0: ReLU(x) = max(0, x) for every entry.": x,
                    "that is the mask R (1 where x > 0), ReLU's local gradient. ReLU keeps the value "
                    "itself where it is positive.": (x > 0).astype(float),
                    "np.minimum keeps the negative part; ReLU keeps the positive part: np.maximum(x, 0).":
                        np.minimum(x, 0.0),
                    "do not cap at 1: for positive entries ReLU is the identity, without bound.": np.clip(x, 0, 1),
                },
                hint="ReLU(x) = max(0, x) for every entry: np.maximum(x, 0).",
            )
        ex.passed(f"max(0, x) entry by entry for random x of shapes {', '.join(map(shape_str, shapes))}")


def _call_relu(ex, x):
    __tracebackhide__ = True
    try:
        return ex.call(x)
    except Failed as failed:
        if "truth value" in failed.message:  # Python's max(x, 0) on a matrix
            raise Failed(failed.message, "Python's max compares two numbers; for a matrix, compare every "
                                         "entry with 0: np.maximum(x, 0).") from None
        raise


def _catch_summaries(got, x):
    """np.max(x) or np.max(x, 0) instead of np.maximum(x, 0): a summary, not a matrix."""
    __tracebackhide__ = True
    if not isinstance(got, (np.ndarray, float, np.number)) or np.shape(got) == x.shape:
        return
    hint = ("np.max summarises (the largest entry, or the largest of each column); ReLU works entry by "
            "entry: np.maximum(x, 0).")
    for summary in (np.max(x), np.max(x, axis=0), np.max(x, axis=1)):
        if np.shape(got) == np.shape(summary) and np.allclose(got, summary):
            raise Failed(f"For x {shape_str(x.shape)}, it returned {preview(got)}; expected a matrix "
                         f"{shape_str(x.shape)}.", hint)


def stacked_linear_forward(X, Ws, bs):
    """H_L of L linear layers without activations: H₁ = XW₁ + b₁, Hₗ = Hₗ₋₁Wₗ + bₗ. X: [N×D] -> [N×M_L]."""
    H = X
    for W, b in zip(Ws, bs):
        H = H @ W + b
    return H


def collapse_reference(Ws, bs):
    """(Q, U) with H_L = XQ + U: Q = W₁W₂…W_L [D×M_L], U = b₁W₂…W_L + b₂W₃…W_L + … + b_L [1×M_L]."""
    Q, U = Ws[0], bs[0]
    for W, b in zip(Ws[1:], bs[1:]):
        Q = Q @ W
        U = U @ W + b
    return Q, U


@grading()
def check_collapse(collapse, thorough=False):
    """collapse(Ws, bs) -> (Q, U) such that L stacked linear layers equal one projection XQ + U."""
    __tracebackhide__ = True
    with Exercise("collapse", collapse, thorough, stand_in=collapse_reference) as ex:
        # (D, [M₁, ..., M_L]); all-square first (there a wrong order still runs), L = 1 last.
        layouts = [(3, [3, 3, 3]), (2, [5, 4, 1]), (4, [2, 6])]
        if ex.thorough:
            layouts += [(5, [7, 3, 6, 2, 4]), (2, [8, 8, 8, 8, 1]), (6, [1, 3])]
        layouts += [(2, [3])]
        for D, sizes in layouts:
            Ws = [ex.rng.normal(0.0, 1.0, (m, n)) for m, n in zip([D] + sizes[:-1], sizes)]
            bs = [ex.rng.normal(0.0, 1.0, (1, n)) for n in sizes]
            X = ex.rng.normal(0.0, 1.0, (7, D))
            Q, U = collapse_reference(Ws, bs)
            H = stacked_linear_forward(X, Ws, bs)
            layers = _Text(_layers_text(Ws, bs))
            got = ex.call(_Matrices("W", Ws), _Matrices("b", bs))
            Q_got, U_got = _as_pair(got, Q, U, layers)
            ex.expect_array(Q_got, Q, inputs={"L": layers}, what="returned as Q",
                            mistakes=_q_mistakes(Ws), hint="Q = W₁W₂…W_L: the weights' product, in order.")
            ex.expect_array(U_got, U, inputs={"L": layers}, what="returned as U",
                            mistakes=_u_mistakes(Ws, bs, U),
                            hint="carry each bias through the layers after it: "
                                 "U = b₁W₂…W_L + b₂W₃…W_L + … + b_L.")
            ex.expect_array(X @ Q_got + U_got, H, inputs={"X": X, "L": layers},
                            what="gave as XQ + U (the stacked layers' H_L is expected)")
        ex.passed(f"XQ + U equals the stacked layers' H_L for random layers, L = "
                  f"{', '.join(str(len(sizes)) for _, sizes in layouts)}")


def _as_pair(got, Q, U, layers):
    """The learner's answer as two things (Q, U); a clear verdict if it is something else."""
    __tracebackhide__ = True
    if got is None:
        raise Failed(f"It returned None for L = {layers}; expected the pair (Q, U).",
                     "did you forget the `return Q, U` at the end?")
    if not isinstance(got, (tuple, list)):
        what = f"array {shape_str(got.shape)}" if isinstance(got, np.ndarray) else type(got).__name__
        raise Failed(f"It returned one {what}; expected the pair (Q, U).",
                     "return both: `return Q, U`.")
    if len(got) != 2:
        raise Failed(f"It returned {len(got)} things; expected the pair (Q, U).", "return both: `return Q, U`.")
    Q_got, U_got = got
    if Q.shape != U.shape and np.shape(Q_got) == U.shape and np.shape(U_got) == Q.shape:
        raise Failed(f"It returned a first matrix of shape {shape_str(U.shape)} and a second of "
                     f"{shape_str(Q.shape)}, for L = {layers}.",
                     "return them in the order (Q, U): Q [D×M_L] first, then U [1×M_L].")
    return Q_got, U_got


def _q_mistakes(Ws):
    mistakes = {}
    if all(W.shape[0] == W.shape[1] for W in Ws) and len(Ws) > 1:
        mistakes["the order matters (the matrix product is not commutative): Q = W₁W₂…W_L, "
                 "starting with the first layer."] = _product(Ws[::-1])
    if len({W.shape for W in Ws}) == 1 and len(Ws) > 1:
        mistakes["Q is the product of the weights, not their sum."] = sum(Ws)
    return mistakes


def _u_mistakes(Ws, bs, U):
    L = len(Ws)
    mistakes = {}
    if L > 1:
        mistakes["the last bias is added as it is: U = … + b_L."] = U - bs[-1]
        mistakes["the earlier biases count too: U = b₁W₂…W_L + b₂W₃…W_L + … + b_L."] = bs[-1]
        if all(W.shape[0] == W.shape[1] for W in Ws):  # only then does bᵢWᵢ…W_L have a meaning
            mistakes["each bᵢ is multiplied by the layers AFTER it (Wᵢ₊₁…W_L), not by its own Wᵢ."] = sum(
                b @ _product(Ws[i:]) for i, b in enumerate(bs))
        if len({b.shape for b in bs}) == 1:
            mistakes["U is not the sum of the biases: each bᵢ passes through the layers after it, "
                     "bᵢWᵢ₊₁…W_L."] = sum(bs)
    return mistakes


def _product(matrices):
    result = matrices[0]
    for M in matrices[1:]:
        result = result @ M
    return result


def _layers_text(Ws, bs):
    weights = ", ".join(f"W{subscript(i + 1)} {shape_str(W.shape)}" for i, W in enumerate(Ws))
    biases = ", ".join(f"b{subscript(i + 1)} {shape_str(b.shape)}" for i, b in enumerate(bs))
    return f"{len(Ws)}: {weights}; {biases}"




class _Matrices(list):
    """Copies of a list of matrices, shown by their shapes in a verdict: [W₁ [2×5], W₂ [5×1]]."""

    def __init__(self, name, matrices):
        super().__init__(M.copy() for M in matrices)
        self.name = name

    def __repr__(self):
        return "[" + ", ".join(f"{self.name}{subscript(i + 1)} {shape_str(M.shape)}" for i, M in enumerate(self)) + "]"


class _Text(str):
    """A text shown as it is in a verdict (not quoted)."""

    def __repr__(self):
        return str(self)
