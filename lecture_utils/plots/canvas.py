"""The canvas every picture is drawn on: matplotlib's Agg, with each line of text drawn from a stamp.

matplotlib rasterises a line of text glyph by glyph every time it is drawn, about 20 µs a
letter: most of the time a picture takes to redraw. Yet a picture draws the same lines
again and again: tick labels, titles, a slider moved back and forth. This canvas's
renderer keeps, for each line it has drawn (its text, font, angle and where it falls
within a pixel), the line's coverage: how much of each pixel the letters cover, an
[h×w] array of 0–255, made once by drawing the line in black on a transparent scratch
canvas. Drawing the line is then one blend of that coverage in the text's colour, as
matplotlib blends each glyph's, so the picture is the one matplotlib draws.

    canvas = PictureCanvas(figure)        # instead of FigureCanvasAgg(figure)
    canvas.draw()                         # the texts it has drawn before come from their stamps
"""

from collections import OrderedDict
from math import ceil, cos, floor, radians, sin

import matplotlib.text
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

STAMP_BYTES = 2 * 2**20  # the stamps one canvas keeps (the least recently used go first)


class PictureCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer draws lines of text from stamps (see the module's docstring)."""

    def get_renderer(self):
        size = (*self.get_width_height(physical=True), self.figure.dpi)  # as FigureCanvasAgg's own renderer
        if getattr(self, "_renderer_size", None) != size:
            self.renderer, self._renderer_size = _StampingRenderer(*size), size
        return self.renderer


class _StampingRenderer(RendererAgg):
    """RendererAgg that keeps each line of text's coverage and blends it in the text's colour."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._stamps, self._bytes = OrderedDict(), 0

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath == "TeX" or _has_font_features(mtext):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        left, bottom = floor(x), floor(y)  # y downwards, from the top
        key = (s, prop, angle, ismath, gc.get_antialiased(), x - left, y - bottom)  # prop: equal by its properties
        stamp = self._stamps.get(key)
        if stamp is None:
            stamp = self._stamp(gc, x, y, s, prop, angle, ismath, mtext)
            self._keep((s, prop.copy(), *key[2:]), stamp)  # a copy: the text's own properties may change later
        else:
            self._stamps.move_to_end(key)
        coverage, dx, dy = stamp
        if coverage is not None:  # draw_text_image's y: the row below the image's last, downwards
            self._renderer.draw_text_image(coverage, left + dx, bottom + dy + coverage.shape[0], 0, gc)

    def _stamp(self, gc, x, y, s, prop, angle, ismath, mtext):
        """(coverage [h×w] uint8, its left column and top row from the pixel (x, y) lies in), or (None, 0, 0) if
        the line covers nothing: the line drawn in black on a transparent scratch canvas, at the same place
        within a pixel, with an em of room around the box it was laid out in (for glyphs reaching out of it)."""
        width, height, descent = _measured(self, s, prop, ismath)
        c, s_ = cos(radians(angle)), sin(radians(angle))
        corners = [(u * c - v * s_, -(u * s_ + v * c))  # the box turned by `angle`, downwards from the origin
                   for u in (0, width) for v in (-descent, height - descent)]
        margin = ceil(self.points_to_pixels(prop.get_size_in_points())) + 1
        origin_x = margin - floor(min(u for u, _ in corners))  # the pixel the line's origin lies in
        origin_y = margin - floor(min(v for _, v in corners))
        scratch = RendererAgg(origin_x + ceil(max(u for u, _ in corners)) + margin,
                              origin_y + ceil(max(v for _, v in corners)) + margin, self.dpi)
        ink = scratch.new_gc()
        ink.copy_properties(gc)
        ink.set_foreground("black")
        ink.set_alpha(1.0)
        ink.set_clip_rectangle(None)
        ink.set_clip_path(None)
        RendererAgg.draw_text(scratch, ink, origin_x + x % 1, origin_y + y % 1, s, prop, angle, ismath, mtext)
        ink.restore()
        coverage = np.asarray(scratch.buffer_rgba())[..., 3]  # black at full opacity: its alpha is the coverage
        rows, columns = np.nonzero(coverage.any(axis=1))[0], np.nonzero(coverage.any(axis=0))[0]
        if not len(rows):
            return None, 0, 0
        top, first = rows[0], columns[0]
        return (np.ascontiguousarray(coverage[top:rows[-1] + 1, first:columns[-1] + 1]), int(first) - origin_x,
                int(top) - origin_y)

    def _keep(self, key, stamp):
        self._stamps[key] = stamp
        self._bytes += 0 if stamp[0] is None else stamp[0].nbytes
        while self._bytes > STAMP_BYTES and len(self._stamps) > 1:
            _, (coverage, _, _) = self._stamps.popitem(last=False)
            self._bytes -= 0 if coverage is None else coverage.nbytes


def _has_font_features(text):
    """Whether a Text asks for OpenType features or a language (matplotlib ≥ 3.10): drawn as it is, not stamped."""
    return text is not None and any(getattr(text, f"get_{what}", lambda: None)() for what in ("fontfeatures",
                                                                                              "language"))


def _measured(renderer, s, prop, ismath):
    """(width, height, descent) of a line in pixels: as matplotlib's text layout measured it just before (it keeps
    the measures per renderer; measuring again costs as much as drawing), else measured now."""
    cached = getattr(matplotlib.text, "_get_text_metrics_with_cache", None)
    if cached is None:
        return renderer.get_text_width_height_descent(s, prop, ismath)
    return cached(renderer, s, prop, ismath, renderer.dpi)
