"""The package copy a learner's kernel imports while grading: an allow-list, with the answers' code gone.

Each notebook declares beside its checks what its cells may use (ALLOWED_WHILE_GRADING), and each
check what it puts off limits (@grading(off_limits=...)). The copy made for a kernel group keeps
the code of the allowed names and of what that code uses, with the off-limits functions' bodies
gone; every other name is a stand-in that refuses to be used. (Which functions of the full package
could compute an answer is found by a search: test_sandbox_allow_list.py.)
"""

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lecture_utils import checks
from lecture_utils.grading.course import GradedExercise, exercises_of, read_notebook
from lecture_utils.grading.grade_one import allowed_of, kernel_groups
from lecture_utils.grading.sandbox_package import OFF_LIMITS_MESSAGE, build_package, check_names, spec_parts
from lecture_utils.grading.unavailable import NOT_NEEDED
from paths import NOTEBOOKS

GROUPS = [(path.stem, index, group, spec) for path in NOTEBOOKS
          for index, (group, spec) in enumerate(kernel_groups(exercises_of(read_notebook(path))))]
GROUP_IDS = [f"{name[:2]}-{index}" for name, index, _, _ in GROUPS]


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """{(notebook, group index): the folder of the copy its kernel imports}, as grading makes them."""
    root = tmp_path_factory.mktemp("copies")
    return {(name, index): build_package(root / f"{name}-{index}", spec) for name, index, _, spec in GROUPS}


def in_the_copy(package, code):
    """Run code with the copy first on the path (as the sandbox does); return what it prints last, as JSON."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=package,
                            env={"PYTHONPATH": str(package), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg",
                                 "PYTHONDONTWRITEBYTECODE": "1"})
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_check_declares_what_it_puts_off_limits():
    assert len(check_names()) >= 21
    for name in check_names():
        check = getattr(checks, name)
        assert isinstance(check.off_limits, tuple) and isinstance(check.uses, tuple) and check.time_factor >= 1
        for entry in check.off_limits + check.uses:
            assert entry.startswith("lecture_utils.") or importlib.util.find_spec(entry).origin, (name, entry)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem[:2] for p in NOTEBOOKS])
def test_every_notebook_declares_what_its_cells_may_use_and_each_name_exists(path):
    allowed = allowed_of(exercises_of(read_notebook(path)))
    assert "lecture_utils.seed.set_seed" in allowed
    for entry in allowed:
        assert _resolved(entry) is not None, entry


CALL_EACH = """
import importlib, json
results = {}
for entry in ENTRIES:
    parts = entry.split(".")
    for end in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        break
    try:
        for part in parts[end:]:
            target = getattr(target, part)
        target(None, None)
        results[entry] = "returned"
    except RuntimeError as error:
        results[entry] = str(error)
    except Exception as error:
        results[entry] = type(error).__name__
print(json.dumps(results))
"""


@pytest.mark.parametrize("name, index, group, spec", GROUPS, ids=GROUP_IDS)
def test_calling_an_off_limits_function_fails_with_a_clear_message(copies, name, index, group, spec):
    entries = sorted(e for e in spec_parts(spec)[1] if e.startswith("lecture_utils.") and "<locals>" not in e)
    results = in_the_copy(copies[(name, index)], f"ENTRIES = {entries!r}\n" + CALL_EACH)
    for entry in entries:  # the function refuses, or the whole class or module it belongs to is a stand-in
        outer = [NOT_NEEDED.format(name=entry.rsplit(".", n)[0]) for n in range(1, entry.count(".") - 1)]
        assert results[entry] in [OFF_LIMITS_MESSAGE.format(name=entry), *outer], entry


def test_the_backward_rules_are_gone_where_an_exercise_asks_for_them(copies):
    """Nested rules (an op's backward) cannot be called by name: call them as the core would."""
    outcome = in_the_copy(copies[("08_backprop_by_hand", 0)], """
import json, numpy as np
from lecture_utils.autograd import Tensor, Mul, ReLU
out = ReLU(Mul(Tensor(np.ones((2, 2)), requires_grad=True), Tensor(np.ones((2, 1)))))
results = []
for attempt in (lambda: out._backward(np.ones((2, 1))), lambda: out.parents[0]._backward(np.ones((2, 1))),
                lambda: out.backward(np.ones((2, 1)))):
    try:
        attempt()
        results.append("ran")
    except RuntimeError as error:
        results.append(str(error))
print(json.dumps(results))
""")
    assert outcome == [OFF_LIMITS_MESSAGE.format(name="lecture_utils.autograd.ReLU.<locals>.backward"),
                       OFF_LIMITS_MESSAGE.format(name="lecture_utils.autograd.Mul.<locals>.backward"),
                       OFF_LIMITS_MESSAGE.format(name="lecture_utils.autograd.Tensor.backward")]


def test_what_an_exercise_is_meant_to_use_works(copies):
    """Notebook 09's training_step is meant to use Tensor.backward: its group's copy runs it."""
    groups = [index for name, index, group, _ in GROUPS
              if name == "09_live_coding" and "training_step" in [e.function for e in group]]
    grad = in_the_copy(copies[("09_live_coding", groups[0])], """
import json, numpy as np
from lecture_utils import Tensor, Mul, ReLU, Sub, T
from lecture_utils.nn import mse
W = Tensor(np.array([[2.0]]), requires_grad=True)
mse(np.array([[1.0]]), ReLU(Mul(Tensor(np.array([[1.0]])), W))).backward()
print(json.dumps(W.grad.tolist()))
""")
    assert grad == [[2.0]]


@pytest.mark.parametrize("name, index, group, spec", GROUPS, ids=GROUP_IDS)
def test_every_module_of_the_copy_imports_and_a_name_not_needed_refuses_to_be_used(copies, name, index, group,
                                                                                    spec):
    outcome = in_the_copy(copies[(name, index)], """
import importlib, json, pkgutil, lecture_utils
names = [i.name for i in pkgutil.walk_packages(lecture_utils.__path__, "lecture_utils.")]
for module in names:
    importlib.import_module(module)
from lecture_utils import plots
from lecture_utils.plots import some_fits
try:
    some_fits()
    refused = ""
except RuntimeError as error:
    refused = str(error)
print(json.dumps([names, refused]))
""")
    names, refused = outcome
    assert "lecture_utils.plots.linear_regression" in names and "lecture_utils.grading.in_kernel" in names
    assert refused == NOT_NEEDED.format(name="lecture_utils.plots.some_fits")


@pytest.mark.parametrize("name, index, group, spec", GROUPS, ids=GROUP_IDS)
def test_no_picture_code_in_any_copy(copies, name, index, group, spec):
    """plots/ and widgets/ hold no function or class in any copy: grading draws nothing."""
    folder = copies[(name, index)] / "lecture_utils"
    for path in [*folder.joinpath("plots").rglob("*.py"), *folder.joinpath("widgets").rglob("*.py")]:
        assert _functions(path) == [], path


def test_the_copy_has_stand_ins_for_the_checks_and_no_grader(copies):
    package = copies[("01_linear_regression", 0)]
    folder = package / "lecture_utils"
    assert sorted(p.name for p in (folder / "checks").iterdir()) == ["__init__.py"]
    assert sorted(p.name for p in (folder / "grading").iterdir()) == ["__init__.py", "in_kernel.py", "unavailable.py"]
    assert not list(folder.rglob("__pycache__")) and not list(folder.rglob("*.pyc"))
    stand_ins = (folder / "checks" / "__init__.py").read_text()
    assert "reference" not in stand_ins and "Exercise" not in stand_ins
    printed = in_the_copy(package, """
import contextlib, io, json
from lecture_utils.checks import check_predict
out = io.StringIO()
with contextlib.redirect_stdout(out):
    check_predict(lambda x, k, m: None)
print(json.dumps(out.getvalue()))
""")
    assert printed == "check_predict: checked by the grader\n"


def test_a_standard_library_module_off_limits_cannot_be_imported(copies):
    """graphlib sorts a graph topologically: off limits for notebook 07's topological_sort."""
    outcome = in_the_copy(copies[("07_computational_graph", 0)], """
import json
try:
    import graphlib
    print(json.dumps("imported"))
except ImportError as error:
    print(json.dumps(str(error)))
""")
    assert outcome == OFF_LIMITS_MESSAGE.format(name="graphlib")


def test_an_unknown_entry_is_refused(tmp_path):
    with pytest.raises(ValueError, match="has no function no_such_function"):
        build_package(tmp_path, {"lecture_utils.lessons.linear_regression.no_such_function"})


def test_exercises_that_ban_what_another_uses_get_their_own_kernel(monkeypatch):
    exercise = lambda name: GradedExercise(f"check_{name}", f"check_{name}", name, 1.0, None)  # noqa: E731
    marks = {"check_a": ((), ("x.uses",)), "check_b": (("y.banned",), ()), "check_c": (("x.uses",), ())}
    for name, (banned, used) in marks.items():
        monkeypatch.setattr(checks, name, type("Check", (), {"off_limits": banned, "uses": used})(), raising=False)
    groups = kernel_groups([exercise("a"), exercise("b"), exercise("c")])
    assert [[e.function for e in group] for group, _ in groups] == [["a", "b"], ["c"]]
    assert [sorted(spec_parts(spec)[1]) for _, spec in groups] == [["y.banned"], ["x.uses"]]
    assert all(spec_parts(spec)[0] == {"x.uses"} for _, spec in groups)  # what is used is allowed


def _resolved(entry):
    """The object a dotted path names in the full package (module, then attributes), or None."""
    parts = entry.split(".")
    for end in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for part in parts[end:]:
            target = getattr(target, part, None)
        return target
    return None


def _functions(path):
    """The names of the functions and classes defined in a module's source (stand-ins are assignments)."""
    return [node.name for node in ast.parse(Path(path).read_text()).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
