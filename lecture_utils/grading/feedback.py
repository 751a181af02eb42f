"""What the instructor (and the learner) sees of one graded notebook.

* feedback: course/feedback/<learner>/<notebook>/<notebook>.html — each exercise's points
  and verdict line, then what the learner's cells printed or raised. Everything that
  comes from a submission is escaped, and the page forbids scripts altogether, so no
  script from a submission can run in the instructor's browser.
* the graded notebook: course/autograded/<learner>/<notebook>/<notebook>.ipynb — the
  submission with the instructor's check cells back in place, each showing its verdict
  as its output (what formgrader shows beside the gradebook's points). Nothing of the
  submission reaches it but its cells' text: outputs are the text the grader logged,
  metadata the instructor's, and markdown the learner wrote is shown as text.
"""

import html
import json
import re
import uuid
from pathlib import Path

from ..checks.exercise import Verdict
from .course import NotANotebook, nbgrader_cell, read_notebook

__all__ = ["write_feedback", "write_graded_notebook", "verdict_text"]

_STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em;vertical-align:top;text-align:left}
pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap}.correct{color:#1a7f37}.wrong{color:#b3261e}"""
_NOTEBOOK_METADATA = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                      "language_info": {"name": "python"}}


def verdict_text(row):
    """The verdict line of one exercise's row of a result (as the learner's check prints it)."""
    if row["status"] in ("correct", "wrong", "not attempted"):
        return Verdict(row["exercise"], row["status"], row["message"], row.get("hint")).text()
    return f"{row['exercise']}: {row['status']} — {row['message']}"


def write_feedback(course, learner, notebook, result):
    """Write the feedback page of one graded notebook; return its path."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(row['column'])}</td><td>{row['points']:g} / {row['max']:g}</td>"
        f"<td class=\"{'correct' if row['status'] == 'correct' else 'wrong'}\">"
        f"<pre>{e(verdict_text(row))}</pre></td></tr>"
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
    """Write what formgrader shows of one graded submission; None if the submission is no notebook.

    Made anew, never copied: each of the submission's cells with the instructor's nbgrader metadata for
    its grade_id (no other metadata, no attachments), a code cell's output only the text the grader
    logged for it, a markdown cell as written only if it is one of the instructor's, anything else the
    learner wrote shown as text in a code block; the source's check cells in place, each with its verdict.
    Its cells are built as nbformat 4.5 describes them (a test validates what this writes).
    """
    try:
        submission = read_notebook(Path(course) / "submitted" / learner / notebook / f"{notebook}.ipynb")
    except NotANotebook:
        return None
    instructors = {nbgrader_cell(c).get("grade_id"): c for c in source["cells"] if nbgrader_cell(c).get("grade_id")}
    checks = {grade_id: c for grade_id, c in instructors.items() if nbgrader_cell(c).get("grade")}
    after = {}  # {grade_id of the cell before a check: [its check's grade_id]}
    previous = None
    for grade_id in instructors:
        if grade_id in checks:
            after.setdefault(previous, []).append(grade_id)
        previous = grade_id
    markdown = {c["source"] for c in source["cells"] if c["cell_type"] == "markdown"}
    logged = {entry["cell"]: entry for entry in result.get("cells", []) if "cell" in entry}
    verdicts = {row["grade_id"]: row for row in result["exercises"]}
    cells, placed = [], set()
    for number, cell in enumerate(submission["cells"], start=1):
        grade_id = nbgrader_cell(cell).get("grade_id")
        if grade_id in checks:
            continue  # put back from the source below, after the cell before it
        if grade_id in instructors:
            if nbgrader_cell(instructors[grade_id]).get("locked"):
                cell = instructors[grade_id]  # graded as the instructor wrote it
            metadata = {"nbgrader": dict(nbgrader_cell(instructors[grade_id]))}
        else:
            metadata = {}
        if cell["cell_type"] == "code":
            cells.append(_cell("code", cell["source"], metadata, _logged_output(logged.get(number))))
        elif cell["cell_type"] == "markdown" and cell["source"] in markdown:
            cells.append(_cell("markdown", cell["source"], metadata))
        else:
            cells.append(_cell("markdown", _as_text(cell["source"]), metadata))
        for check_id in after.get(grade_id, []) if grade_id is not None else []:
            cells.append(_with_verdict(checks[check_id], verdicts.get(check_id)))
            placed.add(check_id)
    cells += [_with_verdict(check, verdicts.get(check_id)) for check_id, check in checks.items()
              if check_id not in placed]
    path = Path(course) / "autograded" / learner / notebook / f"{notebook}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": _NOTEBOOK_METADATA, "nbformat": 4, "nbformat_minor": 5},
                               indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _cell(kind, source, metadata, outputs=()):
    cell = {"id": uuid.uuid4().hex[:12], "cell_type": kind, "metadata": metadata, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=list(outputs))
    return cell


def _stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def _logged_output(entry):
    """A code cell's outputs: the text the grader logged for it (as a stream), if any."""
    if not entry or not entry.get("output"):
        return []
    return [_stream(str(entry["output"]), "stdout" if entry.get("status") == "ok" else "stderr")]


def _as_text(text):
    """Markdown that shows `text` as it is: a fenced code block, the fence longer than any run of ` in it."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return f"{fence}text\n{text}\n{fence}"


def _with_verdict(check, row):
    return _cell("code", check["source"], {"nbgrader": dict(nbgrader_cell(check))},
                 [_stream((verdict_text(row) if row else "not graded") + "\n")])
