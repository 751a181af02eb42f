"""A check in the learner's own notebook: it informs, it never stops "Run All".

In a learner's kernel a check that does not pass prints its verdict and returns, and the
notebook goes on. Instructor tools still see an unsolved exercise as failed: checks are
*strict* (they raise `CheckFailed`) under nbgrader, which sets NBGRADER_EXECUTION while it
validates or autogrades, and wherever LECTURE_UTILS_STRICT_CHECKS=1 (the test suite sets it
for the instructor's notebooks, so that a broken solution fails a test). The grader judges in
its own process and never runs this module's parts (exercise.py's `recording`).

So that the cells after an unsolved exercise still run — a picture, a panel, 01's grid of
lines — the check rebinds the learner's name in the notebook to a `StandIn`: it calls the
package's own answer (the check's reference) and says so once per cell. Running the
learner's cell again defines their function again, and their own is used from then on. A
stand-in handed back to its check is judged as the learner's function it replaced.

`exercise_summary(...)`, the last code cell of every notebook, lists its exercises as the
checks of this kernel last judged them: ✓ correct, ✗ not correct yet, ○ not attempted.
"""

import os
import sys

from .verdicts import Verdict, badge

STRICT_VARIABLE = "LECTURE_UTILS_STRICT_CHECKS"

_LAST_VERDICTS = {}  # exercise name -> its latest Verdict in this kernel


def strict():
    """Must a check that does not pass stop the notebook? Under nbgrader, or with LECTURE_UTILS_STRICT_CHECKS=1."""
    return bool(os.environ.get("NBGRADER_EXECUTION")) or os.environ.get(STRICT_VARIABLE) == "1"


def remember(verdict):
    """Keep the latest verdict of an exercise, for the summary at the end of the notebook."""
    _LAST_VERDICTS[verdict.exercise] = verdict


class StandIn:
    """The package's answer to exercise `name`, standing in for the learner's unsolved function.

    Called as the learner's function would be; the first call in each cell prints one line that
    says so. Its code is the package's: it is never shown (`inspect.getsource` finds none).
    `replaced` is the learner's function: a panel that compares the learner's answer with the
    package's (notebook 08's) shows that one, not the stand-in.
    """

    def __init__(self, name, reference, replaced):
        self.__name__ = name
        self._reference = reference
        self.replaced = replaced
        self._announced_in = object()  # no cell yet

    def __call__(self, *args, **kwargs):
        cell = _current_cell()
        if cell != self._announced_in:
            self._announced_in = cell
            print(f"{self.__name__} is not solved yet (see its check above): this cell uses the package's "
                  f"{self.__name__} instead.", flush=True)
        return self._reference(*args, **kwargs)

    def __repr__(self):
        return f"<the package's {self.__name__}, standing in until yours passes its check>"


def learners_function(function):
    """The learner's own function: a stand-in handed to a check is judged as the function it replaced."""
    return function.replaced if isinstance(function, StandIn) else function


def stand_in_for(name, reference, learner):
    """Rebind `name` in the learner's notebook from their function `learner` to a StandIn; True if done.

    Only where the notebook's `name` still is `learner` (or a stand-in for it): a name the
    learner has since given another value is left alone.
    """
    namespace = _notebook_namespace(learner)
    if namespace is None or learners_function(namespace.get(name)) is not learner:
        return False
    namespace[name] = StandIn(name, reference, learner)
    return True


def _notebook_namespace(learner):
    """The namespace of the notebook the learner's function was defined in (IPython's user namespace)."""
    shell = _shell()
    if shell is not None:
        return shell.user_ns
    return getattr(learner, "__globals__", None)


def _shell():
    """The running IPython shell, if this is a kernel (IPython is never imported here for it)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def in_a_kernel():
    """Does this run in a notebook's kernel (IPython), where verdicts are shown in colour?"""
    return _shell() is not None


def _current_cell():
    """The number of the cell running now (IPython's execution count), or None outside a kernel."""
    shell = _shell()
    return getattr(shell, "execution_count", None) if shell is not None else None


def exercise_summary(*names):
    """Print one line per exercise of this notebook, ✓ / ✗ / ○, as its check last judged it here."""
    verdicts = [_LAST_VERDICTS.get(name) or Verdict(name, "not attempted", "") for name in names]
    solved = sum(verdict.passed for verdict in verdicts)
    lines = [f"Your exercises in this notebook: {solved} of {len(verdicts)} correct."]
    for name, verdict in zip(names, verdicts):
        ran = name in _LAST_VERDICTS
        headline = verdict.headline() if ran else f"○ {name}: not checked yet"
        lines.append(badge(headline, verdict.status) if in_a_kernel() else headline)
    if solved < len(verdicts):
        lines.append("Solve one, run its cell and then its check: its line here changes when you run this cell again.")
    print("\n".join(lines))
