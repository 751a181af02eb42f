"""The package as users meet it: a wheel installed (not editable) into a fresh venv elsewhere.

One session-wide venv outside the repository gets the wheel that `python -m build`
makes (from its sdist), with the locked versions. In it, every module of the package
imports, the data come from inside the installed package, every notebook runs top to
bottom from a folder that holds nothing but the notebooks (and shows no warning or
traceback), and — after the instructor
extra is added — the instructor commands release them from that folder.
"""

import json
import os
import re
import subprocess
import sys
import venv

import pytest

from paths import NOTEBOOKS, ROOT

LOCK = ROOT / "requirements-lock.txt"


def run(command, cwd, timeout=900):
    """Run a command; on failure show what it printed."""
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def clean_copy(target):
    """The repository's files as a fresh clone has them (tracked or new, never ignored ones such as
    an earlier build's egg-info, which would slip files into the sdist)."""
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """The sdist and the wheel built from it, as `python -m build` makes them in a clean clone."""
    source = clean_copy(tmp_path_factory.mktemp("clone"))
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", out, source], cwd=out)
    return out


@pytest.fixture(scope="session")
def installed(dist, tmp_path_factory):
    """A fresh venv, outside the repository, with the wheel installed (locked versions)."""
    home = tmp_path_factory.mktemp("elsewhere")
    venv.create(home / "venv", with_pip=True)
    python = home / "venv" / "bin" / "python"
    (wheel,) = dist.glob("lecture_utils-*.whl")
    run([python, "-m", "pip", "install", "--quiet", "--constraint", LOCK, wheel], cwd=home)
    return home, python


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
from lecture_utils.data import load_apartments
print(json.dumps({"file": lecture_utils.__file__, "version": lecture_utils.__version__,
                  "modules": sorted(["lecture_utils", *found]), "failed": failed,
                  "apartments": len(load_apartments())}))
"""


def test_every_module_imports_from_the_installed_wheel(installed):
    home, python = installed
    report = json.loads(run([python, "-c", IMPORT_ALL], cwd=home))
    assert report["modules"] == source_modules()
    assert "site-packages" in report["file"] and str(ROOT) not in report["file"]
    assert report["version"] == run([sys.executable, "-c", "import lecture_utils; print(lecture_utils.__version__)"],
                                     cwd=ROOT).strip()
    assert report["apartments"] == 300
    # Only the instructor's modules that need nbgrader or dask distributed may fail, for want of the instructor
    # extra, and say so.
    assert set(report["failed"]) == {"lecture_utils.grading.batch", "lecture_utils.grading.gradebook",
                                     "lecture_utils.grading.nbgrader_required", "lecture_utils.grading.release",
                                     "lecture_utils.grading.cluster"}
    assert all("lecture-utils[instructor]" in message for message in report["failed"].values())


@pytest.fixture(scope="session")
def executed(installed):
    """Every notebook run top to bottom by nbconvert from a folder that holds only the notebooks:
    {file name: the executed notebook, outputs included}."""
    home, python = installed
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
    home, python = installed
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
