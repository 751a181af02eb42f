"""Checks for notebook 02: more predictors, ŷ = x⁽¹⁾w₁ + … + x⁽ᴰ⁾w_D + b."""

import numpy as np

from ..lessons.linear_regression import predict_loop as reference_predict_loop
from .exercise import Exercise, grading
from .verdicts import Failed

__all__ = ["check_predict_sample", "check_predict_loop"]

# What notebook 02's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.load_apartments",
    "lecture_utils.lessons.linear_regression.least_squares_plane",
)


def _predict_sample(x_i, w, b):
    """ŷᵢ for one sample: x_i a row [1×D], w the D weights, b a number -> one number."""
    return float(np.asarray(x_i, dtype=np.float64).reshape(-1) @ np.asarray(w, dtype=np.float64).reshape(-1) + b)


@grading(off_limits=["lecture_utils.lessons.linear_regression.predict_loop",
                     "lecture_utils.lessons.linear_regression.predict"])
def check_predict_sample(predict_sample, thorough=False):
    """predict_sample(x_i, w, b) -> ŷᵢ = xᵢ⁽¹⁾w₁ + … + xᵢ⁽ᴰ⁾w_D + b, one number, for one sample:
    x_i a row vector [1×D], w the D weights (a list or an array [D]), b a number."""
    __tracebackhide__ = True
    with Exercise("predict_sample", predict_sample, thorough, stand_in=_predict_sample) as ex:
        sizes = ex.sizes([4, 2, 7, 1], extra=[3, 12, 30, 1])  # D; one predictor last: it hides some mistakes
        for case, D in enumerate(sizes):
            x_i = ex.rng.uniform(0, 100, size=(1, D))
            weights = ex.rng.uniform(-3, 3, size=D)
            w = weights.tolist() if case % 2 == 0 else weights
            b = float(ex.rng.uniform(-50, 50))
            inputs = {"x_i": x_i, "w": w, "b": b}
            got = _call_with_a_row(ex, x_i, w, b)
            products = x_i[0] * weights
            mistakes = {
                "you forgot to add b.": products.sum(),
                "add b once, not once per predictor: start from b, then add x_i[0, j]·w[j] for every j.":
                    products.sum() + D * b,
                "the loop skips the last predictor: range(D) already runs j = 0, 1, …, D − 1.":
                    products[:-1].sum() + b,
                "the loop skips the first predictor: numpy counts from 0, so xᵢ⁽¹⁾ is x_i[0, 0] and w₁ is w[0].":
                    products[1:].sum() + b,
                "every predictor has its own weight: multiply x_i[0, j] by w[j], not by w[0].":
                    x_i.sum() * weights[0] + b,
            }
            if D == 1:  # with one predictor, b·D is b and w[0] is the only weight
                mistakes = {hint: value for hint, value in mistakes.items()
                            if "once per predictor" not in hint and "w[0]" not in hint}
            ex.expect_number(got, _predict_sample(x_i, w, b), inputs, mistakes=mistakes,
                             hint="ŷᵢ = x_i[0, 0]·w[0] + … + x_i[0, D−1]·w[D−1] + b: one number.")
        ex.passed(f"ŷᵢ = xᵢ⁽¹⁾w₁ + … + xᵢ⁽ᴰ⁾w_D + b for random rows xᵢ with D = {', '.join(map(str, sizes))}")


def _call_with_a_row(ex, x_i, w, b):
    """ex.call, with a sharper hint for indexing the row [1×D] as if it were D numbers."""
    __tracebackhide__ = True
    try:
        return ex.call(x_i, w, b)
    except Failed as failure:
        if "IndexError" in failure.message and "axis 0 with size 1" in failure.message:
            failure.hint = ("x_i is a row [1×D], a matrix with one row: its entry j is x_i[0, j] "
                            "(x_i[j] asks for row j, and there is only row 0).")
        raise


@grading(off_limits=["lecture_utils.lessons.linear_regression.predict_loop",
                     "lecture_utils.lessons.linear_regression.predict"])
def check_predict_loop(predict_loop, thorough=False):
    """predict_loop(X, w, b) -> ŷ [N×1] for X [N×D], w the D numbers w₁ … w_D, and a number b.

    Tested alone: while it runs, the learner's `predict_sample` (if it uses it) is replaced by a
    correct one.
    """
    __tracebackhide__ = True
    with Exercise("predict_loop", predict_loop, thorough, stand_in=reference_predict_loop) as ex:
        # (N, D); the edge cases one apartment (N = 1) and one predictor (D = 1) last
        shapes = ex.sizes([(6, 2), (40, 4), (1, 3), (5, 1)], extra=[(2, 1), (17, 7), (200, 5), (1, 1)])
        for case, (N, D) in enumerate(shapes):
            X = ex.rng.uniform(0, 100, size=(N, D))
            weights = ex.rng.uniform(-3, 3, size=D)
            w = weights.tolist() if case % 2 == 0 else weights  # D numbers: a list or an array [D]
            b = float(ex.rng.uniform(-50, 50))
            got = ex.call(X, w, b, references={"predict_sample": _predict_sample})
            expected = X @ weights.reshape(D, 1) + b
            mistakes = {
                "add b once per apartment, not once per predictor: start from b, then add X[i, j]·w[j] "
                "for every j.": X @ weights.reshape(D, 1) + D * b,
                "you forgot to add b.": X @ weights.reshape(D, 1),
                "the loop skips the last predictor: range(D) already runs j = 0, 1, …, D − 1.":
                    X[:, :-1] @ weights[:-1].reshape(D - 1, 1) + b,
                "the loop skips the first predictor: numpy counts from 0, so x⁽¹⁾ is X[:, 0] and w₁ is w[0].":
                    X[:, 1:] @ weights[1:].reshape(D - 1, 1) + b,
                "every predictor has its own weight: multiply X[i, j] by w[j], not by w[0].":
                    X.sum(axis=1, keepdims=True) * weights[0] + b,
                "only the last apartment's sum is kept in every row: reset the sum to b for each i, "
                "and store it in row i.": np.full((N, 1), X[-1] @ weights + b),
            }
            if D == 1:  # with one predictor, b·D is b and w[0] is the only weight
                mistakes = {hint: value for hint, value in mistakes.items()
                            if "once per predictor" not in hint and "w[0]" not in hint}
            ex.expect_array(got, expected, inputs={"X": X, "w": w, "b": b}, mistakes=mistakes,
                            hint="for every apartment i: ŷᵢ = X[i, 0]·w[0] + … + X[i, D−1]·w[D−1] + b.")
        described = ", ".join(f"[{N}×{D}]" for N, D in shapes)
        ex.passed(f"ŷ = x⁽¹⁾w₁ + … + x⁽ᴰ⁾w_D + b for random X of shapes {described}")
