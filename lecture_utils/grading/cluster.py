"""Grading on a Dask cluster: each submission one task, on workers that proved they grade as this grader does.

    grade_on_cluster("tcp://scheduler:8786", jobs, payload_of, on_done, settings, say=print)

Workers run `dask worker ADDRESS --nworkers N --nthreads 1` (one sandbox at a time each),
with this package and its instructor extra installed. Before its first task every worker,
those there now and those that join later, runs WorkerCheck: its package's version and
the digest of its code and checks must equal the grader's (task.identity), and a learner's
kernel must start in its sandbox with the grader's settings (task.Grader.prove). A worker
that passes is given the resource `lecture-grader-<grader id>`, which every task asks for; a
worker that fails is refused — it gets no task, and the grade command prints why.

Each task is task.Grader.grade on one payload (JSON text in, the record's JSON text out).
Only as many tasks are on the cluster at once as there are workers that passed, so that a
worker's death touches only the submission it was grading, and the payloads wait here,
not in the scheduler's memory. A task whose grading process dies is tried again, on any
worker (Dask's retries: TRIES in all); a task whose worker dies is given to another,
and after the scheduler's `distributed.scheduler.allowed-failures` deaths (3 unless its
configuration says otherwise) it ends, as a submission that could not be graded.

The connection uses Dask's configuration: TLS certificates and keys, when the cluster
uses them, come from it (`distributed.comm.tls.*`, see the README).
"""

import asyncio
import logging
import time
from concurrent.futures import CancelledError

try:
    from distributed import Client, KilledWorker, WorkerPlugin, as_completed, get_worker
except ImportError as error:  # the learners' environment
    raise ImportError('grading on a Dask cluster needs dask distributed: pip install "lecture-utils[instructor]" '
                      "(in the repository: `make grade SCHEDULER=...` uses the test environment).") from error

from .local import TRIES  # noqa: E402
from .sandbox import SandboxUnavailable  # noqa: E402
from .task import CannotGrade, Grader, GraderFailed, WorkerRefused, difference, grader_id, identity  # noqa: E402

__all__ = ["grade_on_cluster", "WorkerCheck", "ClusterUnavailable", "grade_on_worker"]

TOPIC = "lecture-grading"  # the event topic on which a worker says why it was refused
LARGE_PAYLOAD = 1 << 20    # bytes: a larger payload travels to its worker apart from the task (scatter)
logger = logging.getLogger(__name__)


class ClusterUnavailable(CannotGrade):
    """No worker of the cluster can grade (each one's reason in the message)."""


class WorkerCheck(WorkerPlugin):
    """Run on every worker before its first task (see the module's docstring); its grader grades the tasks."""

    def __init__(self, expected, settings, name):
        self.expected, self.settings, self.name = expected, settings, name
        self.refused = None  # None until set up, then "" (passed) or why it was refused
        self.grader = None

    async def setup(self, worker):
        why = await asyncio.get_running_loop().run_in_executor(None, self._why_refused)
        self.refused = why or ""
        if why:
            logger.error("this worker may not grade for lecture_utils: %s", why)
            worker.log_event(TOPIC, {"worker": worker.address, "refused": why})
        await worker.set_resources(**{self.name: 0 if why else 1})

    def _why_refused(self):
        try:
            why = difference(identity(), self.expected)
            if why:
                return why
            self.grader = Grader()
            self.grader.prove(self.settings)
        except SandboxUnavailable as error:
            return f"its sandbox does not work: {error}"
        except Exception as error:  # e.g. its package cannot be read or copied
            return f"it cannot grade: {type(error).__name__}: {error}"
        return None

    async def teardown(self, worker):
        if self.grader is not None:
            self.grader.close()
        try:
            await worker.set_resources(**{self.name: 0})
        except Exception:  # the worker is closing, or the scheduler is gone: no task comes any more
            pass


def grade_on_worker(payload, name):
    """The task: grade one payload with this worker's grader (WorkerCheck `name`); the record's JSON text."""
    check = get_worker().plugins.get(name)
    if not isinstance(check, WorkerCheck) or check.refused != "":
        raise WorkerRefused(f"this worker has not passed the check {name}")
    return check.grader.grade(payload)


def _refusal(dask_worker, name):
    """On a worker: None if its check passed, else why not."""
    check = dask_worker.plugins.get(name)
    if not isinstance(check, WorkerCheck) or check.refused is None:
        return "it has not been checked"
    return check.refused or None


def grade_on_cluster(address, jobs, payload_of, on_done, settings, say=print):
    """Grade the jobs on the cluster at `address`; call on_done(job, record, failure) here as each ends.

    payload_of(job): the task's payload (task.make_payload), made only when the job is sent.
    say: a function that shows the instructor a line (a refused worker).
    """
    name = f"lecture-grader-{grader_id(settings)}"
    said = set()

    def refused(worker, why):
        if (worker, why) not in said:
            said.add((worker, why))
            say(f"worker {worker} refused: {why}")

    with Client(address, timeout="30s") as client:
        client.subscribe_topic(TOPIC, lambda event: refused(event[1]["worker"], event[1]["refused"]))
        client.register_plugin(WorkerCheck(identity(), settings, name), name=name)
        try:
            _run(client, name, jobs, payload_of, on_done, refused)
        finally:
            try:
                client.unregister_worker_plugin(name)
            except Exception:  # the scheduler went away: its workers forget the check with it
                pass


def _run(client, name, jobs, payload_of, on_done, refused):
    refusals = client.run(_refusal, name=name)
    for worker, why in sorted(refusals.items()):
        if why:
            refused(worker, why)
    if not any(why is None for why in refusals.values()):
        raise ClusterUnavailable("no worker of the cluster can grade" + "".join(
            f"\n  {worker}: {why}" for worker, why in sorted(refusals.items())) if refusals else
            "the cluster has no workers")
    waiting, running = iter(jobs), {}
    finished = as_completed()

    def send_next():
        job = next(waiting, None)
        if job is None:
            return False
        try:
            payload = payload_of(job)
        except Exception as error:  # the submitted file changed or went since it was found
            on_done(job, None, f"its file could not be read again ({error})")
            return True
        if len(payload) > LARGE_PAYLOAD:
            payload = client.scatter(payload)
        future = client.submit(grade_on_worker, payload, name, pure=False, retries=TRIES - 1, resources={name: 1})
        running[future] = job
        finished.add(future)
        return True

    graders = _Graders(client, name)
    while len(running) < graders() and send_next():
        pass
    for future in finished:
        job = running.pop(future)
        record, failure = None, None
        try:
            record = future.result()
        except KilledWorker as killed:
            failure = (f"every worker that graded it died ({killed.allowed_failures + 1} of them): it may crash the "
                       "grader; grade it alone to see why")
        except (GraderFailed, WorkerRefused) as error:
            failure = f"the grader failed ({error}), {TRIES} times"
        except CancelledError:
            raise ClusterUnavailable(f"the scheduler at {client.scheduler.address} went away") from None
        future.release()
        on_done(job, record, failure)
        while len(running) < max(1, graders()) and send_next():
            pass


class _Graders:
    """How many workers passed their check (hold the grader's resource): asked of the scheduler at most
    every `every` seconds."""

    def __init__(self, client, name, every=2.0):
        self.client, self.name, self.every = client, name, every
        self._count, self._asked = 0, -every

    def __call__(self):
        if time.monotonic() - self._asked >= self.every:
            self._count = self.client.run_on_scheduler(_holding, name=self.name)
            self._asked = time.monotonic()
        return self._count


def _holding(dask_scheduler, name):
    """On the scheduler: how many workers hold resource `name`."""
    return sum(1 for worker in dask_scheduler.workers.values() if worker.resources.get(name, 0) > 0)
