"""One notebook of the learner edition run top to bottom in a learner's kernel, for the website.

    executed, frames = run_notebook(path, frames_folder)

executed: the notebook (nbformat) with its outputs and its widgets' state as the notebook left them
(nbclient's store_widget_state); frames: the index of the slider pictures drawn in the same kernel
afterwards (frames.slider_frames), their PNG files in `frames_folder`. The kernel runs as a
learner's does: checks inform and stand in for unsolved exercises (never strict), from a folder of
its own.
"""

import json
import os
import tempfile

# isort: off
from . import site_extra  # noqa: F401  (the site extra, or what to install)
# isort: on

import nbclient
import nbformat

from ..checks.self_check import STRICT_VARIABLE

__all__ = ["run_notebook", "learners_environment"]

FRAMES_CODE = "import json as _json\nfrom lecture_utils.site.frames import slider_frames as _frames\n" \
              "print(_json.dumps(_frames({folder!r}, {count})))"


def learners_environment():
    """This process's environment as a learner's kernel has it: checks not strict, not under nbgrader."""
    environment = dict(os.environ)
    environment.pop(STRICT_VARIABLE, None)
    environment.pop("NBGRADER_EXECUTION", None)
    return environment


def run_notebook(path, frames_folder, frame_count=21, timeout=300):
    """Execute the notebook at `path` in a fresh python3 kernel; return (executed notebook, frames index)."""
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="lecture-site-") as folder:
        client = nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                                         store_widget_state=True, resources={"metadata": {"path": folder}})
        with client.setup_kernel(env=learners_environment()):
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            client.set_widgets_metadata()
            state = json.loads(json.dumps(notebook.metadata.get("widgets", {})))
            code = FRAMES_CODE.format(folder=os.path.abspath(frames_folder), count=frame_count)
            probe = nbformat.v4.new_code_cell(code)
            notebook.cells.append(probe)  # nbclient runs only a notebook's cells; taken out again below
            client.execute_cell(probe, len(notebook.cells) - 1)
            notebook.cells.pop()
    errors = [output for output in probe.outputs if output.output_type == "error"]
    if errors:
        raise RuntimeError(f"{path}: drawing the slider pictures failed: {errors[0].ename}: {errors[0].evalue}")
    frames = json.loads("".join(output.get("text", "") for output in probe.outputs if output.output_type == "stream"))
    notebook.metadata["widgets"] = state  # as the notebook left them, before the frames were drawn
    return notebook, frames
