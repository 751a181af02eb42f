"""The whole website from the learner edition: `python -m lecture_utils.site` (make site).

    build_site(edition="exercises", target="site")   # -> the pages written, index first

target/ gets index.html (the ten notebooks, the notation), NN_name.html for every notebook of the
edition, executed (site.execute, two kernels at a time), notation.html from notation.md, frames/
(the slider pictures) and mathjax/ (MathJax 3's TeX-to-SVG script the pages use, with its licence,
from the django-static-mathjax package, which ships MathJax's files and needs no Django). A target
that exists must be a site this made (it holds MARKER): it is then replaced; any other folder is
refused, never overwritten.
"""

import argparse
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# isort: off
from . import site_extra  # noqa: F401  (the site extra, or what to install)
# isort: on

import mathjax
import nbformat

from ..edition import NOTEBOOK_PATTERN
from .execute import run_notebook
from .page import MATHJAX_FOLDER, MATHJAX_SCRIPT, notebook_page
from .static_widgets import static_outputs

__all__ = ["build_site", "MARKER", "FRAMES_FOLDER"]

MARKER = ".lecture-site"  # in a folder this made
FRAMES_FOLDER = "frames"
NOTATION = "notation.md"


def build_site(edition="exercises", target="site", jobs=2, frame_count=21):
    """Build the website of the learner edition `edition` into `target`; return the names of the pages written."""
    edition, target = Path(edition), Path(target)
    notebooks = sorted(edition.glob(NOTEBOOK_PATTERN))
    if not notebooks:
        raise SystemExit(f"no notebooks NN_name.ipynb in {edition.resolve()}")
    _fresh(target)
    frames = target / FRAMES_FOLDER
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        runs = list(pool.map(run_notebook, notebooks, [frames] * len(notebooks), [frame_count] * len(notebooks)))
    pages = []
    for path, (executed, frame_index) in zip(notebooks, runs):
        title = _title(executed)
        page = notebook_page(static_outputs(executed, frame_index), title)
        (target / f"{path.stem}.html").write_text(page, encoding="utf-8")
        pages.append((f"{path.stem}.html", title))
    (target / "notation.html").write_text(_markdown_page((edition / NOTATION).read_text(encoding="utf-8"),
                                                         "Notation"), encoding="utf-8")
    (target / "index.html").write_text(_index(pages), encoding="utf-8")
    _copy_mathjax(target / MATHJAX_FOLDER)
    return ["index.html", *(name for name, _ in pages), "notation.html"]


def _fresh(target):
    if target.exists():
        if not (target / MARKER).is_file():
            raise SystemExit(f"{target.resolve()} exists and is not a site this command made: choose another --to")
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / MARKER).write_text("made by python -m lecture_utils.site; replaced by the next build\n")


def _title(notebook):
    """The notebook's first heading ("01 · Fitting a line: ŷ = xk + m")."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Back to Backprop"


def _markdown_page(text, title):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    return notebook_page(notebook, title)


def _index(pages):
    lines = ["# Back to Backprop", "",
             "Neural networks from scratch, following the lecture section by section: the exercise notebooks, "
             "run as a learner first meets them (nothing solved; each exercise's check says so). In each panel "
             "one slider moves the picture here; every control moves in the notebook itself.", ""]
    lines += [f"* [{title}]({name})" for name, title in pages]
    lines += ["", "The lecture's symbols and words: [Notation](notation.html)."]
    return _markdown_page("\n".join(lines), "Back to Backprop")


def _copy_mathjax(folder):
    source = Path(mathjax.__file__).parent / "static" / "mathjax"
    folder.mkdir(parents=True)
    shutil.copy2(source / "es5" / MATHJAX_SCRIPT, folder / MATHJAX_SCRIPT)
    shutil.copy2(source / "LICENSE", folder / "LICENSE")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lecture_utils.site", description=__doc__.split("\n")[0])
    parser.add_argument("--edition", default="exercises", help="the learner edition's folder (default: exercises)")
    parser.add_argument("--to", default="site", help="the website's folder (default: site)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default: 2)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    pages = build_site(args.edition, args.to, jobs=args.jobs)
    print(f"the website, {len(pages)} pages, in {Path(args.to).resolve()} ({time.perf_counter() - start:.0f} s): "
          f"open {Path(args.to) / 'index.html'}", file=sys.stderr)
    return 0
