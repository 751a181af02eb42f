"""Numerical gradients by central differences, to check backprop against.

    dL/dw ≈ (L(w + h) - L(w - h)) / 2h        for every entry w of a parameter

`check_gradients(loss_fn, [W1, b1, ...])` runs backward once, computes the numerical
gradient of every parameter, and prints a table with a verdict per parameter.
"""

from dataclasses import dataclass

import numpy as np

from .autograd import shape_str

__all__ = ["numerical_gradient", "rel_error", "Level", "LEVELS", "CORRECT", "PROBABLY_CORRECT", "SUSPICIOUS",
           "WRONG", "level_of", "verdict", "check_gradients", "GradientCheck"]


@dataclass(frozen=True)
class Level:
    """A verdict on a relative error between analytic and numeric gradients: `mark` ("✓") and `words`
    ("correct") for any error up to `limit`."""

    mark: str
    words: str
    limit: float

    @property
    def text(self):
        """'✓ correct': the verdict as a table or a picture writes it."""
        return f"{self.mark} {self.words}"


# CS231n's rule of thumb, from the best verdict to the worst.
CORRECT = Level("✓", "correct", 1e-7)
PROBABLY_CORRECT = Level("~", "probably correct (a kink such as ReLU at 0 nearby?)", 1e-4)
SUSPICIOUS = Level("?", "suspicious", 1e-2)
WRONG = Level("✗", "wrong", float("inf"))
LEVELS = (CORRECT, PROBABLY_CORRECT, SUSPICIOUS, WRONG)


def numerical_gradient(f, x, h=1e-6):
    """Central-difference gradient of a scalar function f at the array x.

    f: callable taking x and returning a number (or a [1×1] array / Tensor).
    x: float64 array of any shape. Each entry is nudged by ±h IN PLACE and restored,
       so f may also read x through another reference (e.g. a Tensor's .value).
    Returns an array of x's shape: (f(x + h·e_i) - f(x - h·e_i)) / 2h for every entry i.
    """
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        raise TypeError(f"numerical_gradient needs a float64 numpy array, got {type(x).__name__}.")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = _as_number(f(x))
        x[i] = original - h
        f_minus = _as_number(f(x))
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _as_number(y):
    """A Tensor's or array's single value as a float."""
    value = np.asarray(getattr(y, "value", y), dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"numerical_gradient: f must return one number, got {shape_str(value.shape)}.")
    return float(value.reshape(-1)[0])


def rel_error(a, b, floor=1e-8):
    """Relative error ‖a - b‖ / max(‖a‖ + ‖b‖, floor) between two gradients.

    Scale-free: 1e-7 means the two agree to about seven significant digits.
    Below `floor` (CS231n's 1e-8) the difference is compared absolutely, so two
    gradients that are both zero up to rounding count as equal.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes differ, {shape_str(a.shape)} vs {shape_str(b.shape)}.")
    scale = max(np.linalg.norm(a) + np.linalg.norm(b), floor)
    return float(np.linalg.norm(a - b) / scale)


def level_of(error):
    """The first of LEVELS whose limit the relative error stays within (NaN: WRONG)."""
    return next((level for level in LEVELS if error <= level.limit), WRONG)


def verdict(error):
    """The CS231n-style verdict for a relative error, as text: '✓ correct'."""
    return level_of(error).text


@dataclass
class GradientCheck:
    """One row of the table: a parameter's analytic and numerical gradient."""

    name: str
    analytic: np.ndarray
    numeric: np.ndarray

    @property
    def error(self):
        return rel_error(self.analytic, self.numeric)

    @property
    def level(self):
        """Its verdict: one of LEVELS."""
        return level_of(self.error)

    @property
    def verdict(self):
        return self.level.text

    @property
    def ok(self):
        """Correct or probably correct."""
        return self.level in (CORRECT, PROBABLY_CORRECT)


def check_gradients(loss_fn, parameters, h=1e-6, show=True):
    """Compare backprop's gradients with central differences for each parameter.

    loss_fn: callable with no arguments that builds the graph and returns the [1×1] loss
             Tensor from the parameters' current values.
    parameters: Tensors with requires_grad=True.
    Prints a table (if show) and returns a list of GradientCheck, one per parameter.
    """
    for p in parameters:
        p.zero_grad()
    loss_fn().backward()
    rows = []
    for p in parameters:
        analytic = np.zeros_like(p.value) if p.grad is None else p.grad.copy()
        numeric = numerical_gradient(lambda _: loss_fn(), p.value, h)
        rows.append(GradientCheck(p.name or "?", analytic, numeric))
    if show:
        print(format_table(rows))
    return rows


def format_table(rows):
    """The rows as a text table: parameter, shape, first entries, relative error, verdict."""
    def first(a):
        return " ".join(f"{v:+.4f}" for v in a.reshape(-1)[:2]) + (" …" if a.size > 2 else "")

    header = ["parameter", "shape", "analytic", "numeric", "rel. error", "verdict"]
    body = [
        [r.name, shape_str(r.analytic.shape), first(r.analytic), first(r.numeric), f"{r.error:.1e}", r.verdict]
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in [header] + body) for i in range(len(header) - 1)]
    lines = []
    for line in [header] + body:
        cells = [str(cell).ljust(width) for cell, width in zip(line, widths)] + [line[-1]]
        lines.append("  ".join(cells))
    return "\n".join(lines)
