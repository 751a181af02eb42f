"""Panels of notebook 08: the three-way panel and the shape quiz, driven without a browser."""

import numpy as np
import pytest
from matplotlib.collections import PolyCollection

from figures import layers_snapshot
from figures import texts as texts_on
from lecture_utils import widgets
from lecture_utils.lessons.backprop import compare


def add_backward(UP, A_shape, b_shape):
    return UP, UP.sum(axis=0, keepdims=True)


def mul_backward(UP, A, B):
    return UP @ B.T, A.T @ UP


def t_backward(UP):
    return UP.T


def relu_backward(UP, A):
    return UP * (A > 0)


def network_backward(X, y, W1, b1, W2, b2):
    raise NotImplementedError()


def matrices(panel):
    """The values of the matrices the panel shows, in drawing order."""
    return [np.asarray(c.get_array()).tolist() for c in panel.moving_axes.collections if isinstance(c, PolyCollection)]


def texts(panel):
    return texts_on(panel.moving_axes)


@pytest.fixture
def panel():
    return widgets.three_way_panel(add_backward, mul_backward, t_backward, relu_backward, network_backward)


def test_three_way_panel_starts_with_add_and_shows_the_three_ways(panel):
    rows = compare("Add", add_backward, N=3, seed=0)
    expected = [m.ravel().tolist() for row in rows for m in (row.hand, row.autograd, row.numeric)]
    assert np.allclose(np.concatenate(matrices(panel)), np.concatenate(expected))
    assert panel.moving_axes.get_title() == "Add: A [3×3] + b [1×3], the bias repeated over the rows"
    assert sum(text.endswith("✓ correct") for text in texts(panel)) == 4


@pytest.mark.parametrize("control, value, title", [
    ("op", "Mul", "Mul: the matrix product AB, A [3×3] and B [3×2]"),
    ("op", "T", "T: Aᵀ for A [3×3]"),
    ("N", 5, "Add: A [5×3] + b [1×3], the bias repeated over the rows"),
])
def test_a_control_change_redraws_the_picture(panel, control, value, title):
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls[control].value = value
    assert layers_snapshot(panel) != before and panel.picture.data != png
    assert panel.moving_axes.get_title() == title
    again, png = layers_snapshot(panel), panel.picture.data
    panel.controls[control].value = value  # the same value: nothing changes
    assert layers_snapshot(panel) == again and panel.picture.data == png


def test_the_button_draws_new_random_numbers(panel):
    before, png = matrices(panel), panel.picture.data
    panel.buttons["new_numbers"].click()
    after = matrices(panel)
    assert [len(m) for m in after] == [len(m) for m in before] and after != before
    assert panel.picture.data != png
    assert np.allclose(np.concatenate(after[3:6]), np.concatenate(
        [m.ravel() for m in (lambda r: (r.hand, r.autograd, r.numeric))(compare("Add", add_backward, 3, 1)[1])]))


def test_a_function_that_is_not_implemented_or_missing_shows_as_text(panel):
    panel.controls["op"].value = "network"
    assert sum("not implemented yet" in text for text in texts(panel)) == 4
    assert len(matrices(panel)) == 8  # autograd and numerical for W1, b1, W2, b2
    empty = widgets.three_way_panel()
    assert sum("no function given" in text for text in texts(empty)) == 2


def test_a_function_that_raises_or_returns_a_wrong_shape_does_not_break_the_panel():
    def broken_mul(UP, A, B):
        return UP @ B, A.T @ UP  # raises for A [N×3] and B [3×2]

    panel = widgets.three_way_panel(add_backward=lambda UP, a, b: (UP, UP), mul_backward=broken_mul, N=2)
    assert any("returned shape [2×3], expected [1×3]" in text for text in texts(panel))
    panel.controls["op"].value = "Mul"
    assert any(text.startswith("by hand  raised ValueError") for text in texts(panel))
    panel.controls["N"].value = 1  # with one row, the missing sum of add_backward is invisible
    panel.controls["op"].value = "Add"
    assert sum(text.startswith("by hand ") and text.endswith("✓ correct") for text in texts(panel)) == 2


def test_shape_quiz_marks_an_answer_and_asks_the_next_question():
    panel = widgets.shape_quiz(seed=4)
    question = panel.quiz.question(1)
    assert panel.controls["answer"].value == "?"
    assert any(text.endswith("  ?") for text in texts(panel))
    assert [value for _, value in panel.controls["answer"].options][1:] == list(question.choices)
    png = panel.picture.data
    panel.controls["answer"].value = question.answer
    assert any(text.endswith("✓") for text in texts(panel)) and panel.picture.data != png
    wrong = next(c for c in question.choices if c != question.answer)
    panel.controls["answer"].value = wrong
    assert any("✗ — it is" in text for text in texts(panel))

    png = panel.picture.data
    panel.buttons["next_question"].click()
    assert panel.controls["number"].value == 2 and panel.controls["answer"].value == "?"
    second = panel.quiz.question(2)
    assert [value for _, value in panel.controls["answer"].options][1:] == list(second.choices)
    assert panel.moving_axes.get_title() == f"{second.op}: {second.prompt}" and panel.picture.data != png

    panel.controls["number"].value = 1  # back to the first question: the same question again
    assert panel.moving_axes.get_title() == f"{question.op}: {question.prompt}"


def test_the_quiz_follows_set_seed():
    from lecture_utils import set_seed

    set_seed(0)
    first = widgets.shape_quiz().quiz.question(1)
    set_seed(0)
    assert widgets.shape_quiz().quiz.question(1) == first
