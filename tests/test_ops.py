"""The table of ops: every entry's example, shape rule and local gradients against the core and
central differences (never against the table itself)."""

import numpy as np
import pytest

from lecture_utils import graph
from lecture_utils.autograd import Tensor
from lecture_utils.gradcheck import numerical_gradient
from lecture_utils.ops import OPS, RELU_MARGIN, by_name

ALL_OPS = list(OPS)


def example(op, N=4, seed=0):
    """An op's random example: ({input name: array}, its numbers (Scale's c), a random UP)."""
    rng = np.random.default_rng(seed)
    inputs = op.random_inputs(N, rng)
    numbers = (op.number[1],) if op.number else ()
    out = op.forward(*inputs.values(), *numbers).value
    return inputs, numbers, rng.normal(size=out.shape)


def numerical(op, inputs, numbers, UP):
    """Central differences of ℒ = Σ UP ⊙ op(inputs): its gradient at the output is UP."""
    arrays = {name: value.copy() for name, value in inputs.items()}
    loss = lambda _: float(np.sum(UP * op.forward(*arrays.values(), *numbers).value))  # noqa: E731
    return {name: numerical_gradient(loss, arrays[name]) for name in arrays}


def test_the_table_has_the_lectures_ops_and_every_op_of_the_core():
    assert set(ALL_OPS) >= {"Add", "Sub", "Mul", "ReLU", "T"}
    assert ALL_OPS == ["Add", "Sub", "Mul", "ReLU", "T", "Scale", "Sum", "Mean", "Square", "Sigmoid", "Tanh"]
    for name, op in OPS.items():
        assert op.name == name == op.forward.__name__
        assert len(op.gradients) == len(op.inputs)
        assert tuple(op.example(4, 3, 2)) == op.inputs


# notebook 08's exercises, solved: the table says only how each is called
def _summed_to(UP, shape):
    return UP.sum(axis=0, keepdims=True) if shape[0] == 1 < UP.shape[0] else UP


BY_HAND = {
    "Add": lambda UP, A_shape, b_shape: (_summed_to(UP, A_shape), _summed_to(UP, b_shape)),
    "Mul": lambda UP, A, B: (UP @ B.T, A.T @ UP),
    "T": lambda UP: UP.T,
    "ReLU": lambda UP, A: UP * (A > 0),
}


def test_the_ops_with_an_exercise_say_how_it_is_called():
    assert [name for name, op in OPS.items() if op.arguments is not None] == ["Add", "Mul", "ReLU", "T"]


@pytest.mark.parametrize("name", list(BY_HAND))
def test_a_backward_by_hand_called_with_the_tables_arguments_matches_central_differences(name):
    op = OPS[name]
    inputs, numbers, UP = example(op)
    gradients = BY_HAND[name](*op.arguments(UP, *inputs.values()))
    gradients = gradients if isinstance(gradients, tuple) else (gradients,)
    expected = numerical(op, inputs, numbers, UP)
    assert len(gradients) == len(inputs)
    for gradient, input_name in zip(gradients, inputs):
        assert gradient.shape == inputs[input_name].shape
        assert np.allclose(gradient, expected[input_name], atol=1e-7), input_name


@pytest.mark.parametrize("name", ALL_OPS)
def test_the_cores_backward_matches_central_differences(name):
    op = OPS[name]
    inputs, numbers, UP = example(op)
    tensors = [Tensor(value, requires_grad=True) for value in inputs.values()]
    op.forward(*tensors, *numbers).backward(UP)
    for tensor, expected in zip(tensors, numerical(op, inputs, numbers, UP).values()):
        assert np.allclose(tensor.grad, expected, atol=1e-7)


@pytest.mark.parametrize("name", ALL_OPS)
def test_the_shape_rule_agrees_with_the_forward(name):
    op = OPS[name]
    for N, M, P in [(4, 3, 2), (1, 5, 1), (6, 1, 3)]:
        inputs = op.random_inputs(N, np.random.default_rng(N), M, P)
        numbers = (op.number[1],) if op.number else ()
        out = op.forward(*inputs.values(), *numbers)
        assert tuple(op.shape(*(value.shape for value in inputs.values()))) == out.shape


def test_shape_rules_of_a_repeated_bias_and_a_transpose():
    assert by_name("Add").shape((5, 3), (1, 3)) == by_name("Sub").shape((5, 3), (1, 3)) == (5, 3)
    assert by_name("Add").shape((5, 3), (3,)) == (5, 3)
    assert by_name("Mul").shape((5, 3), (3, 2)) == (5, 2) and by_name("T").shape((5, 3)) == (3, 5)
    assert [name for name, op in OPS.items() if op.repeats_rows] == ["Add", "Sub"]


def test_relus_examples_stay_away_from_the_kink():
    A = OPS["ReLU"].random_inputs(300, np.random.default_rng(1))["A"]
    assert np.min(np.abs(A)) >= RELU_MARGIN and np.any(A > 0) and np.any(A < 0)
    assert [name for name, op in OPS.items() if op.kink] == ["ReLU"]


def _through_local(name, position, UP, local, shape):
    """upstream × local as the lecture combines them, summed over the rows a bias was repeated on."""
    if name == "Mul":
        return UP @ local if position == 0 else local @ UP
    if name == "T":
        return UP.T
    new_upstream = UP * local
    if new_upstream.shape != shape:  # a bias [1×M] repeated over the N rows, or a reduction to [1×1]
        new_upstream = new_upstream.sum(axis=0, keepdims=True) if shape[0] == 1 else np.broadcast_to(
            new_upstream, shape)
    return new_upstream


@pytest.mark.parametrize("name", ALL_OPS)
def test_the_local_gradients_give_what_the_core_sends_each_input(name):
    """upstream × local (the table's local gradient) is the new upstream the core's backward sends."""
    op = OPS[name]
    inputs, numbers, UP = example(op)
    tensors = [Tensor(value, name=input_name, requires_grad=True) for input_name, value in inputs.items()]
    out = op.forward(*tensors, *numbers)
    locals_ = [graph.local_gradient(out, tensor, position) for position, tensor in enumerate(tensors)]
    out.backward(UP)  # it uses the graph up: the local gradients are read before
    for position, (tensor, (rule, local, label)) in enumerate(zip(tensors, locals_)):
        assert "{" not in rule + label and rule.startswith(f"∂ℒ/∂{tensor.name} = ")
        assert np.allclose(_through_local(name, position, UP, local, tensor.shape), tensor.grad)


def test_an_unknown_op_is_named_with_the_ones_there_are():
    with pytest.raises(ValueError, match="unknown op 'Div'; one of Add, Sub, Mul, ReLU, T, Scale"):
        by_name("Div")
