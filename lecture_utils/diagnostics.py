"""Look inside a network: gradient sizes per layer, and ReLU units that never fire.

The lecture's practical reasons to understand backprop, measured:
vanishing gradients (the gradient shrinks layer by layer on the way back) and
dead ReLUs (a unit whose input is negative for every example gets no gradient
and never recovers).
"""

import numpy as np

from .autograd import as_tensor
from .nn import ACTIVATIONS, mse

__all__ = ["layer_gradient_norms", "hidden_preactivations", "dead_relu_fraction"]


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
    activate = ACTIVATIONS[net.activation]
    H, found = as_tensor(X), []
    for layer in net.layers[:-1]:
        Z = layer(H)
        found.append(Z.value)
        H = activate(Z) if activate is not None else Z
    return found


def dead_relu_fraction(net, X):
    """Per hidden layer, the fraction of units whose input is ≤ 0 for every row of X: [L-1]."""
    return np.array([np.mean(np.all(Z <= 0, axis=0)) for Z in hidden_preactivations(net, X)])
