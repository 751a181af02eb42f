"""Each fact has one home in the package: no public name defined twice, no module reaching into another's
privates, no two modules importing each other, one list of ops (ops.OPS).

Read from the source (the syntax tree of every module), so it needs no extra installed and sees imports made
inside functions too.
"""

import ast
from collections import defaultdict
from functools import cache

from paths import ROOT

PACKAGE = ROOT / "lecture_utils"
# Names every module of a kind defines for itself, as it defines __all__:
EACH_ITS_OWN = {
    "ALLOWED_WHILE_GRADING",  # a check module: what its notebook's cells may use while grading (sandbox_package)
    "main",                   # a command: what `python -m lecture_utils.<module>` runs
}


@cache
def modules():
    """{dotted module name: its syntax tree} for every module of the package."""
    trees = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        trees[name] = (ast.parse(path.read_text(), str(path)), path.name == "__init__.py")
    return trees


def bound_names(target):
    """The names an assignment's target binds: `A`, `A, B = …`, `A, *rest = …` (not `a[i] = …` or `a.b = …`)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return bound_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in bound_names(element)]
    return []


def defined_names(tree):
    """The public names a module's own top-level code defines: its functions, classes and assigned names."""
    names = set()
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(bound for target in targets for bound in bound_names(target))
    return {name for name in names if not name.startswith("_")}


def imported_module(module_name, is_package, node):
    """The absolute module an ImportFrom names ('lecture_utils.backprop' for `from .backprop import …`)."""
    if node.level == 0:
        return node.module or ""
    base = module_name.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def is_private(name):
    return name.startswith("_") and not name.startswith("__")


def private_imports(module_name, is_package, tree, known):
    """A module's uses of another module's private names (anywhere in it): 'from lecture_utils.x import _y'
    and 'from lecture_utils import x' … 'x._y'; [(line, the other module, name)]."""
    found, modules_named = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = imported_module(module_name, is_package, node)
            if source.split(".")[0] != "lecture_utils":
                continue
            for alias in node.names:
                if is_private(alias.name):
                    found.append((node.lineno, source, alias.name))
                elif f"{source}.{alias.name}" in known:
                    modules_named[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            modules_named.update({alias.asname: alias.name for alias in node.names
                                  if alias.asname and alias.name in known})
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules_named
                and is_private(node.attr)):
            found.append((node.lineno, modules_named[node.value.id], node.attr))
    return found


def imports_of(module_name, is_package, tree, known):
    """The package's modules a module imports from (anywhere in it: an import inside a function counts too)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = imported_module(module_name, is_package, node)
            found.update(f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                         for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return (found & set(known)) - {module_name}


def test_no_two_modules_import_each_other():
    """No import circle, not even one broken by an import inside a function: a shared thing lives below both."""
    trees = modules()
    graph = {name: imports_of(name, is_package, tree, trees) for name, (tree, is_package) in trees.items()}
    state, circles = {}, []

    def visit(name, path):
        state[name] = "open"
        for imported in sorted(graph[name]):
            if state.get(imported) == "open":
                circles.append(" -> ".join(path[path.index(imported):] + [imported]))
            elif imported not in state:
                visit(imported, path + [imported])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not circles, "\n".join(circles)


def test_no_two_modules_define_the_same_public_name():
    """Re-exports (a name imported from its home) don't count: only functions, classes and names assigned."""
    homes = defaultdict(list)
    for name, (tree, _) in modules().items():
        for defined in defined_names(tree):
            homes[defined].append(name)
    twice = {name: places for name, places in homes.items() if len(places) > 1 and name not in EACH_ITS_OWN}
    assert not twice, "defined in more than one module: " + "; ".join(
        f"{name} in {', '.join(places)}" for name, places in sorted(twice.items()))


def test_no_module_imports_another_modules_private_names():
    """What two modules share is public in its home; a leading underscore means 'this module only'."""
    trees = modules()
    found = [f"{name}:{line} uses {source}.{private}"
             for name, (tree, is_package) in trees.items()
             for line, source, private in private_imports(name, is_package, tree, trees)]
    assert not found, "\n".join(found)


def test_the_table_of_ops_names_every_op_the_core_defines_and_the_package_exports():
    """ops.OPS is the op list: the core's op functions (capitalised functions) and the package's are its entries."""
    import inspect

    import lecture_utils
    from lecture_utils import autograd
    from lecture_utils.ops import OPS

    def op_functions(module, names):
        return {name for name in names if name[0].isupper() and inspect.isfunction(getattr(module, name))}

    assert op_functions(autograd, vars(autograd)) == set(OPS)
    assert op_functions(lecture_utils, lecture_utils.__all__) == set(OPS)
    assert all(getattr(lecture_utils, name) is getattr(autograd, name) is op.forward for name, op in OPS.items())
