"""The sandbox itself: what a learner's kernel under bubblewrap sees of the host."""

from grading_helpers import require_bubblewrap
from lecture_utils.grading import sandbox
from lecture_utils.grading.kernel import Kernel
from lecture_utils.grading.sandbox_package import build_package


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
    kernel = Kernel(sandbox.Sandbox(tmp_path / "learner", build_package(tmp_path / "package")))
    kernel.start()
    try:
        run = kernel.run_cell(f"import os\nprint(open({str(root / 'marker')!r}).read())\n"
                              f"print(os.access({str(root)!r}, os.W_OK), os.access('/tmp', os.W_OK))\n"
                              f"print(os.path.exists({str(tmp_path / 'beside')!r}))", timeout=20)
    finally:
        kernel.stop()
    assert run.status == "ok", run.error
    assert run.output.split("\n")[:3] == ["the interpreter's folder", "False True", "False"]
