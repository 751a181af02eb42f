"""Every notebook in a real JupyterLab in headless Chromium: it runs, its widgets render, and
every panel's picture follows its controls (moved with the keyboard, as a learner would)."""

import pytest

from paths import NOTEBOOKS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_its_panels_follow_their_controls(page, lab, notebook, timings, tmp_path):
    from lab_session import NotebookPage

    nb = NotebookPage(page, lab, notebook.name).open()
    nb.run_all()
    assert nb.error_outputs() == []
    nb.wait_for_widgets()
    text = nb.text()
    assert "Error displaying widget" not in text
    assert "Loading widget" not in text
    assert "Traceback" not in text

    panels = nb.panels()
    for i in range(panels.count()):
        before = nb.settled_sources()  # also: with no control touched, the pictures come to rest
        assert before[i], f"panel {i} shows no picture"
        key, latency = nb.change_a_control(panels.nth(i))
        after = nb.settled_sources()
        assert after[i] != before[i], f"panel {i}: {key} did not change its picture"
        others = [j for j in range(len(before)) if j != i]
        assert [after[j] for j in others] == [before[j] for j in others], "an untouched panel changed"
        timings[f"browser {notebook.stem} panel {i}: {key} → new picture"] = latency / 1000
