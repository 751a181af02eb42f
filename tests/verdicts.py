"""Run an exercise check in a test: did it pass, and what did it print?"""

from lecture_utils.checks.exercise import CheckFailed


def outcome(capsys, check, function, thorough=False):
    """(passed, printed verdict) of check(function)."""
    try:
        check(function, thorough=thorough)
        return True, capsys.readouterr().out
    except CheckFailed:
        return False, capsys.readouterr().out
