"""Panels for notebook 00: one neuron, vanishing gradients and dead ReLUs."""

from .. import activations, plots
from ..lessons import training
from .panel import Layer, Panel, dropdown, int_slider, log_slider, slider

__all__ = ["neuron_panel", "vanishing_gradient_panel", "dead_relu_panel"]

NEURON_ACTIVATIONS = ("linear", "ReLU", "sigmoid", "tanh")  # the order of notebook 00's list


def neuron_panel(w=1.0, b=0.0, activation="ReLU", x_range=(-4.0, 4.0), y_range=(-1.6, 1.6)):
    """Sliders w and b and a choice of f: the neuron ŷ = f(xw + b) as a curve over x."""
    def frame(ax):
        plots.neuron_frame(x_range, y_range, ax=ax)

    def neuron(ax, w, b, activation):
        plots.neuron_curve(*activations.neuron_curve_points(w, b, activation, x_range), w, b, activation, ax=ax)
        return plots.describe_neuron(w, b, activation, x_range)

    controls = {"w": slider("w", -10.0, 10.0, w, step=0.1, readout_format=".1f"),
                "b": slider("b", -4.0, 4.0, b, step=0.1, readout_format=".1f"),
                "activation": dropdown("f", list(NEURON_ACTIVATIONS), activation)}
    return Panel(controls, moving=Layer(neuron, "w", "b", "activation"), background=Layer(frame), width=7, height=4)


def vanishing_gradient_panel(X, y, depth=10, activation="sigmoid", init_scale=0.5, width=16, max_depth=30):
    """Depth L, activation and init scale σ of a fresh network: the gradient size of each layer.

    The axes always show layers 1..max_depth, so networks of different depth compare directly.
    """
    def frame(ax):
        plots.gradient_norm_frame(max_depth, ax=ax)

    def norms(ax, depth, activation, init_scale):
        net = training.deep_network(X.shape[1], depth, activation, init_scale, width)
        norms = training.layer_gradient_norms(net, X, y)
        plots.gradient_norm_line(norms, ax=ax)
        return (f"a fresh {activation} network of depth L = {depth}, init scale σ = "
                f"{plots.style.number(init_scale, '.2f')}: {plots.describe_gradient_norms(norms)}")

    controls = {"depth": int_slider("depth L", 2, max_depth, depth),
                "activation": dropdown("f", ["sigmoid", "tanh", "ReLU"], activation),
                "init_scale": slider("init scale σ", 0.05, 1.5, init_scale, step=0.01)}
    return Panel(controls, moving=Layer(norms, "depth", "activation", "init_scale"), background=Layer(frame),
                 width=7.5, height=4)


def dead_relu_panel(X, y, bias_init=0.0, lr=0.01, width=16):
    """Bias init b₀ and one step of size η: which ReLU units of a fresh network never fire on X."""
    def frames(axes):
        plots.relu_activity_frame([width, width], len(X), ax=axes[0])
        plots.dead_fraction_frame(2, ax=axes[1])

    def step(axes, bias_init, lr):
        net = training.relu_network(X.shape[1], bias_init, width=width)
        step = training.relus_after_step(net, X, y, lr)
        plots.dead_relus_after_step(step, axes=axes, frame=False)
        return f"bias init b₀ = {plots.style.number(bias_init, '.2f')}; {plots.describe_dead_relus(step)}"

    controls = {"bias_init": slider("bias init b₀", -1.5, 0.5, bias_init, step=0.05),
                "lr": log_slider("η (one step)", 0.01, 10.0, lr, step=0.05, readout_format=".3g")}
    return Panel(controls, moving=Layer(step, "bias_init", "lr"), background=Layer(frames), grid=(1, 2),
                 width=plots.style.PAGE_WIDTH, height=3.6, gridspec_kw={"width_ratios": [1.7, 1]})
