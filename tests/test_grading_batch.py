"""The batch around the graders: a grader that fails is reported, never a silent missing row; no sandbox, no grading."""

import sys

import nbformat
import pytest

from grading_helpers import SAMPLE, fresh_course, grade_rows, require_bubblewrap, solved, write_submissions
from lecture_utils.grading import __main__ as command
from lecture_utils.grading import batch, task
from lecture_utils.grading.grade_one import GradingSettings, _only_draws
from lecture_utils.grading.local import TRIES

FAILING_WORKER = """
import json, sys
from lecture_utils.grading.grade_one import main
job = json.load(open(sys.argv[1]))
if "dies_with_its_grader" in open(job["path"]).read():
    sys.exit("the grader's process was killed")
main(sys.argv[1:])
"""


def graded_with_worker(worker_code, marked, course, tmp_path, monkeypatch, workers):
    """(exit code, grades.csv's rows) of a class graded by workers running `worker_code`: the learner `marked`
    (a solved notebook with a cell that says `marked`, which the worker looks for) and "after_it", solved."""
    require_bubblewrap()
    worker = tmp_path / "worker.py"
    worker.write_text(worker_code)
    monkeypatch.setattr(task, "GRADER", [sys.executable, str(worker)])
    own = fresh_course(course, tmp_path)
    submission = solved(course)
    submission.cells.append(nbformat.v4.new_markdown_cell(marked))
    folder = write_submissions(tmp_path / "submissions", {marked: submission, "after_it": solved(course)})
    code = batch.grade(own, folder, workers=workers, settings=GradingSettings(call_timeout=3))
    return code, grade_rows(own)


def test_a_grader_that_fails_gives_a_row_that_says_so_and_a_failing_exit_code(course, tmp_path, monkeypatch):
    code, rows = graded_with_worker(FAILING_WORKER, "dies_with_its_grader", course, tmp_path, monkeypatch, 2)
    assert code == 1
    assert rows[("dies_with_its_grader", SAMPLE)]["status"] == \
        f"not graded: the grader failed (the grader's process was killed), {TRIES} times"
    assert float(rows[("dies_with_its_grader", SAMPLE)]["total"]) == 0
    assert rows[("after_it", SAMPLE)]["status"] == "graded" and float(rows[("after_it", SAMPLE)]["total"]) == 2


EMPTY_PACKAGE_WORKER = """
import json, sys, tempfile
from lecture_utils.grading.grade_one import main
job = json.load(open(sys.argv[1]))
if "kernel_never_starts" in open(job["path"]).read():
    for package in job["packages"]:
        package["folder"] = tempfile.mkdtemp()  # no package copy: the kernel cannot load the grader's helper
    json.dump(job, open(sys.argv[1], "w"))
main(sys.argv[1:])
"""


def test_a_kernel_that_never_starts_is_not_graded_not_a_zero(course, tmp_path, monkeypatch):
    code, rows = graded_with_worker(EMPTY_PACKAGE_WORKER, "kernel_never_starts", course, tmp_path, monkeypatch, 1)
    assert code == 1
    assert rows[("kernel_never_starts", SAMPLE)]["status"].startswith("not graded: its kernel did not start (")
    assert rows[("after_it", SAMPLE)]["status"] == "graded" and float(rows[("after_it", SAMPLE)]["total"]) == 2


def test_without_bubblewrap_grading_stops_with_a_clear_message(course, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(batch, "bubblewrap", lambda: None)
    own = fresh_course(course, tmp_path)
    folder = write_submissions(tmp_path / "submissions", {"ada": solved(course)})
    assert command.main(["--course", str(own), "grade", str(folder)]) == 2
    error = capsys.readouterr().err
    assert "apt-get install bubblewrap" in error and "--no-sandbox" in error
    assert not (own / "grades.csv").exists()


def test_no_sandbox_grades_but_warns_for_every_submission_it_grades_again_only_when_forced(
        course, tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(batch, "bubblewrap", lambda: None)
    own = fresh_course(course, tmp_path)
    folder = write_submissions(tmp_path / "submissions", {"ada": solved(course), "bob": solved(course)})
    grade = ["--course", str(own), "grade", str(folder), "--no-sandbox", "--call-timeout", "3"]
    for options, graded in [([], True), ([], False), (["--force"], True)]:  # the second run has nothing new
        assert command.main(grade + options) == 0
        err = capfd.readouterr().err
        for learner in ("ada", "bob"):
            assert (f"WARNING: grading {learner}/{SAMPLE} WITHOUT a sandbox" in err) is graded
            assert float(grade_rows(own)[(learner, SAMPLE)]["total"]) == 2


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_at_least_one_worker(workers, course, tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr(batch, "grade", lambda *args, **kwargs: seen.update(kwargs) or 0)
    assert command.main(["--course", str(tmp_path), "grade", "--workers", workers]) == 0
    assert seen["workers"] == 1


@pytest.mark.parametrize("code, skipped", [
    ("widgets.line_fit_panel(x, y)", True), ("plots.some_fits(x, y, [1, 2])\n", True),
    ("k, m = plots.least_squares_line(x, y)", False), ("plots.a(x)\nb = 1", False), ("set_seed(0)", False),
    ("np.random.seed(1)", False), ("widgets.panel(x).update()", False), ("", False), ("plots.(", False),
    ('exercise_summary("predict", "mse")', True), ("predict(x, 1, 2)", False), ("exercise_summary = 1", False),
])
def test_only_the_instructors_cells_that_just_draw_are_left_out_while_grading(code, skipped):
    assert _only_draws(code) is skipped
