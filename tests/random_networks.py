"""Networks with random parameters for tests, made the way the notebooks make them."""

from lecture_utils.nn import MLP


def random_linear_network(sizes, rng):
    """As in notebook 05: an MLP without activations, its biases made random too (both drawn from rng)."""
    net = MLP(sizes, activation="linear", rng=rng)
    for layer in net.layers:
        layer.b.value = rng.normal(size=layer.b.shape)
    return net
