"""Panels for notebook 03: which row of X makes which entry of ŷ = Xw + b."""

import numpy as np

from .. import plots
from ..lessons import linear_regression
from .panel import Layer, Panel, int_slider

__all__ = ["row_selector_panel"]


def row_selector_panel(X, w, b, names=None, i=0):
    """A slider for the row i: ŷ, X, w and b as tables, row i of X and entry i of ŷ highlighted.

    X: [N×D] (a few rows, to be readable), w: [D×1], b: a number; names: the D predictors.
    The tables are drawn once; moving the slider only draws the highlight and the sum for row i.
    """
    y_hat = linear_regression.predict(X, w, b)

    def tables(ax):
        plots.matrix_form_tables(X, w, b, y_hat, names=names, ax=ax)

    def row(ax, i):
        plots.matrix_form_row(X, w, b, y_hat, i, ax=ax)
        return plots.describe_row(X, w, b, y_hat, i)

    controls = {"i": int_slider("row i", 0, np.shape(X)[0] - 1, i)}
    return Panel(controls, moving=Layer(row, "i", controls_only=True), background=Layer(tables), width=9.0, height=4.4)
