"""Grade one submitted notebook: its cells in a sandboxed kernel, its exercises checked here.

    result = grade_submission(path, source, packages, settings)

The learner's code cells run in order in their kernel: locked cells as the
instructor's source has them, check cells not at all. Right after the cell that
precedes a check cell in the source (its solution cell) — where the learner's own check
runs in JupyterLab — the grader runs that exercise's check in this process, on the
learner's function in the kernel (kernel.InKernel). Points come from the exercise
and the verdict, never from what a check cell in the submission printed: deleting,
editing or skipping a check cell changes nothing.

A cell or a call that hangs past its time limit, or kills its kernel, costs that
exercise (or nothing, for a cell): the kernel is started again, the cells before
that point run again, and grading goes on with the next exercise.

Exercises that put off limits what another one is meant to use (e.g. Tensor.backward)
are graded in separate kernels, each importing its own package copy.

Also a command, so that the batch can grade several submissions at once, each in its
own process: `python -m lecture_utils.grading.grade_one JOB.json RESULT.json`.
"""

import ast
import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from .. import checks
from ..checks.exercise import recording
from ..checks.verdicts import CheckFailed, Verdict
from .course import NotANotebook, exercises_of, nbgrader_cell, read_notebook
from .kernel import InKernel, Kernel, KernelLost
from .results import GRADED, NOT_A_NOTEBOOK, NOT_GRADED, graded_record, ungraded_record, with_reason
from .sandbox import Limits, Sandbox
from .sandbox_package import package_spec
from .unavailable import is_unavailable

__all__ = ["GradingSettings", "grade_submission", "kernel_groups", "off_limits_of", "allowed_of"]

MAX_RESTARTS = 6
VERDICT_TEXT = 1_000  # characters kept of a verdict's message and of its hint


@dataclass(frozen=True)
class GradingSettings:
    """How to grade. call_timeout: seconds per call of a learner's function; cell_timeout: per cell."""

    call_timeout: float = 10.0
    cell_timeout: float = 20.0
    isolated: bool = True
    limits: Limits = Limits()


def off_limits_of(exercise):
    """(off_limits, uses) declared beside the exercise's check (checks/*.py, @grading)."""
    check = getattr(checks, exercise.check, None)
    return tuple(getattr(check, "off_limits", ())), tuple(getattr(check, "uses", ()))


def allowed_of(exercises):
    """What a notebook's cells may use of the package while grading: the ALLOWED_WHILE_GRADING
    declared beside its checks (checks/*.py), and what its exercises are meant to use."""
    allowed = set()
    for exercise in exercises:
        check = getattr(checks, exercise.check, None)
        allowed |= set(getattr(sys.modules.get(getattr(check, "__module__", "")), "ALLOWED_WHILE_GRADING", ()))
        allowed |= set(off_limits_of(exercise)[1])
    return allowed


def kernel_groups(exercises):
    """The exercises of one notebook split into runs of it that can share a kernel, in order.

    An exercise joins the current group unless it puts off limits what the group uses,
    or uses what the group puts off limits. Returns [(exercises, package spec)]: the spec
    (sandbox_package.package_spec) of the package copy the group's kernel imports.
    """
    groups = []
    for exercise in exercises:
        banned, used = map(set, off_limits_of(exercise))
        if groups and not (banned & groups[-1]["uses"]) and not (used & groups[-1]["off_limits"]):
            group = groups[-1]
        else:
            group = {"exercises": [], "off_limits": set(), "uses": set()}
            groups.append(group)
        group["exercises"].append(exercise)
        group["off_limits"] |= banned
        group["uses"] |= used
    allowed = allowed_of(exercises)
    return [(g["exercises"], package_spec(allowed, g["off_limits"])) for g in groups]


def grade_submission(path, source, packages, settings=GradingSettings()):
    """The record of grading one submission (plain data: results.py describes it).

    path: the submitted notebook; source: the instructor's notebook (course.read_notebook);
    packages: {package spec (kernel_groups): folder holding that package copy}.
    """
    exercises = exercises_of(source)
    try:
        cells = _cells_to_run(read_notebook(path), source)
    except NotANotebook as error:
        return graded_record(with_reason(NOT_A_NOTEBOOK, _short(error)), exercises, {}, [])
    verdicts, log = {}, []
    for group, spec in kernel_groups(exercises):
        sandbox = Sandbox(path, packages[spec], settings.limits, settings.isolated)  # its folder: only its notebook
        kernel = Kernel(sandbox)
        try:
            kernel.start()
        except KernelLost as lost:  # before any learner code ran: the grader failed, not the learner
            return ungraded_record(with_reason(NOT_GRADED, _short(f"its kernel did not start ({lost})")), exercises)
        else:
            _run(kernel, cells, group, settings, verdicts, log)
        finally:
            kernel.stop()
            sandbox.close()
    problems = [entry["problem"] for entry in log if entry.get("problem")]
    status = GRADED if not problems else f"{GRADED}; " + "; ".join(dict.fromkeys(problems))
    return graded_record(_short(status, 300), exercises, verdicts, _cell_outputs(log))


def _cells_to_run(notebook, source):
    """[(cell number, grade_id or None, code)] of the submission's code cells, in order: locked
    cells as the source has them, check cells left out (the grader checks every exercise itself),
    and the source's locked cells that only draw a picture left out too (see _only_draws)."""
    locked = {nbgrader_cell(c)["grade_id"]: c["source"] for c in source["cells"]
              if nbgrader_cell(c).get("locked") and nbgrader_cell(c).get("grade_id")}
    graded = {nbgrader_cell(c).get("grade_id") for c in source["cells"] if nbgrader_cell(c).get("grade")}
    cells = []
    for number, cell in enumerate(notebook["cells"], start=1):
        grade_id = nbgrader_cell(cell).get("grade_id")
        if cell["cell_type"] != "code" or grade_id in graded or _only_draws(locked.get(grade_id)):
            continue
        cells.append((number, grade_id, locked.get(grade_id, cell["source"])))
    return cells


def _only_draws(code):
    """Is this (instructor's) code one call of a plot or a panel, `plots.x(...)` or `widgets.x(...)`,
    or the notebook's closing `exercise_summary(...)`?

    By the package's design a plot function and a panel compute nothing and change nothing:
    such a cell only shows a picture, so grading does not need to draw it. The summary only
    lists the verdicts of the learner's own kernel; the grader computes its own.
    """
    try:
        body = ast.parse(code).body if code else []
    except SyntaxError:
        return False
    if len(body) != 1 or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Call):
        return False
    function = body[0].value.func
    if isinstance(function, ast.Name):
        return function.id == "exercise_summary"
    return (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
            and function.value.id in ("plots", "widgets"))


def _steps(cells, exercises):
    """[("cell", (number, code)) or ("check", exercise)]: each check right after its anchor cell
    (where the learner's check cell runs), the checks whose anchor is missing at the end."""
    steps, pending = [], list(exercises)
    for number, grade_id, code in cells:
        steps.append(("cell", (number, code)))
        for exercise in [e for e in pending if grade_id is not None and e.anchor == grade_id]:
            steps.append(("check", exercise))
            pending.remove(exercise)
    return steps + [("check", exercise) for exercise in pending]


def _run(kernel, cells, group, settings, verdicts, log):
    """Run the steps in one started kernel; after a hang or a crash, start it again and go on."""
    steps = _steps(cells, group)
    lost_cells = set()  # steps whose cell hung or ended the kernel: never run again
    unset = set()       # names that cells stopped at an off-limits function never assigned
    position, restarts = 0, 0
    while position < len(steps):
        kind, item = steps[position]
        if kind == "check":
            if item.column not in verdicts:
                verdicts[item.column] = _check(kernel, item, settings)
        elif position not in lost_cells and _run_cell(kernel, item, settings, log, unset):
            lost_cells.add(position)
        position += 1
        while kernel.lost:  # start again, and bring the kernel back to where it was
            restarts += 1
            unchecked = [e for k, e in steps[position:] if k == "check"]
            if restarts > MAX_RESTARTS:
                return _give_up(unchecked, verdicts, log, "its kernel had to be started again too often")
            try:
                kernel.restart()
            except KernelLost as lost:
                return _give_up(unchecked, verdicts, log, f"the kernel did not start again ({lost})")
            for replay in range(position):
                kind, item = steps[replay]
                if kind == "cell" and replay not in lost_cells and _run_cell(kernel, item, settings, unset=unset):
                    lost_cells.add(replay)
                    break


def _run_cell(kernel, cell, settings, log=None, unset=None):
    """Run one cell (and log what it printed); True if it hung or ended its kernel.

    A cell that stops at a function off limits while grading (e.g. notebook 07's backward
    steps, made with the package's `backward_steps`) is not logged, nor a later cell that stops
    only because a name such a cell assigns is missing (`unset`, a set this adds to): in
    JupyterLab they run, and where the learner's answer called a solution, its verdict says so.
    """
    number, code = cell
    run = kernel.run_cell(code, settings.cell_timeout)
    lost = run.status in ("timed out", "kernel died")
    unset = set() if unset is None else unset
    if run.status == "error" and (is_unavailable(run.error) or _missing_name(run.error) in unset):
        unset |= _assigned_names(code)
        return lost
    if log is not None:
        room = settings.limits.notebook_output - sum(len(entry.get("output", "")) for entry in log)
        output = run.output if len(run.output) <= room else \
            run.output[:max(room, 0)] + "\n… (not kept: the notebook's output reached its limit)"
        log.append({"cell": number, "status": run.status, "output": output})
        if lost:
            log[-1]["problem"] = f"cell {number} {'timed out' if run.status == 'timed out' else 'stopped its kernel'}"
    return lost


def _missing_name(error):
    """'x' for "NameError: name 'x' is not defined", else None."""
    found = re.fullmatch(r"NameError: name '(\w+)' is not defined", error)
    return found and found.group(1)


def _assigned_names(code):
    """The names a cell's code assigns (at any depth; none if it does not parse)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _check(kernel, exercise, settings):
    """The verdict of one exercise's check, run here on the learner's function in the kernel."""
    check = getattr(checks, exercise.check, None)
    if check is None:
        return Verdict(exercise.column, "error", f"the grader has no check {exercise.check}")
    learner = InKernel(kernel, exercise.function, timeout=settings.call_timeout * getattr(check, "time_factor", 1.0))
    with recording() as recorded:
        try:
            check(learner, thorough=True)
        except CheckFailed:
            pass
        except Exception as error:  # a check that could not judge this answer: nobody's points
            reason = f"the check could not run: {type(error).__name__}: {error}"
            return Verdict(exercise.column, "error", _short(reason))
    if not recorded:
        return Verdict(exercise.column, "error", "the check gave no verdict")
    verdict = recorded[-1]  # its texts may quote what the learner's code returned or raised: cut
    hint = verdict.hint and _cut(verdict.hint, VERDICT_TEXT)
    return replace(verdict, message=_cut(verdict.message, VERDICT_TEXT), hint=hint)


def _give_up(exercises, verdicts, log, why):
    """Stop: the exercises not yet checked score 0, and say why."""
    log.append({"problem": why})
    for exercise in exercises:
        verdicts.setdefault(exercise.column, Verdict(exercise.column, "not graded", why))


def _cell_outputs(log):
    """One logged run per cell, in the notebook's order: its first run that went well, else its first.

    Each kernel group runs the notebook again, and a cell can fail in one group only because of
    what that group puts off limits (or a cell before it did): the learner sees the run that went well.
    """
    chosen = {}
    for entry in (e for e in log if "cell" in e):
        if entry["cell"] not in chosen or (chosen[entry["cell"]]["status"] != "ok" and entry["status"] == "ok"):
            chosen[entry["cell"]] = entry
    return [chosen[number] for number in sorted(chosen)]


def _cut(text, length):
    text = str(text)
    return text if len(text) <= length else text[:length - 1] + "…"


def _short(text, length=200):
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[:length - 1] + "…"


def main(argv=None):
    """Worker: read a job (paths and settings, JSON), grade it, write the result (JSON)."""
    job_path, result_path = (argv or sys.argv[1:])[:2]
    job = json.loads(Path(job_path).read_text())
    source = job["source"]
    packages = {frozenset(entry["spec"]): entry["folder"] for entry in job["packages"]}
    limits = Limits(**job["limits"])
    settings = GradingSettings(job["call_timeout"], job["cell_timeout"], job["isolated"], limits)
    result = grade_submission(job["path"], source, packages, settings)
    Path(result_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
