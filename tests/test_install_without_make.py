"""The README's route without make, run as written: its macOS/Linux commands in a copy of the repository.

The README's section "Without make: a virtual environment and pip" holds two bash blocks: the
notebooks' environment, ending with the command that opens JupyterLab, and the tests' environment,
ending with the command that runs the tests. Their lines run unchanged with bash, in a copy of the
repository's files as a fresh clone has them, with the Python that runs this test as `python3`;
each block makes its own fresh venv, as the README says (pip's cache is reused). Only each block's
last command gets more, stated here:

* JupyterLab starts without a browser on 127.0.0.1 and a port the system picks (`--port=0`);
  the test opens the address JupyterLab prints, as a learner would, checks that it lists the
  notebooks, and stops it (its whole process group);
* pytest runs the few tests of SELECTED_TESTS instead of the whole suite (`make test` runs that).
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from json import loads

import pytest

from paths import ROOT
from user_installs import clean_copy, run

SECTION = "## Without make: a virtual environment and pip"
# A few tests that need the test extra and the package (named, so pytest collects only their modules): the lecture's
# network's gradients, a check's hints, the package's dependencies against what it and the notebooks import.
SELECTED_TESTS = ["tests/test_autograd.py::test_two_layer_network_with_the_lectures_loss",
                  "tests/test_checks_linear_regression.py::test_mse_catches_typical_mistakes",
                  "tests/test_environment.py::test_the_package_depends_on_exactly_what_it_and_the_notebooks_import"]
SERVED_AT = re.compile(r"http://127\.0\.0\.1:\d+/lab\?token=[0-9a-f]+")


def readme_blocks():
    """The section's bash blocks, each as its list of command lines (blank lines and comments left to bash)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION + "\n" in readme, f"the README has no section {SECTION!r}"
    section = readme.split(SECTION + "\n", 1)[1].split("\n## ", 1)[0]
    return [[line for line in block.splitlines() if line.strip()]
            for block in re.findall(r"^```bash\n(.*?)^```", section, re.S | re.M)]


def route_blocks():
    """(the notebooks' block, the tests' block), each checked to end with the command the test completes."""
    blocks = readme_blocks()
    assert len(blocks) == 2, "the section gives two bash blocks: the notebooks' environment, then the tests'"
    notebooks, tests = blocks
    assert re.match(r"\S*jupyter lab\b", notebooks[-1]), notebooks[-1]
    assert re.match(r"\S*python -m pytest$", tests[-1]), tests[-1]
    return notebooks, tests


def test_the_readme_gives_the_notebooks_route_for_windows_too():
    notebooks, _ = route_blocks()
    section = (ROOT / "README.md").read_text(encoding="utf-8").split(SECTION + "\n", 1)[1].split("\n## ", 1)[0]
    powershell = re.findall(r"^```powershell\n(.*?)^```", section, re.S | re.M)
    assert len(powershell) == 1
    windows = [line.split("#")[0].strip() for line in powershell[0].splitlines() if line.strip()]
    # The same commands, in Windows' venv layout.
    posix = [line.split("#")[0].strip().replace(".venv/bin/", ".venv\\Scripts\\").replace("python3 -m", "py -m")
             for line in notebooks]
    assert windows == posix


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the repository's files, and the environment the README's commands run in there."""
    home = tmp_path_factory.mktemp("without-make")
    folder = clean_copy(home / "back-to-backprop")
    tools = home / "bin"
    tools.mkdir()
    (tools / "python3").symlink_to(sys.executable)  # `python3` is the Python that runs the tests
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("PYTEST_", "JUPYTER", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(PATH=os.pathsep.join([str(tools), env.get("PATH", "")]), PIP_DISABLE_PIP_VERSION_CHECK="1",
               # the learner's own Jupyter folders, fresh: nothing of the machine's settings, nothing left behind
               JUPYTER_CONFIG_DIR=str(home / "jupyter-config"), JUPYTER_DATA_DIR=str(home / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"))
    return folder, env


def bash(lines, folder, env):
    return run(["bash", "-euo", "pipefail", "-c", "\n".join(lines)], cwd=folder, env=env, timeout=1200)


@pytest.mark.timeout(1800)
def test_the_notebooks_route_serves_the_notebooks_in_jupyterlab(checkout):
    folder, env = checkout
    notebooks, _ = route_blocks()
    bash(notebooks[:-1], folder, env)
    # The README's last command, without a browser, on a free port of 127.0.0.1 (and allowed as root in a container).
    start = notebooks[-1] + " --no-browser --ip=127.0.0.1 --port=0" + (" --allow-root" if os.geteuid() == 0 else "")
    log_path = folder.parent / "jupyterlab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(["bash", "-c", "exec " + start], cwd=folder, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        address = wait_for_address(server, log_path, timeout=120)
        with urllib.request.urlopen(address, timeout=30) as page:
            assert page.status == 200 and "JupyterLab" in page.read().decode()
        base, token = address.split("/lab?token=")
        with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=30) as listing:
            served = {item["name"] for item in loads(listing.read())["content"]}
        assert "00_introduction.ipynb" in served, served
    finally:
        stop(server)


def stop(server):
    """End the server's whole process group: politely, then for sure."""
    for sig, patience in [(signal.SIGTERM, 30), (signal.SIGKILL, None)]:
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break  # the group is gone
        try:
            server.wait(timeout=patience)
            break
        except subprocess.TimeoutExpired:
            continue


def wait_for_address(server, log_path, timeout):
    """The address JupyterLab prints for the learner to open, once it serves."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = SERVED_AT.search(log_path.read_text())
        if found:
            return found.group(0)
        assert server.poll() is None, f"JupyterLab exited with {server.returncode}:\n{log_path.read_text()[-3000:]}"
        time.sleep(0.5)
    raise AssertionError(f"JupyterLab printed no address within {timeout} s:\n{log_path.read_text()[-3000:]}")


@pytest.mark.timeout(1800)
def test_the_tests_route_runs_tests(checkout):
    folder, env = checkout
    _, tests = route_blocks()
    out = bash([*tests[:-1], " ".join([tests[-1], *SELECTED_TESTS])], folder, env)
    summary = out.strip().splitlines()[-1]
    assert re.search(r"\b\d+ passed\b", summary) and "failed" not in summary and "error" not in summary, out[-3000:]
