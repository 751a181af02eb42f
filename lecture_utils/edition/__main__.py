"""python -m lecture_utils.edition: make the learner edition (see exercises.py)."""

import sys

from .exercises import main

if __name__ == "__main__":
    sys.exit(main())
