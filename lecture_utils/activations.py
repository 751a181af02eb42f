"""The activation functions f of the lecture, by the names the lecture gives them: numpy in, numpy out.

    NAMES                              ("ReLU", "tanh", "sigmoid", "linear")
    apply("ReLU", Z)                   f(Z) entry by entry: Z [N×M] (any shape) -> the same shape
    op("tanh")                         the autograd op a network applies (None for "linear")
    curve("sigmoid")                   (a [S], f(a) [S]): the function over a range, to draw it
    neuron_output(x, w, b, "ReLU")     one neuron ŷ = f(xw + b) for every entry of x
    neuron_curve_points(w, b, "tanh")  (x [S], ŷ [S]): the neuron over a range of x, to draw it

Every activation is computed in one place, by the autograd op of the same name
(`autograd.ReLU`, `Tanh`, `Sigmoid`), so a picture, a panel and a network apply the same
function; "linear" means no activation at all (f(a) = a, the identity). Nothing here
imports matplotlib.
"""

from typing import NamedTuple

import numpy as np

from .autograd import ReLU, Sigmoid, Tanh, Tensor

__all__ = ["NAMES", "FORMULAS", "LABELS", "op", "check_name", "apply", "curve", "neuron_output", "neuron_curve_points",
           "NeuronSteps", "neuron_steps"]

NAMES = ("ReLU", "tanh", "sigmoid", "linear")
FORMULAS = {"ReLU": "max(0, a)", "tanh": "tanh(a)", "sigmoid": "1 / (1 + e⁻ᵃ)", "linear": "a"}
LABELS = {"ReLU": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear (none)"}  # in menus
_OPS = {"ReLU": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "linear": None}


def check_name(name, who="activation"):
    """`name` if it is one of NAMES; else a ValueError that lists them (and the right spelling)."""
    if name in _OPS:
        return name
    spelled = [known for known in NAMES if known.lower() == str(name).lower()]
    hint = f" (spelled {spelled[0]!r})" if spelled else ""
    raise ValueError(f"{who} must be one of {', '.join(map(repr, NAMES))}, got {name!r}{hint}.")


def op(name):
    """The autograd op that applies activation `name` to a Tensor; None for "linear"."""
    return _OPS[check_name(name)]


def apply(name, Z):
    """f(Z) entry by entry for the activation `name`: Z of any shape -> an array of the same shape."""
    Z = np.asarray(Z, dtype=np.float64)
    function = op(name)
    if function is None:
        return Z.copy()
    return function(Tensor(Z.reshape(1, -1) if Z.ndim != 2 else Z)).value.reshape(Z.shape)


def curve(name, a_range=(-4.0, 4.0), samples=401):
    """The activation over a range, to draw: (a [samples], f(a) [samples])."""
    a = np.linspace(*a_range, samples)
    return a, apply(name, a)


def neuron_output(x, w, b, name):
    """One neuron: ŷ = f(xw + b) for every entry of x (numbers w and b)."""
    return apply(name, np.asarray(x, dtype=np.float64) * w + b)


def neuron_curve_points(w, b, name, x_range=(-4.0, 4.0), samples=401):
    """The neuron over a range of inputs, to draw: (x [samples], ŷ = f(xw + b) [samples])."""
    x = np.linspace(*x_range, samples)
    return x, neuron_output(x, w, b, name)


class NeuronSteps(NamedTuple):
    """A ReLU neuron on one number, step by step: x, then xw, then xw + b, then ŷ = max(0, xw + b)."""

    x: float
    w: float
    b: float
    product: float
    total: float
    y_hat: float


def neuron_steps(x, w, b):
    """The numbers a ReLU neuron computes from one input x: multiply by w, add b, choose the larger of 0 and that."""
    product = x * w
    total = product + b
    return NeuronSteps(x, w, b, product, total, float(apply("ReLU", total)))
