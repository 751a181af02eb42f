"""One repository URL in one place: pyproject.toml's [project.urls], and what is made from it."""

import re
import subprocess

import pytest

from lecture_utils.edition.repository import CourseRepository
from paths import ROOT

PIP_LINE = re.compile(r'pip install "lecture-utils @ git\+[^"]*"')


def write_pyproject(folder, urls_table):
    (folder / "pyproject.toml").write_text(f'[project]\nname = "lecture-utils"\n\n{urls_table}\n', encoding="utf-8")
    return folder


def test_the_pip_line_and_the_colab_link_are_made_from_the_repository(tmp_path):
    course = CourseRepository.read(write_pyproject(tmp_path, '[project.urls]\n'
                                                              'Repository = "https://github.com/ada-l/nets.2"'))
    assert (course.owner, course.name) == ("ada-l", "nets.2")
    assert course.pip_install() == 'pip install "lecture-utils @ git+https://github.com/ada-l/nets.2"'
    assert course.colab_url("05_linear_layers_not_enough.ipynb") == (
        "https://colab.research.google.com/github/ada-l/nets.2/blob/main/exercises/05_linear_layers_not_enough.ipynb")


@pytest.mark.parametrize("notebook", ["notation.md", "/a/00_introduction.ipynb", "../notebooks/00_introduction.ipynb"])
def test_a_colab_link_is_only_for_a_notebook_inside_the_learner_edition(tmp_path, notebook):
    course = CourseRepository.read(write_pyproject(tmp_path, '[project.urls]\n'
                                                              'Repository = "https://github.com/o/r"'))
    with pytest.raises(ValueError, match="not a notebook inside exercises/"):
        course.colab_url(notebook)


@pytest.mark.parametrize("urls_table, message", [
    ("", "has no Repository"),
    ('[project.urls]\nHomepage = "https://github.com/o/r"', "has no Repository"),
    ('[project.urls]\nRepository = "https://gitlab.com/o/r"', "not a GitHub repository's home"),
    ('[project.urls]\nRepository = "https://github.com/o/r.git"', "without .git"),
    ('[project.urls]\nRepository = "https://github.com/o/r/"', "not a GitHub repository's home"),
    ('[project.urls]\nRepository = "https://github.com/o"', "not a GitHub repository's home"),
])
def test_a_missing_or_unusable_repository_says_what_to_write(tmp_path, urls_table, message):
    with pytest.raises(ValueError, match=message) as raised:
        CourseRepository.read(write_pyproject(tmp_path, urls_table))
    assert 'Repository = "https://github.com/<owner>/<name>"' in str(raised.value)


def test_the_readmes_pip_lines_are_made_from_pyproject():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    wanted = CourseRepository.read(ROOT).pip_install()
    found = PIP_LINE.findall(readme)
    assert found, "the README gives no pip line for Colab and hubs"
    assert set(found) == {wanted}, f"the README's pip line must read: {wanted}"
    assert "[project.urls]" in readme  # where a fork changes it


def test_no_other_file_spells_the_repository_url():
    """Only pyproject.toml names the repository; the README may hold it only inside the pip line made from it."""
    course = CourseRepository.read(ROOT)
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split("\0")
    spelled = []
    for name in filter(None, tracked):
        path = ROOT / name
        if name == "pyproject.toml" or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # not text
        if name == "README.md":
            text = text.replace(course.pip_install(), "")
        if course.url in text:
            spelled.append(name)
    assert spelled == [], \
        f"{spelled} spell {course.url}: make it from pyproject.toml (lecture_utils.edition.repository)"
