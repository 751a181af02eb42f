"""Checks for notebook 00: the sigmoid σ(a) = 1 / (1 + e⁻ᵃ) and its derivative."""

import numpy as np

from ..autograd import shape_str
from .exercise import NUMERICAL_DERIVATIVES, Exercise, Failed, Recorded, grading, preview

__all__ = ["check_sigmoid", "check_sigmoid_derivative"]

# What notebook 00's cells may use of the package while grading; numpy is always there. Everything
# else is a stand-in in the kernel's package copy (lecture_utils.grading.sandbox_package).
ALLOWED_WHILE_GRADING = (
    "lecture_utils.seed.set_seed", "lecture_utils.data.make_toy",
)


def reference_sigmoid(a):
    """σ(a) = 1 / (1 + e⁻ᵃ) element by element, without overflow for large |a|."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def reference_sigmoid_derivative(a):
    """dσ/da = σ(a)(1 − σ(a)) element by element."""
    s = reference_sigmoid(a)
    return s * (1 - s)


def _random_inputs(ex, N):
    """a: [N×3] (or [1×1] for N = 1) pre-activations, mostly where σ bends; in thorough mode
    the last row is far out, where σ is flat."""
    shape = _shape(N)
    a = ex.rng.normal(0, 2.5, size=shape)
    if ex.thorough and N > 1:
        a[-1, :] = ex.rng.choice([-1, 1], size=shape[1]) * ex.rng.uniform(15, 30, size=shape[1])
    return a


@grading(off_limits=["lecture_utils.autograd.Sigmoid"])
def check_sigmoid(sigmoid, thorough=False):
    """sigmoid(a) -> σ(a) = 1 / (1 + e⁻ᵃ) for every entry of a numpy array a; same shape as a."""
    __tracebackhide__ = True
    with Exercise("sigmoid", sigmoid, thorough, stand_in=reference_sigmoid) as ex:
        sizes = ex.sizes([4, 40, 1])  # the edge case, one number as [1×1], last
        for N in sizes:
            a = _random_inputs(ex, N)
            got = ex.call(a)
            with np.errstate(over="ignore", divide="ignore"):
                mistakes = {
                    "the minus sign matters: e⁻ᵃ, so that σ(a) grows with a and σ(0) = 0.5.": 1 / (1 + np.exp(a)),
                    "that is tanh; the sigmoid is 1 / (1 + e⁻ᵃ), between 0 and 1.": np.tanh(a),
                    "that is ReLU, max(0, a); the sigmoid is 1 / (1 + e⁻ᵃ).": np.maximum(0, a),
                    "brackets: 1 / (1 + np.exp(-a)); without them it is 1/1 + e⁻ᵃ.": 1 + np.exp(-a),
                    "the denominator is 1 + e⁻ᵃ, not 1 − e⁻ᵃ.": 1 / (1 - np.exp(-a)),
                    "the exponential of −a is np.exp(-a), not e·(−a).": 1 / (1 - np.e * a),
                }
            ex.expect_array(got, reference_sigmoid(a), inputs={"a": a}, mistakes=_finite(mistakes),
                            hint="σ(a) = 1 / (1 + e⁻ᵃ), with np.exp for e⁻ᵃ; one value per entry of a.")
        ex.passed(f"σ(a) for random a of shapes {', '.join(shape_str(_shape(N)) for N in sizes)}")


@grading(off_limits=["lecture_utils.autograd.Sigmoid", *NUMERICAL_DERIVATIVES])
def check_sigmoid_derivative(sigmoid_derivative, thorough=False):
    """sigmoid_derivative(a) -> σ'(a) for every entry of a, from the rule σ'(a) = σ(a)(1 − σ(a)).

    Accepts the exact rule, written any way (σ(a)(1 − σ(a)), e⁻ᵃ / (1 + e⁻ᵃ)², ...): every entry
    must equal σ'(a) to round-off (of numbers the size of σ's largest slope, 1/4), which no numerical
    slope between nearby points reaches, however small or refined its step; and σ may be evaluated
    only at the entries of a (or of −a), not at points near them. Your `sigmoid` is replaced by a
    correct one while this runs, so a mistake there does not cost this mark.
    """
    __tracebackhide__ = True
    with Exercise("sigmoid_derivative", sigmoid_derivative, thorough,
                  stand_in=reference_sigmoid_derivative) as ex:
        sizes = ex.sizes([4, 40, 1])
        for N in sizes:
            a = _random_inputs(ex, N)
            sigmoid = Recorded(reference_sigmoid)
            got = ex.call(a, references={"sigmoid": sigmoid})
            s = reference_sigmoid(a)
            mistakes = {
                "that is σ(a) itself; its slope is σ(a)(1 − σ(a)).": s,
                "apply σ first: σ(a)(1 − σ(a)), not a(1 − a).": a * (1 - a),
                "both factors use σ(a): σ(a)(1 − σ(a)), not σ(a)(1 − a).": s * (1 - a),
                "one factor is missing: σ'(a) = σ(a) · (1 − σ(a)).": 1 - s,
                "the sign: σ grows everywhere, so its slope σ(a)(1 − σ(a)) is positive.": -s * (1 - s),
                "that is tanh's slope, 1 − tanh²(a); the sigmoid's is σ(a)(1 − σ(a)).": 1 - np.tanh(a) ** 2,
                "subtract, do not add: σ(a)(1 − σ(a)).": s * (1 + s),
            }
            ex.expect_exact(got, exact_sigmoid_derivative(a), SLOPE_SCALE, inputs={"a": a}, mistakes=mistakes,
                            hint="σ'(a) = σ(a)(1 − σ(a)): compute s = sigmoid(a) once, then s * (1 - s).",
                            numerical_hint=_NUMERICAL)
            _expect_evaluated_at_a_only(sigmoid, a)
        ex.passed(f"σ'(a) = σ(a)(1 − σ(a)) to round-off, σ evaluated at a only, for random a of shapes "
                  f"{', '.join(shape_str(_shape(N)) for N in sizes)}")


SLOPE_SCALE = 0.25  # σ's largest slope: the size of the numbers its rule combines
_NUMERICAL = ("use the rule, σ'(a) = σ(a)(1 − σ(a)): a numerical slope (σ(a + h) − σ(a − h)) / 2h comes "
              "close, but never to the last digits.")


def exact_sigmoid_derivative(a):
    """σ'(a) = σ(a)σ(−a) = 1 / (4 cosh²(a/2)), accurate to round-off relative to itself for every a."""
    return 0.25 / np.cosh(0.5 * a) ** 2


def _expect_evaluated_at_a_only(sigmoid, a):
    """σ evaluated at points that are not entries of a (or −a) is a numerical slope: fail, saying so."""
    __tracebackhide__ = True
    allowed = np.concatenate([a.ravel(), -a.ravel()])
    for args, kwargs in sigmoid.calls:
        for value in [*args, *kwargs.values()]:
            try:
                points = np.ravel(np.asarray(value, dtype=np.float64))
            except (TypeError, ValueError):
                continue
            elsewhere = points[~np.isin(points, allowed)]
            if elsewhere.size:
                raise Failed(f"For a = {preview(a)}: it evaluated σ at {preview(elsewhere)}, which is not an entry "
                             "of a: that is a numerical slope, not the rule.", _NUMERICAL)


def _shape(N):
    return (N, 3) if N > 1 else (1, 1)


def _finite(mistakes):
    """Only the mistakes that give finite values can be told apart from the answer."""
    return {hint: value for hint, value in mistakes.items() if np.all(np.isfinite(value))}
