"""Checks for notebook 03: the matrix form ŷ = Xw + b, and b absorbed as a column of ones."""

import numpy as np

from ..autograd import shape_str
from ..lessons.linear_regression import add_ones_column as reference_add_ones_column
from ..lessons.linear_regression import predict as reference_predict
from .exercise import Exercise, grading
from .verdicts import Failed

__all__ = ["check_predict_vectorised", "check_add_ones_column"]

# What notebook 03's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.load_apartments",
)


@grading(off_limits=["lecture_utils.lessons.linear_regression.predict",
                     "lecture_utils.lessons.linear_regression.predict_loop"])
def check_predict_vectorised(predict, thorough=False):
    """predict(X, w, b) -> ŷ = Xw + b [N×1] for X [N×D], a column w [D×1] and a number b."""
    __tracebackhide__ = True
    with Exercise("predict", predict, thorough, stand_in=reference_predict) as ex:
        # (N, D); the edge cases one apartment (N = 1) and one predictor (D = 1) last
        shapes = ex.sizes([(6, 3), (50, 4), (1, 3), (5, 1)], extra=[(2, 2), (17, 7), (300, 5), (1, 1)])
        for N, D in shapes:
            X = ex.rng.uniform(0, 100, size=(N, D))
            w = ex.rng.uniform(-3, 3, size=(D, 1))
            b = float(ex.rng.uniform(-50, 50))
            inputs = {"X": X, "w": w, "b": b}
            got = ex.call(X, w, b)
            if isinstance(got, np.ndarray) and got.shape == (N, D) and D > 1:
                raise Failed(
                    f"It returned shape {shape_str(got.shape)}, expected [{N}×1], for X [{N}×{D}], w [{D}×1].",
                    "X * w.T multiplies entry by entry; the matrix product is X @ w: [N×D] @ [D×1] -> [N×1].")
            ex.expect_array(
                got, X @ w + b, inputs=inputs,
                mistakes={
                    "you forgot to add b.": X @ w,
                    "b is added once to each row, not once per predictor: ŷ = Xw + b.": X @ w + D * b,
                    "multiply X by w, and add b: ŷ = Xw + b, not (X + b)w.": (X + b) @ w,
                },
                hint="ŷ = X @ w + b: [N×D] @ [D×1] -> [N×1], then b is added to every row.",
            )
        described = ", ".join(f"[{N}×{D}]" for N, D in shapes)
        ex.passed(f"ŷ = Xw + b for random X of shapes {described}")


@grading(off_limits=["lecture_utils.lessons.linear_regression.add_ones_column"])
def check_add_ones_column(add_ones_column, thorough=False):
    """add_ones_column(X) -> X̃ = [X 1] [N×(D+1)]: X [N×D] with a column of ones appended on the right."""
    __tracebackhide__ = True
    with Exercise("add_ones_column", add_ones_column, thorough, stand_in=reference_add_ones_column) as ex:
        shapes = ex.sizes([(5, 2), (40, 4), (1, 3), (4, 1)], extra=[(2, 2), (17, 7), (300, 5), (1, 1)])
        for N, D in shapes:
            X = ex.rng.uniform(-100, 100, size=(N, D))
            ones = np.ones((N, 1))
            got = ex.call(X)
            if isinstance(got, np.ndarray) and got.shape == (N + 1, D):
                raise Failed(
                    f"It returned shape {shape_str(got.shape)}, expected [{N}×{D + 1}], for X [{N}×{D}].",
                    "that adds a ROW of ones; b needs a COLUMN: one 1 for every row (apartment), e.g. "
                    "np.hstack([X, np.ones((N, 1))]).")
            if isinstance(got, np.ndarray) and got.shape == (N, D):
                raise Failed(
                    f"It returned shape {shape_str(got.shape)}, expected [{N}×{D + 1}], for X [{N}×{D}].",
                    "add a new column next to the D columns of X (do not overwrite one): X̃ has D + 1 columns.")
            ex.expect_array(
                got, np.hstack([X, ones]), inputs={"X": X},
                mistakes={
                    "put the column of ones last, so that X̃w̃ = Xw + 1·b with w̃ = [w; b].": np.hstack([ones, X]),
                    "a column of ONES: 1·b = b, while 0·b = 0 would drop the bias.": np.hstack([X, 0 * ones]),
                    "the new column holds ones, not the number of rows N.": np.hstack([X, N * ones]),
                },
                hint="X̃ = [X 1]: keep every column of X as it is, and append one column of ones on the right.",
            )
        described = ", ".join(f"[{N}×{D}]" for N, D in shapes)
        ex.passed(f"X̃ = [X 1] for random X of shapes {described}")
