"""Panels for notebook 08: every op's backward three ways, and a quiz on the shapes of gradients."""

import ipywidgets
import numpy as np

from .. import plots
from ..autograd import shape_str
from ..lessons.backprop import backward_shapes, compare, random_question
from ..seed import get_rng
from .panel import Layer, Panel, dropdown, int_slider

__all__ = ["three_way_panel", "shape_quiz", "ThreeWayPanel", "ShapeQuizPanel", "ShapeQuiz"]

OP_CHOICES = [("Add, with a bias", "Add"), ("Mul, the matrix product", "Mul"), ("T, the transpose", "T"),
              ("ReLU", "ReLU"), ("the whole network", "network")]
NO_ANSWER = "?"


class ThreeWayPanel(Panel):
    """Your backward functions next to the autograd core's gradients and the numerical ones.

    Controls: the op (or the whole network) and N (the rows of A, or of X); the button
    "new random numbers" (panel.buttons["new_numbers"]) draws other inputs: `self.seed` + 1.
    """

    def __init__(self, functions, op="Add", N=3, seed=0):
        self.functions = functions
        self.seed = seed
        new_numbers = ipywidgets.Button(description="new random numbers", icon="refresh",
                                        layout=ipywidgets.Layout(width="auto"))  # its whole label shows
        new_numbers.on_click(lambda _: self.draw_new_numbers())
        controls = {"op": dropdown("op", OP_CHOICES, op), "N": int_slider("N (rows)", 1, 6, N)}
        super().__init__(controls, moving=Layer(self._rows, "op", "N"), background=Layer(self._frame), width=8.6,
                         height=5.2, buttons={"new_numbers": new_numbers})

    def draw_new_numbers(self):
        """Other random inputs (the next seed), then redraw."""
        self.seed += 1
        self.update()

    def _frame(self, ax):  # headers, limits and legend: the same for every op and N
        plots.comparison_frame(ax)

    def _rows(self, ax, op, N):
        rows = compare(op, self.functions[op], N, self.seed)
        plots.comparison_rows(rows, ax, op=op, numbers=False)
        return plots.describe_comparison(op, rows)


def three_way_panel(add_backward=None, mul_backward=None, t_backward=None, relu_backward=None,
                    network_backward=None, op="Add", N=3, seed=0):
    """Your backward functions next to the autograd core's gradients and the numerical ones.

    Controls: the op (or the whole network), N (the rows of A, or of X), and a button for
    new random numbers. A function that is missing, not implemented yet, raises or returns
    the wrong shape shows up as text in the picture, never as an error.
    """
    functions = {"Add": add_backward, "Mul": mul_backward, "T": t_backward, "ReLU": relu_backward,
                 "network": network_backward}
    return ThreeWayPanel(functions, op, N, seed)


class ShapeQuiz:
    """The quiz's questions: question k is the same every time for the same seed."""

    def __init__(self, seed):
        self.seed = seed

    def question(self, k):
        return random_question(np.random.default_rng([self.seed, k]))

    def options(self, k):
        """The answer dropdown's options for question k: a placeholder, then the shapes offered."""
        return [("choose a shape", NO_ANSWER)] + [(shape_str(s), s) for s in self.question(k).choices]


class ShapeQuizPanel(Panel):
    """Questions on the shape of UP or of a new upstream ∂ℒ/∂X of one op: pick an answer,
    see ✓ or ✗ and why; "next question" (panel.buttons["next_question"]) asks another.

    The questions are `self.quiz`, a ShapeQuiz.
    """

    def __init__(self, quiz):
        self.quiz = quiz
        number = ipywidgets.BoundedIntText(value=1, min=1, max=999, description="question",
                                           layout=ipywidgets.Layout(width="150px"))
        answer = dropdown("your answer", quiz.options(1), NO_ANSWER)

        def new_question(change):  # observes `number` before the panel does: no stale answer is drawn
            with answer.hold_trait_notifications():
                answer.options = quiz.options(change["new"])
                answer.value = NO_ANSWER

        number.observe(new_question, names="value")
        next_question = ipywidgets.Button(description="next question", icon="forward",
                                          layout=ipywidgets.Layout(width="auto"))
        next_question.on_click(lambda _: setattr(number, "value", number.value + 1))
        super().__init__({"number": number, "answer": answer}, moving=Layer(self._answer, "number", "answer",
                                                                            controls_only=True),
                         background=Layer(self._question, "number"), width=7.5, height=3.4,
                         buttons={"next_question": next_question})

    def _question(self, ax, number):
        question = self.quiz.question(number)
        plots.op_diagram(question.op, backward_shapes(question.op, question.shapes), ask=question.asked, ax=ax)

    def _answer(self, ax, number, answer):
        question, answer = self.quiz.question(number), None if answer == NO_ANSWER else answer
        plots.question_answer(question, answer, ax=ax)
        return plots.describe_question(question, answer)


def shape_quiz(seed=None):
    """Questions on the shape of UP or of a new upstream ∂ℒ/∂X of one op: pick an answer,
    see ✓ or ✗ and why; "next question" asks another.

    seed: which questions (by default drawn from the generator set_seed made).
    """
    return ShapeQuizPanel(ShapeQuiz(int(get_rng().integers(2**31)) if seed is None else seed))
