"""How a check reaches the learner's function: the one thing that differs between a
learner's self-check in JupyterLab and the instructor's grading.

A check never calls the learner's function itself: it asks a `LearnerFunction` to
call it with some inputs and gets back what it returned, or what it raised.

* `Direct` (JupyterLab) calls the function in this process, on copies of the inputs.
  Whatever the learner's code does here, it can only fool the learner.
* While grading, the function lives in the learner's sandboxed kernel and the check
  runs in the grader's process; `lecture_utils.grading.kernel.InKernel` sends the
  inputs there and gets plain data back. The check, its random inputs, the expected
  values and the verdict all stay in the grader's process.

Either way the check sees the same things: a return value (numbers, arrays, lists,
Tensors, …), the Tensors it passed in as the learner's code left them, or a `Raised`.
"""

import inspect
from dataclasses import dataclass

import numpy as np

from ..plain import describe_exception
from .verdicts import Failed, describe


@dataclass(frozen=True)
class Raised:
    """What the learner's code raised.

    types:   the exception's class name, then its bases' ("ValueError", "Exception", ...)
    message: str(exception)
    line:    the line of the learner's own code where it was raised, if known
    """

    types: tuple
    message: str
    line: int | None = None

    @property
    def name(self):
        return self.types[0] if self.types else "an exception"

    def is_a(self, name):
        """Is it a `name` (e.g. "ValueError"), or a subclass of one?"""
        return name in self.types

    @classmethod
    def from_plain(cls, described):
        """From describe_exception's plain description (sent by a learner's kernel, or made here)."""
        line = described.get("line")
        return cls(tuple(str(t)[:100] for t in described.get("types", [])[:20]),
                   str(described.get("message", "")), line if isinstance(line, int) else None)

    @classmethod
    def from_exception(cls, error):
        return cls.from_plain(describe_exception(error))


class LearnerRaised(Exception):
    """The learner's function raised: `raised` says what (a Raised)."""

    def __init__(self, raised):
        super().__init__(raised.message)
        self.raised = raised


class LearnerFunction:
    """The learner's function, as a check reaches it (see the module's docstring).

    name: the function's name in the learner's notebook ("predict")
    """

    name = "the function"

    def call(self, args, kwargs, references):
        """Call it with args and kwargs and return what it returned; raise LearnerRaised if it raised.

        Tensors among the args are the learner's to change (a training step updates
        its parameters): afterwards they hold what the learner's code left in them.
        Other inputs arrive as copies. references: {global name: reference function}
        that the learner's code sees in place of its own during the call, so that an
        exercise that uses an earlier one is tested alone. Raises `Failed` when the
        function cannot be called at all (it is not a function, or does not answer).
        """
        raise NotImplementedError

    def parameter_names(self):
        """The names of the function's parameters, for messages (may be empty)."""
        return []


class Direct(LearnerFunction):
    """The learner's own function, called in this process (the learner's self-check)."""

    def __init__(self, function, name):
        self.function = function
        self.name = getattr(function, "__name__", name)

    def call(self, args, kwargs, references):
        __tracebackhide__ = True
        if not callable(self.function):
            raise Failed(f"It should be a function, but it is {describe(self.function)}.",
                         f"define it with `def {self.name}(...):` and run that cell first.")
        args = [_copy(a) for a in args]
        kwargs = {key: _copy(value) for key, value in kwargs.items()}
        with _swapped_globals(self.function, references or {}):
            try:
                return self.function(*args, **kwargs)
            except Exception as error:  # the learner's bug, or nbgrader's NotImplementedError stub
                raise LearnerRaised(Raised.from_exception(error)) from None

    def parameter_names(self):
        try:
            return list(inspect.signature(self.function).parameters)
        except (TypeError, ValueError):
            return []


def as_learner_function(function, name):
    """A LearnerFunction as it is, or the learner's plain function wrapped in Direct."""
    return function if isinstance(function, LearnerFunction) else Direct(function, name)


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


class _swapped_globals:
    """Temporarily replace names in a function's globals (a notebook's namespace)."""

    def __init__(self, function, replacements):
        self.namespace = getattr(function, "__globals__", None)
        self.replacements = replacements if self.namespace is not None else {}
        self.saved = {}

    def __enter__(self):
        for name, reference in self.replacements.items():
            self.saved[name] = self.namespace.get(name, _MISSING)
            self.namespace[name] = reference

    def __exit__(self, *exc):
        for name, value in self.saved.items():
            if value is _MISSING:
                self.namespace.pop(name, None)
            else:
                self.namespace[name] = value
        return False


_MISSING = object()
