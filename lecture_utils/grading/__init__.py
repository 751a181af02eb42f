"""Instructor tools: release the student versions with nbgrader, and grade submissions safely.

    python -m lecture_utils.grading [--notebooks DIR] [--course DIR] release
    python -m lecture_utils.grading [--course DIR] grade [FOLDER] [--workers N] [--no-sandbox] [limits]

release (release.py) makes the student version of every notebook with nbgrader's
generate_assignment. grade (batch.py) grades every submitted notebook: one
sandboxed kernel per submission (sandbox.py), in parallel; the notebook's cells run
there, and every exercise is checked here, in the grader's process, by the same
check the learner runs in JupyterLab, reaching the learner's function through the
kernel with plain data only (kernel.py, in_kernel.py, lecture_utils/plain.py). The
kernel imports a copy of the package that holds only what its notebook's cells need
(sandbox_package.py; everything else is a stand-in, unavailable.py). Grades go to course/grades.csv and nbgrader's gradebook;
feedback and a class report beside them.

Needs the instructor extra (`pip install "lecture-utils[instructor]"`; in the
repository `make release` and `make grade` use the test environment). Only
in_kernel.py runs in a learner's kernel; learners never import the rest.
"""
