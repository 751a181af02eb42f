"""The linear model of notebooks 02 and 03 in plain numpy: ŷ = x⁽¹⁾w₁ + … + x⁽ᴰ⁾w_D + b = Xw + b.

    X  [N×D]   one row per sample (an apartment), one column per predictor x⁽ᵈ⁾
    w  [D×1]   one weight per predictor
    b          one number, the bias, added to every row
    ŷ  [N×1]   one prediction per row

These are the references the pictures, the timings and the exercise checks use.
numpy counts from 0, the formulas from 1: x⁽¹⁾ is X[:, 0] and w₁ is w[0].
Notebook 01's line ŷ = xk + m and notebook 02's plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b are the
cases D = 1 and D = 2 (`line`, `plane`: their predictions and ℒ on the data, for a picture);
notebook 04's layer H = XW + b with a 2×2 W maps the whole plane (`map_plane`).
"""

from typing import NamedTuple

import numpy as np

__all__ = ["predict_loop", "predict", "add_ones_column", "least_squares", "mean_squared_error",
           "Line", "line", "least_squares_line", "LineErrors", "line_errors",
           "Plane", "plane", "least_squares_plane", "losses_with_more_predictors", "MappedPlane", "map_plane"]


def predict_loop(X, w, b):
    """ŷᵢ = Xᵢ₁w₁ + … + X_iD·w_D + b, one apartment and one predictor at a time (notebook 02).

    X: [N×D]; w: D numbers ([D] or [D×1]); b: a number -> ŷ: [N×1].
    """
    X = np.asarray(X, dtype=np.float64)
    w = np.ravel(w).tolist()  # plain Python numbers: this is the loop as Python runs it
    b = float(np.squeeze(b))
    N, D = X.shape
    y_hat = np.zeros((N, 1))
    for i in range(N):
        total = b
        for d in range(D):
            total += X[i, d] * w[d]
        y_hat[i, 0] = total
    return y_hat


def predict(X, w, b):
    """ŷ = Xw + b as one matrix product: X [N×D] @ w [D×1] -> [N×1], plus b in every row."""
    return np.asarray(X, dtype=np.float64) @ np.reshape(w, (-1, 1)) + b


def add_ones_column(X):
    """X̃ = [X 1]: X [N×D] with a column of ones appended -> [N×(D+1)], so that X̃ [w; b] = Xw + b."""
    X = np.asarray(X, dtype=np.float64)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def least_squares(X, y):
    """The w [D×1] and b minimising the mean squared error of ŷ = Xw + b for X [N×D], y [N×1].

    Solves for w̃ = [w; b] with the ones column X̃ = [X 1] (notebook 03).
    """
    w_tilde, *_ = np.linalg.lstsq(add_ones_column(X), np.reshape(y, (-1, 1)), rcond=None)
    return w_tilde[:-1], float(w_tilde[-1, 0])


def mean_squared_error(y, y_hat):
    """ℒ = (1/N) Σ (yᵢ − ŷᵢ)² for two columns [N×1] (or flat arrays of N numbers) -> one number."""
    return float(np.mean((np.ravel(y) - np.ravel(y_hat)) ** 2))


# --- one predictor: the line ŷ = xk + m (notebook 01) --------------------------------------------

class Line(NamedTuple):
    """The line ŷ = xk + m on the data: k, m, the predictions ŷ [N] and their ℒ (the MSE)."""

    k: float
    m: float
    y_hat: np.ndarray
    loss: float


def line(x, y, k, m):
    """ŷ = xk + m for every x [N×1] (or [N]) and its mean squared error against y."""
    y_hat = np.ravel(x) * k + m
    return Line(k, m, y_hat, mean_squared_error(y, y_hat))


def least_squares_line(x, y):
    """The (k, m) minimising the mean squared error of ŷ = xk + m; x, y: [N×1] or [N]."""
    w, b = least_squares(np.reshape(x, (-1, 1)), y)
    return float(w[0, 0]), b


class LineErrors(NamedTuple):
    """Each sample's error under one line, in order of x, as |y − ŷ| and as (y − ŷ)²: [N] each.

    means:   (mean |y − ŷ|, mean (y − ŷ)²)
    outlier: where the outlier (the last sample given) is in that order, or None;
    outlier_shares: its part of the total |y − ŷ| and of the total (y − ŷ)², or None.
    """

    absolute: np.ndarray
    squared: np.ndarray
    means: tuple
    outlier: int | None
    outlier_shares: tuple | None


def line_errors(x, y, k, m, outlier=False):
    """The errors of ŷ = xk + m on every sample, in order of x (ties keep their order).

    outlier: True if the last sample is an outlier to follow (see data.with_outlier).
    """
    x, y = np.ravel(x), np.ravel(y)
    order = np.argsort(x, kind="stable")
    err = (y - (x * k + m))[order]
    absolute, squared = np.abs(err), err**2
    means = (float(absolute.mean()), float(squared.mean()))
    if not outlier:
        return LineErrors(absolute, squared, means, None, None)
    position = int(np.flatnonzero(order == len(x) - 1)[0])
    shares = tuple(float(values[position] / values.sum()) for values in (absolute, squared))
    return LineErrors(absolute, squared, means, position, shares)


# --- two predictors: the plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b (notebook 02) ------------------------------

class Plane(NamedTuple):
    """The plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b on the data: w₁, w₂, b, the predictions ŷ [N] and ℒ."""

    w1: float
    w2: float
    b: float
    y_hat: np.ndarray
    loss: float


def plane(x1, x2, y, w1, w2, b):
    """ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b for every sample (x1, x2: [N×1] or [N]) and its mean squared error."""
    y_hat = np.ravel(x1) * w1 + np.ravel(x2) * w2 + b
    return Plane(w1, w2, b, y_hat, mean_squared_error(y, y_hat))


def least_squares_plane(x1, x2, y):
    """The (w₁, w₂, b) minimising the mean squared error of ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b; x1, x2, y: [N×1]."""
    w, b = least_squares(np.column_stack([np.ravel(x1), np.ravel(x2)]), y)
    return float(w[0, 0]), float(w[1, 0]), b


def losses_with_more_predictors(columns, y):
    """ℒ of the least-squares fit with the first 1, 2, …, D predictors.

    columns: {name: [N×1]} in the order the predictors are added; y: [N×1].
    Returns {name: ℒ with the predictors up to and including that one}.
    """
    names, losses = list(columns), {}
    for D in range(1, len(names) + 1):
        X = np.hstack([np.reshape(columns[name], (-1, 1)) for name in names[:D]])
        w, b = least_squares(X, y)
        losses[names[D - 1]] = mean_squared_error(y, predict(X, w, b))
    return losses


# --- a 2×2 W acting on the plane: H = XW + b (notebook 04) ---------------------------------------

UNIT_SQUARE = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])


class MappedPlane(NamedTuple):
    """A grid, the unit square and some points of the plane after P ↦ PW + b, each point on its own.

    x1_lines, x2_lines: the lines x⁽¹⁾ = c and x⁽²⁾ = c after the map ([samples×2] each); square [4×2];
    points [P×2]; W [2×2] and det W (how areas scale; 0: the plane is flattened onto a line).
    """

    x1_lines: list
    x2_lines: list
    square: np.ndarray
    points: np.ndarray
    W: np.ndarray
    det: float


def map_plane(points, W=np.eye(2), b=(0.0, 0.0), limit=2.0, count=5, samples=21):
    """The lines x⁽¹⁾ = c and x⁽²⁾ = c for `count` values c in [−limit, limit], the unit square and the
    points [P×2], all mapped by H = XW + b: W [2×2], b [1×2] (or two numbers)."""
    W = np.asarray(W, dtype=float).reshape(2, 2)
    b = np.asarray(b, dtype=float).reshape(1, 2)
    values = np.linspace(-limit, limit, count)
    along = np.linspace(-limit, limit, samples)
    x1_lines = [np.column_stack([np.full(samples, c), along]) @ W + b for c in values]
    x2_lines = [np.column_stack([along, np.full(samples, c)]) @ W + b for c in values]
    mapped = np.asarray(points, dtype=float) @ W + b
    return MappedPlane(x1_lines, x2_lines, UNIT_SQUARE @ W + b, mapped, W, float(np.linalg.det(W)))

