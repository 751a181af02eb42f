"""Self-checking exercises: one check function per exercise, one module per notebook.

Each check runs the learner's function on fresh random inputs, compares it with a
reference (or a numerical gradient) and prints a one-line verdict with a hint. In the
learner's own kernel a check that does not pass lets the notebook go on, the package's
answer standing in for the unsolved function (self_check.py); under nbgrader, while
grading, or with LECTURE_UTILS_STRICT_CHECKS=1 it raises CheckFailed (an AssertionError).
The machinery is in exercise.py, the language of verdicts in verdicts.py; learner.py is
how a check reaches the learner's function: directly in JupyterLab, through the learner's
sandboxed kernel while grading (lecture_utils.grading). `exercise_summary` ends every
notebook: its exercises, ✓ / ✗ / ○.
"""

# One module per notebook, in the notebooks' order:
# isort: off
from .neuron import *  # noqa: F401,F403  00
from .linear_regression import *  # noqa: F401,F403  01
from .predictors import *  # noqa: F401,F403  02
from .matrix_form import *  # noqa: F401,F403  03
from .projections import *  # noqa: F401,F403  04
from .nonlinearity import *  # noqa: F401,F403  05
from .descent import *  # noqa: F401,F403  06
from .graph import *  # noqa: F401,F403  07
from .backprop import *  # noqa: F401,F403  08
from .training import *  # noqa: F401,F403  09
from .self_check import exercise_summary  # noqa: F401  the last code cell of every notebook
# isort: on
