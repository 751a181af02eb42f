"""The computation behind notebook 05's playground: data, a network, training, evaluation.

Pure functions over `lecture_utils.data` and `lecture_utils.nn`, with explicit
seeds, so that the panel (widgets/nonlinearity.py) and the tests train exactly
the same networks:

    split = playground_data("circle", noise=0.1, test_fraction=0.5, seed=0)
    net = playground_network(hidden_layers=2, neurons=6, activation="relu", seed=0)
    record = train_steps(net, split, lr=0.1, steps=100, batch_size=10, rng=np.random.default_rng(0))
    evaluate(net, split)        # Evaluation(train_loss=..., test_loss=..., train_accuracy=..., test_accuracy=...)
"""

from typing import NamedTuple

import numpy as np

from .data import make_toy, train_test_split
from .nn import MLP, accuracy, mse, train

__all__ = ["DATASETS", "ACTIVATION_NAMES", "Split", "Evaluation", "playground_data", "playground_network",
           "layer_sizes", "train_steps", "evaluate", "diverged"]

DATASETS = ("circle", "xor", "gauss", "spiral")
ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "linear")
DIVERGED = 1e6  # with labels 0 and 1, ℒ starts near 0.25; this far above, the steps only overshoot further


class Split(NamedTuple):
    """A toy set split in two: training points X_train [N×2], y_train [N×1]; test points likewise."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


class Evaluation(NamedTuple):
    """ℒ (mean squared error) and accuracy on the training and on the test points."""

    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float


def playground_data(dataset, noise=0.1, test_fraction=0.5, n=200, seed=0):
    """n points of a toy set ("circle", "xor", "gauss", "spiral") with noise, split into train and test.

    The same arguments always give the same points.
    """
    rng = np.random.default_rng(seed)
    X, y = make_toy(dataset, n=n, noise=noise, rng=rng)
    return Split(*train_test_split(X, y, test_fraction=test_fraction, rng=rng))


def layer_sizes(hidden_layers, neurons):
    """[2, M, ..., M, 1]: two inputs x₁, x₂, `hidden_layers` layers of M = `neurons`, one output ŷ."""
    return [2] + [neurons] * hidden_layers + [1]


def playground_network(hidden_layers, neurons, activation, seed=0):
    """A fresh MLP 2 → M → … → M → 1 with the given activation between layers (none after the last)."""
    return MLP(layer_sizes(hidden_layers, neurons), activation=activation, rng=np.random.default_rng(seed))


def losses(net, split):
    """ℒ on the training points and on the test points: (train, test)."""
    return (mse(net(split.X_train), split.y_train).value.item(),
            mse(net(split.X_test), split.y_test).value.item())


def train_steps(net, split, lr, steps, batch_size, rng):
    """Train `net` for `steps` SGD steps on the training points, with `lecture_utils.nn.train`.

    After every step, ℒ on all training points and on all test points is recorded:
    returns (train_losses, test_losses), two lists of `steps` numbers. If ℒ diverges
    (η too large: the steps overshoot further and further), training stops there and
    the lists are shorter.
    """
    train_losses, test_losses = [], []
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported by the losses
        for _ in range(steps):
            train(net, split.X_train, split.y_train, lr=lr, steps=1, batch_size=batch_size, rng=rng)
            train_loss, test_loss = losses(net, split)
            train_losses.append(train_loss)
            test_losses.append(test_loss)
            if diverged(train_loss):
                break
    return train_losses, test_losses


def evaluate(net, split):
    """ℒ and accuracy (output above 0.5 means class 1) on the training and the test points."""
    train_loss, test_loss = losses(net, split)
    return Evaluation(train_loss, test_loss,
                      accuracy(net, split.X_train, split.y_train), accuracy(net, split.X_test, split.y_test))


def diverged(loss):
    """True if ℒ has blown up (inf, NaN, or above 10⁶): training cannot recover from there."""
    return not np.isfinite(loss) or loss > DIVERGED
