"""The learner's own copies (make lab's my-notebooks/): a notebook the learner changed survives every update,
and the course's new version lands beside it."""

import json
import shutil
import subprocess
import sys

import pytest

from lecture_utils.edition.workspace import RECORD, kernel_language_info, update_copies
from paths import EDITION


@pytest.fixture
def course(tmp_path):
    """A copy of the learner edition that the test can change, as a `git pull` would."""
    edition = tmp_path / "exercises"
    shutil.copytree(EDITION, edition)
    return edition


def new_course_version(edition, name, text):
    """The course changes one markdown cell of notebook `name` (its title)."""
    path = edition / name
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = [text]
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def learner_edits(folder, name, code):
    """The learner writes `code` into the first solution cell of their copy (and JupyterLab saves it)."""
    path = folder / name
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))
    cell["source"] = [code]
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path.read_bytes()


def test_a_learners_notebook_survives_making_the_copies_again_and_the_new_version_lands_beside_it(course, tmp_path):
    mine = tmp_path / "my-notebooks"
    first = update_copies(course, mine)
    assert len(first.copied) == len(list(course.iterdir())) and (mine / RECORD).is_file()
    edited = learner_edits(mine, "01_linear_regression.ipynb", "def predict(x, k, m):\n    return x * k + m\n")

    new_course_version(course, "01_linear_regression.ipynb", "# 01 · the course's second version")
    new_course_version(course, "02_more_predictors.ipynb", "# 02 · the course's second version")
    report = update_copies(course, mine)

    assert (mine / "01_linear_regression.ipynb").read_bytes() == edited  # the learner's work, untouched
    beside = mine / "01_linear_regression.new.ipynb"
    assert "the course's second version" in beside.read_text(encoding="utf-8")
    assert "the course's second version" in (mine / "02_more_predictors.ipynb").read_text(encoding="utf-8")
    assert report.updated == ["02_more_predictors.ipynb"]
    told = report.lines(mine)
    assert told[0] == (f"01_linear_regression.ipynb has your changes, so it stays as it is: the course's new "
                       f"version is {beside}")

    again = update_copies(course, mine)  # nothing new since: nothing changes, nothing is said twice
    assert (again.copied, again.updated, again.beside) == ([], [], [])
    assert not (mine / "01_linear_regression.new2.ipynb").exists()


def test_a_new_version_the_learner_worked_in_is_kept_too(course, tmp_path):
    mine = tmp_path / "my-notebooks"
    update_copies(course, mine)
    learner_edits(mine, "01_linear_regression.ipynb", "# mine")
    new_course_version(course, "01_linear_regression.ipynb", "# version 2")
    update_copies(course, mine)
    worked_in = learner_edits(mine, "01_linear_regression.new.ipynb", "# mine, in version 2")
    update_copies(course, mine)  # nothing new from the course: version 2 is not delivered a second time
    assert not (mine / "01_linear_regression.new2.ipynb").exists()
    new_course_version(course, "01_linear_regression.ipynb", "# version 3")
    update_copies(course, mine)
    assert (mine / "01_linear_regression.new.ipynb").read_bytes() == worked_in
    assert "# version 3" in (mine / "01_linear_regression.new2.ipynb").read_text(encoding="utf-8")


def test_a_file_there_before_any_record_counts_as_the_learners(course, tmp_path):
    mine = tmp_path / "my-notebooks"
    mine.mkdir()
    (mine / "03_matrix_form.ipynb").write_text("my own notebook", encoding="utf-8")
    update_copies(course, mine)
    assert (mine / "03_matrix_form.ipynb").read_text(encoding="utf-8") == "my own notebook"
    assert (mine / "03_matrix_form.new.ipynb").is_file()


def test_the_copies_carry_the_language_info_of_the_kernel_jupyterlab_starts(course, tmp_path):
    """JupyterLab writes its kernel's language_info into a notebook it opens and marks it modified when the
    file's differs: the copies already carry this Python's."""
    info = kernel_language_info()
    assert info["name"] == "python" and info["version"] == sys.version.split()[0]
    update_copies(course, tmp_path / "mine", info)
    assert json.loads((tmp_path / "mine" / "00_introduction.ipynb").read_text())["metadata"]["language_info"] == info
    assert (tmp_path / "mine" / "notation.md").read_bytes() == (course / "notation.md").read_bytes()


def test_the_command_says_where_the_notebooks_are(course, tmp_path):
    mine = tmp_path / "my-notebooks"
    command = [sys.executable, "-m", "lecture_utils.edition.workspace", "--edition", str(course), "--to", str(mine)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1].startswith(f"Your notebooks are in {mine}/")
    assert json.loads((mine / "00_introduction.ipynb").read_text())["metadata"]["language_info"]["version"]
