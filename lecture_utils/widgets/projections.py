"""Panels for notebook 04: networks drawn from their layer sizes, and a 2×2 W acting on the plane."""

from .. import nn, plots
from ..lessons import linear_regression
from .panel import Layer, Panel, int_slider, slider

__all__ = ["network_panel", "linear_map_panel"]


def network_panel(D=2, M1=4, M2=3, K=1):
    """Sliders for the layer sizes D → M₁ → M₂ → K: the network and its parameter count.

    A hidden size of 0 leaves that layer out.
    """
    def network(ax, D, M1, M2, K):
        network = nn.architecture(nn.layer_sizes(D, [M1, M2], K))
        plots.network_diagram(network, ax=ax)
        return plots.describe_network(network)

    controls = {"D": int_slider("D (inputs)", 1, 6, D),
                "M1": int_slider("M₁ (hidden layer 1)", 0, 8, M1),
                "M2": int_slider("M₂ (hidden layer 2)", 0, 8, M2),
                "K": int_slider("K (outputs)", 1, 6, K)}
    return Panel(controls, moving=Layer(network, "D", "M1", "M2", "K", controls_only=True), width=7.5, height=4.6)


def linear_map_panel(points, W=((1.0, 0.0), (0.0, 1.0)), b=(0.0, 0.0), limit=2.0, count=5, view=4.0):
    """Sliders for the four entries of a 2×2 W and the two of b: the plane before and after H = XW + b.

    points: a few rows of X [P×2] to follow. Slider wᵢ⁽ʲ⁾ is W's entry in row i (input x⁽ⁱ⁾),
    column j (output h⁽ʲ⁾); b⁽ʲ⁾ is output j's bias.
    """
    before = linear_regression.map_plane(points, limit=limit, count=count)

    def planes(axes):
        plots.linear_map_before(before, view, ax=axes[0])
        plots.linear_map_frame(view, ax=axes[1])

    def after(axes, w11, w12, w21, w22, b1, b2):
        mapped = linear_regression.map_plane(points, [[w11, w12], [w21, w22]], [b1, b2], limit, count)
        plots.linear_map_after(mapped, ax=axes[1])
        return plots.describe_linear_map(mapped, [b1, b2])

    (w11, w12), (w21, w22) = W
    controls = {
        "w11": slider("w₁⁽¹⁾", -2.0, 2.0, w11, step=0.05), "w12": slider("w₁⁽²⁾", -2.0, 2.0, w12, step=0.05),
        "w21": slider("w₂⁽¹⁾", -2.0, 2.0, w21, step=0.05), "w22": slider("w₂⁽²⁾", -2.0, 2.0, w22, step=0.05),
        "b1": slider("b⁽¹⁾", -2.0, 2.0, b[0], step=0.1), "b2": slider("b⁽²⁾", -2.0, 2.0, b[1], step=0.1),
    }
    return Panel(controls, moving=Layer(after, *controls, controls_only=True), background=Layer(planes),
                 grid=(1, 2), width=9.0, height=4.6)
