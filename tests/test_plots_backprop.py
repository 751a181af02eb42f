"""Pictures of notebook 08, drawn with representative arguments and read back."""

import numpy as np
import pytest
from matplotlib.collections import PolyCollection

from figures import snapshot, texts
from lecture_utils import plots
from lecture_utils.lessons.backprop import ShapeQuestion, ThreeWay, backward_shapes, compare, mul_jacobians
from lecture_utils.plots import style
from lecture_utils.plots.style import Figure


def cell_arrays(ax):
    """The values of every matrix drawn as cells on ax, in drawing order."""
    return [np.asarray(c.get_array()) for c in ax.collections if isinstance(c, PolyCollection)]


def cell_corner(ax, index):
    """The top-left corner of the first cell of the index-th matrix on ax."""
    cells = [c for c in ax.collections if isinstance(c, PolyCollection)][index]
    return tuple(cells.get_paths()[0].vertices[0])


def test_bias_broadcast_repeats_b_forward_and_sums_UP_backward():
    b = np.array([[1.0, -2.0, 0.5]])
    UP = np.arange(12.0).reshape(4, 3) - 5
    fig = plots.bias_broadcast(b, UP, UP.sum(axis=0, keepdims=True))
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    forward, backward = fig.axes
    shown_b, repeated = cell_arrays(forward)
    assert np.array_equal(shown_b, b.ravel()) and np.array_equal(repeated, np.tile(b.ravel(), 4))
    shown_UP, db = cell_arrays(backward)
    assert np.array_equal(shown_UP, UP.ravel()) and np.array_equal(db, [-2.0, 2.0, 6.0])
    assert "repeated over the N = 4 rows" in texts(forward)
    assert "∂ℒ/∂b = Σᵢ UPᵢ\n[1×3]" in texts(backward) and "UP [4×3]" in texts(backward)
    assert ["−2", "2", "6"] == texts(backward)[14:17]  # db's numbers, written in its cells (a true minus)
    assert forward.get_title().startswith("forward") and backward.get_title().startswith("backward")


def test_cells_are_laid_out_row_by_row_from_the_top_left():
    fig = plots.relu_mask(np.array([[1.0, -1.0], [-2.0, 3.0]]), np.ones((2, 2)), np.array([[1.0, 0], [0, 1]]))
    ax = fig.axes[0]
    corners = [tuple(p.vertices[0]) for p in ax.collections[0].get_paths()]
    assert corners == [(0, 0), (1, 0), (0, 1), (1, 1)]  # entry (i, j) at x = j, y = i
    assert ax.yaxis_inverted()                            # row 0 on top, as in [rows×columns]


def test_jacobians_of_mul_show_the_jacobians_with_their_zeros_blank():
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(3, 2)), rng.normal(size=(2, 2))
    fig = plots.jacobians_of_mul(A, B, mul_jacobians(A, B))
    (image_A,), (image_B,) = fig.axes[0].get_images(), fig.axes[1].get_images()
    J_A = image_A.get_array()
    assert J_A.shape == (6, 6) and image_B.get_array().shape == (6, 4)
    assert np.array_equal(J_A.mask, J_A.data == 0) and np.count_nonzero(~J_A.mask) == 12
    assert np.allclose(J_A.data[:2, :2], B.T)  # the first block: Bᵀ
    assert fig.axes[0].get_title() == "∂C/∂A: [6×6], 12 of 36 entries are not 0"
    assert fig.axes[1].get_title() == "∂C/∂B: [6×4], 12 of 24 entries are not 0"
    assert fig.axes[0].get_xlabel() == "the 6 entries of A" and fig.axes[0].get_ylabel() == "the 6 entries of C = AB"
    rows_of_C, rows_of_A = fig.axes[0].collections  # block lines: every m = 2 rows, every p = 2 columns
    assert [s[0][1] for s in rows_of_C.get_segments()] == [0, 2, 4, 6]
    assert [s[0][0] for s in rows_of_A.get_segments()] == [0, 2, 4, 6]


def test_op_diagram_leaves_the_asked_label_to_answer_label():
    shapes = backward_shapes("T", {"A": (2, 5)})
    fig = plots.op_diagram("T", shapes, ask="A")
    ax = fig.axes[0]
    assert "UP [5×2]" in texts(ax) and not any(text.startswith("∂ℒ/∂A") for text in texts(ax))
    plots.answer_label(shapes, "A", answer=(5, 2), note="because", ax=ax, title="T?")
    assert "∂ℒ/∂A [5×2]  ✗ — it is [2×5]" in texts(ax) and "because" in texts(ax) and ax.get_title() == "T?"


def test_relu_mask_shows_A_R_UP_and_their_hadamard_product():
    A = np.array([[1.0, -1.0, 2.0], [-0.5, 0.5, -3.0]])
    UP = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    fig = plots.relu_mask(A, UP, UP * (A > 0))
    arrays = [cell_arrays(ax)[0] for ax in fig.axes]
    assert np.array_equal(arrays[0], A.ravel())
    assert np.array_equal(arrays[1], [1, 0, 1, 0, 1, 0])
    assert np.array_equal(arrays[2], UP.ravel())
    assert np.allclose(arrays[3], [0.1, 0, 0.3, 0, 0.5, 0])
    assert [ax.get_title() for ax in fig.axes] == ["A [2×3]", "R: 1 where a > 0, else 0", "UP [2×3]",
                                                   "∂ℒ/∂A = UP ⊙ R"]
    assert texts(fig.axes[3]) == ["0.10", "0", "0.30", "0", "0.50", "0"]
    negative = plots.relu_mask(A, -UP, -UP * (A > 0)).axes[3]  # −UP times a 0 of the mask is −0.0 ...
    assert texts(negative) == ["−0.10", "0", "−0.30", "0", "−0.50", "0"]  # ... and written 0


def test_op_shapes_labels_every_edge_forward_and_backward():
    fig = plots.op_shapes("Mul", backward_shapes("Mul", {"A": (4, 3), "B": (3, 2)}))
    ax = fig.axes[0]
    labels = texts(ax)
    for label in ["Mul", "A [4×3]", "B [3×2]", "out [4×2]", "∂ℒ/∂A [4×3]", "∂ℒ/∂B [3×2]", "UP [4×2]"]:
        assert label in labels
    assert ax.get_title() == "Mul: every gradient has the shape of its node"
    backward = [t for t in ax.texts if t.get_text() == "UP [4×2]"][0]
    assert backward.get_color() == style.text_colour(style.SECOND)


@pytest.mark.parametrize("answer, shown, color", [
    (None, "∂ℒ/∂b  ?", style.text_colour(style.HIGHLIGHT)),
    ((1, 3), "∂ℒ/∂b [1×3]  ✓", style.text_colour(style.OPTIMUM)),
    ((5, 3), "∂ℒ/∂b [5×3]  ✗ — it is [1×3]", style.text_colour(style.MODEL)),
])
def test_shape_question_hides_the_asked_shape_then_marks_the_answer(answer, shown, color):
    q = ShapeQuestion("Add", (("A", (5, 3)), ("b", (1, 3))), "b", ((1, 3), (3, 5), (5, 3)))
    fig = plots.shape_question(q, answer)
    ax = fig.axes[0]
    labels = texts(ax)
    assert "∂ℒ/∂b [1×3]" not in labels  # hidden: drawn only as the answer
    assert ax.get_title() == "Add: What is the shape of ∂ℒ/∂b?"
    label = [t for t in ax.texts if t.get_text() == shown][0]
    assert label.get_color() == color
    assert any("summed into one" in " ".join(text.split()) for text in labels) == (answer is not None)


def test_op_shapes_with_a_question_equals_the_quiz_picture():
    q = ShapeQuestion("T", (("A", (2, 5)),), "UP", ((2, 5), (5, 2)))
    quiz = snapshot(plots.shape_question(q, (5, 2)))
    direct = snapshot(plots.op_shapes("T", backward_shapes("T", {"A": (2, 5)}), ask="UP", answer=(5, 2),
                                      note=q.explanation(),
                                      title="T: What is the shape of UP?"))
    assert sorted(quiz[0]["texts"]) == sorted(direct[0]["texts"]) and quiz[0]["title"] == direct[0]["title"]


# --- the three-way comparison --------------------------------------------------------------

def add_backward(UP, A_shape, b_shape):
    return UP, UP.sum(axis=0, keepdims=True)


def test_gradient_comparison_draws_each_gradient_three_ways_with_its_verdicts():
    rows = compare("Add", add_backward, N=4, seed=0)
    fig = plots.gradient_comparison(rows, op="Add")
    ax = fig.axes[0]
    arrays = cell_arrays(ax)
    assert len(arrays) == 6  # (hand, autograd, numerical) for dA, then for db
    assert np.array_equal(arrays[0], rows[0].hand.ravel()) and np.array_equal(arrays[2], rows[0].numeric.ravel())
    assert np.array_equal(arrays[4], rows[1].autograd.ravel())
    assert np.allclose(arrays[3], rows[0].numeric.sum(axis=0))  # db: the column sums of dA = UP
    labels = texts(ax)
    assert "∂ℒ/∂A  [4×3]" in labels and "∂ℒ/∂b  [1×3]" in labels
    verdicts = [text for text in labels if text.startswith(("by hand ", "autograd "))]
    assert len(verdicts) == 4 and all(text.endswith("✓ correct") for text in verdicts)
    assert ax.get_title() == "Add: A [4×3] + b [1×3], the bias repeated over the rows"
    assert cell_corner(ax, 0)[0] < cell_corner(ax, 1)[0] < cell_corner(ax, 2)[0]  # side by side
    assert cell_corner(ax, 0)[1] < cell_corner(ax, 3)[1]                          # db below dA
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_a_missing_or_wrong_hand_written_gradient_is_shown_not_raised():
    rows = compare("Add", lambda UP, a, b: (UP, UP), N=3, seed=1)
    ax = plots.gradient_comparison(rows).axes[0]
    assert len(cell_arrays(ax)) == 5  # db by hand is missing: a hatched placeholder instead
    assert any(p.get_hatch() == "//" for p in ax.patches)
    problem = [t for t in ax.texts if "returned shape [3×3], expected [1×3]" in t.get_text()][0]
    assert problem.get_color() == style.text_colour(style.MODEL)

    rows = compare("Add", lambda UP, a, b: (UP, 2 * UP.sum(axis=0, keepdims=True)), N=3, seed=1)
    labels = texts(plots.gradient_comparison(rows).axes[0])
    wrong = [text for text in labels if text.startswith("by hand ")]
    assert wrong[0].endswith("✓ correct") and wrong[1].endswith("✗ wrong")


def test_numbers_are_written_into_the_cells_only_if_asked():
    rows = compare("T", lambda UP: UP.T, N=2, seed=2)
    with_numbers = texts(plots.gradient_comparison(rows).axes[0])
    without = texts(plots.gradient_comparison(rows, numbers=False).axes[0])
    assert len(with_numbers) == len(without) + 3 * 6
    assert plots.style.number(rows[0].numeric[0, 0]) in with_numbers


def test_comparison_frame_and_rows_make_the_whole_picture():
    rows = compare("network", None, N=3, seed=3)
    whole = snapshot(plots.gradient_comparison(rows, op="network", numbers=False))
    fig, ax = style.new_figure()
    plots.comparison_frame(ax)
    frame = snapshot(fig)
    assert frame[0]["collections"] == [] and "by hand" in frame[0]["texts"]
    plots.comparison_rows(rows, ax, op="network", numbers=False)
    parts = snapshot(fig)
    assert [c["array"] for c in parts[0]["collections"]] == [c["array"] for c in whole[0]["collections"]]
    assert parts[0]["title"] == whole[0]["title"] == plots.three_way_title("network", rows)


def test_long_verdicts_and_problems_are_wrapped():
    kink = ThreeWay("A", np.ones((1, 2)), np.ones((1, 2)), np.ones((1, 2)) * (1 + 1e-6))
    raised = ThreeWay("B", np.ones((1, 2)), np.ones((1, 2)), None, "raised ValueError: " + "x" * 120)
    labels = texts(plots.gradient_comparison([kink, raised]).axes[0])
    probably = [t for t in labels if "probably" in t][0]
    assert "\n" in probably and all(len(line) <= 48 for line in probably.splitlines())
    problem = [t for t in labels if "ValueError" in t][0]
    assert problem.count("\n") == 1 and problem.endswith("…")


@pytest.mark.parametrize("op, title", [
    ("Mul", "Mul: the matrix product AB, A [2×3] and B [3×2]"),
    ("T", "T: Aᵀ for A [2×3]"),
    ("ReLU", "ReLU: max(0, A) for A [2×3]"),
    ("network", "the network ŷ = ReLU(XW₁ + b₁)W₂ + b₂ with ℒ = errᵀerr / N"),
])
def test_three_way_titles_name_the_op_and_its_shapes(op, title):
    assert plots.three_way_title(op, compare(op, None, N=2, seed=0)) == title
