"""python -m lecture_utils.site: build the course's website (see build.py)."""

import sys

from .build import main

if __name__ == "__main__":
    sys.exit(main())
