"""plots, widgets and checks gather one module per notebook into one namespace: no name may clash."""

import importlib
import pkgutil

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


# Everything below plots and widgets: the computations, the checks and the core.
CORE = ["autograd", "ops", "nn", "activations", "gradcheck", "graph", "data", "linear_model", "descent", "diagnostics",
        "regions", "local_gradients", "gradient_shapes", "playground", "seed", "timing", "notation", "plain", "checks",
        "repository"]


def test_the_core_is_every_module_below_plots_and_widgets():
    modules = {info.name for info in pkgutil.iter_modules(lecture_utils.__path__)}
    # grading: instructors' tooling; edition and workspace: the course's files for learners (stdlib only);
    # site: the course's website, built from the learner edition
    assert modules - {"plots", "widgets", "grading", "edition", "workspace", "site"} == set(CORE)


def test_the_core_imports_neither_matplotlib_nor_ipywidgets():
    """Each core module, imported in turn in a fresh interpreter, loads neither (nor do their imports)."""
    import subprocess
    import sys

    code = ("import importlib, sys\n"
            f"for name in {CORE!r}:\n"
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
