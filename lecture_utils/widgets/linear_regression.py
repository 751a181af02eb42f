"""Panels for notebook 01: fit a line with sliders, and watch its error."""

from .. import plots
from ..data import with_outlier
from ..lessons import descent, linear_regression
from .panel import Layer, Panel, slider, toggle

__all__ = ["line_fit_panel", "error_panel"]


def line_fit_panel(x, y, k_range=(0.0, 0.5), m_range=(-200.0, 300.0), k=0.1, m=50.0):
    """Sliders k and m: the line and its residuals (left), its place on ℒ(k, m) (right)."""
    landscape = descent.loss_landscape(x, y, k_range, m_range)

    def frames(axes):
        plots.apartments_scatter(x, y, ax=axes[0])
        plots.landscape_frame(landscape, ax=axes[1])

    def fit(axes, k, m):
        line = linear_regression.line(x, y, k, m)
        plots.line_with_residuals(x, y, line, ax=axes[0])
        plots.landscape_point(line, ax=axes[1])
        return (f"the line through the apartments and its point on the contours of ℒ(k, m): "
                f"{plots.describe_line(line)}")

    controls = {"k": slider("k", *k_range, k, step=0.002, readout_format=".3f"),
                "m": slider("m", *m_range, m, step=1.0, readout_format=".0f")}
    return Panel(controls, moving=Layer(fit, "k", "m", controls_only=True), background=Layer(frames), grid=(1, 2),
                 width=plots.style.PAGE_WIDTH, height=3.8)


def error_panel(x, y, outlier, k=0.25, m=20.0):
    """Sliders k, m and an outlier switch: |y - ŷ| and (y - ŷ)² for every apartment."""
    with_extra = with_outlier(x, y, outlier)

    def errors(axes, k, m, add_outlier):
        errors = linear_regression.line_errors(*(with_extra if add_outlier else (x, y)), k, m, outlier=add_outlier)
        plots.error_bars(errors, axes=axes)
        return (f"k = {plots.style.number(k, '.3g')}, m = {plots.style.number(m, '.3g')}"
                f"{', with an outlier' if add_outlier else ''}: {plots.describe_errors(errors)}")

    controls = {"k": slider("k", 0.0, 0.5, k, step=0.002, readout_format=".3f"),
                "m": slider("m", -200.0, 300.0, m, step=1.0, readout_format=".0f"),
                "add_outlier": toggle("add an outlier")}
    # the bars' heights set the y axis: the frames move with them
    return Panel(controls, moving=Layer(errors, "k", "m", "add_outlier", frames=True, controls_only=True), grid=(1, 2),
                 width=plots.style.PAGE_WIDTH, height=3.4)
