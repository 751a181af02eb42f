"""Instructor tools: release the student versions with nbgrader, and grade submissions safely.

    python -m lecture_utils.grading [--notebooks DIR] [--course DIR] release
    python -m lecture_utils.grading [--course DIR] grade [FOLDER] [--workers N | --scheduler ADDRESS] [--force]
                                    [--no-sandbox] [limits]

release (release.py) makes the student version of every notebook with nbgrader's
generate_assignment. grade (batch.py) collects the submissions (submissions.py) and
grades every one that is new or changed since the results store (store.py) kept its
record: each is one task (task.py), run in local worker processes (local.py) or on a
Dask cluster (cluster.py). A task grades its submission in a sandboxed kernel
(grade_one.py, sandbox.py); the notebook's cells run there, and every exercise is
checked in the grader's process, by the same check the learner runs in JupyterLab,
reaching the learner's function through the kernel with plain data only (kernel.py,
in_kernel.py, lecture_utils/plain.py). The kernel imports a copy of the package
that holds only what its notebook's cells need (sandbox_package.py; everything else is a
stand-in, unavailable.py). What a task gives is one
record (results.py); from the records come course/grades.csv, nbgrader's gradebook
(gradebook.py), feedback (feedback.py) and a class report (report.py).

Needs the instructor extra (`pip install "lecture-utils[instructor]"`; in the
repository `make release` and `make grade` use the test environment). Only
in_kernel.py runs in a learner's kernel; learners never import the rest.
"""
