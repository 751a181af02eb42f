"""Walking downhill on ℒ(k, m): derivatives, gradient descent, and SGD on random batches.

The numbers behind notebook 06, for the line ŷ = xk + m and its mean squared error

    ℒ(k, m) = (1/N) Σᵢ (yᵢ - (xᵢk + m))²

    ∂ℒ/∂k = (2/N) Σᵢ xᵢ(ŷᵢ - yᵢ)        ∂ℒ/∂m = (2/N) Σᵢ (ŷᵢ - yᵢ)

One step of gradient descent with learning rate η moves both parameters against
their partial derivatives: k ← k - η ∂ℒ/∂k, m ← m - η ∂ℒ/∂m. Everything here is
numpy only; the pictures are in `plots.descent`.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .linear_regression import least_squares_line, line

__all__ = [
    "forward_difference", "central_difference", "mse_gradient", "mse_hessian", "largest_stable_lr",
    "Curve", "curve_points", "Secants", "secants_at", "DifferenceErrors", "difference_errors_at",
    "gradient_descent", "losses_along", "loss_grid", "Landscape", "loss_landscape", "best_loss", "loss_gap",
    "DownhillField", "downhill_field", "loss_after_steps", "DescentRun", "descent_run", "EdgeRun", "edge_runs",
    "SGDRun", "sgd", "EqualCompute", "equal_compute_training",
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


class Curve(NamedTuple):
    """A function of one number over a range, to draw: θ [S] and f(θ) [S]."""

    thetas: np.ndarray
    values: np.ndarray


def curve_points(f, theta_range, samples=300):
    """f(θ) for `samples` values of θ across theta_range (f must take an array)."""
    thetas = np.linspace(*theta_range, samples)
    return Curve(thetas, np.asarray(f(thetas), dtype=np.float64))


class Secants(NamedTuple):
    """At θ with step h: f(θ), the exact slope f′(θ), the forward and central difference
    quotients, and f(θ − h), f(θ + h) (the secants' other ends)."""

    theta: float
    h: float
    value: float
    exact: float
    forward: float
    central: float
    value_minus: float
    value_plus: float


def secants_at(f, df, theta, h):
    """The tangent's and both secants' slopes at θ for step h; df: the derivative of f."""
    return Secants(theta, h, float(f(theta)), float(df(theta)), float(forward_difference(f, theta, h)),
                   float(central_difference(f, theta, h)), float(f(theta - h)), float(f(theta + h)))


class DifferenceErrors(NamedTuple):
    """|difference quotient − f′(θ)| of the forward and the central difference at θ, for every step
    in `steps` [S] (forward [S], central [S]) and at the step h (at_h: (forward, central))."""

    steps: np.ndarray
    forward: np.ndarray
    central: np.ndarray
    h: float
    at_h: tuple


def difference_errors_at(f, df, theta, h, h_range=(1e-12, 1.0), samples=200):
    """How far the forward and the central difference at θ are from f′(θ), for steps across h_range."""
    steps = np.geomspace(*h_range, samples)
    exact = float(df(theta))
    errors, at_h = [], []
    with np.errstate(divide="ignore", invalid="ignore"):
        for difference in (forward_difference, central_difference):
            errors.append(np.abs(difference(f, theta, steps) - exact))
            at_h.append(abs(float(difference(f, theta, h)) - exact))
    return DifferenceErrors(steps, errors[0], errors[1], h, tuple(at_h))


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
    """∇ℒ(θ) = Hθ − b with θ = (k, m): the Hessian H [2×2] and b = (2/N)·(Σxy, Σy)."""
    x, y = np.ravel(x), np.ravel(y)
    return mse_hessian(x), 2 * np.array([np.mean(x * y), np.mean(y)])


def losses_along(x, y, path):
    """ℒ(k, m) at every row of a path [S×2] -> [S]; each costs nothing per data point.

    ℒ is a quadratic in θ = (k, m): ℒ(θ) = ½ θᵀHθ − bᵀθ + mean y², with H and b from _quadratic.
    """
    H, b = _quadratic(x, y)
    path = np.asarray(path, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return 0.5 * np.sum((path @ H) * path, axis=1) - path @ b + np.mean(np.ravel(y) ** 2)


def loss_grid(x, y, ks, ms):
    """ℒ(k, m) for every pair on a grid: ks [K], ms [M] -> [M×K] (rows follow m), as for contours."""
    K, M = np.meshgrid(ks, ms)
    return losses_along(x, y, np.column_stack([K.ravel(), M.ravel()])).reshape(K.shape)


class Landscape(NamedTuple):
    """ℒ(k, m) over a grid, to draw as contours: ks [K], ms [M], losses [M×K], and the least-squares (k*, m*)."""

    ks: np.ndarray
    ms: np.ndarray
    losses: np.ndarray
    best: tuple


def loss_landscape(x, y, k_range, m_range, resolution=120):
    """ℒ(k, m) of the line ŷ = xk + m on a resolution × resolution grid over k_range × m_range."""
    ks, ms = np.linspace(*k_range, resolution), np.linspace(*m_range, resolution)
    return Landscape(ks, ms, loss_grid(x, y, ks, ms), least_squares_line(x, y))


def best_loss(x, y):
    """ℒ* = ℒ of the least-squares line: no (k, m) does better."""
    return line(x, y, *least_squares_line(x, y)).loss


def loss_gap(x, y, start):
    """How far above ℒ* the start (k, m) is: ℒ(start) − ℒ* (never below a tiny positive floor)."""
    best = best_loss(x, y)
    return max(line(x, y, *start).loss - best, 1e-9 * max(best, 1.0))


class DownhillField(NamedTuple):
    """The ℒ(k, m) landscape, and −∇ℒ as a unit direction at every point of an arrows × arrows grid:
    ks, ms [A×A], directions [A²×2] (row by row)."""

    landscape: Landscape
    ks: np.ndarray
    ms: np.ndarray
    directions: np.ndarray


def downhill_field(x, y, k_range, m_range, arrows=13):
    """Which way is down at every point of a grid over k_range × m_range: −∇ℒ / ‖∇ℒ‖."""
    K, M = np.meshgrid(np.linspace(*k_range, arrows), np.linspace(*m_range, arrows))
    gradient = np.array([mse_gradient(x, y, k, m) for k, m in zip(K.ravel(), M.ravel())])
    down = -gradient / np.linalg.norm(gradient, axis=1, keepdims=True).clip(1e-300)
    return DownhillField(loss_landscape(x, y, k_range, m_range), K, M, down)


def loss_after_steps(x, y, k, m, lrs, steps):
    """ℒ after `steps` steps of gradient descent from (k, m), for every learning rate in lrs [L] -> [L].

    All runs at once: the gradient of the quadratic ℒ is Hθ - b, so each step costs
    nothing per data point.
    """
    H, b = _quadratic(x, y)
    lrs = np.asarray(lrs, dtype=np.float64)
    theta = np.tile(np.array([k, m], dtype=np.float64), (len(lrs), 1))  # [L×2]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            theta = theta - lrs[:, None] * (theta @ H - b)
    return losses_along(x, y, theta)


class DescentRun(NamedTuple):
    """Gradient descent from `start` with learning rate lr for `steps` steps, and what to compare it with.

    path [(steps + 1)×2] and losses [steps + 1]: (k, m) and ℒ after each step;
    best: ℒ*; gap: ℒ(start) − ℒ*; threshold: 2/λ_max;
    lrs [L] and final_losses [L]: ℒ after the same number of steps for every η in [0, lr_max].
    """

    lr: float
    steps: int
    path: np.ndarray
    losses: np.ndarray
    best: float
    gap: float
    threshold: float
    lrs: np.ndarray
    final_losses: np.ndarray


def descent_run(x, y, lr, steps, lr_max=None, start=(0.0, 0.0), sweep=241):
    """Gradient descent with η = lr, and ℒ after `steps` steps for `sweep` values of η from 0 to
    lr_max (default 1.3 × 2/λ_max)."""
    threshold = largest_stable_lr(x)
    lr_max = lr_max if lr_max is not None else 1.3 * threshold
    path = gradient_descent(x, y, *start, lr, steps)
    lrs = np.linspace(0, lr_max, sweep)
    return DescentRun(lr, steps, path, losses_along(x, y, path), best_loss(x, y), loss_gap(x, y, start),
                      threshold, lrs, loss_after_steps(x, y, *start, lrs, steps))


class EdgeRun(NamedTuple):
    """Gradient descent with η a fixed fraction of 2/λ_max, for one way of writing x.

    label; landscape: ℒ(k, m) around it; lr: the η used; condition: λ_max/λ_min;
    path [(S + 1)×2]; left [S + 1]: (ℒ − ℒ*) / (ℒ₀ − ℒ*), the fraction of the way down still to go.
    """

    label: str
    landscape: Landscape
    lr: float
    condition: float
    path: np.ndarray
    left: np.ndarray


def edge_runs(y, variants, steps=100, start=(0.0, 0.0), edge_fraction=0.9):
    """The same data with x in different units, each run with η = edge_fraction × 2/λ_max of its own.

    variants: [(label, x [N×1], k_range, m_range), ...] -> [EdgeRun, ...].
    """
    runs = []
    for label, x, k_range, m_range in variants:
        eigenvalues = np.linalg.eigvalsh(mse_hessian(x))
        lr = edge_fraction * 2 / eigenvalues.max()
        path = gradient_descent(x, y, *start, lr, steps)
        losses, best = losses_along(x, y, path), best_loss(x, y)
        left = np.clip((losses - best) / (losses[0] - best), 1e-16, None)
        runs.append(EdgeRun(label, loss_landscape(x, y, k_range, m_range), lr,
                            eigenvalues.max() / eigenvalues.min(), path, left))
    return runs


# --- SGD: gradient descent on random batches of B samples ---------------------------------

@dataclass
class SGDRun:
    """One run of SGD: gradient descent on random batches of B samples.

    path:     [(S + 1)×2], (k, m) at the start and after each of the S steps
    examples: [S + 1], how many single-example gradients had been computed by then
    """

    batch_size: int
    path: np.ndarray
    examples: np.ndarray

    @property
    def steps(self):
        return len(self.path) - 1


def sgd(x, y, k, m, lr, batch_size, epochs, seed=0):
    """SGD for `epochs` passes over the data: gradient descent on random batches of B = `batch_size` rows.

    Each epoch shuffles the N rows (seeded) and walks through them in batches of B (the last
    one smaller if N is not a multiple); each batch is one step with that batch's gradient,
    mse_gradient(x[rows], y[rows], k, m). Any B from 1 to N is SGD, as in the lecture; with
    B = N every batch is all the data, and the steps are those of gradient descent. Every run
    of the same number of epochs computes the same number (epochs·N) of single-example
    gradients: equal compute. x, y: [N×1] (or N numbers); returns an SGDRun.
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


class EqualCompute(NamedTuple):
    """Gradient descent (B = N) and SGD with batches of B and of 1, given the same number of
    single-example gradients: lr, N, the batch size B, best (ℒ*), and
    runs [(SGDRun, losses [S + 1]), ...] from the smallest batch to the largest."""

    lr: float
    N: int
    batch_size: int
    best: float
    runs: list


def equal_compute_training(x, y, lr, batch_size, epochs, seed=0, start=(0.0, 0.0)):
    """SGD with B = 1 and B = `batch_size`, and gradient descent, each for `epochs` epochs with η = lr."""
    N = len(np.ravel(x))
    runs = []
    for size in sorted({1, batch_size, N}):
        run = sgd(x, y, *start, lr, size, epochs, seed)
        runs.append((run, losses_along(x, y, run.path)))
    return EqualCompute(lr, N, batch_size, best_loss(x, y), runs)

