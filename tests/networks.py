"""The lecture's network as Tensors, every node named as notebook 07 names it (shared by the graph tests)."""

import numpy as np

from lecture_utils import Add, Mul, ReLU, Sub, T, Tensor

N = 4


def network(seed=0, output_bias=False):
    """ℒ = errᵀerr / N for ŷ = ReLU(XW1 + b1)W2, or + b2 with output_bias (the notebook's): {name: Tensor}.

    X [4×2] and y [4×1] are data; W1 [2×3], b1 [1×3], W2 [3×1] (and b2 [1×1]) parameters.
    """
    rng = np.random.default_rng(seed)
    t = {}
    t["X"] = Tensor(rng.uniform(0.5, 2, (N, 2)), name="X")
    t["y"] = Tensor(rng.uniform(1, 5, (N, 1)), name="y")
    t["W1"] = Tensor(rng.normal(size=(2, 3)), name="W1", requires_grad=True)
    t["b1"] = Tensor(rng.normal(size=(1, 3)) * 0.1, name="b1", requires_grad=True)
    t["W2"] = Tensor(rng.normal(size=(3, 1)), name="W2", requires_grad=True)
    t["XW1"] = Mul(t["X"], t["W1"]).named("XW1")
    t["Z1"] = Add(t["XW1"], t["b1"]).named("XW1+b1")
    t["H"] = ReLU(t["Z1"]).named("H")
    if output_bias:
        t["b2"] = Tensor(rng.normal(size=(1, 1)) * 0.1, name="b2", requires_grad=True)
        t["HW2"] = Mul(t["H"], t["W2"]).named("HW2")
        t["y_hat"] = Add(t["HW2"], t["b2"]).named("ŷ")
    else:
        t["y_hat"] = Mul(t["H"], t["W2"]).named("ŷ")
    t["err"] = Sub(t["y"], t["y_hat"]).named("err")
    t["errT"] = T(t["err"]).named("errᵀ")
    t["errT_err"] = Mul(t["errT"], t["err"]).named("errᵀerr")
    t["loss"] = (t["errT_err"] / N).named("ℒ")
    return t
