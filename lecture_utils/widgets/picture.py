"""Picture: a matplotlib figure drawn off screen and shown in the page as a PNG (while it moves, a JPEG).

The one machine every panel (`panel.Panel`), every live plot (`training.LivePlot`) and the
playground's animation (`animation.AnimatedFigure`) is built on. It owns the figure, its
canvas, its axes and the ipywidgets Image on the page:

    picture = Picture(grid=(1, 2), width=10, height=4)
    picture.clear()                                  # empty axes (and no leftover colorbar)
    plots.fit_progress(y, y_hat, losses, **picture.target)    # draw with a plot function
    picture.render()                                 # the pixels; the first layout is kept
    picture.show()                                   # the PNG, to the page (show(moving=True): a JPEG)

One draw convention for all: a plot function gets its axes as plots take them, `ax=` for
one Axes and `axes=` (a list) for a grid; `picture.target` is that keyword argument.

Blitting (only what moves is drawn again): after render(), keep_pixels() remembers the
canvas; restore_pixels() puts them back and draw_artists(artists) draws some artists on
top, without laying out or drawing anything else. redraw_part(box, artists) draws one part of
a still picture anew in a box of the figure that only it draws on, and keeps the result.

The page gets the canvas through one encoder, `plots.style.canvas_image`: a PNG, or for one
frame of many (show(moving=True)) a JPEG, which takes about a third of the time.

Text is most of what a redraw costs; a line of text drawn again at the same place on the same
pixels is copied from the last time (text_pixels.TextPixels, `picture.texts`): the same
pixels, in a fraction of the time.
"""

import ipywidgets
import numpy as np
from matplotlib.colors import to_rgba

from ..plots.style import PNG_DPI, Figure, canvas_image, renderer_canvas
from .text_pixels import TextPixels

__all__ = ["Picture"]


class Picture:
    """A figure with grid = (rows, columns) of axes, width × height inches, shown as an Image.

    axes: one Axes for a (1, 1) grid, else a list (row by row); grid=None: no axes (the caller
    places its own). subplot_kw e.g. {"projection": "3d"}; more keywords (gridspec_kw, ...) go
    to Figure.subplots. layout: "constrained" (computed at the first render, then kept) or None.
    """

    def __init__(self, grid=(1, 1), width=6.4, height=4.0, subplot_kw=None, layout="constrained", **subplots_kw):
        self.figure = Figure(figsize=(width, height), dpi=PNG_DPI, layout=layout)
        self.canvas = renderer_canvas(self.figure)
        self.texts = TextPixels()  # a line of text drawn again at the same place: its pixels copied
        axes = [] if grid is None else self.figure.subplots(*grid, squeeze=False, subplot_kw=subplot_kw,
                                                             **subplots_kw).ravel()
        self.axes = axes[0] if len(axes) == 1 else list(axes)
        self.target = {"ax": self.axes} if len(axes) == 1 else {"axes": self.axes}
        self.image = ipywidgets.Image(format="png")
        self._pixels = None
        self.laid_out = False

    def clear(self):
        """Empty every axes, and remove axes a drawing added (e.g. a colorbar) before its image goes."""
        own = self.axes if isinstance(self.axes, list) else [self.axes]
        for ax in self.figure.axes[:]:
            if ax not in own:
                ax.remove()
        for ax in own:
            ax.cla()

    def renderer(self):
        """The canvas's renderer, its lines of text going through self.texts."""
        renderer = self.canvas.get_renderer()
        self.texts.install(renderer)
        return renderer

    def render(self):
        """Draw the whole figure; after the first time, keep the axes where that layout put them."""
        self.renderer()
        self.canvas.draw()
        if not self.laid_out:
            self.figure.set_layout_engine("none")  # a layout costs more than the rest of a redraw
            self.laid_out = True

    def keep_pixels(self):
        """Remember what the canvas shows now (a background to draw moving artists on)."""
        self._pixels = self.canvas.copy_from_bbox(self.figure.bbox)

    def restore_pixels(self):
        """Put the remembered pixels back on the canvas."""
        self.canvas.restore_region(self._pixels)

    def draw_artists(self, artists):
        """Draw these artists on the canvas as it is, lowest zorder first (3-D ones projected first)."""
        renderer = self.renderer()
        for artist in sorted(artists, key=lambda a: a.get_zorder()):
            if hasattr(artist, "do_3d_projection"):  # a 3-D artist projects itself for the kept view
                artist.do_3d_projection()
            artist.draw(renderer)

    def redraw_part(self, box, artists):
        """Draw one part of the kept picture anew and keep the result: inside box = (left, bottom, width,
        height), fractions of the figure as for Figure.add_axes, the figure's background colour and then
        `artists` (e.g. an Axes, a Text); outside it, the kept pixels as they were. The box must hold all
        that the part draws, before and after, and nothing else: the part lies on the figure's own
        (opaque) background."""
        self.restore_pixels()
        pixels = np.asarray(self.canvas.buffer_rgba())  # [height×width×4], the canvas itself
        height, width = pixels.shape[:2]
        left, bottom, box_width, box_height = box
        rows = slice(height - round((bottom + box_height) * height), height - round(bottom * height))  # from the top
        columns = slice(round(left * width), round((left + box_width) * width))
        kept = pixels.copy()
        pixels[rows, columns] = np.round(np.multiply(to_rgba(self.figure.get_facecolor()), 255))
        self.draw_artists(artists)
        part = pixels[rows, columns].copy()
        pixels[...] = kept  # what the artists drew beyond the box is not theirs to draw
        pixels[rows, columns] = part
        self.keep_pixels()

    def show(self, moving=False):
        """Send what the canvas shows to the page: a PNG, or (moving=True: one frame of many) a JPEG."""
        format = "jpeg" if moving else "png"
        with self.image.hold_sync():  # format and pixels in one message
            self.image.format = format
            self.image.value = canvas_image(self.canvas, format)

    def _repr_mimebundle_(self, **kwargs):
        return self.image._repr_mimebundle_(**kwargs)
