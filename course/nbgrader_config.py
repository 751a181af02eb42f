# nbgrader settings for the course folder. Run nbgrader commands from this folder,
# or use `make release` / `make grade` from the repository root.
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "back_to_backprop"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Grading runs learners' code: a cell that runs longer than this is interrupted and
# fails (an endless loop costs that exercise, not the batch). Every cell of the
# solution notebooks finishes in a few seconds.
c.Execute.timeout = 20
c.Execute.interrupt_on_timeout = True
c.Execute.allow_errors = True

# What a learner sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# One row per learner and notebook, one column per graded exercise.
c.ExportApp.plugin_class = "lecture_utils.grading.ExerciseGradesExport"
