"""Shapes in the backward pass, and the quiz questions about them."""

import numpy as np
import pytest

from lecture_utils.lessons.backprop import SHAPE_OPS, ShapeQuestion, backward_shapes, output_shape, random_question


@pytest.mark.parametrize("op, inputs, out", [
    ("Add", [(4, 3), (4, 3)], (4, 3)),
    ("Add", [(4, 3), (1, 3)], (4, 3)),
    ("Sub", [(5, 2), (1, 2)], (5, 2)),
    ("Mul", [(4, 3), (3, 2)], (4, 2)),
    ("T", [(4, 3)], (3, 4)),
    ("ReLU", [(4, 3)], (4, 3)),
])
def test_output_shape(op, inputs, out):
    assert output_shape(op, inputs) == out


def test_output_shape_of_an_unknown_op():
    with pytest.raises(ValueError, match="unknown op 'Div'"):
        output_shape("Div", [(1, 1)])


def test_backward_shapes_upstream_has_the_outputs_every_gradient_its_nodes():
    assert backward_shapes("Mul", {"A": (4, 3), "B": (3, 2)}) == {"UP": (4, 2), "A": (4, 3), "B": (3, 2)}
    assert backward_shapes("Add", {"A": (6, 2), "b": (1, 2)}) == {"UP": (6, 2), "A": (6, 2), "b": (1, 2)}
    assert backward_shapes("T", {"A": (2, 5)}) == {"UP": (5, 2), "A": (2, 5)}


def test_random_questions_are_answerable_and_cover_every_op():
    rng = np.random.default_rng(0)
    questions = [random_question(rng) for _ in range(300)]
    assert {q.op for q in questions} == set(SHAPE_OPS)
    assert {q.asked for q in questions} >= {"UP", "A", "B", "b"}
    for q in questions:
        assert q.answer in q.choices and len(set(q.choices)) == len(q.choices) >= 4
        assert q.choices == tuple(sorted(q.choices))  # the answer's place gives nothing away
        assert q.is_right(q.answer) and not q.is_right(next(c for c in q.choices if c != q.answer))
        assert not q.is_right(None)


def test_a_question_about_a_bias_explains_the_sum():
    q = ShapeQuestion("Add", (("A", (5, 3)), ("b", (1, 3))), "b", ((1, 3), (5, 3)))
    assert q.answer == (1, 3) and q.edge == "∂ℒ/∂b" and q.prompt == "What is the shape of ∂ℒ/∂b?"
    assert "[1×3]" in q.explanation() and "5 upstream rows are summed" in q.explanation()


def test_a_question_about_the_upstream_explains_the_output():
    q = ShapeQuestion("Mul", (("A", (4, 3)), ("B", (3, 2))), "UP", ((2, 4), (4, 2)))
    assert q.answer == (4, 2) and q.edge == "UP"
    assert "the output's shape [4×2]" in q.explanation()
    assert "summed" not in ShapeQuestion("Mul", q.inputs, "A", ()).explanation()
