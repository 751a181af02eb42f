"""Grading on this machine: `workers` submissions at once, each a task (task.py) in a grading process of its own.

    grade_here(jobs, payload_of, on_done, settings, workers)

Proves first that a sandbox starts here (task.Grader.prove). Each job's payload is made
(`payload_of(job)`) only when its turn comes; `on_done(job, record, failure)` is called in the
caller's thread as each ends, with the record's JSON text, or with `failure` saying why the grader
could not grade it after TRIES tries.
"""

from concurrent.futures import ThreadPoolExecutor, as_completed

from .submissions import Refused
from .task import Grader, GraderFailed

__all__ = ["grade_here", "TRIES"]

TRIES = 3  # a grading process that dies is started again, up to this many times in all


def grade_here(jobs, payload_of, on_done, settings, workers):
    grader = Grader()
    try:
        grader.prove(settings)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grading")
        try:
            futures = {pool.submit(_tried, grader, payload_of, job): job for job in jobs}
            for future in as_completed(futures):
                on_done(futures[future], *future.result())
        finally:  # on Ctrl-C: what has not started never will
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        grader.close()


def _tried(grader, payload_of, job):
    """(record, None), or (None, why it could not be graded)."""
    try:
        payload = payload_of(job)
    except (OSError, Refused) as error:  # the submitted file changed or went since it was found
        return None, f"its file could not be read again ({error})"
    why = None
    for _ in range(TRIES):
        try:
            return grader.grade(payload), None
        except GraderFailed as failed:
            why = f"the grader failed ({failed})"
    return None, f"{why}, {TRIES} times"
