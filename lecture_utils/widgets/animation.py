"""A picture redrawn many times a second: still parts kept as pixels, moving artists changed in place.

    picture = AnimatedFigure(width=12, height=5)
    picture.show(key, build, update)       # a still picture (PNG)
    picture.show(key, build, update, moving=True)   # one of many a second (JPEG: a third of the time)
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

While the picture moves, frames are sent as JPEG (full colour resolution, quality 90),
which takes about a third of the time of a PNG; a still picture is sent as PNG.

Moving pictures (AxesImage with opaque RGB data [R×C×3] uint8) are not resampled by
matplotlib: their pixels are resized with two small matrix products (linear, or
averaging when they shrink; nearest for interpolation="nearest") and copied into the
canvas at their place. Everything else is drawn by matplotlib, in the order
`animated()` lists it, so a picture covers what comes before it and not what comes after.
"""

from functools import lru_cache

import io

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.image import AxesImage
from PIL import Image

from ..plots.style import PNG_DPI, Figure
from .panel import canvas_png

__all__ = ["AnimatedFigure"]


class AnimatedFigure:
    """A figure of `width` × `height` inches shown in `self.image`; `frames` counts the pictures sent."""

    def __init__(self, width, height):
        self.figure = Figure(figsize=(width, height), dpi=PNG_DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.image = ipywidgets.Image(format="png")
        self.key = None
        self.artists = None
        self._still_pixels = None
        self._on_top = None  # (rows, columns, RGBA pixels [h×w×4]) of the artists on top ...
        self._on_top_artists = None  # ... and which artists they are
        self.frames = 0

    def show(self, key, build, update, moving=False):
        """Draw the still parts again if `key` changed, give the moving artists new data, show the picture
        (moving=True: as one frame of many, in JPEG)."""
        if key != self.key or self.artists is None:
            self.figure.clear()
            self.artists = build(self.figure)
            update(self.artists)
            self.canvas.draw()  # the still parts only: the moving artists are animated
            self._still_pixels = self.canvas.copy_from_bbox(self.figure.bbox)
            self._on_top_artists = None
            self.key = key
        else:
            update(self.artists)
        on_top = getattr(self.artists, "on_top", list)()
        if on_top != self._on_top_artists:
            self._on_top = self._draw_on_top(on_top)
            self._on_top_artists = on_top
        self.canvas.restore_region(self._still_pixels)
        renderer = self.canvas.get_renderer()
        pixels = np.asarray(self.canvas.buffer_rgba())  # [height×width×4], the canvas itself
        for artist in self.artists.animated():
            if _pastable(artist):
                _paste(artist, pixels)
            else:
                artist.draw(renderer)
        if self._on_top is not None:
            rows, columns, layer = self._on_top
            under = pixels[rows, columns, :3].astype(np.float32)
            alpha = layer[..., 3:] / np.float32(255)
            pixels[rows, columns, :3] = (layer[..., :3] * alpha + under * (1 - alpha) + 0.5).astype(np.uint8)
        with self.image.hold_sync():  # format and pixels in one message
            self.image.format = "jpeg" if moving else "png"
            self.image.value = canvas_jpeg(self.canvas) if moving else canvas_png(self.canvas)
        self.frames += 1

    def _draw_on_top(self, artists):
        """The on-top artists drawn once on a transparent canvas: the box they cover and its RGBA pixels."""
        if not artists:
            return None
        renderer = self.canvas.get_renderer()
        renderer.clear()  # transparent
        for artist in artists:
            artist.draw(renderer)
        layer = np.asarray(self.canvas.buffer_rgba()).copy()
        covered_rows, covered_columns = np.nonzero(layer[..., 3])
        if not len(covered_rows):
            return None
        rows = slice(covered_rows.min(), covered_rows.max() + 1)
        columns = slice(covered_columns.min(), covered_columns.max() + 1)
        return rows, columns, layer[rows, columns]


def canvas_jpeg(canvas, quality=90):
    """The pixels a canvas last drew, as JPEG bytes (no colour subsampling: thin coloured lines stay sharp)."""
    buffer = io.BytesIO()
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    rgba.convert("RGB").save(buffer, format="jpeg", quality=quality, subsampling=0)
    return buffer.getvalue()


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
    data = np.asarray(image.get_array())[::-1]  # the first row at the top, as on the canvas
    nearest = image.get_interpolation() == "nearest"
    rows = _resize_matrix(data.shape[0], bottom - top, nearest)
    columns = _resize_matrix(data.shape[1], right - left, nearest)
    channels = np.moveaxis(data, 2, 0).astype(np.float32)  # [3×R×C]
    resized = rows @ channels @ columns.T                    # [3×rows×columns]
    pixels[top:bottom, left:right, :3] = np.moveaxis(np.clip(resized + 0.5, 0, 255).astype(np.uint8), 0, 2)
    pixels[top:bottom, left:right, 3] = 255


@lru_cache(maxsize=64)
def _resize_matrix(size_in, size_out, nearest=False):
    """[size_out×size_in]: row i mixes the input pixels under output pixel i (each row sums to 1).

    Growing: linear interpolation between the two nearest input pixels; shrinking: the mean of
    the input pixels the output pixel covers; nearest: the input pixel under its centre.
    """
    centres = (np.arange(size_out) + 0.5) * size_in / size_out - 0.5  # in input pixels
    matrix = np.zeros((size_out, size_in), dtype=np.float32)
    if nearest:
        matrix[np.arange(size_out), np.clip(np.round(centres), 0, size_in - 1).astype(int)] = 1.0
    elif size_out >= size_in:
        low = np.clip(np.floor(centres), 0, size_in - 1).astype(int)
        high = np.minimum(low + 1, size_in - 1)
        weight = np.clip(centres - low, 0.0, 1.0)
        np.add.at(matrix, (np.arange(size_out), low), 1.0 - weight)
        np.add.at(matrix, (np.arange(size_out), high), weight)
    else:
        edges = np.arange(size_out + 1) * size_in / size_out
        for i in range(size_out):
            first, last = int(np.floor(edges[i])), int(np.ceil(edges[i + 1]))
            for j in range(first, min(last, size_in)):
                matrix[i, j] = min(edges[i + 1], j + 1) - max(edges[i], j)
        matrix /= matrix.sum(axis=1, keepdims=True)
    return matrix
