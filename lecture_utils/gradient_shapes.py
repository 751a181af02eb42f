"""Shapes in the backward pass: a gradient always has the shape of its node.

An op's upstream UP = ∂ℒ/∂out arrives with the shape of the op's output; the new
upstream it sends to each input, ∂ℒ/∂A, has that input's shape. This module names
those shapes for the lecture's ops and makes quiz questions about them.
"""

from dataclasses import dataclass

from .autograd import shape_str
from .ops import by_name

__all__ = ["SHAPE_OPS", "output_shape", "backward_shapes", "ShapeQuestion", "random_question"]

SHAPE_OPS = ("Add", "Sub", "Mul", "T", "ReLU")  # the quiz asks about the lecture's five ops


def output_shape(op, shapes):
    """The shape of op's output; shapes: the inputs' shapes in order, e.g. [(4, 3), (1, 3)].

    The op's shape rule from the table of ops (lecture_utils.ops), e.g. Mul: [n×p] @ [p×m] -> [n×m].
    """
    return tuple(by_name(op).shape(*(tuple(s) for s in shapes)))


def backward_shapes(op, inputs):
    """The shapes on the backward edges of one op: {"UP": output's, name: that input's}.

    inputs: {name: shape} in the op's order, e.g. {"A": (4, 3), "B": (3, 2)}.
    """
    shapes = {"UP": output_shape(op, inputs.values())}
    shapes.update({name: tuple(shape) for name, shape in inputs.items()})
    return shapes


@dataclass(frozen=True)
class ShapeQuestion:
    """What is the shape of one backward edge of an op?

    op: "Add", "Sub", "Mul", "T" or "ReLU"; inputs: ((name, shape), ...);
    asked: "UP" (the upstream arriving at the output) or an input's name (its new upstream);
    choices: the shapes offered, the answer among them.
    """

    op: str
    inputs: tuple
    asked: str
    choices: tuple

    @property
    def shapes(self):
        return dict(self.inputs)

    @property
    def output(self):
        return output_shape(self.op, self.shapes.values())

    @property
    def answer(self):
        return self.output if self.asked == "UP" else self.shapes[self.asked]

    @property
    def edge(self):
        """The asked edge as the lecture writes it: 'UP' or '∂ℒ/∂A'."""
        return "UP" if self.asked == "UP" else f"∂ℒ/∂{self.asked}"

    @property
    def prompt(self):
        return f"What is the shape of {self.edge}?"

    def is_right(self, answer):
        return answer is not None and tuple(answer) == self.answer

    def explanation(self):
        """Why the answer is what it is, in one sentence."""
        if self.asked == "UP":
            return (f"UP = ∂ℒ/∂out is the gradient of the output, so it has the output's shape "
                    f"{shape_str(self.answer)}.")
        text = (f"∂ℒ/∂{self.asked} is the gradient of the node {self.asked}, so it has "
                f"{self.asked}'s shape {shape_str(self.answer)}")
        if by_name(self.op).repeats_rows and self.answer[0] == 1 and self.output[0] > 1:
            return text + f": the {self.output[0]} upstream rows are summed into one."
        return text + "."


def random_question(rng):
    """A random ShapeQuestion about one op, with distinct sizes so every shape tells its story."""
    op = SHAPE_OPS[rng.integers(len(SHAPE_OPS))]
    n, p, m = (int(size) for size in rng.choice(range(2, 8), size=3, replace=False))
    if by_name(op).repeats_rows:  # Add, Sub: a bias more often than a full matrix
        bias = rng.random() < 0.6
        inputs = (("A", (n, m)), ("b", (1, m)) if bias else ("B", (n, m)))
    elif op == "Mul":
        inputs = (("A", (n, p)), ("B", (p, m)))
    else:
        inputs = (("A", (n, m)),)
    names = ["UP"] + [name for name, _ in inputs]
    asked = names[rng.integers(len(names))]
    return ShapeQuestion(op, inputs, asked, _choices(op, inputs, asked))


def _choices(op, inputs, asked, count=5):
    """The answer and the most plausible wrong shapes: its transpose, the output's, the inputs'."""
    shapes = dict(inputs)
    out = output_shape(op, shapes.values())
    answer = out if asked == "UP" else shapes[asked]
    candidates = [answer[::-1], out, out[::-1]]
    for shape in shapes.values():
        candidates += [shape, shape[::-1]]
    candidates += [(answer[0], answer[0]), (1, answer[1]), (answer[0], 1)]
    wrong = []
    for shape in candidates:
        if shape != answer and shape not in wrong:
            wrong.append(shape)
    return tuple(sorted(wrong[:count - 1] + [answer]))
