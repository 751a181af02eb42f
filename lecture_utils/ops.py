"""The lecture's ops, each described once: shapes, local gradients, how a backward by hand is called.

`autograd.py` runs the ops (each op's backward beside its forward). This table, OPS, is
what the lessons say about them, and every lesson reads it: the backward replay of
notebook 07 (`graph`), the shapes quiz (`gradient_shapes`), the three-way comparison
(`local_gradients`) and the exercise checks (`checks.backprop`) of notebook 08. Adding an
op to the core means adding its entry here; `Op` says what an entry holds.

In a rule or a label, {A} and {B} stand for the first and the second input's name
({Aᵀ}, {Bᵀ}: transposed), {summed} for how a repeated input collects its gradient
(", summed over the 4 rows"), {local} for a local gradient that is a number, {n} for
the number of entries of A and {shape} for the local gradient's shape: `graph` fills
them in for the tensors at hand.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import autograd

__all__ = ["Local", "Op", "OPS", "by_name", "RELU_MARGIN"]

RELU_MARGIN = 0.1  # the inputs of ReLU's random examples stay this far from the kink at 0


@dataclass(frozen=True)
class Local:
    """The local gradient of an op for one of its inputs.

    rule   the input's gradient in the lecture's words: "∂ℒ/∂{A} = UP · {Bᵀ}"
    local  local(out, *inputs) -> the local gradient: an array, a number, or None (T only
           moves entries); out and the inputs are Tensors
    label  how to write the local gradient: "{Bᵀ} {shape}"; None writes the number itself
    """

    rule: str
    local: Callable
    label: str = None


@dataclass(frozen=True)
class Op:
    """What the lecture says about one op.

    name          the autograd function's name; forward: that function, forward(*inputs)
    inputs        the inputs' names as the notebooks write them
    shape         shape(*the inputs' shapes) -> the output's shape
    gradients     one Local per input, in the order of `inputs`
    arguments     arguments(UP, *inputs) -> what a backward written by hand takes, in the
                  signature of notebook 08's exercise (mul_backward(UP, A, B)); None for an
                  op without an exercise
    example       example(N, M, P) -> {input name: shape}, the inputs of a random example
    symbol        what a graph drawing writes in the op's circle; None: its name (Scale: its number)
    repeats_rows  an input may be a row [1×m] repeated over the n rows (a bias)
    kink          the local gradient jumps at 0: random examples keep RELU_MARGIN away from it
    number        the number the op takes after its inputs and an example of it (Scale's c),
                  kept in the output's .scale
    """

    name: str
    forward: Callable
    inputs: tuple
    shape: Callable
    gradients: tuple
    arguments: Callable = None
    example: Callable = lambda N, M, P: {"A": (N, M)}  # noqa: E731  one input, A [N×M]
    symbol: str = None
    repeats_rows: bool = False
    kink: bool = False
    number: tuple = None

    def random_inputs(self, N, rng, M=3, P=2):
        """Random inputs of an example with N rows: {input name: array} (see `example`)."""
        inputs = {}
        for name, shape in self.example(N, M, P).items():
            a = rng.normal(size=shape)
            inputs[name] = np.where(a >= 0, a + RELU_MARGIN, a - RELU_MARGIN) if self.kink else a
        return inputs


def _one(out, *inputs):
    return 1.0


OPS = {op.name: op for op in [
    # Add: out = A + b, [n×m] + [n×m] or a bias [1×m] -> [n×m]; the local gradient is 1
    Op("Add", autograd.Add, ("A", "b"), shape=np.broadcast_shapes,
       gradients=(Local("∂ℒ/∂{A} = UP{summed}", _one),
                  Local("∂ℒ/∂{B} = UP{summed}", _one)),
       arguments=lambda UP, A, b: (UP, A.shape, b.shape),  # add_backward(UP, A_shape, b_shape) -> (dA, db)
       example=lambda N, M, P: {"A": (N, M), "b": (1, M)}, repeats_rows=True),
    # Sub: out = A − B, shapes as Add; local gradients +1 and −1
    Op("Sub", autograd.Sub, ("A", "B"), shape=np.broadcast_shapes,
       gradients=(Local("∂ℒ/∂{A} = UP{summed}", _one, "+1"),
                  Local("∂ℒ/∂{B} = −UP{summed}", lambda out, A, B: -1.0)),
       example=lambda N, M, P: {"A": (N, M), "B": (N, M)}, repeats_rows=True),
    # Mul, the matrix product: out = AB, [n×p] · [p×m] -> [n×m]; local gradients Bᵀ and Aᵀ
    Op("Mul", autograd.Mul, ("A", "B"), shape=lambda A, B: (A[0], B[1]),
       gradients=(Local("∂ℒ/∂{A} = UP · {Bᵀ}", lambda out, A, B: B.value.T, "{Bᵀ} {shape}"),
                  Local("∂ℒ/∂{B} = {Aᵀ} · UP", lambda out, A, B: A.value.T, "{Aᵀ} {shape}")),
       arguments=lambda UP, A, B: (UP, A, B),  # mul_backward(UP, A, B) -> (dA, dB)
       example=lambda N, M, P: {"A": (N, M), "B": (M, P)}),
    # ReLU: out = max(0, A) entry by entry; the local gradient is the mask R
    Op("ReLU", autograd.ReLU, ("A",), shape=lambda A: A,
       gradients=(Local("∂ℒ/∂{A} = UP ⊙ R", lambda out, A: (A.value > 0).astype(float),
                        "R = 1 where {A} > 0"),),
       arguments=lambda UP, A: (UP, A), kink=True),  # relu_backward(UP, A) -> dA
    # T, the transpose: out = Aᵀ, [n×m] -> [m×n]; it only moves entries, and UPᵀ moves them back
    Op("T", autograd.T, ("A",), shape=lambda A: A[::-1],
       gradients=(Local("∂ℒ/∂{A} = UPᵀ", lambda out, A: None, "transpose"),),
       arguments=lambda UP, A: (UP,)),  # t_backward(UP) -> dA
    # Scale: out = cA for a number c (A / N is Scale(A, 1/N)); the local gradient is c
    Op("Scale", autograd.Scale, ("A",), shape=lambda A: A, number=("c", 0.25),
       gradients=(Local("∂ℒ/∂{A} = {local} · UP", lambda out, A: out.scale),)),
    # Sum: out = the sum of A's entries, [n×m] -> [1×1]; each entry counts once
    Op("Sum", autograd.Sum, ("A",), shape=lambda A: (1, 1), symbol="Σ",
       gradients=(Local("∂ℒ/∂{A} = UP in every entry", _one),)),
    # Mean: out = the mean of A's n entries, [n×m] -> [1×1]; each entry counts 1/n
    Op("Mean", autograd.Mean, ("A",), shape=lambda A: (1, 1), symbol="mean",
       gradients=(Local("∂ℒ/∂{A} = UP / {n} in every entry", lambda out, A: 1.0 / A.value.size),)),
    # Square: out = a² entry by entry; the local gradient is 2a
    Op("Square", autograd.Square, ("A",), shape=lambda A: A, symbol="x²",
       gradients=(Local("∂ℒ/∂{A} = UP ⊙ 2{A}", lambda out, A: 2.0 * A.value, "2{A}"),)),
    # Sigmoid: out = σ(a) = 1 / (1 + e^−a) entry by entry; the local gradient is σ(1 − σ)
    Op("Sigmoid", autograd.Sigmoid, ("A",), shape=lambda A: A, symbol="σ",
       gradients=(Local("∂ℒ/∂{A} = UP ⊙ σ(1 − σ)", lambda out, A: out.value * (1 - out.value), "σ(1 − σ)"),)),
    # Tanh: out = tanh(a) entry by entry; the local gradient is 1 − tanh²
    Op("Tanh", autograd.Tanh, ("A",), shape=lambda A: A, symbol="tanh",
       gradients=(Local("∂ℒ/∂{A} = UP ⊙ (1 − tanh²)", lambda out, A: 1 - out.value * out.value, "1 − tanh²"),)),
]}


def by_name(name):
    """The table's entry for the op called `name` ("Mul"); a clear ValueError for any other."""
    if name not in OPS:
        raise ValueError(f"unknown op {name!r}; one of {', '.join(OPS)}")
    return OPS[name]
