"""What a learner's kernel finds, while grading, in place of what its notebook's exercises may not use.

The package copy a kernel imports (sandbox_package.py) keeps every name of the package, so that a
notebook's imports work as in JupyterLab; but a name outside what the notebook's cells need is one
of these stand-ins, and using it fails with a RuntimeError that says why:

    lecture_utils.lessons.descent._quadratic is not available while grading: this exercise asks you to write it
    yourself.

Runs in the learner's kernel (it is part of the copy); the grader recognises the message
(`is_unavailable`) to leave out of the feedback a cell that stopped only there.
"""

import re

__all__ = ["Unavailable", "unavailable_function", "module_getattr", "OFF_LIMITS", "NOT_NEEDED",
           "is_unavailable"]

OFF_LIMITS = "{name} is not available while grading: this exercise asks you to write it yourself."
NOT_NEEDED = "{name} is not available while grading: this notebook's exercises do not use it."
_STOPPED = re.compile(r"RuntimeError: [\w.<>]+ is not available while grading: .*", re.DOTALL)


def is_unavailable(error):
    """Is `error` ("RuntimeError: message", as a kernel reports it) the refusal of one of these stand-ins?"""
    return bool(_STOPPED.fullmatch(error))


class Unavailable:
    """Stands for a value, a class or a module of the package: importing it works, using it fails.

    Its public attributes are stand-ins too (`plots.some_fits`), so that the failure comes where the
    value is used, with the name the learner's code wrote.
    """

    __slots__ = ("_name", "_message")

    def __init__(self, name, message=NOT_NEEDED):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_message", message)

    def _refuse(self, *args, **kwargs):
        raise RuntimeError(self._message.format(name=self._name))

    __call__ = __getitem__ = __setitem__ = __iter__ = __len__ = __contains__ = __bool__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __matmul__ = __rmatmul__ = _refuse
    __truediv__ = __rtruediv__ = __neg__ = __float__ = __int__ = __index__ = __array__ = _refuse

    def __getattr__(self, attribute):
        if attribute.startswith("_"):  # introspection (IPython's display, copy, pickle) sees a plain object
            raise AttributeError(attribute)
        return Unavailable(f"{self._name}.{attribute}", self._message)

    def __setattr__(self, attribute, value):
        self._refuse()

    def __repr__(self):
        return f"<{self._name}: not available while grading>"


def unavailable_function(name, message=NOT_NEEDED, doc=None):
    """A function that keeps the name and docstring of `name` but only refuses, for a module's namespace."""

    def refuse(*args, **kwargs):
        raise RuntimeError(message.format(name=name))

    refuse.__name__ = refuse.__qualname__ = name.rsplit(".", 1)[-1]
    refuse.__doc__ = doc
    return refuse


def module_getattr(module, off_limits=()):
    """A module's __getattr__ that answers every other name with a stand-in (the names in `off_limits`
    with the OFF_LIMITS message): for a module nothing is kept of, and for a package's own namespace."""

    def __getattr__(attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Unavailable(f"{module}.{attribute}", OFF_LIMITS if attribute in off_limits else NOT_NEEDED)

    return __getattr__
