"""The sandbox itself: what a learner's kernel under bubblewrap sees of the host, and what it may spend."""

import glob
import json
import os
import subprocess
import tempfile
import time
import uuid

import pytest

from grading_helpers import require_bubblewrap
from lecture_utils.grading import sandbox
from lecture_utils.grading.kernel import Kernel
from lecture_utils.grading.sandbox_package import build_package, package_spec

MiB = 1 << 20


def started(tmp_path, spec=frozenset(), **limits):
    """A kernel in a sandbox with a notebook `learner.ipynb` and small limits; the caller stops it."""
    notebook = tmp_path / "learner.ipynb"
    notebook.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    small = sandbox.Limits(**{"folder_size": 16 * MiB, "tmp_size": 8 * MiB, "shm_size": 4 * MiB, **limits})
    kernel = Kernel(sandbox.Sandbox(notebook, build_package(tmp_path / "package", spec), small))
    kernel.start()
    return kernel


def test_a_python_installation_in_the_hosts_tmp_is_seen_read_only_beside_the_sandbox_own_tmp(tmp_path, monkeypatch):
    """A clone (and its venv) in /tmp is common on CI: the kernel's own /tmp must not hide it."""
    require_bubblewrap()
    assert str(tmp_path).startswith("/tmp/")
    root = tmp_path / "venv"
    root.mkdir()
    (root / "marker").write_text("the interpreter's folder")
    (tmp_path / "beside").write_text("the host's, not the kernel's")
    real_roots = sandbox._python_roots()
    monkeypatch.setattr(sandbox, "_python_roots", lambda: [*real_roots, str(root)])
    kernel = started(tmp_path)
    try:
        run = kernel.run_cell(f"import os\nprint(open({str(root / 'marker')!r}).read())\n"
                              f"print(os.access({str(root)!r}, os.W_OK), os.access('/tmp', os.W_OK))\n"
                              f"print(os.path.exists({str(tmp_path / 'beside')!r}))", timeout=20)
    finally:
        kernel.stop()
    assert run.status == "ok", run.error
    assert run.output.split("\n")[:3] == ["the interpreter's folder", "False True", "False"]


FILL = """
import os
written = {}
for place in ["/home/learner", "/tmp", "/dev/shm", "/", "/dev", "/opt/lecture"]:
    total = 0
    try:
        with open(os.path.join(place, "filler"), "wb") as f:
            while total < 64 << 20:
                f.write(b"0" * (1 << 20))
                total += 1 << 20
        why = "all of it"
    except OSError as error:
        why = error.strerror
    written[place] = [total >> 20, why]
print(sorted(os.listdir("/home/learner")))
print(json.dumps(written))
"""


def test_every_place_the_kernel_may_write_is_in_memory_and_capped_and_the_rest_is_read_only(tmp_path):
    require_bubblewrap()
    kernel = started(tmp_path)
    try:
        run = kernel.run_cell("import json\n" + FILL, timeout=60)
    finally:
        kernel.stop()
    assert run.status == "ok", run.error
    listing, written = run.output.strip().split("\n")
    assert "learner.ipynb" in listing  # its folder holds its notebook
    written = json.loads(written)
    assert {place: why for place, (_, why) in written.items()} == {
        "/home/learner": "No space left on device", "/tmp": "No space left on device",
        "/dev/shm": "No space left on device", "/": "Read-only file system", "/dev": "Read-only file system",
        "/opt/lecture": "Read-only file system"}
    assert written["/home/learner"][0] <= 16 and written["/tmp"][0] <= 8 and written["/dev/shm"][0] <= 4


def test_nothing_a_kernel_writes_outlives_it_and_its_notebook_on_the_host_is_untouched(tmp_path):
    require_bubblewrap()
    mark = f"mine-{uuid.uuid4().hex}.txt"
    kernel = started(tmp_path)
    try:
        run = kernel.run_cell(f"open('learner.ipynb', 'w').write('{{}}')\nopen({mark!r}, 'w').write('x')\n"
                              "import os\nprint(sorted(os.listdir('.')))", timeout=20)
    finally:
        kernel.stop()
    assert run.status == "ok" and mark in run.output
    assert json.loads((tmp_path / "learner.ipynb").read_text())["cells"] == []
    temp = tempfile.gettempdir()
    assert glob.glob(f"{temp}/{mark}") + glob.glob(f"{temp}/*/{mark}") + glob.glob(f"{temp}/*/*/{mark}") == []


def test_a_standard_library_module_off_limits_cannot_be_loaded_even_by_its_path(tmp_path):
    require_bubblewrap()
    kernel = started(tmp_path, package_spec(off_limits={"graphlib"}))
    try:
        run = kernel.run_cell("import importlib.util, sysconfig\n"
                              "path = sysconfig.get_paths()['stdlib'] + '/graphlib.py'\n"
                              "spec = importlib.util.spec_from_file_location('g', path)\n"
                              "module = importlib.util.module_from_spec(spec)\n"
                              "spec.loader.exec_module(module)", timeout=20)
    finally:
        kernel.stop()
    assert run.error == "ModuleNotFoundError: graphlib is not available while grading: this exercise asks you to " \
                        "write it yourself."


def test_removing_a_folder_copes_with_depth_locks_links_and_odd_names(tmp_path):
    """Without bubblewrap the learner's folder is on the host: it must go, whatever the learner made of it."""
    folder = tmp_path / "learner"
    folder.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep").write_text("not the learner's")
    home = os.getcwd()
    try:
        os.chdir(folder)
        for _ in range(1500):
            os.mkdir("d")
            os.chdir("d")
        with open("deepest", "w") as f:
            f.write("x")
    finally:
        os.chdir(home)
    odd = folder / "odd" / "\nname with spaces"
    odd.mkdir(parents=True)
    (odd / os.fsdecode(b"\xff-not-utf-8")).write_text("x")
    (folder / "locked" / "inside").mkdir(parents=True)
    (folder / "locked" / "inside" / "file").write_text("x")
    os.chmod(folder / "locked" / "inside", 0)
    os.chmod(folder / "locked", 0)
    os.symlink(outside, folder / "a link out")
    os.symlink(outside / "keep", folder / "odd" / "a file link out")
    try:
        sandbox.remove_tree(folder)
        assert not folder.exists()
        assert (outside / "keep").read_text() == "not the learner's"
    finally:  # whatever remove_tree did, leave no tree that deep to pytest's own clean-up
        subprocess.run(["chmod", "-R", "u+rwx", str(folder)], capture_output=True)
        subprocess.run(["rm", "-rf", str(folder)], capture_output=True)


def test_a_question_larger_than_the_calls_inputs_is_refused_and_the_graders_time_counts(tmp_path):
    """The grader answers a reference's question only the size of the call's inputs, within the call's time."""
    require_bubblewrap()
    import numpy as np

    from lecture_utils.checks.exercise import Failed
    from lecture_utils.grading.kernel import InKernel

    kernel = started(tmp_path)
    try:
        kernel.run_cell("import numpy as np\n"
                        "def asks(x):\n"
                        "    try:\n"
                        "        return outer(np.ones((1, 5000)))\n"
                        "    except Exception as error:\n"
                        "        return str(error)\n"
                        "def keeps_asking(x):\n"
                        "    for _ in range(10):\n"
                        "        slow(x)\n"
                        "    return 'done'", timeout=20)
        references = {"outer": lambda row: row.T @ row, "slow": lambda x: time.sleep(0.5) or x}
        refused = InKernel(kernel, "asks").call([np.ones((3, 4))], {}, references)
        with pytest.raises(Failed, match="did not finish within 2 s"):  # 5 s of the grader's time, little of its own
            InKernel(kernel, "keeps_asking", timeout=2).call([np.ones((3, 3))], {}, references)
    finally:
        kernel.stop()
    assert refused == ("outer was asked about an array with a dimension of 5000, larger than any of the exercise's "
                       "inputs (4): the grader answers questions the size of its inputs")


KEEPS_LITTLE = """
import json, resource, sys, tempfile
from pathlib import Path
from lecture_utils.grading.kernel import Kernel
from lecture_utils.grading.sandbox import Limits, Sandbox
from lecture_utils.grading.sandbox_package import build_package
folder = Path(tempfile.mkdtemp())
(folder / "learner.ipynb").write_text("{}")
kernel = Kernel(Sandbox(folder / "learner.ipynb", build_package(folder / "package"), Limits()))
kernel.start()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
run = kernel.run_cell("megabyte = 'x' * (1 << 20)\\nfor _ in range(600):\\n    print(megabyte, flush=True)", 60)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kernel.stop()
print(json.dumps([run.status, len(run.output), (after - before) >> 10]))
"""


def test_what_a_cell_prints_is_kept_only_up_to_its_limit_as_it_arrives():
    """600 MB printed: the grader's process keeps Limits.output characters, and its peak memory hardly grows."""
    require_bubblewrap()
    import sys

    done = subprocess.run([sys.executable, "-c", KEEPS_LITTLE], capture_output=True, text=True, timeout=300)
    status, kept, grown = json.loads(done.stdout.strip().splitlines()[-1])
    assert kept < sandbox.Limits().output + 100 and grown < 100, (status, kept, grown)  # MiB
