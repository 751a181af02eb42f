"""Hostile submissions, graded for real: the grader trusts nothing a learner's code says.

Every attacker is notebook 01 with `mse` solved honestly and `predict` replaced by an
attack; each must score 0 for predict and full marks for mse. A learner graded after
them all ("zz_victim", a correct notebook) must get full marks. Afterwards nothing an
attacker wrote may exist outside its sandbox, no process it started may still run,
and the gradebook's check cells and the package's files must be as they were.

Some attacks do fool the learner's own self-check in JupyterLab (where cheating only
fools the cheater): those are also run that way, to show each attack is real.
"""

import ast
import glob
import hashlib
import html
import json
import os
import re
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import nbformat
import numpy as np
import pytest

from grading_helpers import (
    SAMPLE,
    cell,
    fresh_course,
    grade_rows,
    require_bubblewrap,
    run_grade,
    solved,
    write_submissions,
)
from hostile_submissions import HOSTILE, NOTEBOOK_08, NOTEBOOK_09
from lecture_utils.checks import check_predict
from lecture_utils.checks.exercise import Exercise
from lecture_utils.checks.verdicts import CheckFailed
from lecture_utils.grading.course import exercises_of, read_notebook
from lecture_utils.grading.sandbox import Limits
from paths import ROOT

MARK = f"attack-{uuid.uuid4().hex[:10]}"  # in every file an attacker writes and every process it starts
THOROUGH_SIZES = [3, 50, 1, 2, 17, 200]   # the order in which check_predict draws, in thorough mode
WORKER_MEMORY = 256 << 20                 # bytes: the peak memory of a grader worker, whatever it grades

FOOL_THE_SELF_CHECK = {
    "rebinds_the_check": '''
def predict(x, k, m):
    return x
check_predict = lambda *args, **kwargs: print("✓ predict: correct")
''',
    "patches_numpy_and_the_checks": '''
import numpy as np
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda *args, **kwargs: np.array(True)
import lecture_utils.checks as all_checks
all_checks.check_predict = lambda *args, **kwargs: None
try:
    from lecture_utils.checks.exercise import Exercise
    Exercise.expect_array = lambda *args, **kwargs: None
except ImportError:
    pass
def predict(x, k, m):
    return x
''',
    "returns_an_array_equal_to_everything": '''
COMPARISONS = (np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal, np.isfinite)
class Yes(np.ndarray):
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        shape = np.broadcast_shapes(*(np.shape(i) for i in inputs))
        return np.ones(shape, bool) if ufunc in COMPARISONS else np.zeros(shape)
def predict(x, k, m):
    return np.zeros_like(x).view(Yes)
''',
    "reads_the_checks_frames": '''
import gc, inspect
def predict(x, k, m):
    for info in inspect.stack():
        for value in info.frame.f_locals.values():
            if hasattr(value, "expect_array"):
                value.expect_array = lambda *args, **kwargs: None
    for value in gc.get_objects():
        if type(value).__name__ == "Exercise":
            value.expect_array = lambda *args, **kwargs: None
    return x
''',
    "seeds_the_generator_and_replays": f'''
real_generator = np.random.default_rng
np.random.default_rng = lambda *args, **kwargs: real_generator(0)
recording = real_generator(0)
answers = []
for N in {THOROUGH_SIZES}:
    x_ = recording.uniform(20, 150, size=(N, 1))
    k_, m_ = recording.uniform(1, 5), recording.uniform(-50, 50)
    answers.append(x_ * k_ + m_)
def predict(x, k, m):
    return answers.pop(0)
''',
}


def attacks(course):
    """{learner: predict cell's new source} — the attacks that only matter while grading."""
    root, home = ROOT, Path.home()
    return {
        "transforms_the_check_cell_away": '''
FAKE = '{"status": "returned", "value": {"t": "none"}}'
def predict(x, k, m):
    return x
def hijack(lines):
    code = "".join(lines)
    if "check_predict" in code:
        return ["pass\\n"]
    if '"function": "predict"' in code:
        return ["__lecture_reply__ = FAKE\\n"]
    return lines
get_ipython().input_transformers_post.append(hijack)
''',
        "sends_malformed_messages_to_the_grader": '''
import json
def predict(x, k, m):
    for question in ("[1]", '{"reference": [1]}', '{"reference": "x", "args": 5}', "{"):
        input("lecture-grader-reference:" + question)
    kernel = get_ipython().kernel
    session, parent = kernel.session, kernel.get_parent("shell")["header"]
    def signed(kind, content, parent_header):  # with the kernel's key, but not a message's parts
        header = session.msg_header(kind)
        frames = [json.dumps(part, default=str).encode() for part in (header, parent_header, {}, content)]
        return [kind.encode(), b"<IDS|MSG>", session.sign(frames), *frames]
    kernel.iopub_socket.send_multipart([b"stream", b"<IDS|MSG>", b"not-the-signature", b"{}", b"{}", b"{}", b"{}"])
    for content in ([1, 2], "text", None, {"data": [1]}):
        kernel.iopub_socket.send_multipart(signed("execute_result", content, parent))
    kernel.iopub_socket.send_multipart(signed("status", {"execution_state": "idle"}, [1]))
    return x
''',
        "calls_the_package_solution": '''
from lecture_utils.lessons.linear_regression import predict as solution
def predict(x, k, m):
    return solution(x, np.array([[k]]), m)
''',
        "calls_the_checks_reference": '''
def predict(x, k, m):
    from lecture_utils.checks.training import reference_forward
    return x * k + m if reference_forward else x
''',
        "copies_another_learners_answer": f'''
import glob
def predict(x, k, m):
    for path in glob.glob("{course}/submitted/*/{SAMPLE}/*.ipynb") + glob.glob("/home/**/*.ipynb", recursive=True):
        if "zz_victim" in path or "correct" in path:
            source = [c["source"] for c in __import__("json").load(open(path))["cells"]
                      if "def predict" in c["source"]][0]
            found = {{}}
            exec(source, found)
            return found["predict"](x, k, m)
    return x
''',
        "overwrites_the_learner_after_it": f'''
import glob, json
def predict(x, k, m):
    for path in glob.glob("{course}/submitted/zz_victim/**/*.ipynb", recursive=True) + \\
            glob.glob("{course.parent}/submissions/zz_victim/*.ipynb"):
        try:
            open(path, "w").write("{{}}")
        except OSError:
            pass
    return x
''',
        "rewrites_the_gradebook": f'''
import sqlite3
def predict(x, k, m):
    try:
        db = sqlite3.connect("{course}/gradebook.db")
        db.execute("update source_cell set source = 'pass'")
        db.execute("update grade set auto_score = 100")
        db.commit()
    except Exception:
        pass
    return x
''',
        "leaves_a_process_to_rewrite_grades": f'''
import os, subprocess, time
subprocess.Popen(["/bin/sh", "-c", "sleep 6; echo hacked > {course}/grades.csv # {MARK}"],
                 start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
def predict(x, k, m):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(6)
            open("{course}/grades.csv", "w").write("hacked")
            os._exit(0)
        os._exit(0)
    return x
''',
        "edits_the_installed_checks": f'''
import lecture_utils, pathlib
def predict(x, k, m):
    for folder in [pathlib.Path(lecture_utils.__file__).parent, pathlib.Path("{root}/lecture_utils")]:
        try:
            (folder / "checks" / "linear_regression.py").write_text("def check_predict(*a, **k): pass\\n")
        except OSError:
            pass
    return x
''',
        "kills_the_grader": '''
import os, signal
def predict(x, k, m):
    for pid in [os.getppid(), 1] + [int(p) for p in os.listdir("/proc") if p.isdigit()]:
        if pid != os.getpid():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    os.kill(os.getpid(), signal.SIGKILL)
''',
        "uses_the_network": '''
import json, socket, urllib.request
def predict(x, k, m):
    try:
        urllib.request.urlopen("https://pypi.org", timeout=1)
    except Exception:
        pass
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=1) as connection:
            connection.sendall(json.dumps([x.tolist(), k, m]).encode() + b"\\n")
            return np.array(json.loads(connection.makefile().readline()))
    except OSError:
        return x
''',
        "takes_all_memory": '''
def predict(x, k, m):
    hoard = []
    while True:
        hoard.append(np.ones(50_000_000))
''',
        "loops_ignoring_interrupts": '''
import signal
def predict(x, k, m):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            pass
        except BaseException:
            pass
''',
        "forks_without_end": '''
import os, time
def predict(x, k, m):
    try:
        for _ in range(5000):
            if os.fork() == 0:
                time.sleep(120)
                os._exit(0)
    except OSError:
        pass
    return x
''',
        "writes_a_huge_file": '''
def predict(x, k, m):
    with open("huge.bin", "wb") as f:
        for _ in range(200):
            f.write(b"0" * (1 << 20))
    return x
''',
        "prints_a_script_into_the_feedback": '''
print("<script>alert('from a submission')</script>")
def predict(x, k, m):
    raise ValueError("<img src=x onerror=alert(1)>")
''',
        "reads_the_graders_files_and_environment": f'''
import os
print(sorted(os.environ.items()))
print(os.listdir("/"))
for path in ["{course}/source/{SAMPLE}/{SAMPLE}.ipynb", "{root}/notebooks/{SAMPLE}.ipynb", "{home}/.bashrc"]:
    try:
        print(open(path).read()[:20000])
    except OSError as error:
        print("cannot read", path, error)
for place in ["/tmp", "{home}", "{course}", "{root}", "{course.parent}", "."]:
    try:
        open(os.path.join(place, "{MARK}-written"), "w").write("x")
    except OSError:
        pass
def predict(x, k, m):
    return x
''',
    }


class AnswerServer:
    """A TCP server on the host's loopback that would compute predict's answer for a caller."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with connection:
                x, k, m = json.loads(connection.makefile().readline())
                connection.sendall(json.dumps((np.array(x) * k + m).tolist()).encode() + b"\n")


def tree_digest(*folders):
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            if "__pycache__" not in path.parts:
                digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def gradebook_cells(course):
    with sqlite3.connect(course / "gradebook.db") as db:
        return sorted(db.execute("select name, source, checksum from source_cell").fetchall())


def surviving_processes(scratch):
    """Host processes this batch's attackers started: with the mark, or a sandbox of the batch (its bwrap command
    names the package copy in the batch's scratch folders); not the kernels of other batches on the machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if MARK in command or any(folder in command for folder in scratch):
                found.append(command)
    return found


@pytest.fixture(scope="session")
def attacked(course, tmp_path_factory, timings):
    require_bubblewrap()
    tmp = tmp_path_factory.mktemp("attacks")
    own = fresh_course(course, tmp)
    server = AnswerServer()
    batch = {}
    for learner, source in {**FOOL_THE_SELF_CHECK, **attacks(own)}.items():
        notebook = solved(course)
        cell(notebook, "predict").source = source.replace("PORT", str(server.port))
        batch[learner] = notebook
    kill_cell = solved(course)  # a cell (not a function) that ends its kernel: skipped after a restart
    kill_cell.cells.insert(3, nbformat.v4.new_code_cell("import os\nos._exit(3)"))
    batch["kills_its_kernel_in_a_cell"] = kill_cell
    batch["zz_victim"] = solved(course)
    nine = solved(course, "09_live_coding")
    cell(nine, "training_step").source = ("from lecture_utils.checks.training import reference_training_step\n"
                                          "def training_step(params, X, y, lr):\n"
                                          "    return reference_training_step(params, X, y, lr)\n")
    batch["calls_the_reference_training_step"] = {"09_live_coding": nine}
    for learner, hostile in HOSTILE.items():
        batch[learner] = hostile.notebooks(course)
    folder = write_submissions(tmp / "submissions", batch)
    before = {"gradebook": gradebook_cells(own), "package": tree_digest(ROOT / "lecture_utils")}
    peaks = {}
    started, clock = time.perf_counter(), time.time()
    done = run_grade(own, folder, "--workers", "2", "--call-timeout", "3",
                     env={"GRADER_SECRET": f"{MARK}-secret"}, peaks=peaks)
    timings[f"grading {sum(1 for _ in folder.glob('*/*.ipynb'))} hostile submissions (2 workers)"] = \
        time.perf_counter() - started
    grades_right_after = (own / "grades.csv").read_text()
    time.sleep(8)  # longer than any delayed write an attacker planned
    return {"done": done, "course": own, "rows": grade_rows(own), "before": before, "server": server,
            "grades_right_after": grades_right_after, "tmp": tmp, "learners": set(batch), "peaks": peaks,
            "started": clock}


def test_the_batch_completes_with_a_row_for_every_submission(attacked):
    assert attacked["done"].returncode == 0, attacked["done"].stderr[-3000:]
    graded = {learner for (learner, notebook), row in attacked["rows"].items() if row["status"] != "not submitted"}
    assert graded == attacked["learners"]


@pytest.mark.parametrize("learner", sorted(FOOL_THE_SELF_CHECK) + sorted(attacks(Path("/course"))))
def test_an_attack_scores_nothing_where_it_attacks_and_full_marks_where_it_is_honest(attacked, learner):
    row = attacked["rows"][(learner, SAMPLE)]
    assert (float(row["predict"]), float(row["mse"])) == (0.0, 1.0), row


def test_a_cell_that_kills_its_kernel_costs_nothing(attacked):
    row = attacked["rows"][("kills_its_kernel_in_a_cell", SAMPLE)]
    assert float(row["total"]) == 2.0 and "stopped its kernel" in row["status"]


def test_the_checks_references_are_not_in_the_sandbox(attacked):
    row = attacked["rows"][("calls_the_reference_training_step", "09_live_coding")]
    assert (float(row["training_step"]), float(row["train_network"])) == (0.0, 2.0)


def test_the_learner_graded_after_them_all_is_unaffected(attacked):
    row = attacked["rows"][("zz_victim", SAMPLE)]
    assert float(row["total"]) == 2.0 and row["status"] == "graded"


def test_a_hanging_or_dying_call_costs_only_its_exercise_and_says_so(attacked):
    rows = attacked["rows"]
    verdicts = (attacked["course"] / "feedback" / "loops_ignoring_interrupts" / SAMPLE / f"{SAMPLE}.html").read_text()
    assert "It did not finish within 3 s." in verdicts
    killed = (attacked["course"] / "feedback" / "kills_the_grader" / SAMPLE / f"{SAMPLE}.html").read_text()
    assert "Its kernel stopped while it ran" in killed
    memory = (attacked["course"] / "feedback" / "takes_all_memory" / SAMPLE / f"{SAMPLE}.html").read_text()
    assert "MemoryError" in memory or "Its kernel stopped" in memory
    assert float(rows[("writes_a_huge_file", SAMPLE)]["mse"]) == 1.0


def test_nothing_an_attacker_wrote_is_outside_its_sandbox(attacked):
    places = [Path("/tmp"), Path.home(), ROOT, attacked["course"].parent]
    written = [str(path) for place in places for path in place.glob(f"{MARK}*")]
    written += [str(path) for path in attacked["course"].rglob(f"{MARK}*")]
    assert written == []
    assert (attacked["course"] / "grades.csv").read_text() == attacked["grades_right_after"]
    assert "hacked" not in attacked["grades_right_after"]
    assert json.loads((attacked["tmp"] / "submissions" / "zz_victim" / f"{SAMPLE}.ipynb").read_text())["cells"]


def test_no_process_an_attacker_started_survives_the_batch(attacked):
    scratch = {str(Path(job).parent.parent) for _, _, job in attacked["peaks"].values() if job}
    assert scratch and surviving_processes(scratch) == []


def test_the_gradebook_checks_and_the_installed_package_are_unchanged(attacked):
    assert gradebook_cells(attacked["course"]) == attacked["before"]["gradebook"]
    assert tree_digest(ROOT / "lecture_utils") == attacked["before"]["package"]


def test_no_network_reached_the_host(attacked):
    assert attacked["server"].connections == 0


def test_feedback_escapes_the_submission_and_shows_none_of_the_graders_secrets(attacked):
    course = attacked["course"]
    page = (course / "feedback" / "prints_a_script_into_the_feedback" / SAMPLE / f"{SAMPLE}.html").read_text()
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "default-src 'none'" in page
    snooper = (course / "feedback" / "reads_the_graders_files_and_environment" / SAMPLE / f"{SAMPLE}.html").read_text()
    assert "cannot read" in snooper and f"{MARK}-secret" not in snooper and "BEGIN SOLUTION" not in snooper


@pytest.mark.parametrize("learner", sorted(FOOL_THE_SELF_CHECK))
def test_the_same_attack_does_fool_the_learners_own_self_check(learner, capsys):
    """Where cheating fools only the cheater: run in-process, as in JupyterLab, the attack passes."""
    namespace = {"np": np, "check_predict": check_predict, "__name__": "__main__"}
    exec(FOOL_THE_SELF_CHECK[learner], namespace)
    check = namespace["check_predict"]
    try:
        check(namespace["predict"], thorough=True)
    except CheckFailed:
        pytest.fail(f"{learner} did not fool the self-check: {capsys.readouterr().out}")
    finally:  # undo the attack's patches of this process
        np.allclose, np.isclose, np.random.default_rng = _NUMPY
        sys.modules["lecture_utils.checks"].check_predict = check_predict
        Exercise.expect_array = _EXPECT_ARRAY


_NUMPY = (np.allclose, np.isclose, np.random.default_rng)
_EXPECT_ARRAY = Exercise.expect_array


# --- submissions that earn marks without the work, or spend what is not theirs (hostile_submissions.py) ----------

def exercise_points(name):
    """{column: points} of a notebook's exercises, from the instructor's source."""
    return {exercise.column: exercise.points for exercise in exercises_of(read_notebook(ROOT / "notebooks" /
                                                                                        f"{name}.ipynb"))}


@pytest.mark.parametrize("learner", sorted(HOSTILE))
def test_a_hostile_submission_scores_nothing_for_the_work_it_did_not_do_and_full_marks_for_the_rest(attacked,
                                                                                                    learner):
    hostile = HOSTILE[learner]
    for notebook in {*hostile.replaced, *hostile.added}:
        row = attacked["rows"][(learner, notebook)]
        expected = {column: 0.0 if column in hostile.attacked.get(notebook, ()) else points
                    for column, points in exercise_points(notebook).items()}
        assert {column: float(row[column]) for column in expected} == expected, row


def test_a_learner_graded_beside_one_that_fills_every_disk_it_can_gets_full_marks(attacked):
    row = attacked["rows"][("ab_graded_beside_the_disk_filler", NOTEBOOK_09)]
    assert row["status"] == "graded" and float(row["total"]) == float(row["max"]), row
    filler = html.unescape(feedback(attacked, "aa_fills_the_disk", SAMPLE))
    written = ast.literal_eval(re.search(r"MiB written: (\{.*?\})", filler).group(1))
    limits = Limits()
    assert written["/home/learner"][0] <= limits.folder_size >> 20 and written["/tmp"][0] <= limits.tmp_size >> 20
    assert written["/dev/shm"][0] <= limits.shm_size >> 20 and written["/"] == (0, "Read-only file system"), written
    assert {why for place, (_, why) in written.items() if place != "/"} == {"No space left on device"}, written


def test_the_graders_workers_stay_under_their_memory_bound_while_a_submission_prints_gigabytes(attacked, timings):
    """WORKER_MEMORY bounds each grader worker, whatever its submission printed, sent or asked."""
    workers = {graded: peak for peak, graded, job in attacked["peaks"].values() if job}
    assert f"prints_gigabytes/{SAMPLE}" in workers and f"asks_a_huge_reference_question/{NOTEBOOK_08}" in workers
    timings["the largest peak memory of a grader worker (MiB, not seconds)"] = max(workers.values()) / (1 << 20)
    assert max(workers.values()) < WORKER_MEMORY, sorted(workers.items(), key=lambda item: -item[1])[:3]


def test_what_a_submission_prints_raises_or_returns_reaches_the_feedback_cut(attacked):
    for learner, notebook in [("prints_gigabytes", SAMPLE), ("forges_a_huge_error", SAMPLE),
                              ("returns_a_huge_set", SAMPLE), ("asks_a_huge_reference_question", NOTEBOOK_08)]:
        page = feedback(attacked, learner, notebook)
        assert len(page) < 4 * Limits().notebook_output, (learner, len(page))
    assert "not kept" in feedback(attacked, "prints_gigabytes", SAMPLE)


def test_a_submission_that_makes_deep_and_odd_folders_is_graded_and_leaves_nothing(attacked):
    row = attacked["rows"][("deep_and_odd_folders", SAMPLE)]
    assert row["status"] == "graded" and float(row["total"]) == 2.0
    assert "made 1500 nested folders" in feedback(attacked, "deep_and_odd_folders", SAMPLE)
    temp = tempfile.gettempdir()
    left = [path for path in glob.glob(f"{temp}/learner-*/deep") + glob.glob(f"{temp}/*/learner-*/deep")
            if os.stat(path).st_mtime >= attacked["started"]]  # made while this batch was graded
    assert left == []


def feedback(attacked, learner, notebook):
    return (attacked["course"] / "feedback" / learner / notebook / f"{notebook}.html").read_text()
