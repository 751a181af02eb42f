"""Nothing lost, nothing graded twice: the grade command killed mid-batch, run again, then given late submissions.

One batch of notebook 01, graded for real on this machine: killed with SIGKILL once some records
are stored, run again (it grades only what was left, and ends with the grades an uninterrupted
run gives), then run with two late submissions, named as a browser names a second download (only
they are graded). Two of its learners also test what reaches the instructor: an exception whose
name is math text, and a notebook full of HTML and scripts.
"""

import csv
import json
import signal
import subprocess
import sys
import time

import nbformat
import psutil
import pytest

from grading_helpers import SAMPLE, blank, cell, fresh_course, grade_rows, require_bubblewrap, run_grade, solved
from lecture_utils.grading.store import ResultsStore

MATH_TEXT = r"$\undefined{x}$"
SCRIPT = "<script>alert('from a submission')</script>"
IMAGE = "<img src=x onerror=\"alert('from a submission')\">"


def math_text_exception(course):
    notebook = solved(course)
    cell(notebook, "predict").source = (
        "class Odd(Exception):\n    pass\n"
        f"Odd.__name__ = Odd.__qualname__ = {MATH_TEXT!r}\n"
        f"def predict(x, k, m):\n    raise Odd({MATH_TEXT!r})")
    return notebook


def sleeps(course):
    """Solved, then a last cell that sleeps 18 s (within its 20 s): it is still being graded when others are done."""
    notebook = solved(course)
    notebook.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(18)"))
    return notebook


def predict_only(course):
    """predict solved, mse left as released: the only mistake of predict in the batch is math_text's."""
    notebook = solved(course)
    cell(notebook, "mse").source = cell(blank(course), "mse").source
    return notebook


def full_of_html(course):
    """A solved notebook whose outputs, markdown and metadata carry HTML and scripts."""
    notebook = solved(course)
    code = next(c for c in notebook.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("display_data", data={"text/html": SCRIPT, "text/plain": "fine"}),
                    nbformat.v4.new_output("execute_result", data={"text/html": IMAGE}, execution_count=1)]
    code.metadata["jupyter"] = {"source_hidden": True}
    code.metadata["nbgrader"] = {"grade": True, "grade_id": "forged", "points": 100, "schema_version": 3}
    notebook.cells.insert(1, nbformat.v4.new_markdown_cell(f"My answer {IMAGE} {SCRIPT}"))
    notebook.cells[1]["attachments"] = {"a.svg": {"image/svg+xml": f"<svg onload=\"{SCRIPT}\"/>"}}
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"x": SCRIPT}}}
    return notebook


def write_flat(folder, submissions):
    """{learner: {file name: notebook}} as <learner>/<file name>."""
    for learner, files in submissions.items():
        for name, notebook in files.items():
            (folder / learner).mkdir(parents=True, exist_ok=True)
            (folder / learner / name).write_text(json.dumps(notebook))
    return folder


def descendants(pid):
    return psutil.Process(pid).children(recursive=True)


@pytest.fixture(scope="module")
def interrupted(course, tmp_path_factory, timings):
    require_bubblewrap()
    tmp = tmp_path_factory.mktemp("interrupted")
    notebook = f"{SAMPLE}.ipynb"
    first = {"a_sleeps": sleeps(course), "b_solved": solved(course), "c_predict_only": predict_only(course),
             "d_predict_only": predict_only(course), "math_text": math_text_exception(course),
             "html": full_of_html(course)}
    folder = write_flat(tmp / "submissions", {learner: {notebook: nb} for learner, nb in first.items()})
    own = fresh_course(course, tmp)
    start = time.perf_counter()
    command = [sys.executable, "-m", "lecture_utils.grading", "--course", str(own), "grade", str(folder),
               "--workers", "2", "--call-timeout", "3"]
    grading = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    while grading.poll() is None and stored < 1:  # a_sleeps, graded first, takes longer than the others
        time.sleep(0.2)
        if (own / "results.db").is_file():
            with ResultsStore(own) as store:
                stored = sum(run["graded"] for run in store.runs())
    assert grading.poll() is None, f"the grade command ended (exit {grading.returncode}) before it stored a record"
    helpers = descendants(grading.pid)
    grading.send_signal(signal.SIGKILL)
    grading.wait()
    _, alive = psutil.wait_procs(helpers, timeout=5)  # a_sleeps's grading would go on for longer
    with ResultsStore(own) as store:
        stored = sum(run["graded"] for run in store.runs())
    resumed = run_grade(own, folder, "--workers", "2", "--call-timeout", "3")
    after_resume = grade_rows(own)
    late = write_flat(tmp / "late", {"late_download": {f"{SAMPLE} (1).ipynb": solved(course)},
                                     "late_copy": {f"{SAMPLE} copy.ipynb": predict_only(course)}})
    late_run = run_grade(own, late, "--workers", "2", "--call-timeout", "3")
    timings["a batch of 6 killed, resumed, then 2 late submissions"] = time.perf_counter() - start
    with ResultsStore(own) as store:
        runs = store.runs()
    return {"course": own, "first": first, "stored_when_killed": stored, "left_alive": alive, "resumed": resumed,
            "after_resume": after_resume, "late": late_run, "runs": runs}


def expected_totals(learners):
    return {learner: 1.0 if learner in ("c_predict_only", "d_predict_only", "late_copy", "math_text") else 2.0
            for learner in learners}


def totals(rows):
    return {learner: float(row["total"]) for (learner, _), row in rows.items()}


def test_killed_mid_batch_it_had_stored_some_and_left_no_grading_process_behind(interrupted):
    assert 1 <= interrupted["stored_when_killed"] < len(interrupted["first"])
    assert interrupted["left_alive"] == []


def test_run_again_it_grades_only_what_was_left_and_ends_with_the_grades_of_an_uninterrupted_run(interrupted):
    assert interrupted["resumed"].returncode == 0, interrupted["resumed"].stderr[-3000:]
    killed_run, resumed_run = interrupted["runs"][0], interrupted["runs"][1]
    assert killed_run["graded"] == interrupted["stored_when_killed"]
    assert resumed_run["graded"] == len(interrupted["first"]) - interrupted["stored_when_killed"]
    rows = interrupted["after_resume"]
    assert totals(rows) == expected_totals(interrupted["first"])
    assert {row["status"] for row in rows.values()} == {"graded"}


def test_late_submissions_are_the_only_ones_graded_and_a_download_suffix_names_the_notebook(interrupted):
    assert interrupted["late"].returncode == 0, interrupted["late"].stderr[-3000:]
    assert interrupted["runs"][2]["graded"] == 2
    rows = grade_rows(interrupted["course"])
    learners = [*interrupted["first"], "late_download", "late_copy"]
    assert set(rows) == {(learner, SAMPLE) for learner in learners}  # no notebook named "... (1)"
    assert totals(rows) == expected_totals(learners)


def test_nothing_is_graded_twice(interrupted):
    assert sum(run["graded"] for run in interrupted["runs"]) == len(interrupted["first"]) + 2


def test_the_command_says_nothing_when_its_output_is_no_terminal(interrupted):
    for run in (interrupted["resumed"], interrupted["late"]):
        assert run.stdout == "" and run.stderr == ""


def test_an_exception_named_in_math_text_is_drawn_as_text_in_the_report(interrupted):
    """predict's one mistake, the one report.png draws beside its bar, names an exception in math text."""
    course = interrupted["course"]
    assert (course / "report.png").stat().st_size > 1000
    with open(course / "report.csv", newline="") as f:
        predict = next(row for row in csv.DictReader(f) if row["exercise"] == "predict")
    assert predict["most common mistakes"].startswith(f"wrong: It raised {MATH_TEXT}: {MATH_TEXT}")


def test_nothing_of_a_submissions_html_reaches_the_notebook_formgrader_shows(interrupted):
    course = interrupted["course"]
    text = (course / "autograded" / "html" / SAMPLE / f"{SAMPLE}.ipynb").read_text()
    graded = nbformat.reads(text, as_version=4)
    nbformat.validate(graded)
    assert "text/html" not in text and "alert(" not in "".join(str(c.get("outputs", "")) for c in graded.cells)
    assert "widgets" not in graded.metadata and "forged" not in text and "source_hidden" not in text
    instructors = {c.source for c in nbformat.read(course / "source" / SAMPLE / f"{SAMPLE}.ipynb", as_version=4).cells}
    for graded_cell in graded.cells:
        assert "attachments" not in graded_cell
        assert all(output.output_type == "stream" for output in graded_cell.get("outputs", []))
        if graded_cell.cell_type == "markdown" and graded_cell.source not in instructors:
            first, *_, last = graded_cell.source.splitlines()
            assert first == "```text" and last == "```", graded_cell.source  # shown as text, never as HTML
    assert any(SCRIPT in c.source for c in graded.cells if c.cell_type == "markdown")  # the learner's words, as text
