"""The results store: every submission's outcome, kept the moment it is graded (course/results.db).

    store = ResultsStore(course)
    run = store.begin_run()
    store.is_current(learner, notebook, key)        was it graded from exactly this key?
    store.put(learner, notebook, record, key, run)  durable when it returns
    store.refuse(refusals, origin)                  rows for refused files
    store.set_class(pairs); store.outcomes()        the class's rows, for grades.csv and `nbgrader export`

A key says what a record was graded from: the submitted file's sha256, the grader's id (its
package version, the digest of its code and checks, its settings) and the instructor's
notebook's sha256. A record is "current" for a key when it was graded from that key and it is
a grade (results.is_grade): a record that says "not graded" is graded again on the next run.

SQLite in write-ahead-log mode, each record committed in its own transaction with a full sync:
a crash, a kill or a lost machine loses at most the submissions being graded at that moment.
Only the grade command writes it; `nbgrader export` reads it.
"""

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .results import Outcome, is_grade, outcome_of

__all__ = ["ResultsStore", "Key", "STORE", "BY_GRADER", "COLLECTED", "FOUND"]

STORE = "results.db"  # in the course folder
BY_GRADER, COLLECTED, FOUND = "graded", "collected", "found"  # where a row comes from: the grader, or a refusal
# made when the submissions were collected (kept until that learner's folder is collected again),
# or one found in course/submitted (made again on every run)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    learner   TEXT NOT NULL,
    notebook  TEXT NOT NULL,             -- the notebook, or a refused file's name
    status    TEXT NOT NULL,
    record    TEXT,                      -- the record (JSON); none for a refused file
    submission TEXT, grader TEXT, source TEXT,   -- its key
    origin    TEXT NOT NULL,
    run       INTEGER,
    in_class  INTEGER NOT NULL DEFAULT 1,  -- in the class of the last run
    published INTEGER NOT NULL DEFAULT 0,  -- its gradebook entry, feedback and graded notebook are written
    PRIMARY KEY (learner, notebook)
);
CREATE TABLE IF NOT EXISTS runs (
    id       INTEGER PRIMARY KEY,
    started  REAL NOT NULL,
    graded   INTEGER NOT NULL DEFAULT 0  -- records this run stored
);
"""


@dataclass(frozen=True)
class Key:
    """What a record was graded from: sha256 of the submitted file, the grader's id, sha256 of the source."""

    submission: str
    grader: str
    source: str


class ResultsStore:
    """course/results.db (see the module's docstring). Usable as a context manager (closes it)."""

    def __init__(self, course):
        self.path = Path(course) / STORE
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._db.close()

    def _write(self, statement, rows=((),)):
        with self._db:  # one transaction
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(statement, rows)

    def begin_run(self):
        """A new run's number."""
        with closing(self._db.execute("INSERT INTO runs (started) VALUES (?)", (time.time(),))) as cursor:
            return cursor.lastrowid

    def runs(self):
        """[{"id", "started", "graded"}] of every run, oldest first."""
        return [{"id": i, "started": s, "graded": g}
                for i, s, g in self._db.execute("SELECT id, started, graded FROM runs ORDER BY id")]

    def is_current(self, learner, notebook, key):
        row = self._db.execute("SELECT status, submission, grader, source FROM outcomes "
                               "WHERE learner = ? AND notebook = ? AND origin = ?",
                               (learner, notebook, BY_GRADER)).fetchone()
        return row is not None and is_grade(row[0]) and Key(*row[1:]) == key

    def put(self, learner, notebook, record, key, run):
        """Keep one submission's record (replacing what the store had for it), durably."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO outcomes (learner, notebook, status, record, submission, grader, source, "
                "origin, run, in_class, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)",
                (learner, notebook, record["status"], json.dumps(record), key.submission, key.grader, key.source,
                 BY_GRADER, run))
            self._db.execute("UPDATE runs SET graded = graded + 1 WHERE id = ?", (run,))

    def refuse(self, refusals, origin):
        """Rows for refused files (submissions.Refusal), replacing what the store had under their names."""
        self._write("INSERT OR REPLACE INTO outcomes (learner, notebook, status, origin, in_class, published) "
                    "VALUES (?, ?, ?, ?, 1, 0)", [(r.learner, r.name, r.status, origin) for r in refusals])

    def forget_refusals(self, learners, origin):
        """Drop the refusals of `origin` of these learners (their folders were read again)."""
        self._write("DELETE FROM outcomes WHERE learner = ? AND origin = ?",
                    [(learner, origin) for learner in learners])

    def collected_refusals(self):
        """[(learner, name)] of the refusals made when submissions were collected."""
        return list(self._db.execute("SELECT learner, notebook FROM outcomes WHERE origin = ?", (COLLECTED,)))

    def set_class(self, pairs):
        """The class is exactly these (learner, notebook) pairs: other rows stay, out of it."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("UPDATE outcomes SET in_class = 0")
            self._db.executemany("UPDATE outcomes SET in_class = 1 WHERE learner = ? AND notebook = ?", pairs)

    def outcomes(self):
        """[Outcome] of the class, by learner and notebook."""
        outcomes = []
        for learner, notebook, status, record in self._db.execute(
                "SELECT learner, notebook, status, record FROM outcomes WHERE in_class = 1 ORDER BY learner, notebook"):
            outcomes.append(outcome_of(learner, notebook, json.loads(record)) if record
                            else Outcome(learner, notebook, status))
        return outcomes

    def records(self, unpublished_only=False):
        """[(learner, notebook, record)] of the class's rows that have a record."""
        query = "SELECT learner, notebook, record FROM outcomes WHERE in_class = 1 AND record IS NOT NULL"
        if unpublished_only:
            query += " AND published = 0"
        return [(learner, notebook, json.loads(record))
                for learner, notebook, record in self._db.execute(query + " ORDER BY learner, notebook")]

    def unpublished(self):
        """[(learner, notebook, status)] of the class's rows whose gradebook entry and pages are not yet written."""
        return list(self._db.execute("SELECT learner, notebook, status FROM outcomes "
                                     "WHERE in_class = 1 AND published = 0 ORDER BY learner, notebook"))

    def mark_published(self, pairs):
        self._write("UPDATE outcomes SET published = 1 WHERE learner = ? AND notebook = ?", pairs)
