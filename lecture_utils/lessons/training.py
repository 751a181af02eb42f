"""Look inside a network: gradient sizes per layer, and ReLU units that never fire.

The lecture's practical reasons to understand backprop, measured:
vanishing gradients (the gradient shrinks layer by layer on the way back) and
dead ReLUs (a unit whose input is negative for every example gets no gradient
and never recovers). `deep_network` and `relu_network` make the fresh networks of
notebook 00's experiments; every function takes any `nn.MLP`, so notebook 09 reruns
them on a trained network.
"""

import copy
from typing import NamedTuple

import numpy as np

from ..nn import MLP, SGD, mse

__all__ = ["layer_gradient_norms", "hidden_preactivations", "dead_relu_fraction", "dead_fractions",
           "UnitActivity", "unit_activity", "deep_network", "relu_network", "one_sgd_step", "ReLUStep",
           "relus_after_step"]


def layer_gradient_norms(net, X, y, loss_fn=mse):
    """‖∂ℒ/∂Wₗ‖ for every layer l = 1..L of an MLP, from one backward pass on (X, y).

    Returns an array [L]. The network's gradients are cleared before and left set after.
    """
    for p in net.parameters():
        p.zero_grad()
    loss_fn(y, net(X)).backward()
    return np.array([np.linalg.norm(layer.W.grad) for layer in net.layers])


def hidden_preactivations(net, X):
    """The inputs XW + b of each hidden layer's activation: a list of [N×Mₗ] arrays."""
    return [Z.value for Z, _ in net.layer_by_layer(X)[:-1]]


def _dead_units(Z):
    """[M] True for each unit (column of Z [N×M]) whose input is > 0 on no row: it never fires."""
    return ~np.any(np.asarray(Z) > 0, axis=0)


def dead_fractions(preactivations):
    """Per hidden layer, the fraction of units that never fire: preactivations [N×Mₗ] each -> [L-1]."""
    return np.array([float(np.mean(_dead_units(Z))) for Z in preactivations])


def dead_relu_fraction(net, X):
    """Per hidden layer, the fraction of units whose input is > 0 for no row of X: [L-1]."""
    return dead_fractions(hidden_preactivations(net, X))


class UnitActivity(NamedTuple):
    """Which ReLU unit fires on which example: fires [units × N] (input > 0), dead [units]
    (fires on no example), and the number of units in each hidden layer."""

    fires: np.ndarray
    dead: np.ndarray
    widths: list


def unit_activity(preactivations):
    """preactivations: the inputs XW + b of each hidden layer's ReLU, [N×Mₗ] each
    (hidden_preactivations(net, X), or [X @ W1 + b1]) -> their UnitActivity, layer after layer."""
    fires = np.vstack([np.asarray(Z).T > 0 for Z in preactivations])
    dead = np.concatenate([_dead_units(Z) for Z in preactivations])
    return UnitActivity(fires, dead, [np.asarray(Z).shape[1] for Z in preactivations])


def deep_network(n_in, depth, activation, init_scale, width=16, seed=0):
    """An MLP with `depth` layers: n_in -> width -> ... -> width -> 1, weights N(0, init_scale²).

    activation: "ReLU", "tanh" or "sigmoid". Seeded, so the same arguments give the same network.
    """
    sizes = [n_in] + [width] * (depth - 1) + [1]
    return MLP(sizes, activation=activation, init_scale=init_scale, rng=np.random.default_rng(seed))


def relu_network(n_in, bias_init, width=16, hidden_layers=2, seed=0):
    """A ReLU MLP n_in -> width (× hidden_layers) -> 1 whose biases all start at `bias_init`."""
    net = MLP([n_in] + [width] * hidden_layers + [1], activation="ReLU", rng=np.random.default_rng(seed))
    for layer in net.layers:
        layer.b.value[:] = bias_init
    return net


def one_sgd_step(net, X, y, lr):
    """A copy of `net` after one gradient-descent step on the MSE of (X, y); `net` is unchanged."""
    net = copy.deepcopy(net)
    optimizer = SGD(net.parameters(), lr)
    loss = mse(y, net(X))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return net


class ReLUStep(NamedTuple):
    """One SGD step with learning rate lr: the units' activity after it, and the fraction of dead
    units per hidden layer before and after it ([L-1] each)."""

    lr: float
    after: UnitActivity
    dead_before: np.ndarray
    dead_after: np.ndarray


def relus_after_step(net, X, y, lr):
    """What one SGD step of size η = lr on (X, y) does to a ReLU network's units; `net` is unchanged."""
    before, after = hidden_preactivations(net, X), hidden_preactivations(one_sgd_step(net, X, y, lr), X)
    return ReLUStep(lr, unit_activity(after), dead_fractions(before), dead_fractions(after))
