"""A picture redrawn many times a second: still parts kept as pixels, moving artists changed in place.

    picture = AnimatedFigure(width=12, height=5)
    picture.show(key, build, update)       # a still picture (PNG)
    picture.show(key, build, update, moving=True)   # one of many a second (JPEG: a third of the time)
    picture.show(keys, build, update, redraw=redraw)     # the still parts in parts, each with its key
    picture.image                          # the ipywidgets Image on the page

`build(figure)` draws the still parts on the (cleared) figure and returns an object
whose `animated()` lists the moving artists (created with `set_animated(True)`, so
that a normal draw leaves them out) and, if it has one, whose `on_top()` lists artists
that seldom change but lie on top of moving ones (e.g. points on a moving heatmap;
animated too); `update(artists)` gives the moving artists new data (and may replace
the on-top ones). `show` calls `build` only when `key` changed; then it puts back
the still parts' pixels, draws the moving artists, lays the pixels of the on-top
artists over them (drawn once, with their transparency, and again only when the list
of on-top artists changes), and sends the picture. Unlike `Panel`, which makes its
moving artists anew on every change, the artists here are made once per `key`: a frame
costs only the drawing of what moves (for the playground's dozens of neuron pictures).

Still parts that change alone: `keys` = {part: what it depends on} and `redraw(artists,
parts)`, which draws those parts anew (and their moving artists, if they have their own)
and returns, for each, the box of the figure only it draws on and the artists that draw it
there: [(box, artists)] (see Picture.redraw_part). When some parts' keys changed, only
those parts are drawn again; the rest of the still pixels stay. A change of the parts
themselves (other names) builds the whole picture anew.

While the picture moves, frames are sent as JPEG (Picture.show(moving=True)); a still
picture is sent as PNG.

Moving pictures (AxesImage with opaque RGB data [R×C×3] uint8) are not resampled by
matplotlib: their pixels are resized by Pillow (bilinear, which averages when it
shrinks; nearest for interpolation="nearest") and copied into the canvas at their
place. Everything else is drawn by matplotlib, in the order `animated()` lists it, so
a picture covers what comes before it and not what comes after.
"""

import numpy as np
from matplotlib.image import AxesImage
from PIL import Image

from .picture import Picture

__all__ = ["AnimatedFigure"]


class AnimatedFigure:
    """A figure of `width` × `height` inches shown in `self.image`; `frames` counts the pictures sent."""

    def __init__(self, width, height):
        self.picture = Picture(grid=None, width=width, height=height, layout=None)  # figure, canvas, image
        self.figure, self.canvas, self.image = self.picture.figure, self.picture.canvas, self.picture.image
        self.key = None
        self.artists = None
        self._on_top = None  # the pixels the artists on top cover, their colour × opacity, their transparency ...
        self._on_top_artists = None  # ... and which artists they are
        self.frames = 0

    def show(self, key, build, update, moving=False, redraw=None):
        """Draw the still parts again if `key` changed (with `redraw`: only the parts whose keys changed),
        give the moving artists new data, show the picture (moving=True: as one frame of many, in JPEG)."""
        changed = self._changed_parts(key, redraw)
        if changed is None:
            self.figure.clear()
            self.artists = build(self.figure)
            update(self.artists)
            self.picture.render()  # the still parts only: the moving artists are animated
            self.picture.keep_pixels()
            self._on_top_artists = None
        else:
            parts = redraw(self.artists, changed) if changed else []
            update(self.artists)
            for box, artists in parts:
                self.picture.redraw_part(box, artists)
        self.key = key
        on_top = getattr(self.artists, "on_top", list)()
        if on_top != self._on_top_artists:
            self._on_top = self._draw_on_top(on_top)
            self._on_top_artists = on_top
        self.picture.restore_pixels()
        renderer = self.picture.renderer()
        pixels = np.asarray(self.canvas.buffer_rgba())  # [height×width×4], the canvas itself
        for artist in self.artists.animated():
            if _pastable(artist):
                _paste(artist, pixels)
            else:
                artist.draw(renderer)
        if self._on_top is not None:
            covered, colour, transparency = self._on_top
            under = pixels[covered][:, :3]
            pixels[covered + (slice(0, 3),)] = (colour + under * transparency + 0.5).astype(np.uint8)
        self.picture.show(moving)
        self.frames += 1

    def _changed_parts(self, key, redraw):
        """The still parts to draw again: [] if none, None if the whole picture is to be built anew."""
        if self.artists is None:
            return None
        if key == self.key:
            return []
        if redraw is None or key.keys() != self.key.keys():
            return None
        return [part for part in key if key[part] != self.key[part]]

    def _draw_on_top(self, artists):
        """The on-top artists drawn once on a transparent canvas: the pixels they cover (row and column
        indices), their colour times their opacity [K×3] and their transparency [K×1], to lay them over."""
        if not artists:
            return None
        renderer = self.picture.renderer()
        renderer.clear()  # transparent
        for artist in artists:
            artist.draw(renderer)
        layer = np.asarray(self.canvas.buffer_rgba())
        covered = np.nonzero(layer[..., 3])
        opacity = layer[covered][:, 3:] / np.float32(255)
        return covered, layer[covered][:, :3] * opacity, 1 - opacity


def _pastable(artist):
    data = artist.get_array() if isinstance(artist, AxesImage) else None
    return (data is not None and data.ndim == 3 and data.shape[2] == 3 and data.dtype == np.uint8
            and artist.get_alpha() in (None, 1.0) and artist.origin == "lower" and artist.get_visible())


def _paste(image, pixels):
    """Copy an image's pixels, resized to where its extent lies on the canvas, into the canvas."""
    height, width = pixels.shape[:2]
    box = image.get_window_extent()
    left, right = max(0, round(box.x0)), min(width, round(box.x1))
    top, bottom = max(0, height - round(box.y1)), min(height, height - round(box.y0))
    if right <= left or bottom <= top:
        return
    data = np.ascontiguousarray(np.asarray(image.get_array())[::-1])  # the first row at the top, as on the canvas
    interpolation = Image.Resampling.NEAREST if image.get_interpolation() == "nearest" else Image.Resampling.BILINEAR
    resized = Image.fromarray(data, "RGB").resize((right - left, bottom - top), interpolation)
    pixels[top:bottom, left:right, :3] = np.asarray(resized)
    pixels[top:bottom, left:right, 3] = 255
