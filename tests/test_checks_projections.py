"""The check of notebook 04: a linear layer that checks its own shapes.

Correct answers pass; typical mistakes fail with the right hint; a layer without
its own shape check, or with a message that does not name both shapes, fails.
"""

import numpy as np
import pytest

from lecture_utils.autograd import Tensor, shape_str
from lecture_utils.checks import check_linear_layer, check_linear_network
from verdicts import calls_seen, defined, outcome


def layer_with_tuple_message(X, W, b):
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"cannot multiply X {X.shape} by W {W.shape}")
    return X @ W + b


def layer_with_lecture_message(X, W, b):
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"linear_layer: X is {shape_str(X.shape)} but W is {shape_str(W.shape)}; "
                         f"X's {X.shape[1]} columns must match W's {W.shape[0]} rows")
    return np.dot(X, W) + np.ones((X.shape[0], 1)) @ b


def layer_with_x_notation(X, W, b):
    n, d = X.shape
    rows, m = W.shape
    if d != rows:
        raise ValueError(f"shapes {n}x{d} and {rows} x {m} do not fit")
    return np.einsum("nd,dm->nm", X, W) + b


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("layer", [layer_with_tuple_message, layer_with_lecture_message, layer_with_x_notation])
def test_linear_layer_passes_correct_solutions(capsys, layer, thorough):
    passed, out = outcome(capsys, check_linear_layer, layer, thorough)
    assert passed, out
    assert "✓ linear_layer: correct" in out


def checked(body):
    """A layer with a correct shape check around a (possibly wrong) body."""
    def linear_layer(X, W, b):
        if X.shape[1] != W.shape[0]:
            raise ValueError(f"cannot multiply X {X.shape} by W {W.shape}")
        return body(X, W, b)
    return linear_layer


def raising(error):
    def linear_layer(X, W, b):
        if X.shape[1] != W.shape[0]:
            raise error
        return X @ W + b
    return linear_layer


def asserting(X, W, b):
    assert X.shape[1] == W.shape[0], "shapes do not fit"
    return X @ W + b


def wrong_condition(X, W, b):
    if X.shape[1] != W.shape[1]:
        raise ValueError(f"cannot multiply X {X.shape} by W {W.shape}")
    return X @ W + b


def pads_instead_of_raising(X, W, b):
    if X.shape[1] != W.shape[0]:
        return np.zeros((X.shape[0], W.shape[1]))
    return X @ W + b


def names_only_x(X, W, b):
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X {X.shape} has the wrong number of columns")
    return X @ W + b


def hard_coded(X, W, b):
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"cannot multiply X {X.shape} by W {W.shape}")
    return np.array([[0.31, -1.2], [0.5, 0.8], [1.1, 0.0], [0.2, 0.3], [0.7, -0.7], [2.0, 1.0]])


@pytest.mark.parametrize("wrong, hint", [
    (checked(lambda X, W, b: X @ W), "you forgot to add the bias b"),
    (checked(lambda X, W, b: X @ W + b[0, 0]), "each output has its own bias"),
    (checked(lambda X, W, b: X @ W + b.T), "b [1×M] as it is, a row"),
    (checked(lambda X, W, b: W @ X + b), "X @ W"),
    (checked(lambda X, W, b: (X @ W + b).ravel()), "expected [6×2]"),
    (checked(lambda X, W, b: (X @ W + b).T), "transposed"),
    (checked(lambda X, W, b: X @ W - b), "then add the row b"),
    (checked(lambda X, W, b: None), "return"),
    (checked(lambda X, W, b: X.shape[0] // 0), "raised ZeroDivisionError"),
    (checked(lambda X, W, b: (X @ W + b)[:, 0]), "returned shape [6], expected [6×2]"),
    (checked(lambda X, W, b: (X @ W + b).tolist()), "returned a list"),
    (checked(lambda X, W, b: Tensor(X @ W + b)), "returned a Tensor"),
    (checked(lambda X, W, b: X @ W + b * np.nan), "NaN"),
    (hard_coded, "expected"),
    (lambda X, W, b: X @ W + b, "did not check the shapes itself"),
    (lambda X, W, b: np.dot(X, W) + b, "did not check the shapes itself"),
    (raising(ValueError("the shapes do not match")), "does not name X ["),
    (names_only_x, "does not name W ["),
    (raising(TypeError("wrong shapes")), "asks for a ValueError"),
    (asserting, "instead of assert"),
    (wrong_condition, "Your check should compare X.shape[1] with W.shape[0]"),
    (pads_instead_of_raising, "instead of raising ValueError"),
    ("linear_layer", "should be a function"),
])
def test_linear_layer_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_linear_layer, wrong)
    assert not passed and hint in out, out
    assert "Traceback" not in out


def test_linear_layer_column_bias_gets_the_hint_also_when_it_broadcasts(capsys):
    """N = M: b.T [M×1] broadcasts to [N×M] without an error; the thorough cases catch its value."""
    def layer(X, W, b):
        if X.shape[1] != W.shape[0]:
            raise ValueError(f"cannot multiply X {X.shape} by W {W.shape}")
        if X.shape[0] == W.shape[1]:
            return X @ W + b.T
        return X @ W + b
    passed, out = outcome(capsys, check_linear_layer, layer, thorough=True)
    assert not passed and "b.T is a column" in out


def test_linear_layer_not_attempted(capsys):
    def linear_layer(X, W, b):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_linear_layer, linear_layer)
    assert not passed and "not attempted yet" in out


def test_linear_layer_with_a_shape_check_still_to_write(capsys):
    """The value is right, but the shape check is left as the stub: not attempted yet, not a crash."""
    def linear_layer(X, W, b):
        if X.shape[1] != W.shape[0]:
            raise NotImplementedError()
        return X @ W + b

    passed, out = outcome(capsys, check_linear_layer, linear_layer)
    assert not passed and "not attempted yet" in out


def test_the_error_message_names_the_shapes_of_this_call(capsys):
    """A message hard-coded for one pair of shapes does not pass: the shapes are drawn afresh."""
    def linear_layer(X, W, b):
        if X.shape[1] != W.shape[0]:
            raise ValueError("cannot multiply X (5, 3) by W (4, 2)")
        return X @ W + b

    results = [outcome(capsys, check_linear_layer, linear_layer)[0] for _ in range(5)]
    assert not any(results)


# --- linear_network ------------------------------------------------------------------------------

def product(Ws, size=None):
    """W₁W₂…W_L, or the identity [size×size] for an empty list."""
    result = np.eye(size if size is not None else Ws[0].shape[0])
    for W in Ws:
        result = result @ W
    return result


def stacked(X, Ws, bs):
    H = X
    for W, b in zip(Ws, bs):
        H = H @ W + b
    return H


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [
    stacked,
    lambda X, Ws, bs: stacked(X, Ws, bs) + 0.0,
    lambda X, Ws, bs: X @ product(Ws) + sum(b @ product(Ws[i + 1:], b.shape[1]) for i, b in enumerate(bs)),
])
def test_linear_network_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_linear_network, solution, thorough)
    assert passed and "✓ linear_network: correct" in out


def test_linear_network_is_tested_alone_with_a_correct_linear_layer(capsys):
    namespace = defined("def linear_layer(X, W, b):\n    return X @ W\n"       # wrong: no bias
                        "def linear_network(X, Ws, bs):\n"
                        "    H = X\n"
                        "    for W, b in zip(Ws, bs):\n"
                        "        H = linear_layer(H, W, b)\n"
                        "    return H\n")
    passed, out = outcome(capsys, check_linear_network, namespace["linear_network"])
    assert passed, out
    assert np.array_equal(namespace["linear_layer"](np.ones((1, 1)), np.ones((1, 1)), 5.0), np.ones((1, 1)))


def every_layer(X, Ws, bs):
    H, outputs = X, []
    for W, b in zip(Ws, bs):
        H = H @ W + b
        outputs.append(H)
    return outputs


@pytest.mark.parametrize("wrong, hint", [
    (every_layer, "return only the last layer's output"),
    (lambda X, Ws, bs: tuple(every_layer(X, Ws, bs)), "return only the last layer's output"),
    (lambda X, Ws, bs: X @ Ws[0] + bs[0], "go through all L layers"),                   # H₁ only
    (lambda X, Ws, bs: stacked(X, Ws[:-1], bs[:-1]) if len(Ws) > 1 else X, "go through all L layers"),
    (lambda X, Ws, bs: stacked(X, Ws, [0 * b for b in bs]), "forgot the biases"),
    (lambda X, Ws, bs: stacked(X, Ws, [0 * b for b in bs[:-1]] + bs[-1:]), "only the last layer's bias"),
    (lambda X, Ws, bs: stacked(X, Ws, bs) * 2, "for every pair (W, b)"),
    (lambda X, Ws, bs: stacked(X, Ws, bs).ravel(), "keep the"),
    (lambda X, Ws, bs: None, "return"),
    (lambda X, Ws, bs: Tensor(stacked(X, Ws, bs)), "Tensor"),
    (lambda X, Ws, bs: stacked(X, Ws[::-1], bs[::-1]), "raised ValueError"),              # wrong order
])
def test_linear_network_catches_typical_mistakes(capsys, wrong, hint):
    passed, out = outcome(capsys, check_linear_network, wrong)
    assert not passed and "✗ linear_network: not correct yet" in out and hint in out, out


def test_linear_network_not_attempted_and_not_a_function(capsys):
    def linear_network(X, Ws, bs):
        raise NotImplementedError()

    assert "not attempted yet" in outcome(capsys, check_linear_network, linear_network)[1]
    assert "should be a function" in outcome(capsys, check_linear_network, "H")[1]


def test_linear_network_gets_fresh_inputs_of_several_depths_n_1_last():
    seen = [(X, [W.shape for W in Ws]) for X, Ws, _ in calls_seen(check_linear_network, stacked)]
    half = len(seen) // 2
    assert [len(shapes) for _, shapes in seen[:half]] == [2, 3, 1, 4, 2]
    assert seen[half - 1][0].shape[0] == 1 and not np.array_equal(seen[0][0], seen[half][0])
