"""python -m lecture_utils.edition: make the learner edition (see exercises.py)."""

import sys

from .exercises import main

sys.exit(main())
