"""The check machinery: whatever a learner's function does, the verdict is friendly."""

import numpy as np
import pytest

from lecture_utils.autograd import Tensor
from lecture_utils.checks.exercise import Exercise, roundoff
from lecture_utils.checks.verdicts import CheckFailed, preview


def run(function, expected=None, kind="array", **kwargs):
    """Run a one-case check (expected: ones [3×1] unless given); return (passed, printed text)."""
    expected = np.ones((3, 1)) if expected is None else expected
    with Exercise("demo", function) as ex:
        got = ex.call(np.zeros((3, 1)), **kwargs)
        inputs = {"x": np.zeros((3, 1))}
        if kind == "array":
            ex.expect_array(got, expected, inputs, mistakes={"you returned zeros.": np.zeros((3, 1))})
        elif kind == "number":
            ex.expect_number(got, 1.0, inputs)
        else:
            ex.expect_tensor(got, expected, inputs)
        ex.passed("all good")


def verdict(capsys, function, **kwargs):
    try:
        run(function, **kwargs)
        passed = True
    except CheckFailed:
        passed = False
    return passed, capsys.readouterr().out


def test_a_correct_function_gets_a_green_tick(capsys):
    passed, out = verdict(capsys, lambda x: x + 1)
    assert passed and "✓ demo: correct — all good" in out


@pytest.mark.parametrize("function, words", [
    (lambda x: None, "returned None"),
    (lambda x: [1.0, 1.0, 1.0], "returned a list"),
    (lambda x: (x + 1).ravel(), "returned shape [3], expected [3×1]"),
    (lambda x: (x + 1).T, "returned shape [1×3], expected [3×1]"),
    (lambda x: x / 0.0, "returned NaN"),
    (lambda x: x + np.inf, "returned inf"),
    (lambda x: Tensor(x + 1), "returned a Tensor"),
    (lambda x: 1.0, "returned the single number 1.0"),
    (lambda x: "one", "returned a str"),
    (lambda x: x + 2, "expected [3×1] [1, 1, 1], but it returned [3×1] [2, 2, 2]"),
])
def test_broken_answers_get_a_verdict_naming_the_problem(capsys, function, words):
    with np.errstate(all="ignore"):
        passed, out = verdict(capsys, function)
    assert not passed and "✗ demo: not correct yet." in out and words in out


def test_a_known_mistake_gets_its_hint(capsys):
    passed, out = verdict(capsys, lambda x: x)
    assert not passed and "Hint: you returned zeros." in out


def test_an_exception_in_the_learners_code_is_reported_with_its_line(capsys):
    cell = "def broken(x):\n    y = x + 1\n    return y @ np.ones((2, 2))\n"
    namespace = {"np": np}
    exec(compile(cell, "<notebook cell>", "exec"), namespace)  # line numbers as in a notebook cell
    passed, out = verdict(capsys, namespace["broken"])
    assert not passed and "raised ValueError" in out and "line 3 of your code" in out
    assert "called with x = [3×1]" in out


def test_the_nbgrader_stub_means_not_attempted(capsys):
    def stub(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not attempted yet"):
        run(stub)
    assert "○ demo: not attempted yet" in capsys.readouterr().out


def test_something_that_is_not_a_function(capsys):
    with pytest.raises(CheckFailed):
        with Exercise("demo", 42) as ex:
            ex.call(1)
    assert "It should be a function, but it is an int (42)" in capsys.readouterr().out


def test_a_tensor_where_an_array_is_expected_and_the_reverse(capsys):
    passed, out = verdict(capsys, lambda x: x + 1, kind="tensor")
    assert not passed and "returned a numpy array; expected a Tensor" in out
    passed, out = verdict(capsys, lambda x: Tensor(x + 1), kind="tensor")
    assert passed


def test_a_number_may_be_a_1x1_matrix_but_not_a_vector(capsys):
    assert verdict(capsys, lambda x: np.ones((1, 1)), kind="number")[0]
    assert verdict(capsys, lambda x: np.float64(1.0), kind="number")[0]
    passed, out = verdict(capsys, lambda x: np.ones(3), kind="number")
    assert not passed and "expected one number" in out


def test_the_learners_inputs_are_copies():
    seen = []

    def mutating(x):
        x += 5
        seen.append(x)
        return x

    original = np.zeros((2, 1))
    with pytest.raises(CheckFailed):
        with Exercise("demo", mutating) as ex:
            ex.expect_array(ex.call(original), original + 1, {"x": original})
    assert np.array_equal(original, np.zeros((2, 1)))


def test_references_replace_earlier_exercises_during_the_call():
    namespace = {}
    exec("def helper(x):\n    raise ValueError('my own bug')\n"
         "def uses_helper(x):\n    return helper(x) * 2", namespace)
    with Exercise("demo", namespace["uses_helper"]) as ex:
        got = ex.call(np.ones((2, 1)), references={"helper": lambda x: x + 1})
        ex.expect_array(got, np.full((2, 1), 4.0), {"x": np.ones((2, 1))})
    assert namespace["helper"].__name__ == "helper"  # put back afterwards


def test_a_bug_in_the_check_itself_is_not_hidden():
    with pytest.raises(ZeroDivisionError):
        with Exercise("demo", lambda x: x):
            1 / 0  # noqa: B018  the check's own bug, raised on purpose


def test_check_failures_render_as_one_line_in_ipython():
    lines = CheckFailed("demo: not correct yet")._render_traceback_()
    assert len(lines) == 1 and "CheckFailed" in lines[0] and "demo: not correct yet" in lines[0]


def test_preview():
    assert preview(np.array([[1.5], [2.0]])) == "[2×1] [1.5, 2]"
    assert preview(np.arange(6.0).reshape(2, 3)) == "[2×3] [0, 1, 2, 3, …]"
    assert preview(np.float64(0.25)) == "0.25"


def test_a_list_of_matrices_is_described_by_its_shapes(capsys):
    def broken(Ws):
        raise ValueError("no")

    with pytest.raises(CheckFailed):
        with Exercise("demo", broken) as ex:
            ex.call([np.ones((2, 3)), np.ones((3, 1))])
    assert "called with Ws = [[2×3], [3×1]]" in capsys.readouterr().out


# --- expect_exact: equal to the rule to round-off -------------------------------------------------------------------

def exact(function, expected, scale, terms=1):
    """(passed, printed text) of expect_exact on one case."""
    try:
        with Exercise("demo", function) as ex:
            ex.expect_exact(ex.call(np.zeros((2, 2))), expected, scale, {"x": np.zeros((2, 2))}, terms=terms,
                            mistakes={"you returned its negative.": -expected})
            ex.passed("all good")
        passed = True
    except CheckFailed:
        passed = False
    return passed


EXPECTED = np.array([[0.25, -3.0], [1e-3, 7.5]])
SCALE = np.array([[0.5, 4.0], [1e-3, 10.0]])


@pytest.mark.parametrize("off, passes", [(0.0, True), (0.5 * roundoff(1), True), (3 * roundoff(1), False),
                                         (1e-12, False), (1e-9, False), (1e-6, False)])
def test_an_answer_passes_only_within_a_few_units_of_round_off_of_the_numbers_the_rule_combines(off, passes):
    assert exact(lambda x: EXPECTED + off * SCALE, EXPECTED, SCALE) is passes


def test_more_terms_allow_more_round_off():
    answer = EXPECTED + 3 * roundoff(1) * SCALE
    assert not exact(lambda x: answer, EXPECTED, SCALE, terms=1) and exact(lambda x: answer, EXPECTED, SCALE, terms=20)


def test_a_close_answer_is_told_it_is_numerical_and_a_typical_mistake_gets_its_hint(capsys):
    exact(lambda x: EXPECTED * (1 + 1e-9), EXPECTED, SCALE)
    assert "to only about 9 digits" in capsys.readouterr().out
    exact(lambda x: -EXPECTED, EXPECTED, SCALE)
    assert "you returned its negative." in capsys.readouterr().out
