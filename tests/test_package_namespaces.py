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


def test_the_core_imports_neither_matplotlib_nor_ipywidgets():
    import subprocess
    import sys

    code = ("import sys, lecture_utils, lecture_utils.autograd, lecture_utils.nn, lecture_utils.gradcheck, "
            "lecture_utils.data, lecture_utils.diagnostics; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert lecture_utils.__name__ == "lecture_utils"
