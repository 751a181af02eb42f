"""Every picture the notebooks show, and what a reader sees of it: sizes, text sizes, contrast, words.

    for shown in notebook_pictures("01_linear_regression"):   # run in this process, as Run All would
        shown.figure, shown.size, shown.alt, shown.kind         # a figure that ended a cell, a panel, a live plot

A cell's last value is what Jupyter displays: a Figure, a Panel (or an object holding one), the
playground or a LivePlot. Panels are returned after one change of each control, so that both
their layers have been drawn with other values; live plots after the notebook has run to its end.
"""

import ast
import contextlib
import io
import json
import re
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.text import Text

from paths import ROOT

NEGATIVE_ZERO = re.compile(r"[−-]0(?:\.0+)?(?![\d.])")  # "−0", "−0.00": a number that rounds to zero, signed


@dataclass
class Shown:
    """One picture a notebook shows: where, what kind, its figure, its size in pixels and its text alternative."""

    notebook: str
    cell: int
    kind: str  # "figure", "panel", "live plot"
    figure: object
    size: tuple
    alt: str
    panel: object = None
    first_alt: str = None  # a panel's text alternative before its controls were changed


def notebook_pictures(name, changes=1):
    """Run notebooks/<name>.ipynb's code cells in one namespace (the last expression of a cell evaluated as
    Jupyter does) and return every picture it shows, as Shown; each control of a panel changed `changes` times."""
    from lecture_utils.plots.style import PNG_DPI, Figure
    from lecture_utils.widgets import LivePlot, Panel
    from lecture_utils.widgets.playground import PlaygroundPanel

    notebook = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
    namespace, shown = {}, []
    for i, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(tree, f"<{name} cell {i}>", "exec"), namespace)
            value = eval(compile(ast.Expression(last.value), f"<{name} cell {i}>", "eval"), namespace) if last else None
        value = getattr(value, "panel", value)
        if isinstance(value, Figure):
            size = tuple(round(s * PNG_DPI) for s in value.get_size_inches())
            shown.append(Shown(name, i, "figure", value, size, value.text_alternative))
        elif isinstance(value, (Panel, PlaygroundPanel)):
            shown.append(Shown(name, i, "panel", value.picture.figure, None, None, value))
        elif isinstance(value, LivePlot):
            shown.append(Shown(name, i, "live plot", value.figure, None, None, value))
    for picture in shown:
        if picture.panel is not None:
            picture.first_alt = picture.panel.picture.alt
        if picture.kind == "panel":
            for control in panel_controls(picture.panel).values():
                for _ in range(changes):
                    control.value = other_value(control)
        if picture.panel is not None:
            picture.size, picture.alt = picture.panel.picture.size, picture.panel.picture.alt
    return shown


def panel_controls(panel):
    """A panel's controls by name: its own, and the playground's feature buttons."""
    return {**panel.controls, **getattr(panel, "feature_buttons", {})}


def other_value(control):
    """A different valid value for a control, to change it to (the next option, the other state, a step on)."""
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        return values[(values.index(control.value) + 1) % len(values)]
    if isinstance(control.value, bool):
        return not control.value
    step = control.step or (control.max - control.min) / 100
    return control.value + step if control.value + step <= control.max else control.value - step


def drawn_texts(figure):
    """Every line of text a figure shows (it must have been drawn): [(Text, its font size in pixels)].

    An axis keeps labels for ticks beyond its limits, which it does not draw; the labels of the axes
    drawn without their axes (set_axis_off) and of hidden axes are not drawn either.
    """
    from lecture_utils.plots.style import PNG_DPI

    hidden = set()
    for ax in figure.axes:
        axes_drawn = ax.get_visible() and ax.axison
        for axis in [getattr(ax, f"{name}axis") for name in "xyz" if hasattr(ax, f"{name}axis")]:
            drawn = set()
            if axes_drawn and axis.get_visible() and ax.name != "3d":
                drawn = {id(label) for tick in axis._update_ticks() for label in (tick.label1, tick.label2)}
            elif axes_drawn and axis.get_visible():
                drawn = {id(text) for text in axis.findobj(Text)}  # a 3-D axis draws the labels it keeps
            hidden |= {id(text) for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                       for text in (tick.label1, tick.label2) if id(text) not in drawn}
            if not axes_drawn or not axis.get_visible():
                hidden |= {id(text) for text in axis.findobj(Text)}
        if not ax.get_visible():
            hidden |= {id(text) for text in ax.findobj(Text)}
    return [(text, text.get_fontsize() * PNG_DPI / 72) for text in figure.findobj(Text)
            if text.get_visible() and text.get_text().strip() and id(text) not in hidden]


def luminance(colour):
    """WCAG relative luminance of a colour (its alpha ignored)."""
    rgb = np.array(to_rgba(colour)[:3])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    """WCAG contrast ratio of two colours, from 1 to 21."""
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour, background="white"):
    """A colour with its alpha laid over an opaque background: the colour a reader sees."""
    r, g, b, a = to_rgba(colour)
    base = np.array(to_rgba(background)[:3])
    return tuple(a * np.array([r, g, b]) + (1 - a) * base)


TEXT_CONTRAST, MARK_CONTRAST = 4.5, 3.0  # WCAG 2.1: text, and the lines and marks a picture is read from


def contrast_problems(figure):
    """What a figure draws too faint to read on its white page (it must have been drawn): [(what, ratio)].

    Text needs TEXT_CONTRAST against what is behind it (its own box, or the white page); a line, a point,
    a bar or an outline MARK_CONTRAST, by its edge or by its fill, with its transparency. Pictures (images,
    a colour bar's scale), a matrix's cells and the numbers written in them (style.matrix_cells: tested with
    the colour scale) are the background they lie on, not marks; so are grid lines, an axes' frame and what
    a plot calls a guide (gid "guide": a shaded region, the borders of cells inside an outlined block).
    """
    from matplotlib.collections import Collection, PolyCollection, QuadMesh
    from matplotlib.patches import Patch

    problems = []
    for text, _ in drawn_texts(figure):
        if text.get_gid() == "cell number":
            continue
        box = text.get_bbox_patch()
        behind = "white" if box is None or not box.get_fill() else over(box.get_facecolor())
        ratio = contrast(over(_with_alpha(text.get_color(), text.get_alpha()), behind), behind)
        if ratio < TEXT_CONTRAST:
            problems.append((f"text {text.get_text()[:40]!r} in {text.get_color()}", round(ratio, 2)))
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        for line in ax.get_lines():
            if not line.get_visible() or line.get_gid() == "guide":
                continue
            stroke = line.get_linestyle() not in ("None", "none", "", " ") and line.get_linewidth() > 0
            colours = ([line.get_color()] if stroke else []) + _marker_colours(line)
            _check_mark(problems, f"line {line.get_label()!r}", colours, line.get_alpha())
        for artist in [*ax.collections, *ax.patches]:
            background = isinstance(artist, (PolyCollection, QuadMesh)) or artist.get_gid() == "guide"
            if not artist.get_visible() or background:
                continue
            if isinstance(artist, Collection):
                faces, edges = list(artist.get_facecolors()), list(artist.get_edgecolors())
                width = np.max(artist.get_linewidths()) if len(artist.get_linewidths()) else 0
                for i in range(max(len(faces), len(edges), 1)):
                    colours = ([faces[i % len(faces)]] if len(faces) else []) + \
                              ([edges[i % len(edges)]] if len(edges) and width > 0 else [])
                    if _check_mark(problems, f"{type(artist).__name__} {artist.get_label()!r}", colours,
                                   artist.get_alpha()):
                        break
            elif isinstance(artist, Patch):
                colours = ([artist.get_facecolor()] if artist.get_fill() else []) + \
                          ([artist.get_edgecolor()] if artist.get_linewidth() > 0 else [])
                _check_mark(problems, f"{type(artist).__name__} {artist.get_label()!r}", colours, artist.get_alpha())
    return problems


def _with_alpha(colour, alpha):
    r, g, b, a = to_rgba(colour)
    return r, g, b, a * (1.0 if alpha is None else alpha)


def _marker_colours(line):
    if line.get_marker() in (None, "None", "none", "", " "):
        return []
    return [line.get_markerfacecolor(), line.get_markeredgecolor()]


def _check_mark(problems, what, colours, alpha):
    """A mark is seen by its most visible colour (its fill or its edge): a problem if even that is too faint."""
    seen = [contrast(over(_with_alpha(colour, alpha)), "white") for colour in colours
            if not (isinstance(colour, str) and colour.lower() == "none") and to_rgba(colour)[3] > 0]
    if seen and max(seen) < MARK_CONTRAST:
        problems.append((what, round(max(seen), 2)))
        return True
    return False


def clipped_texts(figure):
    """The texts a figure cuts off at its edges (it must have been drawn): [(text, its box)]."""
    renderer = figure.canvas.get_renderer()
    inside = figure.bbox
    clipped = []
    for text, _ in drawn_texts(figure):
        box = text.get_window_extent(renderer)
        if box.x0 < inside.x0 - 1 or box.y0 < inside.y0 - 1 or box.x1 > inside.x1 + 1 or box.y1 > inside.y1 + 1:
            clipped.append((text.get_text()[:40], tuple(round(v) for v in box.extents)))
    return clipped
