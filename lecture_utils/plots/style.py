"""Colours, figures and labels shared by every plot.

Colours come from the Okabe–Ito palette, which stays distinguishable with the
common colour-vision deficiencies; where two things must be told apart, they also
differ in marker or line style. Nothing here touches matplotlib's global state
(no pyplot, no rcParams): every figure is made by `new_figure`.
"""

import io

import matplotlib.figure
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..notation import superscript

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
CLASS_CMAP = "PuOr_r"              # a classifier's output: purple near class 0, orange near class 1

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


# --- numbers on axes, in plain Unicode (mathtext is slow to lay out) -----------------------

def power_of_ten(value):
    """A power of ten with a Unicode superscript: 1e-05 -> '10⁻⁵' (faster to draw than mathtext)."""
    exponent = int(round(np.log10(value)))
    return "10" + superscript(exponent) if exponent not in (0, 1) else f"{value:g}"


def plain_log_ticks(ax):
    """Label a log-scale y axis in plain Unicode: at 1, 2 and 5 times powers of ten over a
    small range, at the powers of ten alone over a large one (call it after plotting),
    without minor ticks.

    matplotlib's default labels on a log axis are mathtext, slow to lay out; a
    picture redrawn during training should not spend its time on tick labels.
    """
    low, high = ax.get_ylim()
    few_decades = 0 < low and np.log10(high / low) <= 2.5
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if few_decades else (1.0,)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _tick_label(value)))
    ax.yaxis.set_minor_locator(NullLocator())  # no minor ticks: each would be one more object to lay out


def _tick_label(value):
    if 1e-3 <= value < 1e5:
        return f"{value:g}"
    is_power = np.isclose(10 ** round(np.log10(value)), value)
    return power_of_ten(value) if is_power else scientific(value)




def scientific(value):
    """A number in powers of ten with Unicode superscripts: 9.4e-06 -> '9.4·10⁻⁶'."""
    mantissa, exponent = f"{value:.1e}".split("e")
    exponent = int(exponent)
    if exponent in (-1, 0, 1):
        return f"{value:.2g}"
    return f"{mantissa}·10{superscript(exponent)}"
