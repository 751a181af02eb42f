"""The instructor extra, or a clear message, found without importing it (nbgrader alone takes seconds to import).

The grader's modules import this first: in a learners' environment (a plain `pip install lecture-utils`,
which brings only what the notebooks use) they fail with the line that installs what they need, not
with a module missing somewhere inside.
"""

from importlib.util import find_spec

_INSTALL_LINE = 'pip install "lecture-utils[instructor]" (in the repository: `make release` / `make grade`)'
# What the grader imports that comes only with the instructor extra: nbgrader and the Jupyter packages it needs.
_NEEDED = ("nbgrader", "nbformat", "jupyter_client", "zmq")

_missing = [name for name in _NEEDED if find_spec(name) is None]
if _missing:
    raise ImportError(f"lecture_utils.grading is for instructors and needs {', '.join(_missing)}: {_INSTALL_LINE}.")
