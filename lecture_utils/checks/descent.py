"""Checks for notebook 06: finding the best fit: derivatives and gradient descent."""

from fractions import Fraction

import numpy as np

from ..autograd import Tensor
from ..lessons.descent import mse_gradient as reference_mse_gradient
from .exercise import NUMERICAL_DERIVATIVES, Exercise, grading
from .verdicts import Failed, describe_inputs_dict, preview

__all__ = ["check_mse_gradient", "check_gd_step"]

# What notebook 06's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.load_apartments",
)


def _random_line_data(ex, N):
    """Apartment-like data: x in thousands of square feet [N×1], prices y [N×1], and a line (k, m)."""
    x = ex.rng.uniform(0.4, 3.0, size=(N, 1))
    y = 240 * x + 30 + ex.rng.normal(0, 60, size=(N, 1))
    k, m = ex.rng.uniform(-100, 400), ex.rng.uniform(-200, 300)
    return x, y, float(k), float(m)


def _two_numbers(got, what, inputs, hint):
    """The learner's answer as two numbers (a tuple, a list or an array of two entries,
    each may be a [1×1] array); otherwise a Failed that says what is wrong."""
    if got is None:
        raise Failed(f"It returned None for {describe_inputs_dict(inputs)}.", "did you forget the `return` statement?")
    if isinstance(got, Tensor) or (isinstance(got, (tuple, list)) and any(isinstance(p, Tensor) for p in got)):
        raise Failed("It returned a Tensor; this exercise works on plain numbers and numpy arrays.",
                     "compute it with numpy, or return the Tensor's .value.")
    if isinstance(got, np.ndarray) and got.size == 2:
        got = list(got.reshape(-1))
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        shown = preview(got) if isinstance(got, np.ndarray) else f"{got!r:.80}"
        raise Failed(f"It returned {shown}; expected two numbers, {what}.", hint)
    numbers = []
    for part in got:
        try:
            value = np.asarray(part, dtype=np.float64)
        except (TypeError, ValueError):
            raise Failed(f"It returned {part!r:.60} where a number belongs; expected two numbers, {what}.",
                         hint) from None
        if value.size != 1:
            raise Failed(f"It returned an array of shape {preview(value).split(' ')[0]} where one number belongs; "
                         f"expected two numbers, {what}.", "did you forget to average (np.mean) over the N rows?")
        numbers.append(float(value.reshape(-1)[0]))
    return numbers


def _vast_line_data(ex, N):
    """Data where ℒ overflows but its derivatives do not: x [N×1] near 10⁻¹⁵⁰, y [N×1] and the errors
    near 10¹⁶⁰ (squared, they exceed the largest float), k and m near 10¹⁵⁹."""
    x = ex.rng.uniform(0.5, 2.0, size=(N, 1)) * 1e-150
    k, m = float(ex.rng.uniform(-2, 2) * 1e159), float(ex.rng.uniform(-2, 2) * 1e159)
    y = m + ex.rng.normal(0, 1, size=(N, 1)) * 1e160
    return x, y, k, m


def exact_mse_gradient(x, y, k, m):
    """(∂ℒ/∂k, ∂ℒ/∂m) = (−(2/N) Σ xᵢ·errᵢ, −(2/N) Σ errᵢ), in exact arithmetic, then rounded once."""
    xs, ys, k, m = [Fraction(v) for v in np.ravel(x)], [Fraction(v) for v in np.ravel(y)], Fraction(k), Fraction(m)
    errors = [yi - (xi * k + m) for xi, yi in zip(xs, ys)]
    return float(-2 * sum(xi * e for xi, e in zip(xs, errors)) / len(xs)), float(-2 * sum(errors) / len(xs))


def _gradient_scales(x, y, k, m):
    """The size of the numbers the rule combines for ∂ℒ/∂k and ∂ℒ/∂m: (2/N) Σ |xᵢ|·(|yᵢ| + |xᵢk| + |m|), and
    the same without |xᵢ|."""
    sizes = np.abs(y) + np.abs(x * k) + abs(m)
    return float(2 * np.mean(np.abs(x) * sizes)), float(2 * np.mean(sizes))


_NUMERICAL = ("use the rule: ∂ℒ/∂k = −(2/N) Σ xᵢ·errᵢ and ∂ℒ/∂m = −(2/N) Σ errᵢ with err = y − ŷ; a difference of ℒ "
              "at nearby (k, m) comes close, but never to the last digits.")
_VAST = ("here ℒ itself overflows (its errors, squared, exceed the largest float), but its derivatives do not: "
         "compute them from the rule, −(2/N) Σ xᵢ·errᵢ and −(2/N) Σ errᵢ, not from values of ℒ.")


@grading(off_limits=["lecture_utils.lessons.descent.mse_gradient", *NUMERICAL_DERIVATIVES])
def check_mse_gradient(mse_gradient, thorough=False):
    """mse_gradient(x, y, k, m) -> (∂ℒ/∂k, ∂ℒ/∂m) of ℒ = mean((y - (xk + m))²), by the chain rule;
    x, y: [N×1] columns, k and m numbers.

    Accepts the rule, ∂ℒ/∂k = −(2/N) Σ xᵢ·errᵢ and ∂ℒ/∂m = −(2/N) Σ errᵢ, computed any way: both
    numbers must equal the exact values to round-off, also on data so vast that ℒ itself overflows
    while its derivatives do not — where a numerical derivative (differences of ℒ at nearby (k, m))
    has no value at all.
    """
    __tracebackhide__ = True
    with Exercise("mse_gradient", mse_gradient, thorough, stand_in=reference_mse_gradient) as ex:
        sizes = ex.sizes([5, 80])
        cases = [(N, _random_line_data) for N in sizes] + [(6, _vast_line_data), (1, _random_line_data)]
        for N, draw in cases:  # the edge case N = 1 last: it hides some mistakes
            x, y, k, m = draw(ex, N)
            inputs = {"x": x, "y": y, "k": k, "m": m}
            dL_dk, dL_dm = _two_numbers(ex.call(x, y, k, m), "(∂ℒ/∂k, ∂ℒ/∂m)", inputs,
                                        "end with `return dL_dk, dL_dm`.")
            expected_k, expected_m = exact_mse_gradient(x, y, k, m)
            scale_k, scale_m = _gradient_scales(x, y, k, m)
            if np.allclose([dL_dm, dL_dk], [expected_k, expected_m], rtol=1e-6, atol=0) and expected_k != expected_m:
                raise Failed(f"For {describe_inputs_dict(inputs)}: the two numbers are right but swapped.",
                             "return them in the order (∂ℒ/∂k, ∂ℒ/∂m).")
            if draw is _vast_line_data and not np.all(np.isfinite([dL_dk, dL_dm])):
                raise Failed(f"For x near 10⁻¹⁵⁰ and y near 10¹⁶⁰ ({describe_inputs_dict(inputs)}): it returned "
                             f"({dL_dk:.4g}, {dL_dm:.4g}).", _VAST)
            y_hat = x * k + m
            err = y - y_hat
            broadcast = {"ŷ": y - y_hat.ravel(), "y": y.ravel() - y_hat}  # [N×N] when one of them is flattened
            with np.errstate(all="ignore"):
                mistakes_k = {
                    "the gradient points uphill: with err = y − ŷ, ∂ℒ/∂k = −(2/N) Σ xᵢ·errᵢ. "
                    "The chain rule brings a minus sign, since ∂(y − ŷ)/∂ŷ = −1.": 2 * np.mean(x * err),
                    "the derivative of err² is 2·err: don't forget the factor 2.": -np.mean(x * err),
                    "ℒ is a MEAN: divide the sum by N.": -2 * np.sum(x * err),
                    "∂ŷ/∂k = x: in ∂ℒ/∂k, each error is multiplied by its own x.": -2 * np.mean(err),
                } | {
                    f"a [N×1] column and a flattened {name} [N] broadcast to [N×N]: keep both as columns.":
                        -2 * np.mean(x * wrong_err) for name, wrong_err in broadcast.items()
                }
                mistakes_m = {
                    "the gradient points uphill: with err = y − ŷ, ∂ℒ/∂m = −(2/N) Σ errᵢ. "
                    "The chain rule brings a minus sign, since ∂(y − ŷ)/∂ŷ = −1.": 2 * np.mean(err),
                    "the derivative of err² is 2·err: don't forget the factor 2.": -np.mean(err),
                    "ℒ is a MEAN: divide the sum by N.": -2 * np.sum(err),
                    "∂ŷ/∂m = 1: there is no x in ∂ℒ/∂m.": -2 * np.mean(x * err),
                }
            ex.expect_exact_number(dL_dk, expected_k, scale_k, inputs, what="gave ∂ℒ/∂k =", terms=N,
                                   mistakes=_finite(mistakes_k), hint="with err = y − ŷ: ∂ℒ/∂k = −(2/N) Σ xᵢ·errᵢ.",
                                   numerical_hint=_NUMERICAL)
            ex.expect_exact_number(dL_dm, expected_m, scale_m, inputs, what="gave ∂ℒ/∂m =", terms=N,
                                   mistakes=_finite(mistakes_m), hint="with err = y − ŷ: ∂ℒ/∂m = −(2/N) Σ errᵢ.",
                                   numerical_hint=_NUMERICAL)
        ex.passed(f"(∂ℒ/∂k, ∂ℒ/∂m) equal the chain rule's to round-off for N = {', '.join(map(str, sizes))} "
                  "and 1, and for data so vast that ℒ itself overflows")


def _finite(mistakes):
    """Only the mistakes with a finite value can be told apart from the answer."""
    return {hint: value for hint, value in mistakes.items() if np.all(np.isfinite(value))}


def reference_gd_step(x, y, k, m, lr):
    """One step of gradient descent on ℒ(k, m): the new (k − η ∂ℒ/∂k, m − η ∂ℒ/∂m)."""
    dk, dm = reference_mse_gradient(x, y, k, m)
    return k - lr * dk, m - lr * dm


@grading(off_limits=["lecture_utils.lessons.descent.gradient_descent", "lecture_utils.lessons.descent.sgd"])
def check_gd_step(gd_step, thorough=False):
    """gd_step(x, y, k, m, lr) -> the new (k, m) = (k - η ∂ℒ/∂k, m - η ∂ℒ/∂m).

    Tested alone: while it runs, the learner's `mse_gradient` is replaced by the reference.
    """
    __tracebackhide__ = True
    with Exercise("gd_step", gd_step, thorough, stand_in=reference_gd_step) as ex:
        sizes = ex.sizes([6, 70, 1])
        for N in sizes:
            x, y, k, m = _random_line_data(ex, N)
            lr = float(ex.rng.uniform(0.01, 0.4))
            inputs = {"x": x, "y": y, "k": k, "m": m, "lr": lr}
            answer = ex.call(x, y, k, m, lr, references={"mse_gradient": reference_mse_gradient})
            k_new, m_new = _two_numbers(answer, "the new (k, m)", inputs, "end with `return k, m` (the new values).")
            dk, dm = reference_mse_gradient(x, y, k, m)
            expected_k, expected_m = k - lr * dk, m - lr * dm
            if np.allclose([k_new, m_new], [expected_m, expected_k]):
                raise Failed(f"For {describe_inputs_dict(inputs)}: the two numbers are right but swapped.",
                             "return them in the order (k, m).")
            wrong_ways = {
                "step downhill: θ ← θ − η ∂ℒ/∂θ. The gradient points uphill, so subtract it.":
                    (k + lr * dk, m + lr * dm),
                "multiply the partial derivatives by the learning rate η (lr).": (k - dk, m - dm),
                "return the new parameters (k, m), not the gradient.": (dk, dm),
                "return the new parameters k − η ∂ℒ/∂k and m − η ∂ℒ/∂m, not only the step.": (lr * dk, lr * dm),
            }
            ex.expect_number(k_new, expected_k, inputs, what="gave the new k =",
                             mistakes={hint: wrong[0] for hint, wrong in wrong_ways.items()},
                             hint="k ← k − η ∂ℒ/∂k, with ∂ℒ/∂k from mse_gradient(x, y, k, m).")
            sequential = m - lr * reference_mse_gradient(x, y, expected_k, m)[1]
            ex.expect_number(m_new, expected_m, inputs, what="gave the new m =",
                             mistakes={hint: wrong[1] for hint, wrong in wrong_ways.items()} | {
                                 "compute both partial derivatives at the old (k, m) before changing either.":
                                     sequential},
                             hint="m ← m − η ∂ℒ/∂m, with ∂ℒ/∂m from mse_gradient(x, y, k, m).")
        ex.passed(f"one step (k − η ∂ℒ/∂k, m − η ∂ℒ/∂m) for N = {', '.join(map(str, sizes))}")
