"""The copy of the package a learner's kernel imports while grading: only what its notebook's cells need.

    spec = package_spec(allowed={"lecture_utils.autograd.Tensor", ...},
                        off_limits={"lecture_utils.autograd.Tensor.backward", "graphlib"})
    build_package(folder, spec)          # -> folder/lecture_utils, as the kernel imports it

An allow-list: the copy holds the code of the names in `allowed` (dotted paths: module, then name)
and of whatever that code uses, found by following the names it refers to through the package's
modules — and nothing else. Every other name of the package is still there, so that a notebook's
imports work as in JupyterLab, but as a stand-in that refuses to be used
(grading/unavailable.py): no private helper, no teaching function that computes an answer, no
table of ops' rules is in the copy unless the allowed code needs it. Each notebook declares what
its cells may use beside its checks (`ALLOWED_WHILE_GRADING` in lecture_utils/checks/*.py).

Inside the kept code, the functions in `off_limits` (an exercise's answer, e.g. Tensor.backward
while notebook 09's `backward` is graded; "<locals>" names an op's nested backward rule) keep
their name and docstring, but their body only raises; what only they used is then not kept.
An entry without the package's prefix names a module of Python's standard library
("graphlib"): the copy shadows it with a module that cannot be imported (the sandbox also
hides the original file).

Also: `checks` holds only stand-ins for the check functions and the exercise summary (the grader runs the real checks in
its own process); `grading` only what runs in the kernel (in_kernel.py, unavailable.py); no
compiled files (__pycache__) that could still hold removed code.
"""

import ast
import shutil
from pathlib import Path

import lecture_utils
from lecture_utils import checks

from .unavailable import OFF_LIMITS

__all__ = ["build_package", "package_spec", "spec_parts", "check_names", "OFF_LIMITS_MESSAGE"]

OFF_LIMITS_MESSAGE = OFF_LIMITS
_PACKAGE = lecture_utils.__name__  # the name the copy is imported by
KERNEL_SIDE = ("__init__.py", "in_kernel.py", "unavailable.py")  # what of grading/ the kernel needs
KEPT = "+"  # marks an allowed name in a spec
_ALWAYS = ("lecture_utils.grading.in_kernel.call",)  # how the grader reaches the learner's functions


def package_spec(allowed=(), off_limits=()):
    """What one package copy holds, as one hashable value (a frozenset of strings) that JSON can carry."""
    return frozenset({KEPT + name for name in allowed} | set(off_limits))


def spec_parts(spec):
    """(allowed, off_limits) of a package_spec."""
    allowed = {entry[len(KEPT):] for entry in spec if entry.startswith(KEPT)}
    return allowed, {entry for entry in spec if not entry.startswith(KEPT)}


def build_package(folder, spec=frozenset()):
    """Write the package copy into folder/lecture_utils; return folder. See the module's docstring."""
    folder = Path(folder)
    allowed, off_limits = spec_parts(spec)
    source = Path(lecture_utils.__file__).resolve().parent
    target = folder / _PACKAGE
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo"))
    _replace_checks(target / "checks")
    _keep_only_kernel_side(target / "grading")
    package = _Package(target)
    package.remove_bodies({entry for entry in off_limits if entry.startswith(_PACKAGE + ".")})
    package.keep([*allowed, *_ALWAYS])
    package.write(off_limits)
    for module in sorted(entry for entry in off_limits if not entry.startswith(_PACKAGE + ".")):
        (folder / f"{module}.py").write_text(_shadow(module))
    return folder


def _shadow(module):
    message = OFF_LIMITS.format(name=module)
    return f'"""{module}, as a learner\'s kernel sees it while grading."""\n\nraise ModuleNotFoundError({message!r})\n'


# --- the package's modules, what they bind, and what refers to what -----------------------------------

class _Module:
    """One module file of the copy: its top-level bindings and imports.

    defs: {name: [statements that bind it]}  (def, class, assignment)
    imports: {name: (module, attribute)}     attribute None: the name is a module; module None: outside the package
    stars: [modules] of `from x import *`
    """

    def __init__(self, name, path, is_package):
        self.name, self.path, self.is_package = name, path, is_package
        self.tree = ast.parse(path.read_text())
        self.defs, self.imports, self.stars = {}, {}, []
        for statement in self.tree.body:
            for bound in _bound_names(statement):
                self.defs.setdefault(bound, []).append(statement)
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                self._add_import(statement)

    def _add_import(self, statement):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    self.imports[alias.asname] = self._target(alias.name, None)
                else:
                    top = alias.name.split(".")[0]
                    self.imports[top] = self._target(top, None)
            return
        base = self._absolute(statement.module, statement.level)
        for alias in statement.names:
            if alias.name == "*":
                self.stars.append(base)
            else:
                self.imports[alias.asname or alias.name] = self._target(base, alias.name)

    def _absolute(self, module, level):
        if not level:
            return module
        parts = self.name.split(".")
        parts = parts if self.is_package else parts[:-1]
        parts = parts[:len(parts) - level + 1]
        return ".".join(parts + ([module] if module else []))

    @staticmethod
    def _target(module, attribute):
        if module != _PACKAGE and not module.startswith(_PACKAGE + "."):
            return None, None
        return module, attribute


def _bound_names(statement):
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        return [name for target in statement.targets for name in _target_names(target)]
    if isinstance(statement, ast.AnnAssign):
        return _target_names(statement.target)
    return []


def _target_names(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for item in target.elts for name in _target_names(item)]
    return []


class _Package:
    """Every module of the copy; which of their names are kept; and writing them back."""

    def __init__(self, root):
        self.root = root
        self.modules = {}
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root.parent).with_suffix("")
            is_package = path.name == "__init__.py"
            name = ".".join(relative.parts[:-1] if is_package else relative.parts)
            self.modules[name] = _Module(name, path, is_package)
        self.kept = {name: set() for name in self.modules}

    def remove_bodies(self, off_limits):
        """Replace the bodies of the off-limits functions (before anything is kept: what only they used goes)."""
        by_module = {}
        for entry in off_limits:
            module, qualname = self._split(entry)
            by_module.setdefault(module, set()).add(qualname)
        for module, names in by_module.items():
            record = self.modules[module]
            remover = _BodyRemover(module, names)
            record.tree = ast.fix_missing_locations(remover.visit(record.tree))
            missing = names - remover.found - set(record.defs)
            if missing:
                raise ValueError(f"{module} has no function {', '.join(sorted(missing))} to put off limits")
            record.defs = {}
            for statement in record.tree.body:
                for bound in _bound_names(statement):
                    record.defs.setdefault(bound, []).append(statement)

    def _split(self, path):
        """The longest module prefix of a dotted path, and the rest."""
        parts = path.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module in self.modules:
                return module, ".".join(parts[end:])
        raise ValueError(f"{path}: no such module")

    def keep(self, names):
        """Keep these dotted names and, following every name their code refers to, what they need."""
        todo = []
        for path in names:
            module, name = self._split(path)
            todo.append((module, name.split(".")[0]))
        while todo:
            module, name = todo.pop()
            record = self.modules.get(module)
            if record is None:
                continue
            if name is None:  # the whole module is used as a value
                todo += [(module, bound) for bound in record.defs if bound not in self.kept[module]]
                continue
            if name in self.kept[module]:
                continue
            if name not in record.defs and name not in record.imports:
                submodule = f"{module}.{name}"
                if submodule in self.modules:  # a package's submodule, reached as an attribute
                    self.kept[module].add(name)
                    continue
                found = [star for star in record.stars if name in self._public(star)]
                self.kept[module].add(name)
                todo += [(star, name) for star in found]
                continue
            self.kept[module].add(name)
            if name in record.imports:
                todo.append(self._resolve(record.imports[name]))
            for statement in record.defs.get(name, []):
                todo += self._references(record, statement)

    def _public(self, module):
        record = self.modules.get(module)
        if record is None:
            return set()
        for statement in record.defs.get("__all__", []):
            try:
                return set(ast.literal_eval(statement.value))
            except ValueError:
                pass
        return {name for name in record.defs if not name.startswith("_")}

    def _resolve(self, target):
        """(module, name) a package import refers to; name None for a whole module."""
        module, attribute = target
        if module is None:
            return None, None
        if attribute is None:
            return module, None
        if f"{module}.{attribute}" in self.modules:
            return f"{module}.{attribute}", None
        return module, attribute

    def _references(self, record, statement):
        """(module, name) pairs that a statement's code refers to, within the package."""
        found = []
        module_aliases = {name: self._resolve(target)[0] for name, target in record.imports.items()
                          if target[0] is not None and self._resolve(target)[1] is None}
        attribute_bases = set()
        for node in ast.walk(statement):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in module_aliases:
                found.append((module_aliases[node.value.id], node.attr))
                attribute_bases.add(id(node.value))
            elif isinstance(node, ast.ImportFrom):  # an import inside a function
                base = record._absolute(node.module, node.level)
                if base and (base == _PACKAGE or base.startswith(_PACKAGE + ".")):
                    found += [self._resolve((base, alias.name)) for alias in node.names if alias.name != "*"]
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and id(node) not in attribute_bases:
                if node.id in record.defs or node.id in record.imports or record.stars:
                    found.append((record.name, node.id))
        return [(module, name) for module, name in found if module is not None]

    def write(self, off_limits):
        """Write every module back: kept code as it is, everything else as a stand-in."""
        for name, record in self.modules.items():
            kept = self.kept[name]
            if name.startswith(f"{_PACKAGE}.grading") and name != f"{_PACKAGE}.grading.in_kernel":
                continue  # unavailable.py and the package's __init__: whole, and they compute nothing
            if name.startswith(f"{_PACKAGE}.checks"):
                continue  # already the stand-ins
            record.path.write_text(_written(record, kept, off_limits))


def _written(record, kept, off_limits):
    """The source of one module of the copy."""
    header = f'"""{record.name}, as a learner\'s kernel sees it while grading."""\n\n'
    stand_ins = "from lecture_utils.grading.unavailable import OFF_LIMITS as _OFF_LIMITS\n" \
                "from lecture_utils.grading.unavailable import Unavailable as _Unavailable\n" \
                "from lecture_utils.grading.unavailable import module_getattr as _module_getattr\n" \
                "from lecture_utils.grading.unavailable import unavailable_function as _unavailable_function\n"
    banned = sorted(entry.rsplit(".", 1)[1] for entry in off_limits if entry.rsplit(".", 1)[0] == record.name)
    getattr_line = f"__getattr__ = _module_getattr({record.name!r}, {banned!r})"
    if not kept and not record.is_package:
        return header + stand_ins + getattr_line + "\n"
    lines = []
    referenced = set()
    for statement in record.tree.body:
        names = _bound_names(statement)
        if names and any(name in kept for name in names):
            referenced |= {node.id for node in ast.walk(statement) if isinstance(node, ast.Name)}
    for statement in record.tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            bound = [alias.asname or alias.name.split(".")[0] for alias in statement.names]
            if record.is_package or "*" in bound or any(name in referenced or name in kept for name in bound):
                lines.append(ast.unparse(statement))
            continue
        names = _bound_names(statement)
        if not names:
            continue  # the docstring: written by the header
        if all(_dunder(name) for name in names) or any(name in kept for name in names):
            lines.append(ast.unparse(statement))
            continue
        for name in names:
            lines.append(_stand_in(record.name, name, statement, off_limits))
    if record.is_package:  # a name its submodules' star imports no longer bring
        lines.append(getattr_line)
    return header + stand_ins + "\n".join(lines) + "\n"


def _dunder(name):
    return name.startswith("__") and name.endswith("__")


def _stand_in(module, name, statement, off_limits):
    """The line that binds `name` to a stand-in (a function keeps its name and docstring)."""
    path = f"{module}.{name}"
    why = ", _OFF_LIMITS" if path in off_limits else ""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        doc = ast.get_docstring(statement, clean=False)
        return f"{name} = _unavailable_function({path!r}{why}, doc={doc!r})"
    return f"{name} = _Unavailable({path!r}{why})"


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
        message = OFF_LIMITS.format(name=f"{self.module}.{qualname}")
        docstring = ast.get_docstring(node, clean=False)
        body = [ast.Expr(ast.Constant(docstring))] if docstring else []
        body.append(ast.Raise(ast.Call(ast.Name("RuntimeError", ast.Load()), [ast.Constant(message)], []), None))
        node.body = body
        node.args = ast.arguments(posonlyargs=[], args=[], vararg=ast.arg("args"), kwonlyargs=[],
                                  kw_defaults=[], kwarg=ast.arg("kwargs"), defaults=[])
        node.returns = None
        node.decorator_list = [d for d in node.decorator_list if isinstance(d, ast.Name) and d.id in
                               ("staticmethod", "classmethod", "property")]
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()
        return node


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

