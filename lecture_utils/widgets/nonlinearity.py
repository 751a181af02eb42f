"""Panels for notebook 05: an activation applied to a matrix (the playground is in widgets/playground.py)."""

from .. import activations, plots
from .panel import Layer, Panel, dropdown

__all__ = ["activation_panel"]


def activation_panel(Z, activation="ReLU"):
    """A dropdown for the activation: Z, its entries on the curve, and f(Z) entry by entry."""
    z_range = plots.entry_range(Z)

    def frames(axes):
        plots.matrix_and_frame(Z, axes=axes)

    def applied(axes, activation):
        H = activations.apply(activation, Z)
        plots.activation_of_entries(Z, H, activations.curve(activation, z_range, 201), activation, axes=axes)
        return plots.describe_activation_of_entries(Z, H, activation)

    controls = {"activation": dropdown("activation", [(activations.LABELS[name], name) for name in activations.NAMES],
                                       activation)}
    return Panel(controls, moving=Layer(applied, "activation", controls_only=True), background=Layer(frames),
                 grid=(1, 3), width=plots.style.PAGE_WIDTH, height=3.0)
