"""Picture: a figure drawn off screen, its still parts kept as pixels, its moving artists drawn on top,
shown in the page at the size it was drawn, with a text alternative.

    picture = Picture(width=6.4, height=4.0)    # inches; shown at width × PNG_DPI CSS pixels
    ...                                          # draw on picture.figure; artists that move are set animated
    picture.draw_still()                         # everything but the animated artists, kept as pixels
    picture.draw_moving(artists)                 # the kept pixels, these artists drawn on top
    picture.show("ℒ = 2,015 for k = 0.25")       # to the page, with what it shows in words

The one way every panel, live plot and the playground redraws: the still parts are drawn
when they change (`draw_still`), the moving artists on every change (`draw_moving`). The
still parts are everything a normal draw of the figure draws: matplotlib leaves out the
artists set animated, so the moving ones are those, declared by whoever made them. The
first `draw_still` lays the figure out (style.LAYOUT); the layout is then kept, so
that the moving artists fall on the same places every time.

In the page the picture is an <img> in an ipywidgets HTML widget (`picture.view`): its CSS
size is the figure's size in pixels (drawn as shown, never stretched; a narrower page may
shrink it), and its `alt` is the text alternative `show` was given (`plots.style.img_tag`,
as for a figure that ends a cell). The pixels go as a PNG, or for one frame of many a JPEG,
through the one encoder `plots.style.canvas_image`.
"""

import ipywidgets
import numpy as np
from matplotlib.colors import to_rgba

from ...plots.style import LAYOUT, PNG_DPI, Figure, canvas_image, img_tag, renderer_canvas

__all__ = ["Picture"]


class Picture:
    """A figure of `width` × `height` inches (drawn at PNG_DPI: that many CSS pixels per inch) and its view.

    layout: style.LAYOUT (computed at the first draw_still, then kept) or None (the caller places axes).
    data, format, alt: what the page shows now (the encoded picture, "png" or "jpeg", its text alternative);
    frames counts the pictures shown; still: the still pixels kept (by draw_still), which may be set to those
    kept earlier for the same figure.
    """

    def __init__(self, width, height, layout=LAYOUT):
        self.figure = Figure(figsize=(width, height), dpi=PNG_DPI, layout=layout)
        self.canvas = renderer_canvas(self.figure)
        self.view = ipywidgets.HTML()
        self.view.add_class("lecture-picture")  # how the browser tests find pictures
        self.data, self.format, self.alt = b"", "png", ""
        self.frames = 0
        self.still = None  # the kept still pixels (a region of the canvas)

    @property
    def kept(self):
        """Whether still pixels are kept (draw_still has run)."""
        return self.still is not None

    @property
    def size(self):
        """(width, height) in pixels, as drawn and as shown."""
        return self.canvas.get_width_height()

    def draw_still(self):
        """Draw the figure without its animated artists and keep those pixels; the first time, keep its layout."""
        self.canvas.draw()
        if self.still is None and self.figure.get_layout_engine() is not None:
            self.figure.set_layout_engine("none")  # a layout costs more than the rest of a redraw
        self.still = self.canvas.copy_from_bbox(self.figure.bbox)

    def draw_still_part(self, box, artists):
        """Draw a part of the kept still pixels anew: in `box` ((left, bottom, width, height), fractions of the
        figure, where only these artists draw) the figure's background colour, then `artists`; keep the result.
        Outside the box the kept pixels stay as they were."""
        self.canvas.restore_region(self.still)
        pixels = np.asarray(self.canvas.buffer_rgba())  # [height×width×4], the canvas itself
        height, width = pixels.shape[:2]
        left, bottom, box_width, box_height = box
        part = (slice(height - round((bottom + box_height) * height), height - round(bottom * height)),
                slice(round(left * width), round((left + box_width) * width)))  # rows from the top, columns
        kept = pixels.copy()
        pixels[part] = np.round(np.multiply(to_rgba(self.figure.get_facecolor()), 255))
        renderer = self.canvas.get_renderer()
        for artist in artists:
            artist.draw(renderer)
        kept[part] = pixels[part]  # what the artists drew outside the box is not theirs to draw
        pixels[...] = kept
        self.still = self.canvas.copy_from_bbox(self.figure.bbox)

    def draw_moving(self, artists):
        """Put the kept still pixels back and draw `artists` on them, in the order given."""
        self.canvas.restore_region(self.still)
        renderer = self.canvas.get_renderer()
        for artist in artists:
            artist.draw(renderer)

    def show(self, alt, moving=False):
        """Send what the canvas shows to the page with its text alternative `alt`: a PNG, or (moving=True: one
        frame of many) a JPEG."""
        self.format = "jpeg" if moving else "png"
        self.data, self.alt = canvas_image(self.canvas, self.format), alt
        self.view.value = img_tag(self.data, self.format, alt, self.size)
        self.frames += 1

    def _repr_mimebundle_(self, **kwargs):
        return self.view._repr_mimebundle_(**kwargs)
