"""Panels for notebook 02: fit a plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b to two predictors with sliders."""

from .. import plots
from ..lessons import linear_regression
from .panel import Layer, Panel, slider

__all__ = ["plane_fit_panel"]


def plane_fit_panel(x1, x2, y, w1=0.24, w2=0.0, b=30.0, elev=30.0, azim=-75.0,
                    w1_range=(0.0, 0.5), w2_range=(-5.0, 3.0), b_range=(-200.0, 300.0)):
    """Sliders w₁, w₂, b and the viewing angle: the plane, its residual sticks and ℒ, in 3-D.

    The apartments and the axes, seen from (elevation, azimuth), are the background:
    moving w₁, w₂ or b redraws only the plane and the sticks; turning the view redraws all.
    """
    def apartments(ax, elev, azim):
        plots.apartments_3d(x1, x2, y, elev=elev, azim=azim, ax=ax)

    def plane(ax, w1, w2, b):
        plane = linear_regression.plane(x1, x2, y, w1, w2, b)
        plots.plane_with_residuals(x1, x2, y, plane, ax=ax)
        return plots.describe_plane(plane)

    controls = {"w1": slider("w₁", *w1_range, w1, step=0.002, readout_format=".3f"),
                "w2": slider("w₂", *w2_range, w2, step=0.02, readout_format=".2f"),
                "b": slider("b", *b_range, b, step=1.0, readout_format=".0f"),
                "elev": slider("elevation", 0.0, 90.0, elev, step=1.0, readout_format=".0f"),
                "azim": slider("azimuth", -180.0, 180.0, azim, step=1.0, readout_format=".0f")}
    return Panel(controls, moving=Layer(plane, "w1", "w2", "b", controls_only=True),
                 background=Layer(apartments, "elev", "azim"),
                 width=6.4, height=5.0, subplot_kw={"projection": "3d"})
