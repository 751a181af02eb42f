"""The package as users meet it: a wheel installed (not editable) into a fresh venv elsewhere.

One session-wide venv outside the repository gets the wheel that `python -m build`
makes (from its sdist), with the locked versions: a lean install, numpy, matplotlib,
ipywidgets and Pillow, no JupyterLab. In it, every module a learner's kernel needs
imports and the data come from inside the installed package. With the lab extra added
(JupyterLab, as `make lab` has it), every notebook runs top to bottom from a folder that
holds nothing but the notebooks (and shows no warning or traceback), and — after the
instructor extra is added — the instructor commands release them from that folder.
Installed next to a front end's own older kernel, the wheel changes nothing of it.
"""

import json
import re
import sys
import venv

import pytest
from packaging.version import Version

from paths import NOTEBOOKS, ROOT
from user_installs import LOCK, clean_copy, installed_packages, locked_versions, run


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """The sdist and the wheel built from it, as `python -m build` makes them in a clean clone."""
    source = clean_copy(tmp_path_factory.mktemp("clone"))
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", out, source], cwd=out)
    return out


@pytest.fixture(scope="session")
def installed(dist, tmp_path_factory):
    """A fresh venv, outside the repository, with the wheel installed (locked versions, no extra), and what
    importing every module there reported right after (before any test adds an extra)."""
    home = tmp_path_factory.mktemp("elsewhere")
    venv.create(home / "venv", with_pip=True)
    python = home / "venv" / "bin" / "python"
    (wheel,) = dist.glob("lecture_utils-*.whl")
    run([python, "-m", "pip", "install", "--quiet", "--constraint", LOCK, wheel], cwd=home)
    return home, python, json.loads(run([python, "-c", IMPORT_ALL], cwd=home))


def test_build_makes_a_wheel_and_an_sdist(dist):
    assert len(list(dist.glob("lecture_utils-*-py3-none-any.whl"))) == 1
    assert len(list(dist.glob("lecture_utils-*.tar.gz"))) == 1


def source_modules():
    """Every module of the package in the repository, as dotted names."""
    package = ROOT / "lecture_utils"
    return sorted(
        ".".join(("lecture_utils", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
        for path in package.rglob("*.py") if "__pycache__" not in path.parts)


IMPORT_ALL = """
import importlib, json, pkgutil, sys
import lecture_utils
found, failed = [], {}
for info in pkgutil.walk_packages(lecture_utils.__path__, "lecture_utils."):
    found.append(info.name)
    if info.name.endswith("__main__"):
        continue  # a command, not a module to import
    try:
        importlib.import_module(info.name)
    except ImportError as error:
        failed[info.name] = str(error)
from importlib.util import find_spec
from lecture_utils.data import load_apartments
print(json.dumps({"file": lecture_utils.__file__, "version": lecture_utils.__version__,
                  "modules": sorted(["lecture_utils", *found]), "failed": failed,
                  "apartments": len(load_apartments()),
                  "jupyter": [name for name in ("jupyterlab", "jupyter_server", "notebook", "ipykernel")
                              if find_spec(name)]}))
"""


def test_every_module_imports_from_the_installed_wheel(installed):
    home, python, report = installed
    assert report["modules"] == source_modules()
    assert "site-packages" in report["file"] and str(ROOT) not in report["file"]
    assert report["version"] == run([sys.executable, "-c", "import lecture_utils; print(lecture_utils.__version__)"],
                                     cwd=ROOT).strip()
    assert report["apartments"] == 300
    assert report["jupyter"] == []  # a lean install: nothing of Jupyter's front ends or kernel came with it
    # Only instructor modules and the website's builder may fail, for want of their extra, and they say so.
    assert report["failed"], "the grader's modules need nbgrader, which a lean install lacks"
    extra = {"lecture_utils.grading.": "lecture-utils[instructor]", "lecture_utils.site.": "lecture-utils[site]"}
    assert {name for name in report["failed"] if not name.startswith(tuple(extra))} == set()
    assert all(wanted in report["failed"][name] for name in report["failed"]
               for prefix, wanted in extra.items() if name.startswith(prefix)), report["failed"]


@pytest.fixture(scope="session")
def executed(installed, dist):
    """With the lab extra added (as `make lab` has it), every notebook run top to bottom by nbconvert from
    a folder that holds only the notebooks:
    {file name: the executed notebook, outputs included}."""
    home, python, _ = installed
    (wheel,) = dist.glob("lecture_utils-*.whl")
    run([python, "-m", "pip", "install", "--quiet", "--constraint", LOCK, f"{wheel}[lab]"], cwd=home)
    folder = home / "my_notebooks"
    folder.mkdir()
    for notebook in NOTEBOOKS:
        (folder / notebook.name).write_bytes(notebook.read_bytes())
    run([python, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", home / "executed",
         "--ExecutePreprocessor.timeout=120", *sorted(p.name for p in folder.iterdir())], cwd=folder)
    return {path.name: json.loads(path.read_text()) for path in (home / "executed").iterdir()}


def test_every_notebook_runs_from_a_folder_of_only_notebooks(executed):
    assert sorted(executed) == [p.name for p in NOTEBOOKS]


WARNING_OR_TRACEBACK = re.compile(r"\w*Warning\b|Traceback")


def alarming_outputs(notebook):
    """[(cell index, text)]: every output a learner would read as something gone wrong — an error,
    anything written to stderr, a warning or a traceback in what a cell prints or shows."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            if output["output_type"] == "error":
                found.append((index, f"{output['ename']}: {output['evalue']}"))
            elif output.get("name") == "stderr" or WARNING_OR_TRACEBACK.search(text):
                found.append((index, text[:300]))
    return found


def test_what_counts_as_alarming():
    notebook = {"cells": [
        {"cell_type": "markdown", "source": "A RuntimeWarning explained in the text is fine"},
        {"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stdout", "text": "ValueError: caught\n"}]},
        {"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stderr", "text": "anything\n"}]},
        {"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stdout",
                                           "text": ["x.py:3: RuntimeWarning: overflow\n"]}]},
        {"cell_type": "code", "outputs": [{"output_type": "execute_result",
                                           "data": {"text/plain": "Traceback (most"}}]},
        {"cell_type": "code", "outputs": [{"output_type": "error", "ename": "CheckFailed", "evalue": "no"}]},
    ]}
    assert [index for index, _ in alarming_outputs(notebook)] == [2, 3, 4, 5]


def test_no_notebook_shows_a_warning_or_a_traceback(executed):
    alarms = {name: alarming_outputs(notebook) for name, notebook in executed.items()}
    assert {name: found for name, found in alarms.items() if found} == {}


def test_the_instructor_extra_releases_the_notebooks_of_the_current_folder(installed, dist):
    home, python, _ = installed
    (wheel,) = dist.glob("lecture_utils-*.whl")
    run([python, "-m", "pip", "install", "--quiet", "--constraint", LOCK, f"{wheel}[instructor]"], cwd=home)
    course_home = home / "instructor"
    (course_home / "notebooks").mkdir(parents=True)
    for notebook in NOTEBOOKS:
        (course_home / "notebooks" / notebook.name).write_bytes(notebook.read_bytes())
    run([python, "-m", "lecture_utils.grading", "release"], cwd=course_home)
    released = sorted(p.name for p in (course_home / "course" / "release").glob("*/*.ipynb"))
    assert released == [p.name for p in NOTEBOOKS]
    assert (course_home / "course" / "nbgrader_config.py").is_file()


# What a Colab runtime or a JupyterHub image has before a learner's `%pip install`: its own kernel and the client
# library it talks with, older than the lock's (within what ipywidgets and JupyterLab allow), and no JupyterLab in
# the kernel's environment. (JupyterLab would keep this ipykernel but upgrade this jupyter-client.)
FRONT_END_KERNEL = {"ipykernel": "6.29.5", "ipython": "8.18.1", "jupyter-client": "6.1.12"}
OURS = {"lecture-utils", "numpy", "matplotlib", "ipywidgets", "pillow"}  # the package and what it needs, no more
JUPYTER_FRONT_ENDS = {"jupyterlab", "notebook", "jupyter-server"}


def test_installed_next_to_a_front_ends_older_kernel_the_wheel_changes_nothing_of_it(dist, tmp_path):
    locked = locked_versions()
    assert all(Version(FRONT_END_KERNEL[name]) < Version(locked[name]) for name in FRONT_END_KERNEL)
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", *(f"{name}=={v}" for name, v in FRONT_END_KERNEL.items())],
        cwd=tmp_path)
    before = installed_packages(python)
    assert {name: before[name] for name in FRONT_END_KERNEL} == FRONT_END_KERNEL
    assert JUPYTER_FRONT_ENDS & before.keys() == set()

    (wheel,) = dist.glob("lecture_utils-*.whl")
    run([python, "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path)  # as `%pip install` does: no lock
    after = installed_packages(python)

    assert "lecture-utils" in after
    changed = {name: (version, after.get(name)) for name, version in before.items()
               if name not in OURS and after.get(name) != version}
    assert changed == {}, f"installing the wheel changed the front end's packages (before, after): {changed}"
    assert JUPYTER_FRONT_ENDS & after.keys() == set()
    run([python, "-c", "import lecture_utils.widgets, lecture_utils.checks, lecture_utils.plots"], cwd=tmp_path)

