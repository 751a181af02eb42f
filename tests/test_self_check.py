"""A check in the learner's own kernel informs and lets the notebook go on; instructor tools see it strict.

The learner's notebook is played by a namespace the learner's cell was run in (tests/verdicts.py's
`defined`): the name a later cell uses is the one a check rebinds.
"""

import numpy as np
import pytest

from lecture_utils.checks import check_mse, check_predict, check_relu, exercise_summary
from lecture_utils.checks.exercise import recording
from lecture_utils.checks.self_check import STRICT_VARIABLE, StandIn
from lecture_utils.checks.verdicts import CheckFailed
from verdicts import defined

STUB = "def predict(x, k, m):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
WRONG = "def predict(x, k, m):\n    return x * m + k\n"
RIGHT = "def predict(x, k, m):\n    return x * k + m\n"


@pytest.fixture
def learners_kernel(monkeypatch):
    """Checks as in a learner's JupyterLab: neither nbgrader nor the strict variable is set."""
    monkeypatch.delenv(STRICT_VARIABLE, raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


@pytest.mark.parametrize("source, line", [(STUB, "○ predict: not attempted yet"),
                                          (WRONG, "✗ predict: not correct yet.")])
def test_an_unsolved_exercise_informs_and_the_package_stands_in(learners_kernel, capsys, source, line):
    notebook = defined(source)
    learners = notebook["predict"]
    assert check_predict(learners) is None  # no CheckFailed: Run All goes on
    assert line in capsys.readouterr().out
    stand_in = notebook["predict"]
    assert isinstance(stand_in, StandIn) and stand_in.replaced is learners
    x = np.array([[1.0], [2.0]])
    np.testing.assert_allclose(stand_in(x, 3.0, 1.0), [[4.0], [7.0]])  # the package's ŷ = xk + m
    stand_in(x, 3.0, 1.0)
    announced = capsys.readouterr().out
    assert announced.count("predict is not solved yet") == 1, "once per cell (outside a kernel: once)"
    assert "x * k + m" not in announced and "x * k + m" not in repr(stand_in)  # never its code


def test_a_stand_in_handed_back_to_its_check_is_judged_as_the_learners_function(learners_kernel, capsys):
    notebook = defined(STUB)
    check_predict(notebook["predict"])
    check_predict(notebook["predict"])  # the check cell run again, the learner's cell not
    out = capsys.readouterr().out
    assert out.count("○ predict: not attempted yet") == 2 and "✓" not in out
    assert isinstance(notebook["predict"], StandIn)


def test_running_the_learners_cell_again_brings_their_function_back(learners_kernel, capsys):
    notebook = defined(STUB)
    check_predict(notebook["predict"])
    exec(RIGHT, notebook)  # the learner solves it and runs the cell
    check_predict(notebook["predict"])
    assert "✓ predict: correct" in capsys.readouterr().out
    assert not isinstance(notebook["predict"], StandIn)


def test_a_name_the_learner_gave_another_value_is_left_alone(learners_kernel):
    notebook = defined(STUB)
    learners = notebook["predict"]
    notebook["predict"] = "something else"
    check_predict(learners)
    assert notebook["predict"] == "something else"


def test_a_check_without_a_notebook_around_it_stands_in_nowhere(learners_kernel, capsys):
    check_relu(lambda x: x)  # a lambda's globals are this module's: it has no name `relu`
    assert "✗ relu: not correct yet." in capsys.readouterr().out


@pytest.mark.parametrize("variable, value", [(STRICT_VARIABLE, "1"), ("NBGRADER_EXECUTION", "validate"),
                                             ("NBGRADER_EXECUTION", "autograde")])
def test_strict_checks_stop_and_stand_in_for_nothing(learners_kernel, monkeypatch, capsys, variable, value):
    monkeypatch.setenv(variable, value)
    notebook = defined(STUB)
    with pytest.raises(CheckFailed, match="predict: not attempted yet") as stopped:
        check_predict(notebook["predict"])
    assert stopped.value.verdict.status == "not attempted"
    assert not isinstance(notebook["predict"], StandIn)
    assert "○ predict: not attempted yet" in capsys.readouterr().out


def test_while_grading_a_check_always_stops_and_records(learners_kernel):
    notebook = defined(WRONG)
    with recording() as verdicts, pytest.raises(CheckFailed):
        check_predict(notebook["predict"])
    assert verdicts[-1].status == "wrong" and not isinstance(notebook["predict"], StandIn)


def test_the_summary_lists_every_exercise_as_its_check_last_judged_it(learners_kernel, capsys):
    notebook = defined(RIGHT + "def mse(y, y_hat):\n    return float(np.sum((y - y_hat) ** 2))\n", np=np)
    check_predict(notebook["predict"])
    check_mse(notebook["mse"])
    capsys.readouterr()
    exercise_summary("predict", "mse", "not_checked_here")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Your exercises in this notebook: 1 of 3 correct."
    assert lines[1:4] == ["✓ predict: correct", "✗ mse: not correct yet.", "○ not_checked_here: not checked yet"]


def _exercises():
    """(notebook, check, the learner's function's name) of every check cell of the instructor's notebooks."""
    import json
    import re

    from paths import NOTEBOOKS

    found = []
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade"):
                check, name = re.match(r"(check_\w+)\((\w+)\)", "".join(cell["source"])).groups()
                found.append((path.stem[:2], check, name))
    return found


@pytest.mark.parametrize("notebook, check, name", _exercises(), ids=[f"{n}-{c}" for n, c, _ in _exercises()])
def test_every_exercise_has_a_stand_in_that_passes_its_own_check(learners_kernel, monkeypatch, capsys,
                                                                  notebook, check, name):
    import lecture_utils.checks as checks

    notebook_namespace = defined(f"def {name}(*args, **kwargs):\n    raise NotImplementedError()\n")
    getattr(checks, check)(notebook_namespace[name])
    stand_in = notebook_namespace[name]
    assert isinstance(stand_in, StandIn), f"{check} names no stand-in for {name}"
    monkeypatch.setenv(STRICT_VARIABLE, "1")
    getattr(checks, check)(stand_in._reference)  # raises CheckFailed if the package's answer is wrong
    assert f"✓ {name}: correct" in capsys.readouterr().out
