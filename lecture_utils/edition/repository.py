"""Where the course lives: its repository, named once in pyproject.toml, and the lines made from it.

`[project.urls] Repository = "https://github.com/<owner>/<name>"` in pyproject.toml is the one
place that names it (a fork changes it there). What learners copy or click is made from it:

    course = CourseRepository.read(root)      # root: the checkout's folder, which holds pyproject.toml
    course.pip_install()
    # 'pip install "lecture-utils @ git+https://github.com/<owner>/<name>"'
    course.colab_url("00_introduction.ipynb")
    # 'https://colab.research.google.com/github/<owner>/<name>/blob/main/exercises/00_introduction.ipynb'
    course.colab_link("00_introduction.ipynb")   # that link as a notebook's Markdown line
    course.install_if_missing()                  # a notebook's first code cell: %pip install only when missing

Reads the checkout's pyproject.toml (standard library only): an installed wheel carries none.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

__all__ = ["CourseRepository", "LEARNER_EDITION", "BRANCH", "PACKAGE"]

LEARNER_EDITION = "exercises"  # the learner edition's folder at the repository's root
BRANCH = "main"                # the branch whose notebooks learners open in Colab
PACKAGE = __name__.partition(".")[0]  # "lecture_utils", the name a notebook imports (pip's name is [project] name)

_GITHUB = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9._-]+)")
_FORM = 'Repository = "https://github.com/<owner>/<name>"'


@dataclass(frozen=True)
class CourseRepository:
    """The course's repository on GitHub and the package's name for pip, as pyproject.toml says."""

    distribution: str  # [project] name, e.g. "lecture-utils"
    url: str           # [project.urls] Repository, "https://github.com/<owner>/<name>"
    owner: str
    name: str

    @classmethod
    def read(cls, root="."):
        """The repository named in `root`/pyproject.toml; ValueError (saying what to write) when it is missing or
        not a GitHub repository's home."""
        pyproject = Path(root) / "pyproject.toml"
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        url = project.get("urls", {}).get("Repository")
        if url is None:
            raise ValueError(f"{pyproject}: [project.urls] has no Repository; write {_FORM}")
        match = _GITHUB.fullmatch(url)
        if match is None or match["name"].endswith(".git"):
            raise ValueError(f"{pyproject}: Repository = {url!r} is not a GitHub repository's home (Colab opens "
                             f"notebooks from GitHub); write {_FORM}, without .git or a trailing /")
        return cls(distribution=project["name"], url=url, owner=match["owner"], name=match["name"])

    def pip_requirement(self):
        """The package straight from the repository: 'lecture-utils @ git+https://github.com/<owner>/<name>'."""
        return f"{self.distribution} @ git+{self.url}"

    def pip_install(self):
        """The line that installs it anywhere (prefix % in a notebook cell): 'pip install "lecture-utils @ git+…"'."""
        return f'pip install "{self.pip_requirement()}"'

    def colab_url(self, notebook):
        """Colab's page for `notebook` (a file name such as '00_introduction.ipynb', or a path inside the learner
        edition) of the learner edition on the main branch."""
        path = PurePosixPath(notebook)
        if path.is_absolute() or ".." in path.parts or path.suffix != ".ipynb":
            raise ValueError(f"{notebook!r} is not a notebook inside {LEARNER_EDITION}/ (a relative path to .ipynb)")
        return (f"https://colab.research.google.com/github/{self.owner}/{self.name}/blob/{BRANCH}/"
                f"{LEARNER_EDITION}/{quote(path.as_posix())}")

    def colab_link(self, notebook):
        """A Markdown line for the top of `notebook` of the learner edition: its Colab link, as text (no badge
        image: it reads the same offline and to a screen reader)."""
        return (f"[Open in Colab]({self.colab_url(notebook)}) · or run it where you are: its first code cell "
                f"installs `{PACKAGE}` only when the kernel lacks it.")

    def install_if_missing(self):
        """A notebook's first code cell: `%pip install` the package only when the kernel cannot import it (Colab,
        a fresh hub); where it is installed (`make lab`, VS Code, a hub's image) it runs nothing."""
        return (f"# Colab or a fresh hub: install the course's package, only when this kernel lacks it.\n"
                f"import importlib.util\n"
                f"\n"
                f"if importlib.util.find_spec(\"{PACKAGE}\") is None:\n"
                f"    %{self.pip_install()}")
