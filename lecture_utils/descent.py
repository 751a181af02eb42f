"""Walking downhill on ℒ(k, m): derivatives, gradient descent and its mini-batch variants.

The numbers behind notebook 06, for the line ŷ = xk + m and its mean squared error

    ℒ(k, m) = (1/N) Σᵢ (yᵢ - (xᵢk + m))²

    ∂ℒ/∂k = (2/N) Σᵢ xᵢ(ŷᵢ - yᵢ)        ∂ℒ/∂m = (2/N) Σᵢ (ŷᵢ - yᵢ)

One step of gradient descent with learning rate η moves both parameters against
their partial derivatives: k ← k - η ∂ℒ/∂k, m ← m - η ∂ℒ/∂m. Everything here is
numpy only; the pictures are in `plots.descent`.
"""

from dataclasses import dataclass

import numpy as np

__all__ = [
    "forward_difference", "central_difference", "mse_gradient", "mse_hessian", "largest_stable_lr",
    "gradient_descent", "losses_along", "loss_after_steps", "SGDRun", "minibatch_sgd",
]


# --- the derivative of a function of one number -------------------------------------------

def forward_difference(f, theta, h):
    """The slope of the secant from θ to θ + h: (f(θ + h) - f(θ)) / h. h may be an array."""
    h = np.asarray(h, dtype=np.float64)
    return (f(theta + h) - f(theta)) / h


def central_difference(f, theta, h):
    """The slope of the secant from θ - h to θ + h: (f(θ + h) - f(θ - h)) / 2h. h may be an array."""
    h = np.asarray(h, dtype=np.float64)
    return (f(theta + h) - f(theta - h)) / (2 * h)


# --- the gradient and the curvature of the mean squared error -------------------------------

def mse_gradient(x, y, k, m):
    """(∂ℒ/∂k, ∂ℒ/∂m) of the mean squared error of ŷ = xk + m; x, y: [N×1] -> two numbers."""
    x, y = np.ravel(x), np.ravel(y)
    y_hat = x * k + m
    return float(2 * np.mean(x * (y_hat - y))), float(2 * np.mean(y_hat - y))


def mse_hessian(x):
    """The Hessian of ℒ(k, m): its second derivatives, (2/N)·[[Σx², Σx], [Σx, N]], [2×2].

    ℒ is a quadratic in (k, m), so the Hessian is the same everywhere and does not
    depend on y: it is the curvature of the bowl.
    """
    x = np.ravel(x)
    N = len(x)
    return 2 / N * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), N]])


def largest_stable_lr(x):
    """2 / λ_max: gradient descent on ℒ(k, m) converges for η below it and diverges above."""
    return float(2 / np.linalg.eigvalsh(mse_hessian(x)).max())


# --- gradient descent -----------------------------------------------------------------------

def gradient_descent(x, y, k, m, lr, steps):
    """`steps` steps of gradient descent from (k, m) with learning rate lr (η).

    Returns the path: [(steps + 1)×2], row t is (k, m) after t steps (row 0 the start).
    """
    path = [(k, m)]
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run may reach inf
        for _ in range(steps):
            dk, dm = mse_gradient(x, y, k, m)
            k, m = k - lr * dk, m - lr * dm
            path.append((k, m))
    return np.array(path, dtype=np.float64)


def _quadratic(x, y):
    """ℒ(θ) = ½ θᵀHθ - bᵀθ + c with θ = (k, m): the Hessian H [2×2], b = (2/N)·(Σxy, Σy) and c = mean y²."""
    x, y = np.ravel(x), np.ravel(y)
    return mse_hessian(x), 2 * np.array([np.mean(x * y), np.mean(y)]), np.mean(y * y)


def losses_along(x, y, path):
    """ℒ(k, m) at every row of a path [S×2] -> [S]; each costs nothing per data point."""
    H, b, c = _quadratic(x, y)
    path = np.asarray(path, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return 0.5 * np.sum((path @ H) * path, axis=1) - path @ b + c


def loss_after_steps(x, y, k, m, lrs, steps):
    """ℒ after `steps` steps of gradient descent from (k, m), for every learning rate in lrs [L] -> [L].

    All runs at once: the gradient of the quadratic ℒ is Hθ - b, so each step costs
    nothing per data point.
    """
    H, b, _ = _quadratic(x, y)
    lrs = np.asarray(lrs, dtype=np.float64)
    theta = np.tile(np.array([k, m], dtype=np.float64), (len(lrs), 1))  # [L×2]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            theta = theta - lrs[:, None] * (theta @ H - b)
    return losses_along(x, y, theta)


# --- stochastic and mini-batch gradient descent ---------------------------------------------

@dataclass
class SGDRun:
    """One run of mini-batch gradient descent.

    path:     [(S + 1)×2], (k, m) at the start and after each of the S steps
    examples: [S + 1], how many single-example gradients had been computed by then
    """

    batch_size: int
    path: np.ndarray
    examples: np.ndarray

    @property
    def steps(self):
        return len(self.path) - 1


def minibatch_sgd(x, y, k, m, lr, batch_size, epochs, seed=0):
    """Mini-batch gradient descent for `epochs` passes over the data.

    Each epoch shuffles the N rows (seeded) and walks through them in batches of
    `batch_size` (the last one smaller if N is not a multiple); each batch is one
    step with that batch's gradient, mse_gradient(x[rows], y[rows], k, m).
    batch_size = N is gradient descent, 1 is SGD. Every run of the same number of
    epochs computes the same number (epochs·N) of single-example gradients: equal compute.
    """
    x, y = np.ravel(x), np.ravel(y)
    N = len(x)
    if not 1 <= batch_size <= N:
        raise ValueError(f"batch_size must be between 1 and N = {N}, got {batch_size}.")
    rng = np.random.default_rng(seed)
    path, examples = [(k, m)], [0]
    for _ in range(epochs):
        order = rng.permutation(N)
        xs, ys = x[order], y[order]
        starts = np.arange(0, N, batch_size)
        sizes = np.diff(np.append(starts, N))
        # A batch's gradient is linear in (k, m) with coefficients that are means over
        # the batch: ∂ℒ/∂k = 2(k·mean x² + m·mean x - mean xy), ∂ℒ/∂m = 2(k·mean x + m - mean y).
        # Computing these means for all batches at once makes a step cost nothing per row.
        means = [np.add.reduceat(values, starts) / sizes for values in (xs * xs, xs, xs * ys, ys)]
        for xx, x1, xy, y1, size in zip(*(column.tolist() for column in means), sizes.tolist()):
            dk, dm = 2 * (k * xx + m * x1 - xy), 2 * (k * x1 + m - y1)
            k, m = k - lr * dk, m - lr * dm
            path.append((k, m))
            examples.append(examples[-1] + size)
    return SGDRun(batch_size, np.array(path, dtype=np.float64), np.array(examples))
