"""Thin ipywidgets panels over the pure functions in `lecture_utils.plots`.

A panel only wires controls to one plot function (see panel.Panel); shown as the
last value of a cell, it displays its controls above the picture.
"""

from .line import error_panel, line_fit_panel
from .panel import Panel, dropdown, int_slider, slider, toggle

__all__ = ["Panel", "slider", "int_slider", "dropdown", "toggle", "line_fit_panel", "error_panel"]
