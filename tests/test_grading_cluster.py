"""Grading on a real Dask cluster on 127.0.0.1 (a scheduler and 2 single-thread workers, tests/dask_cluster.py).

The grade command with --scheduler gives the sample batch of 01 the grades this machine gives it,
even when a worker is killed while it grades; a submission that kills every worker it lands on ends
as a `not graded` row and exit 1 after a bounded number of tries; a worker whose package has another
version is refused, and says why.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from grading_helpers import SAMPLE, fresh_course, grade_rows, require_bubblewrap, samples, solved, write_submissions
from lecture_utils import __version__
from worker_faults import KILLS_ITS_WORKER

pytestmark = pytest.mark.cluster
COMPARED = ["status", "predict", "mse", "total", "max"]


def grade_on(cluster, course, folder):
    command = [sys.executable, "-m", "lecture_utils.grading", "--course", str(course), "grade", str(folder),
               "--scheduler", cluster.address, "--call-timeout", "3"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=course.parent)


def kill_a_worker_while_it_grades(cluster, grading):
    """Wait until a worker runs a task, SIGKILL that worker process; return (its address, the task it ran)."""
    with cluster.client() as client:
        while grading.poll() is None:
            busy = {worker: keys for worker, keys in client.processing().items() if keys}
            if busy:
                worker, keys = next(iter(busy.items()))
                pid = client.run(os.getpid, workers=[worker])[worker]
                os.kill(pid, signal.SIGKILL)
                return worker, keys[0]
            time.sleep(0.1)
    pytest.fail("the batch ended before any worker ran a task")


@pytest.fixture(scope="module")
def on_the_cluster(course, dask_cluster, tmp_path_factory, timings):
    """The sample batch of 01 graded on the cluster, one worker killed while it grades."""
    require_bubblewrap()
    tmp = tmp_path_factory.mktemp("cluster-samples")
    folder = write_submissions(tmp / "submissions", {learner: notebook for learner, (notebook, _, _)
                                                     in samples(course).items()})
    own = fresh_course(course, tmp)
    start = time.perf_counter()
    grading = grade_on(dask_cluster, own, folder)
    killed = kill_a_worker_while_it_grades(dask_cluster, grading)
    out, err = grading.communicate(timeout=900)
    timings["the 8 samples of 01 graded on the cluster, a worker killed"] = time.perf_counter() - start
    return own, grading.returncode, err, killed


def test_the_cluster_grades_the_samples_as_this_machine_does(on_the_cluster, graded):
    course, returncode, err, _ = on_the_cluster
    _, batch, here = graded
    assert returncode == 0, err[-3000:]
    there = grade_rows(course)
    assert {key for key in there} == {(learner, SAMPLE) for learner in batch}
    for key, row in there.items():
        assert {c: row[c] for c in COMPARED} == {c: here[key][c] for c in COMPARED}, key


def test_a_worker_killed_while_it_grades_costs_no_submission_anything(on_the_cluster, dask_cluster):
    course, returncode, err, (worker, task) = on_the_cluster
    assert task.startswith("grade_on_worker-")
    assert "was killed by signal 9" in dask_cluster.log()  # its nanny saw it die, and started it again
    rows = grade_rows(course)
    assert len(rows) == 8 and not [key for key, row in rows.items() if row["status"].startswith("not graded")]
    assert returncode == 0, err[-3000:]


@pytest.fixture(scope="module")
def with_a_killer_and_an_old_worker(course, dask_cluster, tmp_path_factory):
    """{killer, honest} graded on the cluster joined by a worker whose package is another version."""
    require_bubblewrap()
    tmp = tmp_path_factory.mktemp("cluster-killer")
    import lecture_utils

    old = tmp / "old" / "lecture_utils"
    shutil.copytree(os.path.dirname(lecture_utils.__file__), old, ignore=shutil.ignore_patterns("__pycache__"))
    init = old / "__init__.py"
    init.write_text(init.read_text().replace(f'__version__ = "{__version__}"', '__version__ = "0.0.1"'))
    assert '__version__ = "0.0.1"' in init.read_text()
    with dask_cluster.client() as client:
        before = set(client.scheduler_info()["workers"])
    old_worker = dask_cluster.start_worker(env={"PYTHONPATH": str(old.parent)}, name="old-worker")
    with dask_cluster.client() as client:
        client.wait_for_workers(len(before) + 1, timeout=120)
        address = (set(client.scheduler_info()["workers"]) - before).pop()
    killer = solved(course)
    killer.cells.append(nbformat.v4.new_markdown_cell(KILLS_ITS_WORKER))
    folder = write_submissions(tmp / "submissions", {"killer": killer, "honest": solved(course)})
    own = fresh_course(course, tmp)
    grading = grade_on(dask_cluster, own, folder)
    out, err = grading.communicate(timeout=900)
    with dask_cluster.client() as client:
        tasks_it_ran = client.run(lambda dask_worker: dask_worker.state.executed_count, workers=[address])[address]
    os.killpg(old_worker.pid, signal.SIGTERM)
    old_worker.wait(timeout=60)
    return own, grading.returncode, err, address, tasks_it_ran


def test_a_submission_that_kills_every_worker_it_lands_on_is_not_graded_and_the_command_fails(
        with_a_killer_and_an_old_worker):
    course, returncode, err, _, _ = with_a_killer_and_an_old_worker
    rows = grade_rows(course)
    assert rows[("killer", SAMPLE)]["status"] == (
        "not graded: every worker that graded it died (2 of them): it may crash the grader; grade it alone to see why")
    assert float(rows[("killer", SAMPLE)]["total"]) == 0
    assert rows[("honest", SAMPLE)]["status"] == "graded" and float(rows[("honest", SAMPLE)]["total"]) == 2
    assert len(rows) == 2
    assert returncode == 1
    assert "killer/01_linear_regression: not graded: every worker that graded it died" in err


def test_a_worker_with_another_package_version_is_refused_and_grades_nothing(with_a_killer_and_an_old_worker):
    _, _, err, address, tasks_it_ran = with_a_killer_and_an_old_worker
    assert f"worker {address} refused: its lecture_utils is version 0.0.1, the grader's is {__version__}" in err
    assert tasks_it_ran == 0
