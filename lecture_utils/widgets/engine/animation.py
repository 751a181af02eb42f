"""Animation: a picture redrawn many times a second, its moving artists made once and changed in place.

    animation = Animation(width=9.2, height=3.6)
    animation.show(key, build, update, alt)               # a still picture (PNG)
    animation.show(key, build, update, alt, moving=True)  # one of many a second (JPEG: a third of the time)

`build(figure, previous)` draws the picture on the figure — anew, or (previous: what it
returned the last time) changing only what the new key changes — and returns an object
whose `redrawn` (if it has one) lists the still parts it drew anew on the previous picture
as (box, artists), the box being where only they draw (None: the whole picture; see
Picture.draw_still_part), whose `animated()` lists the moving artists (set animated, so that the still parts are
drawn without them) and whose `on_top()` lists artists that seldom change but lie on top
of moving ones (e.g. points on a moving heatmap; animated too); `update(artists)` gives the
moving artists new data (and may replace the on-top ones). `show` builds the picture
again only when `key` changed, and then draws the still parts again (Picture.draw_still, or
only the parts `redrawn` lists); otherwise the still pixels stay and only the moving artists
are drawn on them (Picture.draw_moving), the on-top artists last: drawn once with their transparency and
laid over as pixels, again only when their list changes.
Unlike a Panel, whose moving parts are drawn anew on every change, the artists here are
made once per key: a frame costs only the drawing of what moves (for the playground's
dozens of neuron pictures).

A moving picture (an AxesImage of opaque RGB data [R×C×3] uint8) is not resampled by
matplotlib: its pixels are resized by Pillow (bilinear, which averages when it shrinks;
nearest for interpolation="nearest") and copied into the canvas at its place. Everything
is drawn in the order `animated()` lists it, so a picture covers what comes before it and
not what comes after.
"""

import numpy as np
from matplotlib.image import AxesImage
from PIL import Image

from .picture import Picture

__all__ = ["Animation"]


class Animation:
    """A figure of `width` × `height` inches whose picture is `self.picture` (its view: `self.view`)."""

    def __init__(self, width, height):
        self.picture = Picture(width, height, layout=None)  # the figure's parts are placed by `build`
        self.figure, self.view = self.picture.figure, self.picture.view
        self.key = self.artists = None
        self._on_top = None  # the on-top artists as pixels to lay over ...
        self._on_top_artists = None  # ... and which artists they are

    @property
    def frames(self):
        """How many pictures have been shown."""
        return self.picture.frames

    def show(self, key, build, update, alt, moving=False):
        """Build the picture again if `key` changed, give the moving artists new data, show it with its text
        alternative `alt` (moving=True: as one frame of many, in JPEG)."""
        if self.artists is None or key != self.key:
            previous, self.artists, self.key = self.artists, build(self.figure, self.artists), key
            update(self.artists)
            redrawn = getattr(self.artists, "redrawn", None) if previous is not None else None
            if redrawn is None:
                self.picture.draw_still()
                self._on_top_artists = None
            else:
                for box, artists in redrawn:
                    self.picture.draw_still_part(box, artists)
        else:
            update(self.artists)
        on_top = list(self.artists.on_top())
        if on_top != self._on_top_artists:
            self._on_top, self._on_top_artists = _OnTop(self.picture, on_top), on_top
        moving_artists = [_Pasted(artist) if _pastable(artist) else artist for artist in self.artists.animated()]
        self.picture.draw_moving(moving_artists + [self._on_top])
        self.picture.show(alt, moving)


def _canvas(renderer):
    """The pixels a renderer draws on [height×width×4], to change in place."""
    return np.asarray(renderer.buffer_rgba())


class _Pasted:
    """An AxesImage drawn by copying its pixels, resized to where its extent lies, into the canvas."""

    def __init__(self, image):
        self.image = image

    def draw(self, renderer):
        pixels = _canvas(renderer)
        height, width = pixels.shape[:2]
        box = self.image.get_window_extent()
        left, right = max(0, round(box.x0)), min(width, round(box.x1))
        top, bottom = max(0, height - round(box.y1)), min(height, height - round(box.y0))
        if right <= left or bottom <= top:
            return
        data = np.ascontiguousarray(np.asarray(self.image.get_array())[::-1])  # the first row at the top
        nearest = self.image.get_interpolation() == "nearest"
        resized = Image.fromarray(data, "RGB").resize(
            (right - left, bottom - top), Image.Resampling.NEAREST if nearest else Image.Resampling.BILINEAR)
        pixels[top:bottom, left:right, :3] = np.asarray(resized)
        pixels[top:bottom, left:right, 3] = 255


def _pastable(artist):
    data = artist.get_array() if isinstance(artist, AxesImage) else None
    return (data is not None and data.ndim == 3 and data.shape[2] == 3 and data.dtype == np.uint8
            and artist.get_alpha() in (None, 1.0) and artist.origin == "lower" and artist.get_visible())


class _OnTop:
    """Artists drawn once on a transparent canvas and then, on every frame, laid over the canvas as pixels:
    the pixels they cover (row and column indices), their colour × opacity [K×3], their transparency [K×1]."""

    def __init__(self, picture, artists):
        self.covered = None
        if not artists:
            return
        renderer = picture.canvas.get_renderer()
        renderer.clear()  # transparent
        for artist in artists:
            artist.draw(renderer)
        layer = np.asarray(picture.canvas.buffer_rgba())
        self.covered = np.nonzero(layer[..., 3])
        opacity = layer[self.covered][:, 3:] / np.float32(255)
        self.colour, self.transparency = layer[self.covered][:, :3] * opacity, 1 - opacity

    def draw(self, renderer):
        if self.covered is None:
            return
        pixels = _canvas(renderer)
        under = pixels[self.covered][:, :3]
        pixels[self.covered + (slice(0, 3),)] = (self.colour + under * self.transparency + 0.5).astype(np.uint8)
