"""The linear model of notebooks 02 and 03 in plain numpy: ŷ = x⁽¹⁾w₁ + … + x⁽ᴰ⁾w_D + b = Xw + b.

    X  [N×D]   one row per sample (an apartment), one column per predictor x⁽ᵈ⁾
    w  [D×1]   one weight per predictor
    b          one number, the bias, added to every row
    ŷ  [N×1]   one prediction per row

These are the references the pictures, the timings and the exercise checks use.
numpy counts from 0, the formulas from 1: x⁽¹⁾ is X[:, 0] and w₁ is w[0].
"""

import numpy as np

__all__ = ["predict_loop", "predict", "add_ones_column", "least_squares", "mean_squared_error"]


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
