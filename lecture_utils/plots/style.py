"""Colours, figures and labels shared by every plot.

Colours come from the Okabe–Ito palette, which stays distinguishable with the
common colour-vision deficiencies; where two things must be told apart, they also
differ in marker or line style. Nothing here touches matplotlib's global state
(no pyplot, no rcParams): every figure is made by `new_figure`.
"""

import io

import matplotlib.figure
import numpy as np

# Okabe–Ito, by role.
DATA = "#0072B2"        # blue: observed data
MODEL = "#D55E00"       # vermillion: the model's prediction / fitted line
RESIDUAL = "#7F7F7F"    # grey: residuals, guides
OPTIMUM = "#009E73"     # bluish green: the best answer, the truth
HIGHLIGHT = "#E69F00"   # orange: the thing the learner is looking at
SECOND = "#CC79A7"      # reddish purple: a second model or curve
SKY = "#56B4E9"         # sky blue: a lighter companion of DATA
INK = "#000000"
CLASS_COLORS = (DATA, HIGHLIGHT)   # labels 0 and 1 ...
CLASS_MARKERS = ("o", "s")         # ... also told apart by shape
SEQUENTIAL_CMAP = "viridis"        # perceptually uniform, colour-blind safe
DIVERGING_CMAP = "PuOr"            # purple–orange: safe for red–green deficiencies

# Labels in the lecture's notation. Plain Unicode (DejaVu Sans has ℒ, ŷ, w₁, η, ...)
# rather than mathtext: a panel redraws its labels on every slider move, and
# parsing mathtext for each new number would cost more than the rest of the drawing.
X_SQFT = "x: square feet"
Y_PRICE = "y: price (k$)"
LOSS = "ℒ"

PNG_DPI = 90


class Figure(matplotlib.figure.Figure):
    """A matplotlib Figure that Jupyter shows as a picture when it ends a cell."""

    def _repr_png_(self):
        return figure_png(self)


def new_figure(width=6.4, height=4.0, nrows=1, ncols=1, sharex=False, sharey=False, projection=None):
    """A fresh Figure (not managed by pyplot) and its axes: one Axes or an array of them."""
    fig = Figure(figsize=(width, height), layout="constrained")
    subplot_kw = {"projection": projection} if projection else None
    axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=True, subplot_kw=subplot_kw)
    return fig, axes


def figure_png(fig, dpi=PNG_DPI):
    """Render a figure to PNG bytes (what a widget panel shows); light compression is faster."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def target_axes(ax=None, width=6.4, height=4.0, projection=None):
    """The axes to draw on: `ax` if given (a panel's), else those of a new figure."""
    if ax is not None:
        return ax
    return new_figure(width, height, projection=projection)[1]


def target_axes_grid(axes, nrows, ncols, width, height, sharex=False, sharey=False):
    """`axes` if given (a panel's), else a new figure's nrows × ncols axes: (figure, flat list)."""
    if axes is None:
        fig, axes = new_figure(width, height, nrows, ncols, sharex=sharex, sharey=sharey)
    axes = list(np.ravel(axes))
    return axes[0].figure, axes


def style_axes(ax, title=None, xlabel=None, ylabel=None, grid=True):
    """Title, axis labels and a light grid."""
    if title is not None:
        ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if grid:
        ax.grid(True, color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
