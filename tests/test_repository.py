"""One repository URL in one place: pyproject.toml's [project.urls], and what is made from it."""

import json
import re
import shutil
import subprocess
import tomllib

import pytest

from lecture_utils.edition import edition_files
from lecture_utils.edition.repository import CourseRepository
from paths import EDITION, NOTEBOOKS, ROOT

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
        if name.startswith("exercises/") and name.endswith(".ipynb"):  # its guarded %pip cell is made from it
            text = "".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
            text = text.replace(course.pip_install(), "")
        if course.url in text:
            spelled.append(name)
    assert spelled == [], \
        f"{spelled} spell {course.url}: make it from pyproject.toml (lecture_utils.edition.repository)"


COLAB_LINK = re.compile(r"\[Open in Colab\]\((https://colab\.research\.google\.com/[^)\s]+)\)")


def links_and_pip_lines(notebook_text):
    """(Colab links, %pip lines, the first code cell's source) of a notebook given as its file's text."""
    cells = json.loads(notebook_text)["cells"]
    sources = ["".join(cell["source"]) for cell in cells]
    first_code = next(source for cell, source in zip(cells, sources) if cell["cell_type"] == "code")
    links = [link for source in sources for link in COLAB_LINK.findall(source)]
    pips = [line.strip() for source in sources for line in source.splitlines() if line.strip().startswith("%pip")]
    return links, pips, first_code


def test_every_notebook_of_the_edition_opens_in_colab_and_installs_from_the_repository_of_pyproject():
    """Spelled out here from pyproject.toml's text, not by lecture_utils.edition.repository: the link to the
    notebook's own file on the main branch, and the first code cell's one %pip line for the repository."""
    url = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
    owner_and_name = url.removeprefix("https://github.com/")
    for notebook in NOTEBOOKS:
        links, pips, first_code = links_and_pip_lines((EDITION / notebook.name).read_text(encoding="utf-8"))
        assert links == [f"https://colab.research.google.com/github/{owner_and_name}/blob/main/exercises/"
                         f"{notebook.name}"], notebook.name
        assert pips == [f'%pip install "lecture-utils @ git+{url}"'], notebook.name
        assert pips[0] in first_code, f"{notebook.name}: the guarded install is not its first code cell"


def test_a_fork_gets_links_and_pip_lines_of_its_own(tmp_path):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    write_pyproject(tmp_path, '[project.urls]\nRepository = "https://github.com/ada-l/nets"')
    made = edition_files(tmp_path / "notebooks")
    for notebook in NOTEBOOKS:
        links, pips, _ = links_and_pip_lines(made[notebook.name])
        assert links == [f"https://colab.research.google.com/github/ada-l/nets/blob/main/exercises/{notebook.name}"]
        assert pips == ['%pip install "lecture-utils @ git+https://github.com/ada-l/nets"']
