"""The package copy a learner's kernel imports while grading: every solution in the off-limits lists is gone.

Each check lists beside itself the package functions that compute its exercise's answer
(@grading(off_limits=...)). In the copy made for that exercise, each of them must still
exist and be callable, but calling it must fail with a clear message, and its code must
be gone from the file; the checks must be stand-ins and the grader's own modules absent.
"""

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lecture_utils import checks
from lecture_utils.grading.course import Exercise
from lecture_utils.grading.grade_one import kernel_groups
from lecture_utils.grading.sandbox_package import OFF_LIMITS_MESSAGE, build_package, check_names

ENTRIES = sorted({(name, entry) for name in check_names() for entry in getattr(checks, name).off_limits})


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """One copy with every check's off-limits entries removed."""
    return build_package(tmp_path_factory.mktemp("sandbox"), {entry for _, entry in ENTRIES})


def in_the_copy(package, code):
    """Run code with the copy first on the path (as the sandbox does); return what it prints, as JSON."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=package,
                            env={"PYTHONPATH": str(package), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg",
                                 "PYTHONDONTWRITEBYTECODE": "1"})
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_check_declares_what_it_puts_off_limits():
    assert len(check_names()) >= 21
    for name in check_names():
        check = getattr(checks, name)
        assert isinstance(check.off_limits, tuple) and isinstance(check.uses, tuple) and check.time_factor >= 1
        assert all(entry.startswith("lecture_utils.") for entry in check.off_limits + check.uses), name


CALL_EACH = """
import importlib, json
results = {}
for entry in ENTRIES:
    if "<locals>" in entry:
        continue
    parts = entry.split(".")
    for end in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        break
    for part in parts[end:]:
        target = getattr(target, part)
    try:
        target(None, None)
        results[entry] = "returned"
    except RuntimeError as error:
        results[entry] = str(error)
    except Exception as error:
        results[entry] = type(error).__name__
print(json.dumps(results))
"""


def test_calling_any_off_limits_function_fails_with_a_clear_message(package):
    entries = sorted({entry for _, entry in ENTRIES})
    results = in_the_copy(package, f"ENTRIES = {entries!r}\n" + CALL_EACH)
    assert results  # the ones reachable by name
    for entry, outcome in results.items():
        assert outcome == OFF_LIMITS_MESSAGE.format(name=entry), entry


@pytest.fixture(scope="module")
def package_of(tmp_path_factory):
    """The copy made for one check: {check name: folder}, built on first use."""
    built = {}

    def build(name):
        if name not in built:
            built[name] = build_package(tmp_path_factory.mktemp(name), getattr(checks, name).off_limits)
        return built[name]

    return build


@pytest.mark.parametrize("check, entry", ENTRIES, ids=[f"{c}:{e.removeprefix('lecture_utils.')}" for c, e in ENTRIES])
def test_each_entry_keeps_only_its_name_docstring_and_a_raise(package_of, check, entry):
    package = package_of(check)
    module, qualname = _module_and_qualname(entry)
    original = _function(Path(importlib.import_module(module).__file__).read_text(), qualname)
    copied = _function(_copied_file(package, module).read_text(), qualname)
    assert original is not None, f"{entry} does not exist in the package"
    body = copied.body[1:] if ast.get_docstring(copied) else copied.body
    assert len(body) == 1 and isinstance(body[0], ast.Raise), entry
    assert ast.get_docstring(copied) == ast.get_docstring(original)
    assert OFF_LIMITS_MESSAGE.format(name=entry) in ast.unparse(body[0])


def test_the_backward_rules_are_gone_too(package_of):
    """Nested rules (an op's backward) cannot be called by name: call them as the core would."""
    outcome = in_the_copy(package_of("check_mul_backward"), """
import json, numpy as np
from lecture_utils.autograd import Tensor, Mul, ReLU
out = ReLU(Mul(Tensor(np.ones((2, 2)), requires_grad=True), Tensor(np.ones((2, 1)))))
results = []
for attempt in (lambda: out._backward(np.ones((2, 1))), lambda: out.parents[0]._backward(np.ones((2, 1)))):
    try:
        attempt()
        results.append("ran")
    except RuntimeError as error:
        results.append(str(error))
print(json.dumps(results))
""")
    assert outcome == [OFF_LIMITS_MESSAGE.format(name="lecture_utils.autograd.ReLU.<locals>.backward"),
                       OFF_LIMITS_MESSAGE.format(name="lecture_utils.autograd.Mul.<locals>.backward")]


def test_every_module_of_the_copy_imports(package):
    modules = in_the_copy(package, """
import importlib, json, pkgutil, lecture_utils
names = [i.name for i in pkgutil.walk_packages(lecture_utils.__path__, "lecture_utils.")]
for name in names:
    importlib.import_module(name)
print(json.dumps(names))
""")
    assert "lecture_utils.plots.line" in modules and "lecture_utils.grading.in_kernel" in modules


def test_the_copy_has_stand_ins_for_the_checks_and_no_grader(package):
    folder = package / "lecture_utils"
    assert sorted(p.name for p in (folder / "checks").iterdir()) == ["__init__.py"]
    assert sorted(p.name for p in (folder / "grading").iterdir()) == ["__init__.py", "in_kernel.py"]
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


def test_an_unknown_entry_is_refused(tmp_path):
    with pytest.raises(ValueError, match="has no function no_such_function"):
        build_package(tmp_path, {"lecture_utils.linear_model.no_such_function"})


def test_exercises_that_ban_what_another_uses_get_their_own_kernel(monkeypatch):
    exercise = lambda name: Exercise(f"check_{name}", f"check_{name}", name, 1.0, None)  # noqa: E731
    marks = {"check_a": ((), ("x.uses",)), "check_b": (("y.banned",), ()), "check_c": (("x.uses",), ())}
    for name, (banned, used) in marks.items():
        monkeypatch.setattr(checks, name, type("Check", (), {"off_limits": banned, "uses": used})(), raising=False)
    groups = kernel_groups([exercise("a"), exercise("b"), exercise("c")])
    assert [[e.function for e in group] for group, _ in groups] == [["a", "b"], ["c"]]
    assert [sorted(off) for _, off in groups] == [["y.banned"], ["x.uses"]]


def _module_and_qualname(entry):
    parts = entry.split(".")
    for end in range(len(parts) - 1, 0, -1):
        try:
            importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        return ".".join(parts[:end]), ".".join(parts[end:])
    raise AssertionError(entry)


def _copied_file(package, module):
    path = package.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _function(source, qualname):
    """The FunctionDef at `qualname` ("Class.method", "outer.<locals>.inner") in source, or None."""
    nodes = ast.parse(source).body
    node = None
    for part in [p for p in qualname.split(".") if p != "<locals>"]:
        node = next((n for n in nodes if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == part), None)
        if node is None:
            return None
        nodes = node.body
    return node
