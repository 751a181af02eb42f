"""nbgrader, or a clear message: the instructor's modules need the instructor extra."""

try:
    import nbgrader
except ImportError as error:  # the learners' environment
    raise ImportError(
        "lecture_utils.grading is for instructors and needs nbgrader: "
        'pip install "lecture-utils[instructor]" (in the repository: `make release` / `make grade`).'
    ) from error

__all__ = ["nbgrader"]
