"""The learner's own copies of the course's notebooks: made once, brought up to date, never overwritten.

    python -m lecture_utils.workspace [--edition exercises] [--to my-notebooks]

copies the learner edition (exercises/: the notebooks without solutions, and notation.md) into
a folder of the learner's own, which git does not track: the learner's work never lives in the
course's files, so `git pull` brings the course's next version without a conflict. `make lab`
runs it before it opens JupyterLab there.

What was copied is recorded, by content hash, in the folder's `.course-copies.json`. Run again
(after a `git pull`), it brings every notebook the learner has not changed up to the course's
version; a notebook the learner has changed is never touched: the course's new version goes
beside it, as `NN_name.new.ipynb`, and one line says where.

Each copy carries the language_info of this Python's kernel (the one JupyterLab starts for it):
JupyterLab writes its kernel's language_info into every notebook it opens and marks the
notebook modified when the file's differs, so a copy that already has it opens unchanged.

`--edition notebooks --to my-notebooks/solutions` is the deliberate step to the worked solutions
(`make solutions`): the instructor's notebooks, copied the same careful way.
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

from .exercises import NOTEBOOK_PATTERN, PAGES, notebook_text

__all__ = ["update_copies", "kernel_language_info", "RECORD", "Report"]

RECORD = ".course-copies.json"  # {file name: sha256 of the text last copied there}


def kernel_language_info():
    """The language_info this Python's IPython kernel announces (ipykernel's), or None without ipykernel."""
    try:
        from ipykernel.ipkernel import IPythonKernel
    except ImportError:
        return None
    return dict(IPythonKernel.language_info)


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Report:
    """What an update did: copied (new here), updated (unchanged by the learner), kept (with a new version beside)."""

    def __init__(self):
        self.copied, self.updated, self.beside = [], [], []

    def lines(self, folder):
        lines = [f"{name} has your changes, so it stays as it is: the course's new version is {folder / beside}"
                 for name, beside in self.beside]
        done = [f"{len(self.copied)} files copied" if self.copied else "",
                f"{len(self.updated)} updated to the course's new version" if self.updated else ""]
        done = ", ".join(part for part in done if part) or "nothing new from the course"
        return lines + [f"Your notebooks are in {folder}/ ({done}). They are yours to change: "
                        "an update never overwrites a notebook you changed."]


def update_copies(edition="exercises", folder="my-notebooks", language_info=None):
    """Bring the learner's copies in `folder` up to the edition's files (see the module's docstring); a Report."""
    edition, folder = Path(edition), Path(folder)
    sources = sorted(edition.glob(NOTEBOOK_PATTERN)) + [edition / page for page in PAGES if (edition / page).is_file()]
    if not any(path.suffix == ".ipynb" for path in sources):
        raise SystemExit(f"no notebooks NN_name.ipynb in {edition.resolve()}")
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    report = Report()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        if source.suffix == ".ipynb":
            text = notebook_text(json.loads(text), language_info)
        _place(folder, source.name, text, record, report)
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def _place(folder, name, text, record, report):
    """Write the course's `text` of file `name` where it changes nothing of the learner's; note it in `record`."""
    target, new = folder / name, _digest(text)
    if not target.exists():
        target.write_text(text, encoding="utf-8")
        record[name] = new
        report.copied.append(name)
        return
    current = _digest(target.read_text(encoding="utf-8"))
    if current == new:
        record[name] = new
    elif current == record.get(name):  # the learner has not changed it: the course's version replaces it
        target.write_text(text, encoding="utf-8")
        record[name] = new
        report.updated.append(name)
    elif record.get(name) != new:  # the learner's own version, and the course has a new one: beside it
        beside = _beside(folder, name, new, record)
        if beside is not None:
            (folder / beside).write_text(text, encoding="utf-8")
            record[beside] = new
            report.beside.append((name, beside))


def _beside(folder, name, new, record):
    """Where the course's new version of `name` goes: NN_name.new.ipynb, or .new2, .new3, … where the
    learner has changed that one too; None when it is there already."""
    stem, suffix = name.rsplit(".", 1)
    for number in range(1, 100):
        candidate = f"{stem}.new{number if number > 1 else ''}.{suffix}"
        path = folder / candidate
        if not path.exists():
            return candidate
        if record.get(candidate) == new or _digest(path.read_text(encoding="utf-8")) == new:
            return None  # this version is there, or was put there and the learner has worked in it since
        if _digest(path.read_text(encoding="utf-8")) == record.get(candidate):  # an older one, untouched: replace it
            return candidate
    raise SystemExit(f"too many new versions of {name} in {folder}: move some away")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lecture_utils.edition.workspace",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--edition", default="exercises", help="the course's notebooks (default: exercises)")
    parser.add_argument("--to", default="my-notebooks", help="the learner's own folder (default: my-notebooks)")
    args = parser.parse_args(argv)
    folder = Path(args.to)
    report = update_copies(args.edition, folder, kernel_language_info())
    print("\n".join(report.lines(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
