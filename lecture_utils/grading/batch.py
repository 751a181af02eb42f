"""Grade a class: every submitted notebook that is new or changed, each in its own sandbox, here or on a cluster.

    grade(course="course", submissions=None, workers=None, settings=GradingSettings(), scheduler=None, force=False)

1. Copies the submissions (if given) into course/submitted/ (submissions.collect): regular files
   only, named like a notebook of the course; what it refuses gets a row saying why.
2. Finds what needs grading: a submission is graded again only if its file, the grader (its
   version, code, checks and settings) or the instructor's notebook changed since the record the
   results store holds for it (store.py); `force` grades everything again.
3. Grades each as one task (task.py): on this machine, `workers` at a time (local.py), or on the
   Dask cluster whose scheduler is at `scheduler` (cluster.py). Each record is stored the moment it
   arrives, so a crash or Ctrl-C loses only what was being graded, and the next run goes on from there.
4. Writes what the instructor sees of each record as it arrives: its gradebook entry, its graded
   notebook (what formgrader shows) and its feedback (feedback.py); then, for the whole class,
   course/grades.csv (results.py's rows) and the class report (report.py).

Returns 0 when every submission has its grade, 1 when some could not be graded or were refused
(their rows say why): a learner's broken notebook is graded 0, not an error of the batch.
"""

import json
import os
import sys
from dataclasses import dataclass

from .course import course_folder, exercise_points, exercises_of, source_notebook
from .feedback import write_feedback, write_graded_notebook
from .grade_one import GradingSettings
from .gradebook import GradebookWriter, released_assignments
from .local import grade_here
from .progress import Progress
from .report import write_report
from .results import NOT_GRADED, REFUSED, is_grade, kind_of, needs_attention, ungraded_record, with_reason, write_grades
from .sandbox import SandboxUnavailable, bubblewrap
from .store import COLLECTED, FOUND, Key, ResultsStore
from .submissions import MAX_SIZE, Refused, Submission, collect, digest_of, read_submission, submitted
from .task import CannotGrade, grader_id, make_payload

__all__ = ["grade"]


@dataclass(frozen=True)
class Job:
    """One submission to grade and the key its record will be stored under."""

    submission: Submission
    key: Key


def grade(course="course", submissions=None, workers=None, settings=GradingSettings(), scheduler=None, force=False,
          max_size=MAX_SIZE, shown=None):
    """Grade the class (see the module's docstring); return the exit code.

    workers: submissions graded at once on this machine (default: all cores); scheduler: the address
    of a Dask scheduler to grade on instead; settings: time limits, limits and whether to sandbox
    (grade_one.GradingSettings); force: grade again what is already graded; max_size: bytes of the largest
    file graded; shown: progress on the terminal (None: when standard error is one).
    """
    course = course_folder(course)
    if settings.isolated and (sys.platform != "linux" or bubblewrap() is None):
        raise SandboxUnavailable(
            "grading runs every learner's code in a bubblewrap sandbox, and `bwrap` is not installed "
            "(on Debian or Ubuntu: apt-get install bubblewrap). To grade without a sandbox anyway, with "
            "the learners' code running with your permissions, pass --no-sandbox.")
    sources = {name: source for name in sorted(released_assignments(course))
               if (source := source_notebook(course, name)) is not None}
    if not sources:
        raise SystemExit(f"no released notebooks in {course}: run release first")
    with ResultsStore(course) as store, GradebookWriter(course) as gradebook:
        files = _the_class(course, store, submissions, sources, max_size)
        grader = grader_id(settings)
        digests = {name: digest_of((course / "source" / name / f"{name}.ipynb").read_bytes()) for name in sources}
        jobs = [Job(s, Key(s.digest, grader, digests[s.notebook])) for s in files]
        jobs = [job for job in jobs
                if force or not store.is_current(job.submission.learner, job.submission.notebook, job.key)]
        run = store.begin_run()
        progress = Progress(len(jobs), shown)
        publish = _Publisher(course, store, sources, gradebook)
        if jobs:
            _grade(jobs, store, run, progress, publish, sources, settings, scheduler, workers, max_size)
        publish.what_is_left()
        outcomes = store.outcomes()
        write_grades(course / "grades.csv", outcomes, {name: exercise_points(s) for name, s in sources.items()})
        write_report(course, store.records())
    for outcome in outcomes:
        if kind_of(outcome.status) == REFUSED:
            progress.problem(f"{outcome.learner}/{outcome.notebook}: {outcome.status}".replace("/:", ":"))
    unchanged = len(files) - len(jobs)
    progress.close(f"graded {len(jobs)} notebook{'s' if len(jobs) != 1 else ''} in {progress.elapsed()}"
                   f"{f', {unchanged} more unchanged since they were graded' if unchanged else ''}; "
                   f"grades in {course / 'grades.csv'}")
    return 1 if any(needs_attention(o.status) for o in outcomes) else 0


def _the_class(course, store, submissions, sources, max_size):
    """Collect `submissions` (if given) and find what course/submitted/ holds; keep the refusals in the store
    and tell it the class (every learner and notebook with a file or a refusal). Returns the files to grade
    (submissions.Submission), those of a learner and notebook with a refusal left out."""
    if submissions:
        collected = collect(course, submissions, sources, max_size)
        store.forget_refusals(collected.learners, COLLECTED)
        store.refuse(collected.refusals, COLLECTED)
    found = submitted(course, sources, max_size)
    store.forget_refusals({r.learner for r in found.refusals} | set(found.learners), FOUND)
    store.refuse(found.refusals, FOUND)
    refused = set(store.collected_refusals()) | {(r.learner, r.name) for r in found.refusals}
    files = [s for s in found.submissions if (s.learner, s.notebook) not in refused]
    if not files and not refused:
        raise SystemExit(f"no submissions in {course / 'submitted'}")
    store.set_class(sorted(refused | {(s.learner, s.notebook) for s in files}))
    return files


def _grade(jobs, store, run, progress, publish, sources, settings, scheduler, workers, max_size):
    """Grade the jobs; store each record as it arrives, then write what the instructor sees of it."""

    def payload_of(job):
        submission = job.submission
        if not settings.isolated:
            progress.say(f"WARNING: grading {submission.learner}/{submission.notebook} WITHOUT a sandbox: its code "
                         "runs with your permissions and can read and change your files.")
        data = read_submission(submission.path, max_size)
        if digest_of(data) != job.key.submission:
            raise Refused("changed since the batch began")
        return make_payload(submission.learner, submission.notebook, data, sources[submission.notebook], settings)

    def on_done(job, record, failure):
        learner, notebook = job.submission.learner, job.submission.notebook
        if record is None:
            record = ungraded_record(with_reason(NOT_GRADED, failure), exercises_of(sources[notebook]))
        else:
            record = json.loads(record)
        store.put(learner, notebook, record, job.key, run)
        if not is_grade(record["status"]):
            progress.problem(f"{learner}/{notebook}: {record['status']}")
        publish(learner, notebook, record["status"], record)
        progress.advance()

    if scheduler:
        try:
            from .cluster import grade_on_cluster
        except ImportError as error:
            raise CannotGrade(str(error)) from None
        grade_on_cluster(scheduler, jobs, payload_of, on_done, settings, say=progress.say)
    else:
        grade_here(jobs, payload_of, on_done, settings, workers or os.cpu_count() or 1)


class _Publisher:
    """Writes what the instructor sees of a stored record — its gradebook entry, feedback page and graded
    notebook — and then marks it written in the store (a crash in between: the next run writes it)."""

    def __init__(self, course, store, sources, gradebook):
        self.course, self.store, self.sources, self.gradebook = course, store, sources, gradebook

    def __call__(self, learner, notebook, status, record):
        if notebook in self.sources:
            if is_grade(status):
                self.gradebook.write(learner, notebook, record)
            else:
                self.gradebook.remove(learner, notebook)
        if record is not None:
            write_feedback(self.course, learner, notebook, record)
            if is_grade(status):
                write_graded_notebook(self.course, learner, notebook, self.sources[notebook], record)
        self.store.mark_published([(learner, notebook)])

    def what_is_left(self):
        """Write every row of the class not yet written (refusals; records of a run that ended before)."""
        records = {(learner, notebook): record
                   for learner, notebook, record in self.store.records(unpublished_only=True)}
        for learner, notebook, status in self.store.unpublished():
            self(learner, notebook, status, records.get((learner, notebook)))
