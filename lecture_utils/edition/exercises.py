"""The learner edition: the instructor's notebooks without their solutions, made by the package alone.

    python -m lecture_utils.edition [--notebooks notebooks] [--to exercises]

writes, for every notebooks/NN_name.ipynb, exercises/NN_name.ipynb as nbgrader's
`generate_assignment` releases it — with this package only (json, no nbgrader: learners
never install instructor tools):

* every solution region (`### BEGIN SOLUTION` … `### END SOLUTION`) replaced by nbgrader's
  stub, `# YOUR CODE HERE` / `raise NotImplementedError()` at the region's indent, and a
  markdown solution by "YOUR ANSWER HERE"; a solution cell without a region is the stub;
* hidden tests (`### BEGIN HIDDEN TESTS` … `### END HIDDEN TESTS`) removed;
* outputs, execution counts and widget state cleared;
* nbgrader's metadata as a released notebook has it: solution and check cells cannot be
  deleted, check cells and locked cells cannot be edited, and each such cell carries its
  nbgrader `cell_type` and the checksum nbgrader computes, so that nbgrader (validate,
  autograde) takes the edition as a release of its own;
* and two cells of its own (ids in ADDED_CELLS, the only cells nbgrader's release lacks): first,
  the notebook's Open-in-Colab link; before the first code cell, a cell that `%pip install`s the
  package only when the kernel lacks it — both made from pyproject.toml's repository
  (lecture_utils.edition.repository), so the same notebook runs in Colab, a hub, VS Code and `make lab`.

The notebooks sit side by side, as in notebooks/, so their links to each other and to
`notation.md` (copied too) work unchanged. A test keeps the committed exercises/ equal to
what this makes from notebooks/, and its cells equal to what nbgrader makes.
"""

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from .repository import CourseRepository

__all__ = ["student_version", "write_edition", "notebook_text", "edition_files", "NOTEBOOK_PATTERN", "PAGES",
           "CODE_STUB", "TEXT_STUB", "ADDED_CELLS", "with_colab_cells"]

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
PAGES = ("notation.md",)  # pages the notebooks link to, copied as they are
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"
SOLUTION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_TESTS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
UNSUPPORTED = ("BEGIN MARK SCHEME",)  # nbgrader knows it; these notebooks never use it
COLAB_LINK, INSTALL_IF_MISSING = ADDED_CELLS = ("open-in-colab", "install-if-missing")  # the ids of the edition's own


def student_version(notebook):
    """The released form of one notebook (nbformat 4 as plain data); the argument is left as it was."""
    released = json.loads(json.dumps(notebook))
    released["metadata"].pop("widgets", None)
    released["metadata"].pop("celltoolbar", None)
    for cell in released["cells"]:
        _release_cell(cell)
    return released


def _release_cell(cell):
    source = _text(cell.get("source", ""))
    for marker in UNSUPPORTED:
        if marker in source:
            raise ValueError(f"cell {cell.get('id')}: {marker!r} is not supported by the learner edition")
    meta = cell.get("metadata", {}).get("nbgrader", {})
    solution, grade = bool(meta.get("solution")), bool(meta.get("grade"))
    locked = not solution and (grade or bool(meta.get("locked")))
    stub = CODE_STUB if cell["cell_type"] == "code" else TEXT_STUB
    source, replaced = _replace_regions(source, SOLUTION, stub)
    if replaced and not solution:
        raise ValueError(f"cell {cell.get('id')}: a solution region in a cell that is not a solution cell")
    if solution and not replaced:
        source = stub
    source, removed = _replace_regions(source, HIDDEN_TESTS, None)
    if removed and not grade:
        raise ValueError(f"cell {cell.get('id')}: hidden tests in a cell that is not a check cell")
    cell["source"] = source
    if cell["cell_type"] == "code":
        cell["outputs"], cell["execution_count"] = [], None
        for key in ("collapsed", "scrolled"):
            cell["metadata"].pop(key, None)
    if solution or grade or locked:
        cell["metadata"]["deletable"] = False
        if locked:
            cell["metadata"]["editable"] = False
        meta["checksum"] = _checksum(source, cell["cell_type"], grade, solution, locked, meta)
        meta["cell_type"] = cell["cell_type"]


def with_colab_cells(released, name, course):
    """The released notebook `name` (e.g. '00_introduction.ipynb') with its Colab link as the first cell and the
    guarded `%pip install` of `course` (a CourseRepository) as its first code cell; `released` is left as it was."""
    notebook = json.loads(json.dumps(released))
    cells = notebook["cells"]
    first_code = next(index for index, cell in enumerate(cells) if cell["cell_type"] == "code")
    cells.insert(first_code, {"cell_type": "code", "execution_count": None, "id": INSTALL_IF_MISSING,
                              "metadata": {}, "outputs": [], "source": course.install_if_missing()})
    cells.insert(0, {"cell_type": "markdown", "id": COLAB_LINK, "metadata": {}, "source": course.colab_link(name)})
    return notebook


def _replace_regions(source, markers, stub):
    """The source with every region between the markers' lines replaced by `stub` (at the opening
    line's indent), or dropped when stub is None; and whether there was one."""
    begin, end = markers
    kept, inside, found = [], False, False
    for line in source.split("\n"):
        if begin in line:
            if inside:
                raise ValueError(f"a {begin!r} inside another")
            inside = found = True
            if stub is not None:
                indent = re.match(r"\s*", line).group(0)
                kept += [indent + stub_line for stub_line in stub.split("\n")]
        elif end in line:
            inside = False
        elif not inside:
            kept.append(line)
    if inside:
        raise ValueError(f"a {begin!r} without its {end!r}")
    return "\n".join(kept), found


def _checksum(source, cell_type, grade, solution, locked, meta):
    """nbgrader's checksum of a cell: its source, type, kind (grade, solution, locked), id and points."""
    digest = hashlib.md5()
    for part in (source, cell_type, str(grade), str(solution), str(locked), meta["grade_id"]):
        digest.update(part.encode("utf-8"))
    if grade:
        digest.update(str(float(meta["points"])).encode("utf-8"))
    return digest.hexdigest()


def _text(source):
    return "".join(source) if isinstance(source, list) else source


def notebook_text(notebook, language_info=None):
    """A notebook as nbformat writes it (sorted keys, one-space indent, text split into lines).

    language_info: the kernel's (name, version, …) to write into the metadata, or None to keep
    the notebook's own. JupyterLab writes its kernel's language_info into a notebook it opens,
    and marks the notebook modified when that differs from the file's.
    """
    notebook = json.loads(json.dumps(notebook))
    if language_info is not None:
        notebook["metadata"]["language_info"] = language_info
    for cell in notebook["cells"]:
        cell["source"] = _text(cell.get("source", "")).splitlines(keepends=True)
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n"


def edition_files(notebooks, language_info=None, course=None):
    """{file name: its text in the learner edition} for the notebooks and pages of the folder `notebooks`.

    course: the CourseRepository its Colab links and pip line name; None reads pyproject.toml beside `notebooks`.
    """
    notebooks = Path(notebooks)
    course = course or CourseRepository.read(notebooks.resolve().parent)
    files = {}
    for path in sorted(notebooks.glob(NOTEBOOK_PATTERN)):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        files[path.name] = notebook_text(with_colab_cells(student_version(notebook), path.name, course), language_info)
    if not files:
        raise SystemExit(f"no notebooks NN_name.ipynb in {notebooks.resolve()}")
    for page in PAGES:
        if (notebooks / page).is_file():
            files[page] = (notebooks / page).read_text(encoding="utf-8")
    return files


def write_edition(notebooks="notebooks", target="exercises"):
    """Write the learner edition of `notebooks` into `target`; return the names written.

    Files of `target` the edition no longer has are named on stderr, never deleted.
    """
    files = edition_files(notebooks)
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
    stale = sorted(path.name for pattern in (NOTEBOOK_PATTERN, *PAGES) for path in target.glob(pattern)
                   if path.name not in files)
    for name in stale:
        print(f"{target / name} is not part of the edition any more: delete it if it came from an older one",
              file=sys.stderr)
    return sorted(files)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lecture_utils.edition", description=__doc__.split("\n")[0])
    parser.add_argument("--notebooks", default="notebooks", help="the instructor's notebooks (default: notebooks)")
    parser.add_argument("--to", default="exercises", help="the learner edition's folder (default: exercises)")
    args = parser.parse_args(argv)
    names = write_edition(args.notebooks, args.to)
    print(f"the learner edition of {len(names)} files in {Path(args.to).resolve()}", file=sys.stderr)
    return 0

