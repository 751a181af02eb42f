"""Layers, networks and the optimiser, built only on `lecture_utils.autograd`.

    set_seed(0)
    net = MLP([2, 16, 16, 1])                    # 2 -> 16 -> 16 -> 1, ReLU between layers
    (activations by the lecture's names: "ReLU", "tanh", "sigmoid", "linear"; see `activations`)
    optimizer = SGD(net.parameters(), lr=0.1)
    for step in range(100):
        loss = mse(y, net(X))                      # forward, [1×1]
        optimizer.zero_grad()
        loss.backward()                            # gradients into W1.grad, b1.grad, ...
        optimizer.step()                           # W <- W - lr·dW
"""

from typing import NamedTuple

import numpy as np

from . import activations
from .autograd import Add, Mean, Mul, Square, Sub, Tensor, as_tensor
from .seed import get_rng, set_seed

__all__ = ["Linear", "MLP", "SGD", "mse", "train", "accuracy", "set_seed", "checked_sizes", "layer_sizes",
           "parameter_count", "Architecture", "architecture"]


def mse(y, y_hat):
    """Mean squared error: targets y and predictions ŷ, [N×1] each -> [1×1] loss ℒ = mean((y − ŷ)²).

    The same order as notebook 01's mse(y, y_hat): the targets first.
    """
    return Mean(Square(Sub(y, y_hat)))


def checked_sizes(sizes):
    """The layer sizes [D, M₁, ..., K] of a network as ints; a ValueError unless there are at least two, all ≥ 1."""
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"a network needs at least two layers of at least one unit each, got {sizes}.")
    return sizes


def layer_sizes(inputs, hidden, outputs):
    """[D, M₁, ..., K]: `inputs` units, the hidden layers' sizes (leaving out those of size 0), `outputs` units."""
    return [int(inputs)] + [int(m) for m in hidden if m > 0] + [int(outputs)]


def parameter_count(sizes):
    """(weights, biases) of a network with layer sizes [D, M₁, ..., K].

    Layer l has a W [Mₗ₋₁×Mₗ] and a b [1×Mₗ]: Mₗ₋₁·Mₗ weights and Mₗ biases.
    """
    sizes = checked_sizes(sizes)
    weights = sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    return weights, biases


class Architecture(NamedTuple):
    """A network described by its layer sizes [D, M₁, ..., K], and how many weights and biases it has."""

    sizes: list
    weights: int
    biases: int


def architecture(sizes):
    """The Architecture of a network with these layer sizes (checked: at least two layers of ≥ 1 unit)."""
    return Architecture(checked_sizes(sizes), *parameter_count(sizes))


def default_init_scale(n_in, activation="ReLU"):
    """Standard deviation of the initial weights: √(2/n_in) for ReLU (He), √(1/n_in) otherwise."""
    return np.sqrt((2.0 if activation == "ReLU" else 1.0) / n_in)


class Linear:
    """One linear layer H = XW + b.

    X: [N×n_in] -> H: [N×n_out], with W: [n_in×n_out] drawn from N(0, init_scale²)
    and b: [1×n_out] starting at zero (repeated over the N rows).
    """

    def __init__(self, n_in, n_out, init_scale=None, index=1, rng=None):
        if init_scale is None:
            init_scale = default_init_scale(n_in)
        rng = get_rng(rng)
        self.W = Tensor(rng.normal(0.0, init_scale, (n_in, n_out)), name=f"W{index}", requires_grad=True)
        self.b = Tensor(np.zeros((1, n_out)), name=f"b{index}", requires_grad=True)

    def __call__(self, X):
        return Add(Mul(as_tensor(X), self.W), self.b)

    def parameters(self):
        return [self.W, self.b]

    def __repr__(self):
        n_in, n_out = self.W.shape
        return f"Linear({n_in}→{n_out})"


class MLP:
    """A stack of Linear layers with an activation between them (none after the last).

    sizes: [D, M1, ..., K] gives X: [N×D] -> ŷ: [N×K].
    activation: "ReLU", "tanh", "sigmoid" or "linear" (no activation: the layers collapse into one).
    init_scale: standard deviation of the initial weights; default √(2/n_in) for
    ReLU and √(1/n_in) otherwise.
    """

    def __init__(self, sizes, activation="ReLU", init_scale=None, rng=None):
        if len(sizes) < 2:
            raise ValueError(f"MLP needs at least an input and an output size, got {sizes}.")
        activations.check_name(activation, who="MLP: activation")
        rng = get_rng(rng)
        self.sizes = list(sizes)
        self.activation = activation
        self.layers = [
            Linear(
                n_in, n_out, index=i + 1, rng=rng,
                init_scale=default_init_scale(n_in, activation) if init_scale is None else init_scale,
            )
            for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
        ]

    def __call__(self, X):
        """ŷ [N×K] for X [N×D]: the last layer's output."""
        return self.layer_by_layer(X)[-1][1]

    def layer_by_layer(self, X):
        """The forward pass, layer by layer: [(Z₁, H₁), …, (Z_L, H_L)] for X [N×D], Tensors [N×Mₗ].

        Zₗ = Hₗ₋₁Wₗ + bₗ (H₀ = X) is a layer's input to its activation and Hₗ = f(Zₗ) its output;
        the last layer has no activation: H_L = Z_L = ŷ.
        """
        H, steps = as_tensor(X), []
        activate = activations.op(self.activation)
        for i, layer in enumerate(self.layers):
            Z = layer(H)
            H = activate(Z) if activate is not None and i < len(self.layers) - 1 else Z
            steps.append((Z, H))
        return steps

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP({'→'.join(map(str, self.sizes))}, {self.activation})"


class SGD:
    """Stochastic gradient descent: θ <- θ - η·dθ for every parameter θ (η = lr)."""

    def __init__(self, parameters, lr):
        self.parameters = list(parameters)
        self.lr = lr
        self._steps = [np.empty_like(p.value) for p in self.parameters]  # η·dθ, so a step allocates nothing

    def step(self):
        for i, p in enumerate(self.parameters):
            if p.grad is None:
                continue
            if self._steps[i].shape != p.value.shape:  # the parameter was given a new value
                self._steps[i] = np.empty_like(p.value)
            np.multiply(p.grad, self.lr, out=self._steps[i])
            p.value -= self._steps[i]  # in place: the parameter keeps its array

    def zero_grad(self):
        for p in self.parameters:
            p.zero_grad()


def train(net, X, y, lr, steps, batch_size=None, loss_fn=mse, rng=None):
    """Train `net` with SGD (on random batches of `batch_size` rows, or all rows); return the loss of every step.

    X: [N×D], y: [N×K] numpy arrays. Each step draws `batch_size` random rows
    (all N rows if None), then: forward, loss, zero the gradients, backward, update.
    loss_fn(y, y_hat) -> [1×1], the targets first (as mse).
    """
    rng = get_rng(rng)
    optimizer = SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        whole = batch_size is None or batch_size >= len(X)
        rows = slice(None) if whole else rng.choice(len(X), batch_size, replace=False)
        loss = loss_fn(y[rows], net(X[rows]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.value.item())
    return losses


def accuracy(net, X, y, threshold=0.5):
    """Fraction of rows whose output falls on the same side of `threshold` as the label (0 or 1)."""
    predicted = net(X).value > threshold
    return float(np.mean(predicted == (np.asarray(y) > threshold)))
