"""Pictures for notebook 08: the derivative of every operation, by hand.

Matrices are drawn as grids of coloured cells (orange negative, purple positive, the
numbers written in), with y growing downwards as in the lecture's [rows×columns].
Every function takes the matrices, shapes and gradients to show (computed by the autograd
core or `lessons.backprop`), draws on `ax` (or `axes`) if given or on a
new figure otherwise, and returns the figure.
"""

import textwrap

import numpy as np
from matplotlib.patches import FancyBboxPatch, Rectangle

from ..autograd import shape_str
from ..gradcheck import CORRECT, LEVELS, PROBABLY_CORRECT, SUSPICIOUS, WRONG
from . import style

__all__ = [
    "bias_broadcast", "jacobians_of_mul", "relu_mask",
    "op_shapes", "op_diagram", "answer_label", "shape_question", "question_answer", "describe_question",
    "gradient_comparison", "comparison_frame", "comparison_rows", "three_way_title", "describe_comparison",
]

MAX_NUMBERS = 24  # write the numbers into a matrix's cells up to this many entries
FORWARD, BACKWARD = style.DATA, style.SECOND  # values flow forward, gradients backward (dashed)
VERDICT_COLORS = {level: style.text_colour(colour) for level, colour in
                  {CORRECT: style.OPTIMUM, PROBABLY_CORRECT: style.HIGHLIGHT, SUSPICIOUS: style.HIGHLIGHT,
                   WRONG: style.MODEL}.items()}


# --- matrices as cells -------------------------------------------------------------------

def _cells(ax, M, x0, y0, vmax, numbers=True, cmap=style.DIVERGING_CMAP):
    """Draw M [r×c] as unit cells with its top-left corner at (x0, y0); y grows downwards.

    One PolyCollection whose array holds M's entries (row by row), coloured on ±vmax.
    """
    return style.matrix_cells(ax, M, x0, y0, scale=vmax, cmap=cmap, numbers="short" if numbers else None,
                              max_numbers=MAX_NUMBERS)


def _empty_cells(ax, shape, x0, y0):
    """A hatched placeholder of `shape` where a gradient is missing."""
    rows, cols = shape
    ax.add_patch(Rectangle((x0, y0), cols, rows, facecolor="none", edgecolor=style.RESIDUAL,
                           hatch="//", linewidth=0.8))
    ax.text(x0 + cols / 2, y0 + rows / 2, "—", ha="center", va="center", fontsize=10,
            color=style.text_colour(style.MODEL),
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})


def _matrix_axes(ax, width, height, title=None):
    """Limits for a cell drawing of width × height units (y downwards), no axis lines."""
    ax.set_xlim(-0.3, width + 0.3)
    ax.set_ylim(height + 0.3, -0.3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title, fontsize=10)


# --- Add with a bias ---------------------------------------------------------------------

def bias_broadcast(b, UP, db, axes=None):
    """The bias b [1×M] repeated over N rows (forward), and its gradient: the sum of UP's N rows.

    b: [1×M]; UP: [N×M], the upstream arriving at XW + b; db: ∂ℒ/∂b [1×M], that sum.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 3.8)
    b, UP, db = np.atleast_2d(b), np.asarray(UP, dtype=float), np.atleast_2d(db)
    N, M = UP.shape
    height = N + 3.2
    forward, backward = axes

    vmax = style.colour_scale(b)
    _cells(forward, b, 0, 0, vmax)
    forward.annotate("", xy=(M / 2, 2.1), xytext=(M / 2, 1.1),
                     arrowprops={"arrowstyle": "-|>", "color": FORWARD, "linewidth": 1.5})
    forward.text(M / 2 + 0.3, 1.6, f"repeated over the N = {N} rows", va="center", fontsize=8,
                 color=style.text_colour(FORWARD))
    _cells(forward, np.repeat(b, N, axis=0), 0, 2.2, vmax)
    forward.text(M + 0.3, 0.5, f"b {shape_str(b.shape)}", va="center", fontsize=9)
    forward.text(M + 0.3, 2.2 + N / 2, f"b in every row\n{shape_str((N, M))}", va="center", fontsize=9)
    _matrix_axes(forward, M + 3.5, height, "forward: one b, N nodes that use it")

    vmax = style.colour_scale(UP)
    _cells(backward, UP, 0, 0, vmax)
    backward.annotate("", xy=(M / 2, N + 1.1), xytext=(M / 2, N + 0.1),
                      arrowprops={"arrowstyle": "-|>", "color": BACKWARD, "linewidth": 1.5, "linestyle": "--"})
    backward.text(M / 2 + 0.3, N + 0.6, "sum over the rows", va="center", fontsize=8, color=style.text_colour(BACKWARD))
    _cells(backward, db, 0, N + 1.2, style.colour_scale(db))
    backward.text(M + 0.3, N / 2, f"UP {shape_str(UP.shape)}", va="center", fontsize=9)
    backward.text(M + 0.3, N + 1.7, f"∂ℒ/∂b = Σᵢ UPᵢ\n{shape_str(db.shape)}", va="center", fontsize=9)
    _matrix_axes(backward, M + 3.5, height, "backward: the N upstream rows add up")
    return style.described(fig, f"forward: the bias b {shape_str(b.shape)} repeated over the N = {N} rows; "
                                f"backward: the upstream UP {shape_str(UP.shape)} summed over its rows gives "
                                f"∂ℒ/∂b = Σᵢ UPᵢ = [{' '.join(style.number(v) for v in db[0])}] "
                                f"{shape_str(db.shape)}")


# --- Mul: the full Jacobian is mostly zeros ---------------------------------------------------

def jacobians_of_mul(A, B, jacobians, axes=None):
    """The full Jacobians ∂C/∂A and ∂C/∂B of C = AB as pictures; their zeros are left white.

    A: [n×p], B: [p×m]; jacobians: (J_A [nm×np], J_B [nm×pm]), as from local_gradients.mul_jacobians.
    Every row of a Jacobian is one entry of C, every column one entry of A (or B), both counted
    row by row; grey lines group them by rows of C, A and B.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 4.2)
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    J_A, J_B = jacobians
    vmax = style.colour_scale(J_A, J_B)
    p, m = B.shape
    for ax, J, node, (block_rows, block_cols) in [(axes[0], J_A, "A", (m, p)), (axes[1], J_B, "B", (m, m))]:
        shown = np.ma.masked_equal(J, 0.0)
        ax.imshow(shown, cmap=style.DIVERGING_CMAP, vmin=-vmax, vmax=vmax, interpolation="nearest",
                  extent=(0, J.shape[1], J.shape[0], 0))
        ax.set_xticks(np.arange(J.shape[1] + 1), minor=True)
        ax.set_yticks(np.arange(J.shape[0] + 1), minor=True)
        ax.grid(True, which="minor", color="#DDDDDD", linewidth=0.5)
        ax.tick_params(which="both", length=0, labelsize=style.SMALLEST_FONT)
        ax.set_xticks([])
        ax.set_yticks([])
        # blocks: one row of C (m entries) against one row of A (p entries) or of B (m entries)
        ax.hlines(np.arange(0, J.shape[0] + 1, block_rows), 0, J.shape[1], color=style.RESIDUAL, linewidth=1.0)
        ax.vlines(np.arange(0, J.shape[1] + 1, block_cols), 0, J.shape[0], color=style.RESIDUAL, linewidth=1.0)
        nonzero = int(np.count_nonzero(J))
        style.style_axes(ax, f"∂C/∂{node}: {shape_str(J.shape)}, {nonzero} of {J.size} entries are not 0",
                         f"the {J.shape[1]} entries of {node}", f"the {J.shape[0]} entries of C = AB", grid=False)
        ax.title.set_fontsize(10)
    return style.described(fig, f"the full Jacobians of C = AB for A {shape_str(A.shape)} and B {shape_str(B.shape)} "
                                f"as pictures, their zeros white: ∂C/∂A {shape_str(J_A.shape)} with "
                                f"{np.count_nonzero(J_A)} of {J_A.size} entries not 0, "
                                f"∂C/∂B {shape_str(J_B.shape)} "
                                f"with {np.count_nonzero(J_B)} of {J_B.size}")


# --- ReLU: the mask R --------------------------------------------------------------------

def relu_mask(A, UP, dA, axes=None):
    """ReLU's backward in four matrices: A, the mask R (1 where a > 0), UP and dA = UP ⊙ R.

    A, UP: [n×m]; dA: ∂ℒ/∂A [n×m] (e.g. the autograd core's, after ReLU(A).backward(UP)).
    """
    fig, axes = style.target_axes_grid(axes, 1, 4, style.PAGE_WIDTH, 3.0)
    A, UP, dA = np.asarray(A, dtype=float), np.asarray(UP, dtype=float), np.asarray(dA, dtype=float)
    R = (A > 0).astype(float)  # where A is positive: the picture of the mask
    rows, cols = A.shape
    panels = [(A, f"A {shape_str(A.shape)}", style.colour_scale(A)), (R, "R: 1 where a > 0, else 0", 1.0),
              (UP, f"UP {shape_str(UP.shape)}", style.colour_scale(UP, dA)),
              (dA, "∂ℒ/∂A = UP ⊙ R", style.colour_scale(UP, dA))]
    for ax, (M, title, vmax) in zip(axes, panels):
        _cells(ax, M, 0, 0, vmax)
        _matrix_axes(ax, cols, rows, title)
    return style.described(fig, f"ReLU's backward for A {shape_str(A.shape)}: A, the mask R (1 where a > 0; "
                                f"{int(R.sum())} of {R.size} entries), UP, and ∂ℒ/∂A = UP ⊙ R, "
                                f"each as cells with "
                                f"its numbers")


# --- shapes on the edges of one op --------------------------------------------------------

def _edges(inputs):
    """Where the diagram's edges run: [(key, x_from, x_to, y, forward label)], inputs then output."""
    heights = [0.5] if len(inputs) == 1 else [0.66, 0.3]
    edges = [(name, 0.08, 0.43, y, name) for name, y in zip(inputs, heights)]
    return edges + [("UP", 0.57, 0.92, 0.5, "out")]


def _gradient_name(key):
    return "UP" if key == "UP" else f"∂ℒ/∂{key}"


def op_diagram(op, shapes, ask=None, ax=None):
    """The parts of op_shapes that stay: the op, its edges and their shapes, except the
    gradient label of the edge `ask` ("UP" or an input's name), which answer_label draws.

    shapes: {"UP": the output's shape, then each input's name: its shape}, in the op's order
    (as from gradient_shapes.backward_shapes).
    """
    ax = style.target_axes(ax, 7.5, 3.4)
    inputs = [name for name in shapes if name != "UP"]
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.add_patch(FancyBboxPatch((0.43, 0.22), 0.14, 0.56, boxstyle="round,pad=0.01", facecolor="#F2F2F2",
                                edgecolor=style.INK, linewidth=1.2))
    ax.text(0.5, 0.5, op, ha="center", va="center", fontsize=13, fontweight="bold")
    for key, x0, x1, y, label in _edges(inputs):
        ax.annotate("", xy=(x1, y), xytext=(x0, y),
                    arrowprops={"arrowstyle": "-|>", "color": FORWARD, "linewidth": 1.6})
        ax.text((x0 + x1) / 2, y + 0.045, f"{label} {shape_str(shapes[key])}", ha="center", va="bottom",
                fontsize=10, color=style.text_colour(FORWARD))
        ax.annotate("", xy=(x0, y - 0.07), xytext=(x1, y - 0.07),
                    arrowprops={"arrowstyle": "-|>", "color": BACKWARD, "linewidth": 1.4, "linestyle": "--"})
        if key != ask:
            ax.text((x0 + x1) / 2, y - 0.1, f"{_gradient_name(key)} {shape_str(shapes[key])}", ha="center",
                    va="top", fontsize=10, color=style.text_colour(BACKWARD))
    ax.text(0.02, 0.98, "──  forward: values", fontsize=8, color=style.text_colour(FORWARD), va="top")
    ax.text(0.02, 0.91, "- - -  backward: gradients", fontsize=8, color=style.text_colour(BACKWARD), va="top")
    return ax.figure


def answer_label(shapes, ask, answer=None, note=None, ax=None, title=None):
    """The parts of op_shapes that change: the asked gradient's label — '?', or `answer` with
    ✓ (right) or ✗ and the right shape — a note under the picture, and the title.

    shapes: as for op_diagram; ask: "UP" or an input's name.
    """
    ax = style.target_axes(ax, 7.5, 3.4)
    shape = tuple(shapes[ask])
    inputs = [name for name in shapes if name != "UP"]
    (x0, x1, y), = [(x0, x1, y) for key, x0, x1, y, _ in _edges(inputs) if key == ask]
    gradient = _gradient_name(ask)
    if answer is None:
        text, color = f"{gradient}  ?", style.HIGHLIGHT
    elif tuple(answer) == shape:
        text, color = f"{gradient} {shape_str(answer)}  ✓", style.OPTIMUM
    else:
        text, color = f"{gradient} {shape_str(answer)}  ✗ — it is {shape_str(shape)}", style.MODEL
    ax.text((x0 + x1) / 2, y - 0.1, text, ha="center", va="top", fontsize=10, color=style.text_colour(color),
            fontweight="bold")
    if note:
        ax.text(0.5, 0.02, textwrap.fill(note, 95), ha="center", va="bottom", fontsize=9)
    if title is not None:
        ax.set_title(title, fontsize=11)
    return ax.figure


def op_shapes(op, shapes, ask=None, answer=None, note=None, ax=None, title=None):
    """One op as a box: its inputs and output with their shapes (forward, solid arrows) and
    the gradients flowing back (backward, dashed): UP at the output, ∂ℒ/∂X at every input X.

    shapes: {"UP": the output's shape, name: shape for each input in the op's order}, e.g.
    gradient_shapes.backward_shapes("Mul", {"A": (4, 3), "B": (3, 2)}).
    ask: "UP" or an input's name whose gradient shape is hidden ("?"), or shown as `answer`
    with ✓ or ✗; note: a sentence under the picture.
    """
    fig = op_diagram(op, shapes, ask=ask, ax=ax)
    ax = fig.axes[0] if ax is None else ax
    title = title if title is not None else f"{op}: every gradient has the shape of its node"
    if ask is None:
        ax.set_title(title, fontsize=11)
    else:
        answer_label(shapes, ask, answer, note, ax=ax, title=title)
    edges = ", ".join(f"{name} {shape_str(shape)} with ∂ℒ/∂{name} {shape_str(shape)}"
                      for name, shape in shapes.items() if name != "UP")
    return style.described(fig, f"{title}: the op {op} with inputs {edges}, output and UP {shape_str(shapes['UP'])}"
                           + ("" if ask is None else f"; asked: the shape of {_gradient_name(ask)}"))


def _question_shapes(question):
    """The shapes on a ShapeQuestion's edges, as op_diagram takes them."""
    return {"UP": question.output, **question.shapes}


def shape_question(question, answer=None, ax=None):
    """A ShapeQuestion drawn with op_shapes: the asked edge shows '?', then the answer and why."""
    fig = op_diagram(question.op, _question_shapes(question), ask=question.asked, ax=ax)
    return question_answer(question, answer, ax=fig.axes[0] if ax is None else ax)


def question_answer(question, answer=None, ax=None):
    """The parts of shape_question that change with the answer (see answer_label)."""
    note = None if answer is None else question.explanation()
    fig = answer_label(_question_shapes(question), question.asked, answer, note, ax=ax,
                       title=f"{question.op}: {question.prompt}")
    return style.described(fig, describe_question(question, answer))


def describe_question(question, answer=None):
    """A question on the shapes of one op, in words: the op's edges, the question, the answer given and why."""
    shapes = _question_shapes(question)
    edges = ", ".join(f"{name} {shape_str(shape)}" for name, shape in shapes.items() if name != "UP")
    text = f"{question.op} with inputs {edges} and output {shape_str(shapes['UP'])}: {question.prompt}"
    if answer is None:
        return text + " Not answered yet."
    verdict = "right" if question.is_right(answer) else f"wrong, it is {shape_str(question.answer)}"
    return f"{text} Your answer {shape_str(answer)} is {verdict}. {question.explanation()}"


# --- three ways to a gradient ----------------------------------------------------------------

PANEL_BLOCK_WIDTH = 3         # the widest gradient the three-way panel shows has 3 columns ...
PANEL_HEIGHT_IN_CELLS = 17.0  # ... and all of its gradients and verdicts fit in this many units
UNIT = 0.28                   # inches per cell in a figure of its own
_GAP, _LABEL, _SPACE, _LINE = 1.0, 1.1, 0.6, 0.62  # in cells; _LINE: one line of a verdict
_TEXT_WIDTH = 15.5            # cells of room for the verdicts, right of the three matrices


def _column_xs(block_width):
    """x of the three matrices' columns (by hand, autograd, numerical) and of the verdicts."""
    step = block_width + _GAP
    return [0.0, step, 2 * step, 3 * step + 0.2]


def _verdict_lines(row):
    """[(text, colour)]: the hand-written gradient's relative error and verdict (or why it is
    missing), then the core's; a text may have a second line."""
    lines = []
    for who, check in [("by hand", row.hand_check), ("autograd", row.autograd_check)]:
        if check is None:
            problem = textwrap.wrap(row.problem or "no gradient", 40, max_lines=2, placeholder=" …")
            lines.append(("\n".join([f"{who:9s}{problem[0]}"] + [" " * 9 + p for p in problem[1:]]),
                          style.text_colour(style.MODEL)))
        else:
            verdict = textwrap.wrap(check.verdict, 28)
            text = "\n".join([f"{who:9s}{style.number(check.error, '7.1e')}  {verdict[0]}"]
                             + [" " * 18 + v for v in verdict[1:]])
            lines.append((text, VERDICT_COLORS[check.level]))
    return lines


def _row_tops(rows):
    """The y of every gradient's top-left cell (the first unit holds the headers), and the end."""
    y, tops = 1.0, []
    for row in rows:
        tops.append(y + _LABEL)
        text_lines = sum(text.count("\n") + 1 for text, _ in _verdict_lines(row))
        y += _LABEL + max(row.shape[0], _LINE * text_lines) + _SPACE
    return tops, y


def three_way_title(op, rows):
    """What `rows` (local_gradients.compare's) are the gradients of, with the inputs' shapes."""
    shapes = [shape_str(row.shape) for row in rows]
    if op == "Add":
        return f"Add: A {shapes[0]} + b {shapes[1]}, the bias repeated over the rows"
    if op == "Mul":
        return f"Mul: the matrix product AB, A {shapes[0]} and B {shapes[1]}"
    if op in ("T", "ReLU"):
        return f"{'T: Aᵀ' if op == 'T' else 'ReLU: max(0, A)'} for A {shapes[0]}"
    return "the network ŷ = ReLU(XW₁ + b₁)W₂ + b₂ with ℒ = errᵀerr / N"


def comparison_frame(ax, block_width=PANEL_BLOCK_WIDTH, height=PANEL_HEIGHT_IN_CELLS):
    """The parts of gradient_comparison that stay: the column headers, the limits (matrices up
    to `block_width` columns, `height` units in all) and the verdicts' legend."""
    xs = _column_xs(block_width)
    for x, header in zip(xs, ["by hand", "autograd", "numerical", "relative error to numerical, verdict"]):
        ax.text(x, 0.5, header, ha="left", va="center", fontsize=9, fontweight="bold")
    limits = " · ".join(f"{level.mark} ≤ {style.number(level.limit, '.0e')}" for level in LEVELS[:-1])
    ax.text(xs[3], height, f"{limits} · else {LEVELS[-1].mark} (CS231n's rule of thumb)", ha="left", va="bottom",
            fontsize=style.SMALLEST_FONT, color=style.RESIDUAL)
    _matrix_axes(ax, xs[3] + _TEXT_WIDTH, height)
    return ax.figure


def comparison_rows(rows, ax, block_width=PANEL_BLOCK_WIDTH, op=None, title=None, numbers=True):
    """The parts of gradient_comparison that change: every gradient's name, its three
    matrices on one colour scale, its relative errors and verdicts, and the title."""
    xs = _column_xs(block_width)
    for row, top in zip(rows, _row_tops(rows)[0]):
        ax.text(0, top - 0.55, f"{row.label}  {shape_str(row.shape)}", ha="left", va="center", fontsize=9)
        vmax = style.colour_scale(row.numeric, row.autograd, row.hand)
        if row.hand is None:
            _empty_cells(ax, row.shape, xs[0], top)
        else:
            _cells(ax, row.hand, xs[0], top, vmax, numbers)
        _cells(ax, row.autograd, xs[1], top, vmax, numbers)
        _cells(ax, row.numeric, xs[2], top, vmax, numbers)
        y = top
        for text, color in _verdict_lines(row):
            ax.text(xs[3], y, text, ha="left", va="top", fontsize=8, color=color, family="DejaVu Sans Mono",
                    linespacing=1.15)
            y += _LINE * (text.count("\n") + 1)
    if title is None and op is not None:
        title = three_way_title(op, rows)
    if title is not None:
        ax.set_title(title, fontsize=10)
    return style.described(ax.figure, describe_comparison(op, rows))


def describe_comparison(op, rows):
    """Each gradient three ways, in words: its shape, and the relative errors and verdicts of yours and the core's."""
    parts = []
    for row in rows:
        hand = (f"yours {row.problem or 'missing'}" if row.hand_check is None else
                f"yours {style.scientific(row.hand_check.error)}, {row.hand_check.verdict}")
        core = f"autograd {style.scientific(row.autograd_check.error)}, {row.autograd_check.verdict}"
        parts.append(f"{row.label} {shape_str(row.shape)}: {hand}; {core}")
    what = three_way_title(op, rows) if op is not None else "gradients"
    return f"{what}: each gradient by hand, by autograd and numerically, relative errors to numerical: " + \
        " | ".join(parts)


def gradient_comparison(rows, ax=None, op=None, title=None, numbers=True):
    """Each gradient three ways — by hand, by the autograd core, by central differences — with
    the relative errors to the numerical gradient and gradcheck's verdict.

    rows: a list of local_gradients.ThreeWay (e.g. from compare(op, ...)). Every gradient gets
    one line: its three matrices side by side on one colour scale (with their numbers if
    `numbers`; a missing hand-written gradient is hatched), then the relative errors and
    verdicts, or why the hand-written gradient is missing. title: by default, which op.
    """
    block_width = max([PANEL_BLOCK_WIDTH] + [row.shape[1] for row in rows])
    height = max(_row_tops(rows)[1], 6.0)
    if ax is None:
        width = _column_xs(block_width)[3] + _TEXT_WIDTH
        ax = style.new_figure(UNIT * (width + 0.6), UNIT * (height + 0.6) + 0.35)[1]
    comparison_frame(ax, block_width, height)
    return comparison_rows(rows, ax, block_width, op, title, numbers)
