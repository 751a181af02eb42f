"""The machinery behind every exercise check: run the learner's function on fresh
random inputs, compare with a reference, and print one friendly verdict.

A check function (see the other modules of `lecture_utils.checks`) looks like

    def check_predict(predict, thorough=False):
        __tracebackhide__ = True
        with Exercise("predict", predict, thorough, stand_in=reference_predict) as ex:
            for N in ex.sizes([1, 3, 50]):
                x, k, m = ...random...
                got = ex.call(x, k, m)
                ex.expect_array(got, x * k + m, inputs={"x": x, "k": k, "m": m},
                                mistakes={"did you swap k and m?": x * m + k})
            ex.passed("ŷ = xk + m for N = 1, 3 and 50")

and prints either

    ✓ predict: correct — ŷ = xk + m for N = 1, 3 and 50
    ✗ predict: not correct yet. For x = [3×1], k = 1.2, m = -0.5: expected ..., but it returned ...
      Hint: ...
    ○ predict: not attempted yet — replace `raise NotImplementedError()` with your code, ...

(verdicts.py is that language). On anything but ✓, in the learner's own kernel the check
returns and the notebook goes on, with the package's answer standing in for the learner's
unsolved function in later cells (self_check.py); when checks are strict (under nbgrader,
or LECTURE_UTILS_STRICT_CHECKS=1) it raises CheckFailed (an AssertionError), which IPython
shows as one line. Whatever the learner's function does (raise, return None, NaN, a list,
the wrong shape, a Tensor instead of an array) becomes a verdict, never a traceback from
inside this package (frames marked `__tracebackhide__` are hidden by IPython and pytest).

The same check serves the learner and the grader: it reaches the learner's function
through a `LearnerFunction` (learner.py) — directly in JupyterLab, through the
learner's sandboxed kernel while grading — and records its `Verdict` where the
grader can read it (see `recording`); there it always raises CheckFailed on anything but ✓.
"""

import contextvars
from contextlib import contextmanager

import numpy as np

from ..autograd import Tensor, shape_str
from ..ops import OPS
from .learner import Direct, LearnerRaised, as_learner_function
from .self_check import in_a_kernel, learners_function, remember, stand_in_for, strict
from .verdicts import (
    CheckFailed,
    Failed,
    NotAttempted,
    Verdict,
    describe,
    describe_inputs,
    describe_inputs_dict,
    preview,
)

NUMERICAL_HINT = ("compute it from the rule itself: a numerical derivative (the slope between nearby points) "
                  "comes close, but never this close.")


def roundoff(terms=1):
    """How far, relative to the size of the numbers it combines, an exact rule computed in floating point
    may land from the exact value: a few units of round-off, and two more for each term it adds up."""
    return (8 + 2 * terms) * np.finfo(np.float64).eps


def grading(off_limits=(), uses=(), time_factor=1.0):
    """Mark a check with what grading needs to know about its exercise.

    off_limits: dotted paths of the package functions that compute the exercise's answer
    ("lecture_utils.lessons.linear_regression.predict"); while grading, the learner's kernel gets a
    copy of the package in which calling them fails (lecture_utils.grading.sandbox_package).
    uses: what the exercise is meant to use ("lecture_utils.autograd.Tensor.backward"),
    which must stay available to it. time_factor: how many times the usual time limit one
    call of the learner's function may take (a full training run takes longer).
    """

    def mark(check):
        check.off_limits = tuple(off_limits)
        check.uses = tuple(uses)
        check.time_factor = float(time_factor)
        return check

    return mark


# Package functions that compute gradients: off limits wherever an exercise asks for one.
BACKWARD_RULES = ("lecture_utils.autograd.Tensor.backward",
                  *(f"lecture_utils.autograd.{op}.<locals>.backward" for op in OPS))
NUMERICAL_DERIVATIVES = ("lecture_utils.gradcheck.numerical_gradient", "lecture_utils.gradcheck.check_gradients",
                         "lecture_utils.lessons.descent.central_difference",
                         "lecture_utils.lessons.descent.forward_difference")


class Recorded:
    """A reference that remembers every call: evidence of how the learner's code used it.

    calls: [(args, kwargs)] in order. Swapped in for an earlier exercise (Exercise.call's references),
    it shows, for example, at which points the learner's code evaluated a function.
    """

    def __init__(self, function):
        self.function, self.calls = function, []
        self.__name__ = getattr(function, "__name__", "reference")

    def __call__(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        return self.function(*args, **kwargs)


class Exercise:
    """One run of one exercise check; use as a context manager.

    name:      the exercise's name as the learner sees it ("predict")
    function:  the learner's function (or a LearnerFunction that reaches it, while grading)
    thorough:  the hidden tests' mode: more and larger random cases
    stand_in:  the package's answer, called as the learner's function is: while the exercise is
               not solved, later cells of the learner's notebook use it (self_check.py)
    """

    def __init__(self, name, function, thorough=False, stand_in=None):
        self.name = name
        self.function = learners_function(function)
        self.learner = as_learner_function(self.function, name)
        self.stand_in = stand_in
        self.thorough = thorough
        self.rng = np.random.default_rng()  # fresh OS entropy every run: nothing to hard-code or replay
        self.verdict = None

    # --- running the learner's code -------------------------------------------------

    def sizes(self, sizes, extra=(2, 17, 200)):
        """The sizes to test: `sizes`, plus `extra` ones in thorough mode."""
        return list(sizes) + (list(extra) if self.thorough else [])

    def call(self, *args, references=None, **kwargs):
        """Call the learner's function on the inputs; turn anything but a return into a verdict.

        references: {global name: reference function} that the learner's code sees in
        place of its own during the call, so an exercise that uses an earlier one is
        tested alone (one mistake costs one mark).
        """
        __tracebackhide__ = True
        value, raised = self.attempt(*args, references=references, **kwargs)
        if raised is not None:
            raise Failed(
                f"It raised {raised.name}: {raised.message}{_at_line(raised)}, "
                f"called with {describe_inputs(self.learner.parameter_names(), args, kwargs)}.",
                _hint_for_exception(raised),
            )
        return value

    def attempt(self, *args, references=None, **kwargs):
        """(value, None) if the learner's function returned, (None, Raised) if it raised.

        For checks that expect an exception; nbgrader's NotImplementedError stub still
        means "not attempted".
        """
        __tracebackhide__ = True
        try:
            return self.learner.call(list(args), dict(kwargs), references or {}), None
        except LearnerRaised as error:
            if error.raised.is_a("NotImplementedError"):
                raise NotAttempted() from None
            return None, error.raised

    # --- comparing answers ------------------------------------------------------------

    def expect_array(self, got, expected, inputs, what="returned", mistakes=None, hint=None,
                     rtol=1e-6, atol=1e-8):
        """The answer must be a numpy array of `expected`'s shape and values.

        inputs:   {name: value} shown when it fails
        mistakes: {hint: the value a typical mistake would give}; a match gives that hint
        """
        got = self._as_array(got, expected.shape, inputs, what)
        self._compare(got, expected, inputs, what, mistakes, hint, rtol, atol)

    def expect_number(self, got, expected, inputs, what="returned", mistakes=None, hint=None,
                      rtol=1e-6, atol=1e-8):
        """The answer must be one number (a float, or an array with one entry, e.g. [1×1])."""
        value = self._one_number(got, inputs, what, hint)
        self._compare(value, np.float64(expected), inputs, what, mistakes, hint, rtol, atol)

    def expect_tensor(self, got, expected, inputs, what="returned", mistakes=None, hint=None,
                      rtol=1e-6, atol=1e-8):
        """The answer must be an autograd Tensor whose value matches `expected` (an array)."""
        if isinstance(got, np.ndarray):
            raise Failed(f"It {what} a numpy array; expected a Tensor from the autograd ops.",
                         "build it with Add, Sub, Mul, ReLU, T so that backward() can flow through it.")
        if not isinstance(got, Tensor):
            raise Failed(f"It {what} {describe(got)}; expected a Tensor.",
                         "did you forget the `return` statement?" if got is None else hint)
        self.expect_array(got.value, expected, inputs, what, mistakes, hint, rtol, atol)

    def expect_exact(self, got, expected, scale, inputs, what="returned", terms=1, mistakes=None, hint=None,
                     numerical_hint=NUMERICAL_HINT):
        """The answer must be a numpy array of `expected`'s shape equal to it to round-off.

        Every entry must lie within roundoff(terms) × scale of the exact value, where `scale` (a number
        or an array of `expected`'s shape) is the size of the numbers the exact rule multiplies and adds
        for that entry, and `terms` how many it adds up. The rule computed in any honest order agrees
        that well; a numerical derivative (central differences, however refined) does not: an answer
        close to a few digits only fails with `numerical_hint`.
        """
        got = self._as_array(got, expected.shape, inputs, what)
        self._compare_exact(got, expected, scale, inputs, what, terms, mistakes, hint, numerical_hint)

    def expect_exact_number(self, got, expected, scale, inputs, what="returned", terms=1, mistakes=None, hint=None,
                            numerical_hint=NUMERICAL_HINT):
        """One number (as expect_number accepts it) equal to `expected` to round-off (see expect_exact)."""
        value = self._one_number(got, inputs, what, hint)
        self._compare_exact(value, np.float64(expected), scale, inputs, what, terms, mistakes, hint, numerical_hint)

    def _compare_exact(self, got, expected, scale, inputs, what, terms, mistakes, hint, numerical_hint):
        self._reject_not_finite(got, inputs, what)
        scale = np.abs(np.broadcast_to(np.asarray(scale, dtype=np.float64), np.shape(expected)))
        error = np.abs(got - expected)
        if np.all(error <= roundoff(terms) * scale):
            return
        off = float(np.max(error / np.maximum(scale, np.finfo(np.float64).tiny)))
        if off < 1e-3:  # close, but not to round-off: a numerical derivative
            raise Failed(f"For {describe_inputs_dict(inputs)}: it {what} {preview(got)}, which agrees with the exact "
                         f"{preview(expected)} to only about {int(-np.log10(off))} digits; the check compares with "
                         "the exact rule to round-off, about 15 digits.", numerical_hint)
        for mistake_hint, wrong in (mistakes or {}).items():
            wrong = np.asarray(wrong, dtype=np.float64)
            if wrong.shape == np.shape(got) and np.allclose(got, wrong, rtol=1e-6, atol=1e-8):
                raise Failed(self._mismatch(got, expected, inputs, what), mistake_hint)
        raise Failed(self._mismatch(got, expected, inputs, what), hint)

    def _one_number(self, got, inputs, what, hint):
        """The learner's answer as one float64 number (a float, or an array with one entry); else Failed."""
        self._reject_none_and_tensor(got, inputs, what)
        if isinstance(got, (list, tuple)):
            raise Failed(f"It {what} a {type(got).__name__}; expected one number.", hint)
        try:
            value = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            raise Failed(f"It {what} {describe(got)}; expected one number.", hint) from None
        if value.size != 1:
            raise Failed(f"It {what} an array of shape {shape_str(value.shape)}; expected one number.",
                         "did you forget to average (or sum) over all the entries?")
        return value.reshape(())

    @staticmethod
    def _reject_none_and_tensor(got, inputs, what):
        if got is None:
            raise Failed(f"It {what} None for {describe_inputs_dict(inputs)}.",
                         "did you forget the `return` statement?")
        if isinstance(got, Tensor):
            raise Failed(f"It {what} a Tensor; this exercise works on plain numbers and numpy arrays.",
                         "compute it with numpy operators, or return the Tensor's .value.")

    def _as_array(self, got, shape, inputs, what):
        self._reject_none_and_tensor(got, inputs, what)
        if isinstance(got, (list, tuple)):
            raise Failed(f"It {what} a {type(got).__name__}; expected a numpy array of shape {shape_str(shape)}.",
                         "compute with numpy operations (or wrap it: np.array(...)).")
        if isinstance(got, (int, float, np.number)) and shape != ():
            raise Failed(f"It {what} the single number {got!r}; expected an array of shape {shape_str(shape)}.",
                         "return one value per row, not a summary.")
        if not isinstance(got, np.ndarray):
            raise Failed(f"It {what} {describe(got)}; expected a numpy array of shape {shape_str(shape)}.")
        if got.dtype.kind not in "biuf":
            raise Failed(f"It {what} an array of {got.dtype}; expected numbers.")
        if got.shape != shape:
            raise Failed(
                f"It {what} shape {shape_str(got.shape)}, expected {shape_str(shape)}, "
                f"for {describe_inputs_dict(inputs)}.",
                _shape_hint(got.shape, shape),
            )
        return got.astype(np.float64)

    @staticmethod
    def _reject_not_finite(got, inputs, what):
        if not np.all(np.isfinite(got)):
            bad = "NaN" if np.any(np.isnan(got)) else "inf"
            raise Failed(f"It {what} {bad} for {describe_inputs_dict(inputs)}.",
                         "look for a division by zero, a log of 0, or a value that grows without bound.")

    def _compare(self, got, expected, inputs, what, mistakes, hint, rtol, atol):
        self._reject_not_finite(got, inputs, what)
        if np.allclose(got, expected, rtol=rtol, atol=atol):
            return
        for mistake_hint, wrong in (mistakes or {}).items():
            wrong = np.asarray(wrong, dtype=np.float64)
            if wrong.shape == np.shape(got) and np.allclose(got, wrong, rtol=rtol, atol=atol):
                raise Failed(self._mismatch(got, expected, inputs, what), mistake_hint)
        raise Failed(self._mismatch(got, expected, inputs, what), hint)

    @staticmethod
    def _mismatch(got, expected, inputs, what):
        return (f"For {describe_inputs_dict(inputs)}: expected {preview(expected)}, "
                f"but it {what} {preview(got)}.")

    # --- the verdict ------------------------------------------------------------------

    def passed(self, what_was_checked):
        """Record success: `what_was_checked` says on which inputs."""
        self.verdict = what_was_checked

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        __tracebackhide__ = True
        if kind is None:
            verdict = Verdict(self.name, "correct", self.verdict or "all checks passed")
        elif kind is NotAttempted:
            verdict = Verdict(self.name, "not attempted", "replace `raise NotImplementedError()` with your "
                                                          "code, run that cell, then this one.")
        elif kind is Failed:
            verdict = Verdict(self.name, "wrong", error.message, error.hint)
        else:
            return False  # a bug in the check itself: let it surface
        recorded = _RECORDED.get()
        if recorded is not None:  # the grader's process: it scores the verdict
            recorded.append(verdict)
        else:
            print(verdict.text(colour=in_a_kernel()))
            remember(verdict)
        if verdict.passed:
            return False
        if recorded is not None or strict():
            what = {"not attempted": "not attempted yet"}.get(verdict.status, "not correct yet (see the message above)")
            raise CheckFailed(f"{self.name}: {what}", verdict) from None
        if self.stand_in is not None and isinstance(self.learner, Direct):
            stand_in_for(self.name, self.stand_in, self.function)
        return True  # the verdict informs; the notebook goes on


_RECORDED = contextvars.ContextVar("recorded_verdicts", default=None)


@contextmanager
def recording():
    """Collect the verdicts of the checks run inside, instead of printing them:

        with recording() as verdicts:
            try:
                check_predict(learner_function, thorough=True)
            except CheckFailed:
                pass
        verdicts[-1].status
    """
    verdicts = []
    token = _RECORDED.set(verdicts)
    try:
        yield verdicts
    finally:
        _RECORDED.reset(token)


def _at_line(raised):
    """' (line 3 of your code)' when the learner's innermost line is known."""
    return f" (line {raised.line} of your code)" if raised.line else ""


def _hint_for_exception(raised):
    message = raised.message
    if raised.is_a("ValueError") and ("matmul" in message or "shapes" in message or "broadcast" in message):
        return "write down the shape of every term, e.g. [N×D] @ [D×1] -> [N×1]."
    if raised.is_a("NameError"):
        return "is a name misspelt, or defined in a cell you have not run yet?"
    if raised.is_a("TypeError") and "argument" in message:
        return "keep the signature the exercise gives: same arguments, same order."
    if raised.is_a("IndexError") or raised.is_a("KeyError"):
        return "check your indices against the shapes; rows are samples, columns are features."
    return None


def _shape_hint(got, expected):
    if len(got) == 1 and len(expected) == 2 and got[0] == expected[0] * expected[1]:
        return (f"keep the {'column' if expected[1] == 1 else 'matrix'} shape {shape_str(expected)}: "
                "avoid .flatten(), .ravel() and indexing like x[:, 0].")
    if len(got) == 2 and got == expected[::-1]:
        return "the shape is transposed: check the order of the matrix product (or a missing .T)."
    if len(got) == 2 and len(expected) == 2 and got[0] == got[1] == expected[0] and expected[1] == 1:
        return "a [N×1] column combined with a [N] vector broadcasts to [N×N]: keep both as columns."
    return "write down the shape of every term on paper."
