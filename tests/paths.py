"""Where things are: the repository and its notebooks."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EDITION = ROOT / "exercises"  # the learner edition, made from notebooks/ by lecture_utils.edition
