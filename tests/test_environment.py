"""The environments stay in step: pyproject.toml, environment.yml, Makefile, README, CI."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def conda_env():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def split_requirement(text):
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", text).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_has_the_same_dependencies_as_pyproject():
    wanted = dict(split_requirement(r) for r in pyproject()["dependencies"])
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
    assert lab_install and "pip install --quiet -e .\n" in lab_install.group(0)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.split("#")[0].strip()]
    assert commands == ["make lab", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().splitlines()[-1] == "make test"
