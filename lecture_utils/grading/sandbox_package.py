"""The copy of the package a learner's kernel imports while grading: no solutions in it.

    build_package(folder, off_limits={"lecture_utils.linear_model.predict_line", ...})

makes folder/lecture_utils from the grader's own installed package, except that

* every function named in `off_limits` (a dotted path: module, then the function's
  qualified name, e.g. "lecture_utils.autograd.Tensor.backward") keeps its name and
  docstring but its body is gone: calling it raises a RuntimeError that says it is not
  available while grading, so an exercise that relies on it scores 0;
* `checks` holds only stand-ins for the check functions and the exercise summary (the
  notebooks import them; while grading, the grader runs the real checks in its own
  process), so no reference solution and no expected value is in the sandbox;
* `grading` holds only what runs inside the kernel (in_kernel.py);
* there are no compiled files (__pycache__) that would still hold the removed code.

Each check lists what it puts off limits beside its definition (checks/*.py,
`@grading(off_limits=...)`); grade_one.py gathers them per notebook.
"""

import ast
import importlib
import shutil
from pathlib import Path

import lecture_utils
from lecture_utils import checks

__all__ = ["build_package", "OFF_LIMITS_MESSAGE"]

OFF_LIMITS_MESSAGE = "{name} is not available while grading: this exercise asks you to write it yourself."
KERNEL_SIDE = ("__init__.py", "in_kernel.py")  # what of grading/ the kernel needs


def build_package(folder, off_limits=()):
    """Write the package copy into folder/lecture_utils; return folder. See the module's docstring."""
    folder = Path(folder)
    source = Path(lecture_utils.__file__).resolve().parent
    target = folder / "lecture_utils"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo"))
    _replace_checks(target / "checks")
    _keep_only_kernel_side(target / "grading")
    for module, names in _by_module(off_limits).items():
        path = target.joinpath(*module.split(".")[1:])
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        path.write_text(_without_bodies(path.read_text(), module, names))
    return folder


def _by_module(off_limits):
    """{module: {qualified name}} for dotted paths such as lecture_utils.autograd.Tensor.backward."""
    grouped = {}
    for path in off_limits:
        module, qualname = _split(path)
        grouped.setdefault(module, set()).add(qualname)
    return grouped


def _split(path):
    """The longest importable module prefix of `path`, and the rest (the qualified name)."""
    parts = path.split(".")
    for end in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:end])
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        return module, ".".join(parts[end:])
    raise ValueError(f"{path}: no such module")


class _BodyRemover(ast.NodeTransformer):
    """Replace the bodies of the named functions (qualified names, "<locals>" for nested ones)."""

    def __init__(self, module, names):
        self.module, self.names, self.found, self.scope = module, set(names), set(), []

    def _function(self, node):
        qualname = ".".join([*self.scope, node.name])
        self.scope += [node.name, "<locals>"]
        self.generic_visit(node)
        self.scope = self.scope[:-2]
        if qualname not in self.names:
            return node
        self.found.add(qualname)
        message = OFF_LIMITS_MESSAGE.format(name=f"{self.module}.{qualname}")
        docstring = ast.get_docstring(node, clean=False)
        body = [ast.Expr(ast.Constant(docstring))] if docstring else []
        body.append(ast.Raise(ast.Call(ast.Name("RuntimeError", ast.Load()), [ast.Constant(message)], []), None))
        node.body = body
        node.args = ast.arguments(posonlyargs=[], args=[], vararg=ast.arg("args"), kwonlyargs=[],
                                  kw_defaults=[], kwarg=ast.arg("kwargs"), defaults=[])
        node.returns = None
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()
        return node


def _without_bodies(source, module, names):
    tree = ast.parse(source)
    remover = _BodyRemover(module, names)
    tree = ast.fix_missing_locations(remover.visit(tree))
    missing = set(names) - remover.found
    if missing:
        raise ValueError(f"{module} has no function {', '.join(sorted(missing))} to put off limits")
    return f'"""{module}, as a learner\'s kernel sees it while grading."""\n' + ast.unparse(tree) + "\n"


def _replace_checks(folder):
    """checks/ with only stand-ins for the check functions and the exercise summary the notebooks call."""
    shutil.rmtree(folder)
    folder.mkdir()
    names = [*check_names(), "exercise_summary"]
    lines = ['"""Stand-ins for the checks: while grading, the grader runs every check in its own process."""',
             "", f"__all__ = {names!r}", ""]
    for name in names:
        lines += [f"def {name}(*args, **kwargs):",
                  f"    print({name + ': checked by the grader'!r})", ""]
    (folder / "__init__.py").write_text("\n".join(lines))


def check_names():
    """The names of all check functions (what a notebook imports from lecture_utils.checks)."""
    return sorted(name for name in dir(checks) if name.startswith("check_") and callable(getattr(checks, name)))


def _keep_only_kernel_side(folder):
    for path in folder.iterdir():
        if path.name not in KERNEL_SIDE:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
