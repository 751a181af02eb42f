"""Mistakes a learner makes get a message in the lecture's notation, not a numpy traceback."""

import numpy as np
import pytest

from lecture_utils.autograd import Add, Mul, ReLU, Scale, Sub, Sum, T, Tensor


def test_mul_shape_mismatch_names_the_op_and_both_shapes():
    with pytest.raises(ValueError) as error:
        Mul(Tensor(np.ones((3, 2))), Tensor(np.ones((3, 1))))
    assert str(error.value) == "Mul: cannot multiply [3×2] by [3×1] (inner sizes 2 and 3 differ)"


def test_the_matmul_operator_gives_the_same_message():
    with pytest.raises(ValueError, match=r"Mul: cannot multiply \[4×3\] by \[2×1\]"):
        Tensor(np.ones((4, 3))) @ Tensor(np.ones((2, 1)))


def test_mul_of_a_vector_asks_for_a_row_or_a_column():
    with pytest.raises(ValueError, match=r"Mul: multiplies matrices; got \[3\] and \[3×1\].*row \[1×m\]"):
        Mul(Tensor(np.ones(3)), Tensor(np.ones((3, 1))))


@pytest.mark.parametrize("op, verb", [(Add, "add"), (Sub, "subtract")])
def test_elementwise_shape_mismatch_names_the_op_and_both_shapes(op, verb):
    with pytest.raises(ValueError) as error:
        op(Tensor(np.ones((3, 2))), Tensor(np.ones((2, 3))))
    assert str(error.value).startswith(f"{op.__name__}: cannot {verb} [3×2] and [2×3]")


def test_a_bias_of_the_wrong_width_is_a_clear_error():
    with pytest.raises(ValueError, match=r"Add: cannot add \[5×4\] and \[1×3\]"):
        Add(Tensor(np.ones((5, 4))), Tensor(np.ones((1, 3))))
    with pytest.raises(ValueError, match=r"Add: cannot add \[5×4\] and \[3\]"):
        Add(Tensor(np.ones((5, 4))), Tensor(np.ones(3)))


def test_backward_on_a_matrix_without_upstream_says_what_to_do():
    W = Tensor(np.ones((3, 2)), name="H", requires_grad=True)
    with pytest.raises(ValueError) as error:
        ReLU(W).backward()
    message = str(error.value)
    assert "[1×1] loss" in message and "[3×2]" in message and "backward(UP)" in message


def test_backward_with_an_upstream_of_the_wrong_shape():
    W = Tensor(np.ones((3, 2)), name="W", requires_grad=True)
    with pytest.raises(ValueError, match=r"UP must have the shape of the ReLU output, \[3×2\], got \[2×3\]"):
        ReLU(W).backward(np.ones((2, 3)))


def test_backward_without_any_parameter_says_so():
    X = Tensor(np.ones((2, 2)), name="X")
    with pytest.raises(ValueError, match="requires_grad=True"):
        Sum(X).backward()


@pytest.mark.parametrize("bad", [[1.0, 2.0], "1.0", None, {"a": 1}, True])
def test_non_array_input_is_rejected_with_a_message(bad):
    with pytest.raises(TypeError, match=r"needs a numpy array \(or a single number\), got"):
        Tensor(bad, name="X")


def test_non_numeric_arrays_and_three_dimensions_are_rejected():
    with pytest.raises(TypeError, match="needs numbers"):
        Tensor(np.array(["a", "b"]))
    with pytest.raises(ValueError, match=r"got \[2×2×2\]"):
        Tensor(np.ones((2, 2, 2)))


def test_ops_reject_lists_too():
    with pytest.raises(TypeError, match="got list"):
        Add(Tensor(np.ones((1, 2))), [1.0, 2.0])


def test_elementwise_product_of_tensors_points_to_mul():
    A = Tensor(np.ones((2, 2)))
    with pytest.raises(TypeError, match=r"use @ \(Mul\)"):
        A * A
    with pytest.raises(TypeError, match="single number"):
        A / A
    with pytest.raises(TypeError, match="Scale"):
        Scale(A, np.ones(2))


def test_transpose_of_a_vector_is_refused():
    with pytest.raises(ValueError, match=r"T: transposes a matrix; got the vector \[3\]"):
        T(Tensor(np.ones(3)))
