"""The learner-side tools: the learner edition made from the instructor's notebooks (exercises.py), a
learner's own copies of it kept up to date (workspace.py), and the course's repository with the lines
made from it (repository.py). Standard library only.

    python -m lecture_utils.edition [--notebooks notebooks] [--to exercises]     # make the learner edition
    python -m lecture_utils.edition.workspace [--edition exercises] [--to my-notebooks]
"""

from .exercises import *  # noqa: F401,F403  the names of its __all__
