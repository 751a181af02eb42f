"""Texts drawn again by copying the pixels they made the last time.

matplotlib lays out and rasterises every line of text anew each time it is drawn, about
0.1 ms a letter: most of the time a panel takes. Yet a panel draws the same texts at the
same places again and again: tick labels, titles, a slider moved back and forth. A
TextPixels remembers, for each line of text its renderer draws, the pixels around it
before and after; asked to draw the same line (text, font, colour, place) over the same
pixels again, it puts the pixels after back instead. A line may be remembered over a few
different backgrounds (e.g. a label beside a neighbour that changes). The picture stays
exactly as matplotlib draws it: a line is copied only onto pixels equal to those it was
first drawn on, and it is remembered only if everything it changed lies inside the box
kept for it.

    texts = TextPixels()
    texts.install(canvas.get_renderer())   # every draw_text of this renderer goes through it

Only straight lines of plain text are remembered (no rotation, no mathtext, no clip path);
the others are drawn as always. The pixels remembered are bounded by `max_bytes` (the
least recently used go first).
"""

from collections import OrderedDict

import numpy as np
from matplotlib import rcParams

__all__ = ["TextPixels"]

# The box kept around a line of text, in font sizes from the start of its baseline: no glyph of the
# package's fonts reaches beyond it (what reaches its edge is not remembered).
ABOVE, BELOW, BEFORE, ADVANCE = 1.3, 0.6, 0.4, 1.1  # ADVANCE: per letter, more than the widest glyph
MARGIN = 2  # pixels around the box
VARIANTS = 4  # backgrounds remembered for one line at one place


class TextPixels:
    """The pixels of the lines of text a renderer drew, to draw them again by copying."""

    def __init__(self, max_bytes=12 * 2**20):
        self.max_bytes = max_bytes
        self._lines = OrderedDict()  # key -> [(pixels before [h×w×4], pixels after [h×w×4]), ...]
        self._bytes = 0
        self.copied = self.drawn = 0  # lines put back as pixels, and lines matplotlib drew

    def install(self, renderer):
        """Let every line of text `renderer` draws go through this TextPixels (once per renderer)."""
        if getattr(renderer, "_text_pixels", None) is self:
            return
        draw_text = renderer.draw_text
        canvas = np.asarray(renderer.buffer_rgba())  # [height×width×4], the renderer's own pixels

        def remembered_draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
            key = _key(renderer, gc, x, y, s, prop, angle, ismath, mtext)
            if key is None:
                self.drawn += 1
                return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            rows, columns = _box(canvas.shape, x, y, len(s), prop.get_size_in_points() * renderer.dpi / 72)
            region = canvas[rows, columns]
            for before, after in self._lines.get(key, ()):
                if np.array_equal(before, region):
                    region[...] = after
                    self._lines.move_to_end(key)
                    self.copied += 1
                    return None
            before = region.copy()
            draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            self.drawn += 1
            if _edges_unchanged(before, region):
                self._remember(key, before, region.copy())
            return None

        renderer.draw_text = remembered_draw_text
        renderer._text_pixels = self

    def _remember(self, key, before, after):
        variants = self._lines.setdefault(key, [])
        variants.append((before, after))
        self._bytes += 2 * before.nbytes
        if len(variants) > VARIANTS:
            self._bytes -= 2 * variants.pop(0)[0].nbytes
        self._lines.move_to_end(key)
        while self._bytes > self.max_bytes and self._lines:
            _, forgotten = self._lines.popitem(last=False)
            self._bytes -= sum(2 * before.nbytes for before, _ in forgotten)


def _key(renderer, gc, x, y, s, prop, angle, ismath, mtext):
    """Everything the pixels of a line of text depend on, or None for a line not to remember."""
    if angle != 0 or ismath or not s or gc.get_clip_path()[0] is not None:
        return None
    clip = gc.get_clip_rectangle()
    return (s, float(x), float(y), tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
            prop.get_weight(), prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
            tuple(gc.get_rgb()), gc.get_alpha(), gc.get_forced_alpha(), gc.get_antialiased(),
            None if clip is None else tuple(clip.bounds), renderer.dpi,
            None if mtext is None else _shaping(mtext),
            rcParams["text.hinting"], rcParams["text.hinting_factor"], rcParams["text.antialiased"])


def _shaping(text):
    """A Text's font features and language, where matplotlib has them (3.11 on): they change its glyphs."""
    return tuple(getattr(text, name, lambda: None)() for name in ("get_fontfeatures", "get_language"))


def _box(shape, x, y, letters, size):
    """(rows, columns) of the canvas a line of `letters` letters at font size `size` (pixels) may draw on,
    its baseline starting at (x, y) (y from the top)."""
    height, width = shape[:2]
    top = max(0, int(y - ABOVE * size) - MARGIN)
    bottom = min(height, int(y + BELOW * size) + MARGIN + 1)
    left = max(0, int(x - BEFORE * size) - MARGIN)
    right = min(width, int(x + ADVANCE * size * letters) + MARGIN + 1)
    return slice(top, max(top, bottom)), slice(left, max(left, right))


def _edges_unchanged(before, after):
    """Whether the outermost rows and columns of a box are as they were: all the text drew lies inside."""
    return (np.array_equal(before[[0, -1]], after[[0, -1]]) and np.array_equal(before[:, [0, -1]], after[:, [0, -1]])
            if before.size else False)
