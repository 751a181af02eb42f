"""Panels for notebook 05: an activation applied to a matrix (the playground is in widgets/playground.py)."""

from .. import plots
from ..playground import ACTIVATION_NAMES
from .panel import Panel, dropdown

__all__ = ["activation_panel"]


def activation_panel(Z, activation="relu"):
    """A dropdown for the activation: Z, its entries on the curve, and f(Z) entry by entry."""
    def background(axes):
        plots.matrix_and_frame(Z, axes=axes)

    def draw(axes, activation):
        plots.activation_of_entries(Z, activation, axes=axes)

    controls = {"activation": dropdown("activation", [(plots.ACTIVATION_LABELS[name], name)
                                                      for name in ACTIVATION_NAMES], activation)}
    return Panel(draw, controls, background=background, grid=(1, 3), width=11, height=3.3)
