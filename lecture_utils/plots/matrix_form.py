"""Pictures for notebook 03: the matrix form ŷ = Xw + b, drawn as small tables of numbers.

Every function takes data and what was computed from them (ŷ, a dot product, timings),
draws on `ax` if given or on a new figure otherwise, and returns the figure. Matrices are
drawn as grids of cells with their shapes written above them ([N×D], [D×1], ...); rows go
down, columns across, as numpy prints them; an entry has five digits at most.
"""

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from ..notation import column_index, subscript
from . import style

__all__ = ["row_and_column", "dot_product", "matrix_form", "matrix_form_tables", "matrix_form_row", "describe_row",
           "timing_plot"]

CELL_W, CELL_H = 1.0, 0.5  # one cell of a drawn matrix, in data units
GRID_COLOR = "#BBBBBB"
PAIR_TINTS = (style.SKY, style.OPTIMUM, style.SECOND, style.MODEL, style.DATA)  # not HIGHLIGHT: that marks results
ENTRY = ".5g"  # how an entry is written: 1433, 0.22, −1.1, 418.87


def _entry(value):
    """One entry as the tables write it."""
    return style.number(value, ENTRY)


def row_and_column(v, name="w", ax=None):
    """The same D numbers as a column v [D×1] and as a row vᵀ [1×D]; v: D numbers."""
    ax = style.target_axes(ax, width=7.0, height=3.2)
    column = np.reshape(v, (-1, 1))
    D = len(column)
    _matrix(ax, column, 0.0, 0.0, f"{name}  [D×1] = [{D}×1]\na column")
    ax.annotate("", xy=(3.0, -CELL_H / 2), xytext=(1.4, -CELL_H / 2),
                arrowprops={"arrowstyle": "->", "color": style.INK, "linewidth": 1.2})
    ax.text(2.2, -CELL_H / 2 - 0.15, "transpose ᵀ", ha="center", va="top", fontsize=9)
    _matrix(ax, column.T, 3.4, 0.0, f"{name}ᵀ  [1×D] = [1×{D}]\na row")
    _frame(ax, -0.4, 3.4 + D * CELL_W + 0.4, -D * CELL_H - 0.3, 1.2)
    ax.set_title(f"A vector of D = {D} numbers, written as a column and as a row")
    entries = ", ".join(_entry(value) for value in column[:, 0])
    return style.described(ax.figure, f"the vector {name} of D = {D} numbers ({entries}) as a column {name} "
                                      f"[{D}×1] and, transposed, as a row {name}ᵀ [1×{D}]")


def dot_product(a, b, result, a_name="a", b_name="b", ax=None):
    """The dot product of a row a [1×D] with a column b [D×1]: one number, a₁b₁ + … + a_Db_D.

    result: that number (a @ b). The entries that are multiplied together share a tint and
    an index d = 1 … D.
    """
    ax = style.target_axes(ax, width=8.0, height=3.4)
    row, column = np.reshape(a, (1, -1)), np.reshape(b, (-1, 1))
    if row.shape[1] != column.shape[0]:
        raise ValueError(f"a row [1×{row.shape[1]}] and a column [{column.shape[0]}×1] have no dot product: "
                         "their lengths differ.")
    D = row.shape[1]
    result = float(np.squeeze(result))
    tints = [PAIR_TINTS[d % len(PAIR_TINTS)] for d in range(D)]
    b_left = D * CELL_W + 1.0
    _matrix(ax, row, 0.0, 0.0, f"{a_name}  [1×{D}]", tints=[tints])
    ax.text(b_left - 0.5, -CELL_H / 2, "·", ha="center", va="center", fontsize=24)
    _matrix(ax, column, b_left, 0.0, f"{b_name}  [{D}×1]", tints=[[tint] for tint in tints])
    for d in range(D):  # the index of each pair, below the row and left of the column
        ax.text((d + 0.5) * CELL_W, -CELL_H - 0.08, f"d = {d + 1}", ha="center", va="top", fontsize=8,
                color=style.RESIDUAL)
        ax.text(b_left + CELL_W + 0.08, -(d + 0.5) * CELL_H, f"d = {d + 1}", ha="left", va="center", fontsize=8,
                color=style.RESIDUAL)
    equals_left = b_left + CELL_W + 0.8
    ax.text(equals_left, -CELL_H / 2, "=", ha="left", va="center", fontsize=14)
    _matrix(ax, [[result]], equals_left + 0.6, 0.0, "[1×1]", highlight=True)
    terms = " + ".join(f"{_entry(x)}·{_signed(y)}" for x, y in zip(row[0], column[:, 0]))
    ax.text(0.0, -max(D, 2) * CELL_H - 0.4, f"{a_name}{b_name} = {terms} = {_entry(result)}",
            ha="left", va="top", fontsize=9)
    _frame(ax, -0.3, equals_left + 0.6 + CELL_W + 0.3, -max(D, 2) * CELL_H - 1.0, 1.0)
    ax.set_title(f"Row times column: {a_name} [1×D] · {b_name} [D×1] = one number [1×1]")
    return style.described(ax.figure, f"the dot product of the row {a_name} [1×{D}] with the column {b_name} "
                                      f"[{D}×1], pairs multiplied and added: {a_name}{b_name} = {terms} = "
                                      f"{_entry(result)} [1×1]")


# --- ŷ = Xw + b, one row at a time -------------------------------------------------------

def _layout(X):
    """Where each matrix of ŷ = Xw + b sits: the left edge of ŷ, X, w and b."""
    D = np.shape(X)[1]
    y_hat_left = 0.0
    X_left = y_hat_left + 1.2 * CELL_W + 0.9
    w_left = X_left + D * CELL_W + 0.5
    b_left = w_left + CELL_W + 1.3
    return {"y_hat": y_hat_left, "X": X_left, "w": w_left, "b": b_left, "cell_y_hat": 1.2 * CELL_W}


def matrix_form(X, w, b, y_hat, i, names=None, ax=None):
    """ŷ = Xw + b as tables with their shapes, row i of X and entry i of ŷ highlighted.

    X: [N×D] (a few rows), w: [D×1], b: a number, y_hat: ŷ = Xw + b [N×1], i: a row (from 0);
    names: the D predictors.
    """
    ax = style.target_axes(ax, width=9.0, height=4.4)
    matrix_form_tables(X, w, b, y_hat, names=names, ax=ax)
    return matrix_form_row(X, w, b, y_hat, i, ax=ax)


def matrix_form_tables(X, w, b, y_hat, names=None, ax=None):
    """The tables ŷ [N×1], X [N×D], w [D×1] and b with their shapes (the part of matrix_form that stays)."""
    ax = style.target_axes(ax, width=9.0, height=4.4)
    X, w, y_hat = np.asarray(X, dtype=np.float64), np.reshape(w, (-1, 1)), np.reshape(y_hat, (-1, 1))
    N, D = X.shape
    at = _layout(X)
    _matrix(ax, y_hat, at["y_hat"], 0.0, f"ŷ  [N×1] = [{N}×1]", cell_w=at["cell_y_hat"])
    ax.text(at["X"] - 0.45, -CELL_H / 2, "=", ha="center", va="center", fontsize=14)
    _matrix(ax, X, at["X"], 0.0, f"X  [N×D] = [{N}×{D}]")
    _matrix(ax, w, at["w"], 0.0, f"w  [D×1] = [{D}×1]")
    ax.text(at["b"] - 0.65, -CELL_H / 2, "+", ha="center", va="center", fontsize=14)
    _matrix(ax, [[b]], at["b"], 0.0, "b  (a number)")
    for n in range(N):  # the row numbers i, clear of ŷ's label above them
        ax.text(at["y_hat"] - 0.3, -(n + 0.5) * CELL_H, str(n), ha="right", va="center", fontsize=8,
                color=style.RESIDUAL)
    ax.text(at["y_hat"] - 0.3, 0.12, "i", ha="right", va="bottom", fontsize=8, color=style.RESIDUAL)
    for d in range(D):
        header = f"x{column_index(d + 1)}" + (f"\n{names[d]}" if names is not None else "")
        ax.text(at["X"] + (d + 0.5) * CELL_W, -N * CELL_H - 0.1, header, ha="center", va="top", fontsize=8,
                color=style.RESIDUAL)
    _frame(ax, at["y_hat"] - 0.6, at["b"] + 2.0 * CELL_W, -N * CELL_H - 1.5, 0.7)
    return ax.figure


def matrix_form_row(X, w, b, y_hat, i, ax=None):
    """Row i of X, entry i of ŷ and the sum that links them (the part of matrix_form that moves).

    ŷᵢ = X[i, 0]·w[0] + … + X[i, D−1]·w[D−1] + b: the dot product of row i with w, plus b.
    """
    ax = style.target_axes(ax, width=9.0, height=4.4)
    X, w = np.asarray(X, dtype=np.float64), np.reshape(w, (-1, 1))
    N, D = X.shape
    if not 0 <= i < N:
        raise IndexError(f"row i = {i} does not exist: X has rows 0 … {N - 1}.")
    at = _layout(X)
    top = -i * CELL_H
    ax.add_patch(_highlight(at["X"], top, D * CELL_W, CELL_H))
    ax.add_patch(_highlight(at["y_hat"], top, at["cell_y_hat"], CELL_H))
    ax.add_patch(Rectangle((at["w"], -D * CELL_H), CELL_W, D * CELL_H, fill=False, edgecolor=style.SECOND,
                           linewidth=2.0, linestyle="--"))
    ax.text(at["y_hat"], -N * CELL_H - 0.95, _row_sum(X, w, b, y_hat, i), ha="left", va="top", fontsize=9,
            color=style.INK)
    ax.set_title(f"row i = {i} of X [1×D] times w [D×1], plus b, gives entry i = {i} of ŷ", fontsize=10)
    return style.described(ax.figure, describe_row(X, w, b, y_hat, i))


def _row_sum(X, w, b, y_hat, i):
    """'ŷ₂ = 1433·0.22 + 14·(−1.1) + 30 = 330.9': entry i of ŷ as the sum it is."""
    terms = " + ".join(f"{_entry(x)}·{_signed(v)}" for x, v in zip(np.asarray(X, dtype=float)[i], np.ravel(w)))
    return f"ŷ{subscript(i)} = {terms} + {_signed(b)} = {_entry(float(np.ravel(y_hat)[i]))}"


def describe_row(X, w, b, y_hat, i):
    """ŷ = Xw + b in words, with row i highlighted: the shapes and the sum of row i."""
    N, D = np.shape(X)
    return (f"ŷ [{N}×1] = X [{N}×{D}] times w [{D}×1] plus b, as tables; row i = {i} of X gives entry i = {i} "
            f"of ŷ: "
            f"{_row_sum(X, w, b, y_hat, i)}")


# --- timing ------------------------------------------------------------------------------------

TIMING_STYLES = [(style.MODEL, "o", "-"), (style.DATA, "s", "--"), (style.SECOND, "^", "-.")]


def timing_plot(sizes, times, per_row, ax=None):
    """Seconds per call against N on log-log axes, one curve per function, and a dotted guide ∝ N.

    sizes: the N measured; times: {name: seconds [len(sizes)]} (e.g. from timing.time_vs_n);
    per_row: the guide's seconds per row (timing.seconds_per_row of the first curve). With two
    or more curves, an arrow at the largest N shows how many times longer the first one takes
    than the second.
    """
    ax = style.target_axes(ax, width=6.4, height=4.2)
    sizes = np.asarray(sizes, dtype=np.float64)
    curves = {name: np.asarray(seconds, dtype=np.float64) for name, seconds in times.items()}
    for (name, seconds), (color, marker, linestyle) in zip(curves.items(), TIMING_STYLES * len(curves)):
        ax.plot(sizes, seconds, color=color, marker=marker, linestyle=linestyle, linewidth=2, label=name)
    first, *others = curves.values()
    ax.plot(sizes, per_row * sizes, color=style.RESIDUAL, linestyle=":", linewidth=1.5,
            label="∝ N (twice the rows, twice the time)")
    if others:
        slow, fast = first[-1], others[0][-1]
        ax.annotate("", xy=(sizes[-1], fast), xytext=(sizes[-1], slow),
                    arrowprops={"arrowstyle": "<->", "color": style.INK, "linewidth": 1.2})
        ax.text(sizes[-1] * 0.85, np.sqrt(slow * fast), f"{slow / fast:,.0f}×", ha="right", va="center",
                fontsize=11, fontweight="bold")
    ax.set_xscale("log")
    ax.set_yscale("log")
    style.style_axes(ax, "Time to compute ŷ for all N rows of X", "N (rows of X)", "seconds per call")
    ax.legend(fontsize=8, loc="upper left")
    timed = "; ".join(f"{name}: {style.scientific(seconds[0])} s at N = {style.number(sizes[0], ',')}, "
                      f"{style.scientific(seconds[-1])} s at N = {style.number(sizes[-1], ',')}"
                      for name, seconds in curves.items())
    ratio = f"; at the largest N the first takes {style.number(first[-1] / others[0][-1], ',.0f')}× as long" \
        if others else ""
    return style.described(ax.figure, f"seconds per call against N, log-log: {timed}{ratio}")


# --- drawing matrices -------------------------------------------------------------------------

def _matrix(ax, values, left, top, label, cell_w=CELL_W, highlight=False, tints=None):
    """A grid of cells with the entries of `values` [r×c], its top-left corner at (left, top), `label` above.

    tints: optional colours [r×c] for the cells' backgrounds.
    """
    values = np.asarray(values, dtype=np.float64)
    rows, cols = values.shape
    width, height = cols * cell_w, rows * CELL_H
    style.matrix_cells(ax, values, left, top, cell=(cell_w, CELL_H), down=False, color=tints, alpha=0.3,
                       edgecolor=GRID_COLOR, linewidth=0.8, numbers=ENTRY, fontsize=9)
    ax.add_patch(Rectangle((left, top - height), width, height, fill=highlight,
                           facecolor=to_rgba(style.HIGHLIGHT, 0.35), edgecolor=style.INK, linewidth=1.2))
    ax.text(left + width / 2, top + 0.12, label, ha="center", va="bottom", fontsize=9, fontweight="bold")


def _highlight(left, top, width, height):
    return Rectangle((left, top - height), width, height, facecolor=to_rgba(style.HIGHLIGHT, 0.4),
                     edgecolor=style.line_colour(style.HIGHLIGHT), linewidth=2.5)


def _frame(ax, left, right, bottom, top):
    """Fixed limits, equal units across and down, no axes: a drawing, not a chart."""
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _signed(value):
    """A factor in a product: negative numbers in parentheses, (−1.1)."""
    text = _entry(value)
    return f"({text})" if value < 0 else text
