"""The package's layout: plots, widgets and checks gather one module per notebook into one namespace (no name may
clash); the core at the top, one package per layer, each importing only the layers below it."""

import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import lecture_utils


@pytest.mark.parametrize("package", ["plots", "widgets", "checks"])
def test_no_two_modules_export_the_same_name(package):
    owners = {}
    module = importlib.import_module(f"lecture_utils.{package}")
    for info in pkgutil.iter_modules(module.__path__):
        submodule = importlib.import_module(f"lecture_utils.{package}.{info.name}")
        for name in getattr(submodule, "__all__", []):
            assert name not in owners, f"{package}.{name} is exported by both {owners.get(name)} and {info.name}"
            owners[name] = info.name
            assert getattr(module, name) is getattr(submodule, name)


# The core: the modules at the top of the package, which import nothing else of it.
CORE = ["autograd", "ops", "nn", "activations", "gradcheck", "graph", "data", "notation", "seed", "plain"]
# The sub-packages, each a layer, and the layers each may import (besides itself). A lesson may import the
# lessons of earlier notebooks only (LESSON_ORDER); the face (__init__.py) hands on names of the core.
MAY_IMPORT = {
    "core": set(),
    "lessons": {"core"},
    "plots": {"core", "lessons"},
    "widgets": {"core", "lessons", "plots"},
    "checks": {"core", "lessons"},
    "edition": set(),
    "grading": {"core", "lessons", "plots", "checks", "edition"},
    "site": {"core", "lessons", "plots", "widgets", "checks", "edition"},  # the course's website, from the edition
}
LESSON_ORDER = ["neuron", "linear_regression", "predictors", "matrix_form", "projections", "nonlinearity",
                "playground", "descent", "graph", "backprop", "training"]


def test_the_top_level_is_the_core_and_one_package_per_layer():
    found = {info.name: info.ispkg for info in pkgutil.iter_modules(lecture_utils.__path__)}
    assert {name for name, package in found.items() if not package} == set(CORE)
    assert {name for name, package in found.items() if package} == set(MAY_IMPORT) - {"core"}


def test_the_lessons_are_named_as_their_notebooks_siblings():
    lessons = {info.name for info in pkgutil.iter_modules(importlib.import_module("lecture_utils.lessons").__path__)}
    named = {info.name for package in ("plots", "widgets", "checks")
             for info in pkgutil.iter_modules(importlib.import_module(f"lecture_utils.{package}").__path__)}
    assert lessons <= named & set(LESSON_ORDER)


def _layer(module):
    """'lecture_utils.lessons.descent' -> 'lessons'; 'lecture_utils.autograd' -> 'core'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in MAY_IMPORT else "core"


def _imports(path):
    """Every module of the package that the file at `path` imports, anywhere in it (functions too)."""
    import ast

    root = Path(lecture_utils.__file__).parent
    parts = ("lecture_utils", *path.relative_to(root).with_suffix("").parts)
    package = parts[:-1]  # the package a relative import starts from
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            # `from .. import descent` imports a module by name
            found |= {f"{module}.{alias.name}" for alias in node.names
                      if importlib.util.find_spec(module) and _is_module(f"{module}.{alias.name}")}
    return {name for name in found if name.split(".")[0] == "lecture_utils" and name != "lecture_utils"}


def _is_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _package_files():
    root = Path(lecture_utils.__file__).parent
    for path in sorted(root.rglob("*.py")):
        parts = ("lecture_utils", *path.relative_to(root).with_suffix("").parts)
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def test_each_layer_imports_only_the_layers_below_it():
    """The core imports nothing of the package above it; lessons only the core (and earlier lessons); plots,
    widgets and checks the lessons and the core; edition nothing else; grading sits on top."""
    wrong = []
    for module, path in _package_files():
        if module == "lecture_utils":
            allowed = {"core"}
        else:
            allowed = MAY_IMPORT[_layer(module)] | {_layer(module)}
        wrong += [f"{module} imports {name}" for name in sorted(_imports(path)) if _layer(name) not in allowed]
    assert wrong == []


def test_a_lesson_imports_only_the_lessons_of_earlier_notebooks():
    wrong = []
    for module, path in _package_files():
        if _layer(module) != "lessons" or module == "lecture_utils.lessons":
            continue
        for name in _imports(path):
            if _layer(name) == "lessons" and name != "lecture_utils.lessons":
                used, own = name.split(".")[2], module.split(".")[2]
                if LESSON_ORDER.index(used) >= LESSON_ORDER.index(own):
                    wrong.append(f"{module} imports {name}")
    assert wrong == []


def test_the_core_and_the_lessons_import_neither_matplotlib_nor_ipywidgets():
    """Each core module and lesson, imported in turn in a fresh interpreter, loads neither (nor do their imports)."""
    import subprocess
    import sys

    lessons = [f"lessons.{info.name}"
               for info in pkgutil.iter_modules(importlib.import_module("lecture_utils.lessons").__path__)]
    code = ("import importlib, sys\n"
            f"for name in {CORE + lessons!r}:\n"
            "    importlib.import_module('lecture_utils.' + name)\n"
            "    loaded = sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules)\n"
            "    if loaded:\n"
            "        print(name, 'loads', ', '.join(loaded))\n"
            "        break\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_the_readme_lists_every_module_of_the_package():
    """The README's package list names each top-level module and subpackage, and nothing that is gone."""
    from paths import ROOT

    block = (ROOT / "README.md").read_text().split("\nlecture_utils/\n", 1)[1].split("```", 1)[0]
    listed = {line.split()[0].rstrip("/").removesuffix(".py") for line in block.splitlines()
              if line.startswith("  ") and not line.startswith("   ")}
    modules = {info.name for info in pkgutil.iter_modules(lecture_utils.__path__)}
    assert listed == modules
