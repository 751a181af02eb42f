"""Checks for notebook 04: a linear layer H = XW + b that checks its own shapes, and L layers stacked."""

import re

import numpy as np

from ..autograd import shape_str
from ..notation import subscript
from .exercise import Exercise, grading
from .verdicts import Failed, describe_inputs_dict, preview

__all__ = ["check_linear_layer", "check_linear_network"]

def reference_linear_layer(X, W, b):
    """H = XW + b, [N×D]·[D×M] + [1×M] -> [N×M]; a ValueError naming both shapes when they do not fit."""
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"cannot multiply X {shape_str(X.shape)} by W {shape_str(W.shape)}")
    return X @ W + b

# What notebook 04's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.load_apartments",
    *(f"lecture_utils.autograd.{name}" for name in ("Tensor", "Add", "Mul", "shape_str")),
)

_HOW_TO_RAISE = ('before multiplying, compare X.shape[1] with W.shape[0] and, if they differ, '
                 'raise ValueError(f"cannot multiply X {X.shape} by W {W.shape}").')


@grading(off_limits=["lecture_utils.nn.Linear.__call__"])
def check_linear_layer(linear_layer, thorough=False):
    """linear_layer(X, W, b) -> H = XW + b, [N×D]·[D×M] + [1×M] -> [N×M];
    and a ValueError naming both shapes when X's columns do not match W's rows."""
    __tracebackhide__ = True
    with Exercise("linear_layer", linear_layer, thorough, stand_in=reference_linear_layer) as ex:
        # (N, D, M): several outputs, one output, one input, and N = 1 last: it hides some mistakes
        cases = [(6, 3, 2), (40, 4, 5), (5, 2, 1), (3, 1, 3)]
        if thorough:
            cases += [(200, 8, 16), (17, 5, 5), (2, 3, 3)]
        cases += [(1, 3, 2)]
        for N, D, M in cases:
            X = ex.rng.normal(0, 1, size=(N, D))
            W = ex.rng.normal(0, 1, size=(D, M))
            b = ex.rng.normal(0, 1, size=(1, M))
            got = _call_with_matching_shapes(ex, X, W, b)
            mistakes = {
                "you forgot to add the bias b.": X @ W,
                "each output has its own bias: add the whole row b [1×M], not only its first entry.":
                    X @ W + b[0, 0],
            }
            if N == M > 1:  # only then does a column b.T broadcast without an error
                mistakes[_ADD_B_AS_A_ROW] = X @ W + b.T
            ex.expect_array(got, X @ W + b, inputs={"X": X, "W": W, "b": b}, mistakes=mistakes,
                            hint="H = XW + b: the matrix product X @ W, then add the row b to every row.")

        # shapes that do not fit: columns of X ≠ rows of W (also W written the wrong way round)
        D, M = 3, 2
        wrong = [((5, D), (D + 1, M)), ((4, D), (M, D)), ((1, 2), (4, 1))]
        if thorough:
            wrong += [((30, 6), (5, 7)), ((2, 1), (2, 2))]
        for x_shape, w_shape in wrong:
            x_shape = (int(x_shape[0] + ex.rng.integers(0, 3)), x_shape[1])  # fresh N: nothing to hard-code
            X = ex.rng.normal(0, 1, size=x_shape)
            W = ex.rng.normal(0, 1, size=w_shape)
            b = ex.rng.normal(0, 1, size=(1, w_shape[1]))
            _expect_shape_error(ex, X, W, b)
        ex.passed(f"H = XW + b for {len(cases)} pairs of shapes (also M = 1, D = 1 and N = 1), and a ValueError "
                  f"naming both shapes for {len(wrong)} pairs that do not fit")


_ADD_B_AS_A_ROW = "add b [1×M] as it is, a row repeated over the N rows: b.T is a column [M×1]."
_NUMPY_MESSAGES = ("matmul", "not aligned", "could not be broadcast", "core dimension")


def _from_numpy(message):
    """Is this ValueError numpy's own (a failed product or sum), not one the learner raised?"""
    return any(text in message for text in _NUMPY_MESSAGES)


def _call_with_matching_shapes(ex, X, W, b):
    """ex.call, with sharper hints for a ValueError although the shapes fit."""
    __tracebackhide__ = True
    try:
        return ex.call(X, W, b)
    except Failed as failure:
        if not failure.message.startswith("It raised ValueError"):
            raise
        if "broadcast" in failure.message:
            hint = _ADD_B_AS_A_ROW
        elif _from_numpy(failure.message):
            hint = "H = XW + b multiplies X [N×D] by W [D×M], in this order: X @ W."
        else:  # the learner's own check fired
            hint = (f"here the shapes fit: X {shape_str(X.shape)} has {X.shape[1]} columns and "
                    f"W {shape_str(W.shape)} has {W.shape[0]} rows. Your check should compare "
                    "X.shape[1] with W.shape[0].")
        raise Failed(failure.message, hint) from None


def _expect_shape_error(ex, X, W, b):
    """The learner's function must raise a ValueError whose message names both shapes."""
    __tracebackhide__ = True
    shapes = f"X {shape_str(X.shape)} and W {shape_str(W.shape)}"
    situation = f"For {shapes} (X has {X.shape[1]} columns, W has {W.shape[0]} rows)"
    got, raised = ex.attempt(X, W, b)
    if raised is None:
        raise Failed(f"{situation} it returned {preview(got)} instead of raising ValueError.",
                     "these shapes cannot be multiplied: " + _HOW_TO_RAISE)
    message = raised.message
    if raised.is_a("ValueError"):
        if _from_numpy(message):
            raise Failed(f"{situation} numpy raised its own ValueError ({_short(message)!r}): your function "
                         "did not check the shapes itself.", "raise your own ValueError: " + _HOW_TO_RAISE)
        missing = [f"{name} {shape_str(shape)}" for name, shape in (("X", X.shape), ("W", W.shape))
                   if not _names_shape(message, shape)]
        if missing:
            raise Failed(f"{situation} it raised ValueError({_short(message)!r}), but the message does not "
                         f"name {' and '.join(missing)}.",
                         "raise your own ValueError that names both shapes: " + _HOW_TO_RAISE)
        return
    if raised.is_a("AssertionError"):
        raise Failed(f"{situation} an assert failed ({_short(message) or 'no message'}).",
                     "raise ValueError(...) instead of assert: " + _HOW_TO_RAISE)
    raise Failed(f"{situation} it raised {raised.name}: {_short(message)}.",
                 "the exercise asks for a ValueError: " + _HOW_TO_RAISE)


def _names_shape(message, shape):
    """Does the message name the shape (n, m)? As (5, 3), [5×3], 5x3, [5, 3] or '5 by 3'."""
    n, m = shape
    return re.search(rf"(?<![\d.]){n}\s*(?:×|x|X|,|\*|by)\s*{m}(?![\d.])", message) is not None


def _short(text, length=110):
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


# --- exercise 2: L linear layers stacked -------------------------------------------------------

def _linear_layer(X, W, b):
    """H = XW + b: the reference layer, swapped in while linear_network is checked."""
    return X @ W + b


def _outputs_of_every_layer(X, Ws, bs):
    """[H₁, …, H_L] with Hᵢ = Hᵢ₋₁Wᵢ + bᵢ and H₀ = X."""
    outputs, H = [], X
    for W, b in zip(Ws, bs):
        H = H @ W + b
        outputs.append(H)
    return outputs


def reference_linear_network(X, Ws, bs):
    """H_L of L stacked linear layers Hᵢ = Hᵢ₋₁Wᵢ + bᵢ, H₀ = X."""
    return _outputs_of_every_layer(X, Ws, bs)[-1]


@grading(off_limits=["lecture_utils.nn.Linear.__call__", "lecture_utils.nn.MLP.__call__"])
def check_linear_network(linear_network, thorough=False):
    """linear_network(X, Ws, bs) -> H_L of L stacked linear layers, Hᵢ = Hᵢ₋₁Wᵢ + bᵢ with H₀ = X.

    X [N×M₀], Ws = [W₁ [M₀×M₁], …, W_L [M_{L−1}×M_L]], bs = [b₁ [1×M₁], …, b_L [1×M_L]].
    Tested alone: while it runs, the learner's `linear_layer` is replaced by a correct one.
    """
    __tracebackhide__ = True
    with Exercise("linear_network", linear_network, thorough, stand_in=reference_linear_network) as ex:
        # (N, [M₀, M₁, …, M_L]): two layers, three, one, four; N = 1 last, it hides some mistakes
        cases = [(5, [3, 4, 2]), (30, [2, 4, 3, 1]), (4, [3, 2]), (7, [2, 5, 5, 5, 1])]
        if thorough:
            cases += [(200, [8, 16, 16, 4]), (17, [1, 3, 1]), (2, [4, 4, 4, 4])]
        cases += [(1, [3, 4, 1])]
        for N, sizes in cases:
            X = ex.rng.normal(0, 1, size=(N, sizes[0]))
            Ws = [ex.rng.normal(0, 1, size=shape) for shape in zip(sizes[:-1], sizes[1:])]
            bs = [ex.rng.normal(0, 1, size=(1, M)) for M in sizes[1:]]
            inputs = {"X": X, "Ws": Ws, "bs": bs}
            got = ex.call(X, Ws, bs, references={"linear_layer": _linear_layer})
            outputs = _outputs_of_every_layer(X, Ws, bs)
            _reject_other_layers(got, outputs, inputs)
            L = len(Ws)
            mistakes = {
                "you forgot the biases: every layer adds its own bᵢ, Hᵢ = Hᵢ₋₁Wᵢ + bᵢ.":
                    _outputs_of_every_layer(X, Ws, [0 * b for b in bs])[-1],
            }
            if L > 1:
                mistakes["only the last layer's bias was added: every layer adds its own bᵢ."] = \
                    _outputs_of_every_layer(X, Ws, [0 * b for b in bs[:-1]] + bs[-1:])[-1]
            ex.expect_array(got, outputs[-1], inputs, mistakes=mistakes,
                            hint="start from H = X, then H = linear_layer(H, W, b) for every pair (W, b) "
                                 "of zip(Ws, bs), in order; return the last H.")
        described = ", ".join(" → ".join(map(str, sizes)) for _, sizes in cases)
        ex.passed(f"H_L for networks {described} (the last with N = 1)")


def _reject_other_layers(got, outputs, inputs):
    """A list of every layer's output, or the output of an earlier layer, gets its own hint."""
    __tracebackhide__ = True
    L = len(outputs)
    if isinstance(got, (list, tuple)) and len(got) == L and all(isinstance(H, np.ndarray) for H in got) \
            and got[-1].shape == outputs[-1].shape and np.allclose(got[-1], outputs[-1]):
        raise Failed(f"It returned a {type(got).__name__} of all {L} layers' outputs.",
                     "return only the last layer's output H_L (the others are only on the way).")
    if not isinstance(got, np.ndarray):
        return
    for k, H in enumerate(outputs[:-1], start=1):
        if got.shape == H.shape and np.allclose(got, H):
            raise Failed(f"For {describe_inputs_dict(inputs)}: it returned H{subscript(k)}, the output of layer "
                         f"{k} of {L}.", "go through all L layers: the loop needs one step per pair (Wᵢ, bᵢ).")
