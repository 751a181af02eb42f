"""Run an exercise check in a test: did it pass, and what did it print?"""

import numpy as np

from lecture_utils.checks.verdicts import CheckFailed


def outcome(capsys, check, function, thorough=False):
    """(passed, printed verdict) of check(function).

    numpy's warnings about overflows in a wrong answer are silenced: the verdict is what is tested.
    """
    try:
        with np.errstate(all="ignore"):
            check(function, thorough=thorough)
        return True, capsys.readouterr().out
    except CheckFailed:
        return False, capsys.readouterr().out


def calls_seen(check, answer, runs=2):
    """The arguments `check` passed to a correct `answer` over `runs` runs: one tuple per call
    (arrays copied as they arrived)."""
    seen = []

    def spy(*args):
        seen.append(tuple(a.copy() if hasattr(a, "copy") and not callable(a) else a for a in args))
        return answer(*args)

    for _ in range(runs):
        check(spy)
    return seen


def defined(source, **names):
    """The namespace a learner's cell `source` leaves, run in a fresh one that holds `names`."""
    namespace = dict(names)
    exec(source, namespace)
    return namespace
