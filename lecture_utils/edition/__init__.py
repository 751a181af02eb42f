"""The learner-side tools: the learner edition made from the instructor's notebooks (exercises.py), a
learner's own copies of it kept up to date (workspace.py), and the course's repository with the lines
made from it (repository.py). Standard library only.

    python -m lecture_utils.edition [--notebooks notebooks] [--to exercises]     # make the learner edition
    python -m lecture_utils.edition.workspace [--edition exercises] [--to my-notebooks]
"""

from .exercises import (  # noqa: F401
                        CODE_STUB,
                        NOTEBOOK_PATTERN,
                        PAGES,
                        TEXT_STUB,
                        edition_files,
                        notebook_text,
                        student_version,
                        write_edition,
)
