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
        if picture.kind == "panel":
            controls = {**picture.panel.controls, **getattr(picture.panel, "feature_buttons", {})}
            for control in controls.values():
                for _ in range(changes):
                    control.value = other_value(control)
        if picture.panel is not None:
            picture.size, picture.alt = picture.panel.picture.size, picture.panel.picture.alt
    return shown


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
    """Every line of text a figure shows (it must have been drawn): [(Text, its font size in pixels)]."""
    from lecture_utils.plots.style import PNG_DPI

    hidden = set()  # the axis texts of axes drawn without their axes, and the texts of hidden axes
    for ax in figure.axes:
        if not ax.get_visible() or not ax.axison:
            axis_parts = [ax] if not ax.get_visible() else [getattr(ax, f"{name}axis") for name in "xyz"
                                                             if hasattr(ax, f"{name}axis")]
            hidden |= {id(text) for part in axis_parts for text in part.findobj(Text)}
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
