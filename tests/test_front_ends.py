"""What the learner edition asks of a Jupyter front end (JupyterLab, Colab, VS Code, a hub): a first code cell that
installs the package only where it is missing, and widgets that any widget manager renders (core ipywidgets)."""

import importlib
import json
import pkgutil

import ipywidgets
import nbclient
import nbformat

import lecture_utils
from lecture_utils.edition.repository import CourseRepository
from paths import ROOT

# IPython's %pip replaced by one that records the line it is given: what the guarded cell would run.
RECORD_PIP = """
pip_lines = []
get_ipython().register_magic_function(pip_lines.append, "line", "pip")
"""
# The same kernel as one without the package: find_spec answers None for it (nothing is uninstalled).
HIDE_THE_PACKAGE = """
import importlib.util
_find_spec = importlib.util.find_spec
importlib.util.find_spec = lambda name, *args: None if name == "lecture_utils" else _find_spec(name, *args)
"""
SHOW = "print(json.dumps(pip_lines))"


def _printed(cell):
    return "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")


def test_the_guarded_install_calls_pip_only_in_a_kernel_without_the_package():
    course = CourseRepository.read(ROOT)
    guarded = course.install_if_missing()
    sources = ["import json\n" + RECORD_PIP, guarded, SHOW, HIDE_THE_PACKAGE, guarded, SHOW]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    nbclient.NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    installed, missing = (json.loads(_printed(notebook.cells[i])) for i in (2, 5))
    assert installed == [], "the package is installed in this kernel: the cell must not call pip"
    assert missing == [course.pip_install().removeprefix("pip ")]


CORE_WIDGET_MODULES = {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}


def test_the_package_defines_no_widget_with_front_end_code_of_its_own():
    """Colab's and VS Code's widget managers render ipywidgets' own models; a widget class of the package with a
    front-end module of its own (or anywidget's _esm) would render nowhere but where it is installed."""
    own = []
    for module in pkgutil.walk_packages(lecture_utils.__path__, "lecture_utils."):
        if module.name.startswith("lecture_utils.grading") or module.name.endswith("__main__"):
            continue  # the instructors' tools (no widgets; they need the instructor extra), and commands
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, ipywidgets.Widget) and \
                    value.__module__.startswith("lecture_utils"):
                own.append(value)
    custom = [cls for cls in own if {cls._model_module.default_value, cls._view_module.default_value}
              - CORE_WIDGET_MODULES - {None} or hasattr(cls, "_esm")]
    assert custom == []
