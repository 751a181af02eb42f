"""The environments stay in step: pyproject.toml, the lock file, environment.yml, Makefile, README, CI."""

import ast
import json
import re
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from paths import NOTEBOOKS
from user_installs import locked_versions

ROOT = Path(__file__).resolve().parents[1]


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def conda_env():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def split_requirement(text):
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", text).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_has_the_same_dependencies_as_pyproject():
    """The package's dependencies and the lab extra (JupyterLab): conda's learners have what `make lab` has."""
    project = pyproject()
    wanted = dict(split_requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["lab"]])
    conda = [d for d in conda_env()["dependencies"] if isinstance(d, str)]
    have = dict(split_requirement(d) for d in conda if split_requirement(d)[0] not in ("python", "pip"))
    assert have == wanted


def test_environment_yml_python_matches_requires_python_and_installs_the_package():
    env = conda_env()
    assert "conda-forge" in env["channels"]
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == ["python" + pyproject()["requires-python"]]
    pip_section = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_section == [["-e ."]]


def test_instructor_tools_stay_out_of_the_learners_environment():
    learner = " ".join(pyproject()["dependencies"]) + (ROOT / "environment.yml").read_text()
    assert "nbgrader" not in learner
    extras = pyproject()["optional-dependencies"]
    assert any(r.startswith("nbgrader") for r in extras["instructor"])
    assert any(r.startswith("nbgrader") for r in extras["test"])
    lab_install = re.search(r"^\$\(LAB_VENV\)/\.installed:.*?\n\n", (ROOT / "Makefile").read_text(), re.S | re.M)
    # the lab extra: JupyterLab, but nbgrader (the instructor extra) never
    assert lab_install and re.search(r'pip install [^\n]*--constraint \$\(LOCK\) -e "\.\[lab\]"\n',
                                     lab_install.group(0))


def test_the_first_make_lab_says_what_it_does_and_about_how_long():
    """No `--quiet` silence: the lab environment's setup announces itself and its duration, and pip shows
    its progress."""
    lab_install = re.search(r"^\$\(LAB_VENV\)/\.installed:.*?\n\n", (ROOT / "Makefile").read_text(), re.S | re.M)
    rule = lab_install.group(0)
    assert "--quiet" not in rule and " -q " not in rule
    assert re.search(r"@echo \"Setting up [^\n]*", rule) and re.search(r"about \d+-\d+ minutes", rule)


def test_make_lab_works_in_the_learners_untracked_copies_and_opens_00():
    """make lab runs the workspace copier into my-notebooks/, which git ignores (make solutions' folder is in
    it), takes the lab environment's settings overrides, and opens JupyterLab there on notebook 00."""
    import subprocess

    plan = subprocess.run(["make", "-n", "lab", "LAB_VENV=/nonexistent-lab-env"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    assert "-m lecture_utils.edition.workspace --edition exercises --to my-notebooks" in plan
    assert "cp jupyterlab-overrides.json /nonexistent-lab-env/share/jupyter/lab/settings/overrides.json" in plan
    assert "--ServerApp.root_dir=my-notebooks" in plan
    assert "--LabApp.default_url=/lab/tree/00_introduction.ipynb" in plan
    solutions = subprocess.run(["make", "-n", "solutions", "LAB_VENV=/nonexistent-lab-env"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout
    assert "-m lecture_utils.edition.workspace --edition notebooks --to my-notebooks/solutions" in solutions
    paths = ["my-notebooks/00_introduction.ipynb", "my-notebooks/solutions/x.ipynb"]
    ignored = subprocess.run(["git", "check-ignore", *paths],
                             cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert ignored == paths


def imported_distributions(sources):
    """{distribution: [files]} for every module outside the standard library that `sources` import
    ([(file name, Python code)]), by the distribution that installs it here."""
    from importlib.metadata import packages_distributions

    providers = packages_distributions()
    found = {}
    for name, code in sources:
        tree = ast.parse(code)
        optional = {id(node) for block in ast.walk(tree) if isinstance(block, ast.Try) and _catches_import_error(block)
                    for statement in block.body for node in ast.walk(statement)}
        for node in ast.walk(tree):
            if id(node) in optional:
                continue  # an optional import, with a way on without it
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for top in {module.split(".")[0] for module in modules} - set(sys.stdlib_module_names) - {"lecture_utils"}:
                for distribution in providers.get(top, [top]):
                    found.setdefault(canonicalize_name(distribution), []).append(name)
    return found


def _catches_import_error(block):
    """Does a try statement handle ImportError (or ModuleNotFoundError), so that what it imports is optional?"""
    names = set()
    for handler in block.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        names |= {kind.id for kind in kinds if isinstance(kind, ast.Name)}
    return bool(names & {"ImportError", "ModuleNotFoundError"})


def runtime_sources():
    """[(file name, code)]: the package outside the instructor's grading/ and the website's builder site/ (each
    needs its extra), and every notebook's code cells (IPython's % and ! lines left out)."""
    package = [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
               for path in sorted((ROOT / "lecture_utils").rglob("*.py"))
               if path.relative_to(ROOT / "lecture_utils").parts[0] not in ("grading", "site")]
    notebooks = []
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join(line for cell in cells if cell["cell_type"] == "code"
                         for line in "".join(cell["source"]).splitlines() if not line.lstrip().startswith(("%", "!")))
        notebooks.append((path.name, code))
    return package + notebooks


def test_the_package_depends_on_exactly_what_it_and_the_notebooks_import():
    """A lean install: the package's own dependencies are the distributions its learner-side modules and the
    notebooks import when they run, no more (JupyterLab is the lab extra) and no less."""
    imported = imported_distributions(runtime_sources())
    declared = {canonicalize_name(Requirement(r).name) for r in pyproject()["dependencies"]}
    undeclared = {name: files[:3] for name, files in imported.items() if name not in declared}
    assert set(imported) == declared, f"imported, not declared: {undeclared}; declared, not imported: " \
                                      f"{sorted(declared - set(imported))}"
    assert {"numpy", "matplotlib", "ipywidgets"} <= declared


def test_imported_distributions_are_found_by_what_installs_them():
    code = ("import numpy as np\nfrom PIL import Image\nfrom mpl_toolkits.mplot3d import Axes3D\n"
            "import json, os.path\nfrom . import ops\nfrom lecture_utils import Tensor\n"
            "def f():\n    import ipywidgets\n"
            "try:\n    import ipykernel\nexcept ImportError:\n    ipykernel = None\n"
            "try:\n    import yaml\nexcept ValueError:\n    pass\n")
    # ipykernel is optional (imported where ImportError is handled); yaml is not
    assert set(imported_distributions([("x.py", code)])) == {"numpy", "pillow", "matplotlib", "ipywidgets", "pyyaml"}


def test_the_test_extra_has_jupyterlab_for_the_browser_tests():
    extras = pyproject()["optional-dependencies"]
    assert set(extras["lab"]) <= set(extras["test"])


def test_the_lock_pins_every_dependency_within_pyproject_ranges():
    pins = locked_versions()
    project = pyproject()
    wanted = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    assert wanted
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements-lock.txt: run `make lock`"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {requirement}"


def test_the_lock_is_made_by_pip_compile_with_the_makefile_command():
    header = (ROOT / "requirements-lock.txt").read_text()
    assert "autogenerated by pip-compile" in header
    makefile = (ROOT / "Makefile").read_text()
    lock_rule = re.search(r"^lock:.*?\n\n", makefile, re.S | re.M).group(0)
    for option in ["--strip-extras", "--extra lab", "--extra test", "--extra instructor", "--extra site",
                   "--no-emit-index-url"]:
        assert option in lock_rule
    for venv in ["$(LAB_VENV)", "$(DEV_VENV)"]:
        rule = re.search(rf"^{re.escape(venv)}/\.installed: pyproject\.toml \$\(LOCK\)\n(.*?)\n\n", makefile,
                         re.S | re.M)
        assert rule and "--constraint $(LOCK)" in rule.group(1)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.split("#")[0].strip()]
    assert commands == ["make lab", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().splitlines()[-1] == "make test"
