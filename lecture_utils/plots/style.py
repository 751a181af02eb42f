"""Colours, figures and labels shared by every plot.

Colours come from the Okabe–Ito palette, which stays distinguishable with the
common colour-vision deficiencies; where two things must be told apart, they also
differ in marker or line style. Nothing here touches matplotlib's global state
(no pyplot, no rcParams): every figure is made by `new_figure` (or a widget's Picture),
drawn at PNG_DPI and turned into PNG (or, for a picture that moves, JPEG) bytes by
`canvas_image`, the one picture encoder.

Also shared by every plot: numbers as text with a true minus sign (`number`, `minus`) and
a matrix as a grid of numbered cells (`matrix_cells`).
"""

import base64
import html
import io

import matplotlib
import matplotlib.figure
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap, Normalize, to_rgba
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
from matplotlib.transforms import ScaledTranslation
from PIL import Image

from ..notation import MINUS, minus, number, power_of_ten, scientific, term  # noqa: F401  numbers as text
from .canvas import PictureCanvas

# Okabe–Ito, by role.
DATA = "#0072B2"        # blue: observed data
MODEL = "#D55E00"       # vermillion: the model's prediction / fitted line
RESIDUAL = "#707070"    # grey: residuals, guides (a darker grey than Okabe–Ito's, to read as text too)
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

# Readable on the white page (WCAG 2.1): text 4.5:1 at least, lines and marks 3:1. DATA, MODEL, OPTIMUM,
# SECOND and RESIDUAL are dark enough for lines and marks; HIGHLIGHT and SKY (2.3:1) are fills with a dark
# EDGE, and drawn darker as lines. Text in a palette colour is drawn in its darker companion (text_colour).
EDGE = INK
_TEXT_COLOURS = {MODEL: "#B95200", OPTIMUM: "#008060", SECOND: "#A05F84", HIGHLIGHT: "#966800", SKY: "#37769A"}
_LINE_COLOURS = {HIGHLIGHT: "#B88000", SKY: "#4492BD"}
CONTOUR_CMAP = ListedColormap(matplotlib.colormaps[SEQUENTIAL_CMAP](np.linspace(0, 0.5, 128)))  # its dark half


def text_colour(colour):
    """The colour text in a palette colour is written in: the colour, or its darker companion."""
    return _TEXT_COLOURS.get(colour, colour)


def line_colour(colour):
    """The colour a line or an outline in a palette colour is drawn in: the colour, or its darker companion."""
    return _LINE_COLOURS.get(colour, colour)

# Labels in the lecture's notation. Plain Unicode (DejaVu Sans has ℒ, ŷ, w₁, η, ...)
# rather than mathtext: a panel redraws its labels on every slider move, and
# parsing mathtext for each new number would cost more than the rest of the drawing.
X_SQFT = "x: square feet"
Y_PRICE = "y: price (k$)"
LOSS = "ℒ"

# Pictures are drawn at the size they are shown: PNG_DPI pixels an inch, one pixel a CSS pixel of the page.
PNG_DPI = 90
PAGE_WIDTH = 9.2   # inches (828 px): the room for a picture in a notebook at a 1280-px window, file browser open
PANEL_HEIGHT = 600  # CSS pixels: a panel with its controls fits a 1280 × 720 window's notebook area
SMALLEST_FONT = 8  # points (10 px at PNG_DPI): no text in a picture is smaller
LAYOUT = "compressed"  # matplotlib's constrained layout, which also keeps equal-aspect axes' titles inside


class Figure(matplotlib.figure.Figure):
    """A matplotlib Figure that Jupyter shows as a picture when it ends a cell, with its text alternative.

    text_alternative: what the picture shows, in words and with its numbers, as the plot function that
    drew it stated it (`described`); the page gets it as the picture's alt text.
    """

    text_alternative = ""

    def _repr_png_(self):
        return figure_png(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        png = figure_png(self)
        size = (round(self.get_figwidth() * PNG_DPI), round(self.get_figheight() * PNG_DPI))
        return {"image/png": png, "text/html": img_tag(png, "png", self.text_alternative, size)}


def page_width(width):
    """A figure's width in inches, at most the page's (PAGE_WIDTH): for pictures whose width grows with their parts."""
    return min(width, PAGE_WIDTH)


def described(fig, text):
    """`fig` with its text alternative: what it shows now, in words, with its numbers. Returns fig."""
    fig.text_alternative = text
    return fig


def new_figure(width=6.4, height=4.0, nrows=1, ncols=1, sharex=False, sharey=False, projection=None,
               gridspec_kw=None):
    """A fresh Figure (not managed by pyplot) and its axes: one Axes or an array of them."""
    fig = Figure(figsize=(width, height), layout=LAYOUT)
    subplot_kw = {"projection": projection} if projection else None
    axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=True, subplot_kw=subplot_kw,
                        gridspec_kw=gridspec_kw)
    return fig, axes


def figure_png(fig):
    """The figure drawn at PNG_DPI (whatever its own dpi), as PNG bytes."""
    canvas, dpi = renderer_canvas(fig), fig.dpi
    fig.dpi = PNG_DPI
    try:
        canvas.draw()
        return canvas_image(canvas)
    finally:
        fig.dpi = dpi


def renderer_canvas(fig):
    """The figure's Agg canvas (pixels in memory), made once: what pictures are drawn on (see `canvas`)."""
    return fig.canvas if isinstance(fig.canvas, PictureCanvas) else PictureCanvas(fig)


PICTURE_FORMATS = ("png", "jpeg")
JPEG_QUALITY = 90


def canvas_image(canvas, format="png"):
    """The pixels a canvas last drew as opaque RGB image bytes, in `format`:

    "png":  exact, with light compression (fast);
    "jpeg": quality JPEG_QUALITY without colour subsampling (thin coloured lines stay sharp), in
            about a third of the time of a PNG: for the frames of a picture that moves.
    """
    if format not in PICTURE_FORMATS:
        raise ValueError(f"a picture is encoded as {' or '.join(PICTURE_FORMATS)}, not {format!r}")
    buffer = io.BytesIO()
    rgb = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    if format == "png":
        rgb.save(buffer, format="png", compress_level=1)
    else:
        rgb.save(buffer, format="jpeg", quality=JPEG_QUALITY, subsampling=0)
    return buffer.getvalue()


def img_tag(data, format, alt, size):
    """An HTML <img> of encoded picture bytes with its text alternative `alt`, shown at `size` = (width,
    height) CSS pixels, its size as drawn (a narrower page shrinks it, keeping its proportions); decoded
    before it is painted, so that a picture replacing another never flashes empty."""
    width, height = size
    source = base64.b64encode(bytes(data)).decode("ascii")
    return (f'<img src="data:image/{format};base64,{source}" alt="{html.escape(alt)}" width="{width}" '
            f'height="{height}" decoding="sync" style="display: block; max-width: 100%; height: auto">')


def target_axes(ax=None, width=6.4, height=4.0, projection=None):
    """The axes to draw on: `ax` if given (a panel's), else those of a new figure."""
    if ax is not None:
        return ax
    return new_figure(width, height, projection=projection)[1]


def target_axes_grid(axes, nrows, ncols, width, height, sharex=False, sharey=False, gridspec_kw=None):
    """`axes` if given (a panel's), else a new figure's nrows × ncols axes: (figure, flat list)."""
    if axes is None:
        fig, axes = new_figure(width, height, nrows, ncols, sharex=sharex, sharey=sharey, gridspec_kw=gridspec_kw)
    axes = list(np.ravel(axes))
    return axes[0].figure, axes


KEY_DROP = 36  # points: a key under its axes starts this far below them, clear of the ticks and the axis label


def key_below(ax, handles, ncols=2):
    """The key to an axes' lines, under the axes (below its axis label), where no moving part of a panel is
    drawn over it; the figure's layout makes room for it."""
    offset = ScaledTranslation(0, -KEY_DROP / 72, ax.figure.dpi_scale_trans)
    return ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=ax.transAxes + offset,
                     ncols=ncols, fontsize=8, frameon=False, handlelength=2.5, columnspacing=1.2)


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
        return number(value, "g")
    is_power = np.isclose(10 ** round(np.log10(value)), value)
    return power_of_ten(value) if is_power else scientific(value)



# --- a matrix as a grid of numbered cells ------------------------------------------------------

def _luminance(rgb):
    """WCAG 2.1's relative luminance of an sRGB colour (three numbers from 0 to 1)."""
    linear = np.where(np.asarray(rgb) <= 0.04045, np.asarray(rgb) / 12.92, ((np.asarray(rgb) + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def readable_on(colour, alpha=1.0, ink=INK):
    """The colour of text on a cell of `colour` (drawn with `alpha` on white): `ink` or white, whichever has
    the higher contrast with it."""
    rgb = alpha * np.asarray(to_rgba(colour)[:3]) + (1 - alpha)
    cell, dark = _luminance(rgb), _luminance(to_rgba(ink)[:3])
    return "white" if (1.05) / (cell + 0.05) > (cell + 0.05) / (dark + 0.05) else ink

def colour_scale(*matrices):
    """The colour scale ±limit shared by some matrices: their largest |entry| (1 if all are 0)."""
    limit = max((float(np.max(np.abs(m))) for m in matrices if m is not None and np.size(m)), default=0.0)
    return limit if limit > 0 else 1.0


def matrix_cells(ax, M, left=0.0, top=0.0, cell=(1.0, 1.0), down=True, scale=None, cmap=DIVERGING_CMAP,
                 color=None, alpha=1.0, edgecolor="#BBBBBB", linewidth=0.6, linestyle="solid",
                 numbers="short", fontsize=SMALLEST_FONT, ink=INK, max_numbers=None, zorder=1):
    """Draw M [r×c] as a grid of cells, its top-left corner at (left, top), each entry written in its cell.

    Rows go down the page and columns across, as numpy prints them: with down=True the
    y axis grows downwards (row i at y = top + i·height), else upwards (at top − i·height).
    cell:   (width, height) of one cell, in data units
    scale:  colour the cells by value on ±scale of `cmap` (each number in ink or in white, whichever
            stands out more on its cell: readable_on); or color: one colour for every cell (or an [r×c]
            grid of colours); either drawn with `alpha`; neither: no fill
    numbers: a spec for style.number ("short", ".2f", ...), or None for no numbers;
            max_numbers: write them only up to this many entries
    All cells are one PolyCollection (its array holds M's entries row by row); returns it.
    """
    M = np.asarray(M, dtype=float)
    width, height = cell
    i, j = np.indices(M.shape)
    x = (left + j * width).ravel()
    y = (top + (i if down else -i) * height).ravel()
    below = y + height if down else y - height
    corners = np.stack([np.column_stack(corner) for corner in [(x, y), (x + width, y), (x + width, below),
                                                                (x, below)]], axis=1)
    style = {"edgecolors": edgecolor, "linewidths": linewidth, "linestyles": linestyle, "zorder": zorder}
    if scale is not None:
        cells = PolyCollection(corners, array=M.ravel(), cmap=cmap, norm=Normalize(-scale, scale),
                               alpha=alpha, **style)
    else:
        faces = "none" if color is None else [to_rgba(c, alpha) for c in np.broadcast_to(
            np.asarray(color, dtype=object), M.shape).ravel()]
        cells = PolyCollection(corners, facecolors=faces, **style)
    ax.add_collection(cells, autolim=False)
    if numbers is not None and (max_numbers is None or M.size <= max_numbers):
        behind = cells.to_rgba(M.ravel()) if scale is not None else None  # the cells' colours [r·c × 4]
        for k, ((r, c), value) in enumerate(np.ndenumerate(M)):
            colour = ink if behind is None else readable_on(behind[k], alpha, ink)
            centre_y = top + (r + 0.5) * height if down else top - (r + 0.5) * height
            ax.text(left + (c + 0.5) * width, centre_y, number(value, numbers), ha="center", va="center",
                    fontsize=fontsize, color=colour, zorder=zorder + 2, gid="cell number")
    return cells

