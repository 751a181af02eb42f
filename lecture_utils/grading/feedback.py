"""What the instructor (and the learner) sees of one graded notebook.

* feedback: course/feedback/<learner>/<notebook>/<notebook>.html — each exercise's points
  and verdict line, then what the learner's cells printed or raised. Everything that
  comes from a submission is escaped, and the page forbids scripts altogether, so no
  script from a submission can run in the instructor's browser.
* the graded notebook: course/autograded/<learner>/<notebook>/<notebook>.ipynb — the
  submission with the instructor's check cells back in place, each showing its verdict
  as its output (what formgrader shows beside the gradebook's points).
"""

import html
from pathlib import Path

from . import instructor_extra  # noqa: F401  (first: a clear message without the instructor extra)

import nbformat  # noqa: E402

from ..checks.exercise import Verdict
from .course import nbgrader_cell

__all__ = ["write_feedback", "write_graded_notebook", "verdict_text"]

_STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em;vertical-align:top;text-align:left}
pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap}.correct{color:#1a7f37}.wrong{color:#b3261e}"""


def verdict_text(row):
    """The verdict line of one exercise's row of a result (as the learner's check prints it)."""
    return Verdict(row["exercise"], row["status"], row["message"], row.get("hint")).text() \
        if row["status"] in ("correct", "wrong", "not attempted") else f"{row['exercise']}: {row['status']} — {row['message']}"


def write_feedback(course, learner, notebook, result):
    """Write the feedback page of one graded notebook; return its path."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(row['column'])}</td><td>{row['points']:g} / {row['max']:g}</td>"
        f"<td class=\"{'correct' if row['status'] == 'correct' else 'wrong'}\"><pre>{e(verdict_text(row))}</pre></td></tr>"
        for row in result["exercises"])
    outputs = "".join(f"<h3>cell {entry['cell']} ({e(entry['status'])})</h3><pre>{e(entry['output'])}</pre>"
                      for entry in result.get("cells", []) if entry.get("output"))
    page = f"""<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{e(notebook)} — {e(learner)}</title><style>{_STYLE}</style></head>
<body><h1>{e(notebook)} — {e(learner)}</h1>
<p>{e(result['status'])}: {result['total']:g} of {result['max']:g} points.</p>
<table><tr><th>exercise</th><th>points</th><th>verdict</th></tr>{rows}</table>
<h2>What the notebook printed while it was graded</h2>{outputs or '<p>nothing</p>'}
</body></html>
"""
    path = Path(course) / "feedback" / learner / notebook / f"{notebook}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page)
    return path


def write_graded_notebook(course, learner, notebook, source, result):
    """Write the submission with the source's check cells and their verdicts; None if it is unreadable."""
    try:
        graded = nbformat.read(Path(course) / "submitted" / learner / notebook / f"{notebook}.ipynb", as_version=4)
    except Exception:  # not a notebook: there is nothing to show
        return None
    checks = {nbgrader_cell(c).get("grade_id"): c for c in source["cells"] if nbgrader_cell(c).get("grade")}
    rows = {row["grade_id"]: row for row in result["exercises"]}
    cells, placed = [], set()
    for cell in graded.cells:
        grade_id = nbgrader_cell(cell).get("grade_id")
        if grade_id in checks:
            continue  # put back from the source below, after its solution cell
        cells.append(cell)
        for check_id, check in checks.items():
            if check_id not in placed and _anchor(source, check_id) == grade_id:
                cells.append(_with_verdict(check, rows.get(check_id)))
                placed.add(check_id)
    cells += [_with_verdict(check, rows.get(check_id)) for check_id, check in checks.items() if check_id not in placed]
    graded.cells = cells
    path = Path(course) / "autograded" / learner / notebook / f"{notebook}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(graded, path)
    return path


def _anchor(source, check_id):
    previous = None
    for cell in source["cells"]:
        grade_id = nbgrader_cell(cell).get("grade_id")
        if grade_id == check_id:
            return previous
        if grade_id:
            previous = grade_id
    return None


def _with_verdict(check, row):
    cell = nbformat.v4.new_code_cell(check["source"], metadata=check["metadata"])
    text = verdict_text(row) if row else "not graded"
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text + "\n")]
    return cell
