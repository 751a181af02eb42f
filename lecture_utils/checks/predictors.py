"""Checks for notebook 02: more predictors, ŷ = x⁽¹⁾w₁ + … + x⁽ᴰ⁾w_D + b."""

import numpy as np

from .exercise import Exercise, grading

__all__ = ["check_predict_loop"]


@grading(off_limits=["lecture_utils.linear_model.predict_loop", "lecture_utils.linear_model.predict"])
def check_predict_loop(predict_loop, thorough=False):
    """predict_loop(X, w, b) -> ŷ [N×1] for X [N×D], w the D numbers w₁ … w_D, and a number b."""
    __tracebackhide__ = True
    with Exercise("predict_loop", predict_loop, thorough) as ex:
        # (N, D); the edge cases one apartment (N = 1) and one predictor (D = 1) last
        shapes = ex.sizes([(6, 2), (40, 4), (1, 3), (5, 1)], extra=[(2, 1), (17, 7), (200, 5), (1, 1)])
        for case, (N, D) in enumerate(shapes):
            X = ex.rng.uniform(0, 100, size=(N, D))
            weights = ex.rng.uniform(-3, 3, size=D)
            w = weights.tolist() if case % 2 == 0 else weights  # D numbers: a list or an array [D]
            b = float(ex.rng.uniform(-50, 50))
            got = ex.call(X, w, b)
            expected = X @ weights.reshape(D, 1) + b
            mistakes = {
                "add b once per apartment, not once per predictor: start from b, then add X[i, d]·w[d] "
                "for every d.": X @ weights.reshape(D, 1) + D * b,
                "you forgot to add b.": X @ weights.reshape(D, 1),
                "the loop skips the last predictor: range(D) already runs d = 0, 1, …, D − 1.":
                    X[:, :-1] @ weights[:-1].reshape(D - 1, 1) + b,
                "the loop skips the first predictor: numpy counts from 0, so x⁽¹⁾ is X[:, 0] and w₁ is w[0].":
                    X[:, 1:] @ weights[1:].reshape(D - 1, 1) + b,
                "every predictor has its own weight: multiply X[i, d] by w[d], not by w[0].":
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
