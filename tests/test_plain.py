"""Plain data between the grader and a learner's kernel: JSON only, decoded into plain numpy and fresh Tensors."""

import json

import numpy as np
import pytest

from lecture_utils.autograd import Add, Mul, Tensor
from lecture_utils.plain import MAX_ENTRIES, MAX_ITEMS, Exchange, Opaque, PlainDataError, describe_exception


def crossed(value):
    """value encoded on one side, through JSON text, decoded on the other."""
    return Exchange(Tensor).decode(json.loads(json.dumps(Exchange(Tensor).encode(value))))


@pytest.mark.parametrize("value", [None, True, 3, -2**70, 1.5, float("inf"), "ŷ = xk + m", [1, [2.5, None]],
                                   (1, "a"), {"k": 1.0, 3: [None]}, {"a", "b"}])
def test_plain_values_cross_as_they_are(value):
    assert crossed(value) == value and type(crossed(value)) is type(value)


def test_nan_crosses_as_nan():
    assert np.isnan(crossed(float("nan")))


@pytest.mark.parametrize("array", [np.arange(6.0).reshape(2, 3), np.array([[np.nan, -np.inf]]), np.array([1, 2]),
                                   np.array([[True], [False]]), np.zeros((0, 3)), np.float32([1.25])])
def test_arrays_keep_dtype_shape_and_every_value(array):
    back = crossed(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array, equal_nan=True) and back.flags.writeable


def test_numpy_numbers_stay_numpy_numbers():
    assert type(crossed(np.float64(0.25))) is np.float64 and crossed(np.int64(7)) == 7


def test_an_ndarray_subclass_arrives_as_a_plain_array():
    class Yes(np.ndarray):
        def __eq__(self, other):
            return True

    back = crossed(np.zeros(3).view(Yes))
    assert type(back) is np.ndarray and not (back == np.ones(3)).any()


def test_anything_else_is_an_opaque_stand_in():
    back = crossed([print, np.array(["text"])])
    assert all(isinstance(item, Opaque) for item in back)
    assert back[0].kind == "builtin_function_or_method" and "an array of <U4" in repr(back[1])


def test_a_tensor_crosses_with_its_graph_and_identity():
    X = Tensor(np.ones((2, 2)), name="X")
    W = Tensor(np.full((2, 1), 2.0), name="W", requires_grad=True)
    out = Add(Mul(X, W), W)  # W is used twice: it crosses once
    grader, kernel = Exchange(Tensor), Exchange(Tensor)
    copy = kernel.decode(json.loads(json.dumps(grader.encode([out, W]))))
    rebuilt, w = copy
    assert isinstance(rebuilt, Tensor) and rebuilt.op == "Add" and np.array_equal(rebuilt.value, out.value)
    assert rebuilt.parents[0].parents[1] is w is rebuilt.parents[1] and w.requires_grad and w.name == "W"
    assert rebuilt._backward is None  # no backward rule crosses
    # the kernel returns the Tensor it was sent, changed: the grader sees its own Tensor, changed
    w.value = w.value - 1
    w.grad = np.ones((2, 1))
    answer = json.loads(json.dumps({"value": kernel.encode(w), "tensors": kernel.tensor_states(kernel.tensor_ids())}))
    grader.apply_tensor_states(answer["tensors"])
    assert grader.decode(answer["value"]) is W and np.array_equal(W.value, np.ones((2, 1)))
    assert np.array_equal(W.grad, np.ones((2, 1)))


@pytest.mark.parametrize("message", [
    {"t": "array", "wire": "object", "dtype": "object", "shape": [1], "data": ""},
    {"t": "array", "wire": "float64", "dtype": "float64", "shape": [3], "data": "AAAAAAAAAAA="},
    {"t": "array", "wire": "float64", "dtype": "float64", "shape": [10**9, 10**9], "data": ""},
    {"t": "ref", "id": 99}, {"t": "pickle", "v": "gASV"}, {"t": "int", "v": "1" * 1000}, {"v": 1}, "text",
    {"t": "scalar", "dtype": "complex128", "v": "1"},
])
def test_anything_malformed_is_refused(message):
    with pytest.raises(PlainDataError):
        Exchange(Tensor).decode(message)


def test_a_value_beyond_the_size_limit_does_not_cross():
    assert isinstance(crossed(np.zeros(MAX_ENTRIES + 1)), Opaque)
    assert isinstance(crossed(set(range(MAX_ITEMS + 1))), Opaque)  # each item a Python object on decoding
    with pytest.raises(PlainDataError):
        Exchange(Tensor).decode({"t": "list", "items": [{"t": "none"}] * (MAX_ITEMS + 1)})


def test_an_exception_is_described_by_its_types_message_and_line():
    try:
        exec(compile("x = 1\nraise KeyError('k')", "<learner>", "exec"))
    except KeyError as error:
        described = describe_exception(error)
    assert described == {"types": ["KeyError", "LookupError", "Exception", "BaseException"], "message": "'k'",
                         "line": 2}
