"""nbgrader, for the modules that use it (gradebook, release), or a clear message without the instructor extra."""

# isort: off
from . import instructor_extra  # noqa: F401  (first: the clear message)
# isort: on

import nbgrader  # noqa: E402

__all__ = ["nbgrader"]
