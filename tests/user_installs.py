"""Installs as users make them: a clean copy of the repository, commands that show what they printed on
failure, and what pip says a virtual environment holds."""

import json
import os
import subprocess
from pathlib import Path

from packaging.utils import canonicalize_name

from paths import ROOT

LOCK = ROOT / "requirements-lock.txt"


def run(command, cwd, timeout=900, env=None):
    """Run a command; on failure show what it printed."""
    env = dict(os.environ if env is None else env, PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            env=env)
    assert result.returncode == 0, \
        f"{' '.join(map(str, command))} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def clean_copy(target):
    """The repository's files as a fresh clone has them (tracked or new, never ignored ones such as
    an earlier build's egg-info, which would slip files into the sdist, or a developer's .venv)."""
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


def installed_packages(python):
    """{canonical name: version} of every distribution in the environment of `python` (pip's own list)."""
    # Not from the repository's folder: `python -m` looks there first and would list its egg-info.
    listed = json.loads(run([python, "-m", "pip", "list", "--format=json"], cwd=Path(python).parent))
    return {canonicalize_name(package["name"]): package["version"] for package in listed}


def locked_versions():
    """{canonical name: exact version} pinned in requirements-lock.txt."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins
