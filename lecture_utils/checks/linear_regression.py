"""Checks for notebook 01: a line ŷ = xk + m and its mean squared error."""

import numpy as np

from ..lessons.linear_regression import mean_squared_error
from .exercise import Exercise, grading

__all__ = ["check_predict", "check_mse"]

# What notebook 01's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.load_apartments",
    "lecture_utils.lessons.linear_regression.least_squares_line",
)


def reference_predict(x, k, m):
    """ŷ = xk + m for a column x [N×1] and numbers k, m -> [N×1]."""
    return x * k + m


@grading(off_limits=["lecture_utils.lessons.linear_regression.predict",
                     "lecture_utils.lessons.linear_regression.predict_loop",
                     "lecture_utils.lessons.linear_regression.line"])
def check_predict(predict, thorough=False):
    """predict(x, k, m) -> ŷ = xk + m, with x a column [N×1] and k, m numbers; ŷ is [N×1]."""
    __tracebackhide__ = True
    with Exercise("predict", predict, thorough, stand_in=reference_predict) as ex:
        sizes = ex.sizes([3, 50, 1])  # the edge case N = 1 last: it hides some mistakes
        for N in sizes:
            x = ex.rng.uniform(20, 150, size=(N, 1))  # square footage
            k, m = ex.rng.uniform(1, 5), ex.rng.uniform(-50, 50)
            got = ex.call(x, k, m)
            ex.expect_array(
                got, x * k + m, inputs={"x": x, "k": k, "m": m},
                mistakes={
                    "did you swap k and m? The slope k multiplies x; m is added.": x * m + k,
                    "you forgot to add m.": x * k,
                    "you added k instead of multiplying: ŷ = xk + m.": x + k + m,
                },
                hint="ŷ = xk + m: multiply every x by k, then add m.",
            )
        ex.passed(f"ŷ = xk + m for random x [N×1] with N = {', '.join(map(str, sizes))}")


@grading(off_limits=["lecture_utils.lessons.linear_regression.mean_squared_error", "lecture_utils.nn.mse",
                     "lecture_utils.lessons.linear_regression.line_errors",
                     "lecture_utils.lessons.descent.losses_along"])
def check_mse(mse, thorough=False):
    """mse(y, y_hat) -> one number, the mean of (y - ŷ)² over the N rows of [N×1] columns."""
    __tracebackhide__ = True
    with Exercise("mse", mse, thorough, stand_in=mean_squared_error) as ex:
        sizes = ex.sizes([4, 60, 1])  # the edge case N = 1 last: it hides some mistakes
        for N in sizes:
            y = ex.rng.normal(300, 80, size=(N, 1))
            y_hat = y + ex.rng.normal(0, 30, size=(N, 1))
            err = y - y_hat
            got = ex.call(y, y_hat)
            mistakes = {
                "divide the sum by N: the MEAN squared error.": np.sum(err**2),
                "square the errors, do not take their absolute value.": np.mean(np.abs(err)),
                "no square root: that would be the RMSE.": np.sqrt(np.mean(err**2)),
                "square each error first, then average.": np.mean(err) ** 2,
                "y [N×1] minus a flattened ŷ [N] broadcasts to [N×N]: keep both as columns.":
                    np.mean((y - y_hat.reshape(-1)) ** 2),
            }
            if N == 1:  # for one row, the sum and the mean agree; no hint can tell them apart
                mistakes.pop("divide the sum by N: the MEAN squared error.")
            ex.expect_number(got, np.mean(err**2), inputs={"y": y, "y_hat": y_hat}, mistakes=mistakes,
                             hint="ℒ = (1/N) Σ (yᵢ − ŷᵢ)².")
        ex.passed(f"the mean of (y - ŷ)² for N = {', '.join(map(str, sizes))}")
