"""Every notebook in a real JupyterLab in headless Chromium, at a laptop's 1280 × 720 window with the file
browser open: it runs, its widgets render, every panel and picture fits and is drawn at the size shown,
every control has an accessible name, and every panel's picture and its text alternative follow its
controls (moved with the keyboard, as a learner would)."""

import pytest

from lecture_utils.plots.style import PANEL_HEIGHT  # CSS px: a panel with its controls fits a 1280 × 720 window
from paths import NOTEBOOKS

pytestmark = pytest.mark.browser

SHOWN_AS_DRAWN = (1.0, 0.5)  # a picture's shown width over its drawn width: as drawn, or drawn at twice the size


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_fits_a_laptop_and_its_panels_follow_their_controls(page, lab, notebook, timings, report):
    from lab_session import NotebookPage

    nb = NotebookPage(page, lab, notebook.name).open()
    nb.run_all()
    assert nb.error_outputs() == []
    nb.wait_for_widgets()
    text = nb.text()
    assert "Error displaying widget" not in text
    assert "Loading widget" not in text
    assert "Traceback" not in text

    for shown in nb.picture_sizes():
        where = f"{notebook.stem} cell {shown['cell']} ({shown['kind']})"
        report("pictures at 1280 × 720, file browser open (reported; limits asserted)",
               f"{notebook.stem[:2]} cell {shown['cell']:>2} {shown['kind']:<7} {shown['height']:5.0f} px tall, "
               f"drawn {shown['drawn'][0]}×{shown['drawn'][1]}, shown/drawn {shown['ratio']:.2f}")
        assert any(abs(shown["ratio"] - ratio) < 0.01 for ratio in SHOWN_AS_DRAWN), \
            f"{where}: drawn {shown['drawn']} px, shown {shown['shown']} CSS px"
        assert not shown["overflows"], f"{where}: wider than the notebook ({shown['width']} of {shown['room']} px)"
        assert shown["kind"] != "panel" or shown["height"] <= PANEL_HEIGHT, f"{where}: {shown['height']} px tall"
        assert shown["alt"].strip() and shown["alt"] != "Image", f"{where}: no text alternative"

    panels = nb.panels()
    for i in range(panels.count()):
        controls = nb.controls(panels.nth(i))
        # ipywidgets gives a slider's handle no name: each slider is the twin of the named box before it
        unnamed = [role for k, (role, name) in enumerate(controls) if name is None and not (
            role == "slider" and k and controls[k - 1][0] in ("spinbutton", "combobox") and controls[k - 1][1])]
        assert controls and unnamed == [], f"panel {i}: controls without a name: {controls}"

        before, alt = nb.settled_sources(), nb.text_alternative(panels.nth(i))  # also: at rest untouched
        assert before[i], f"panel {i} shows no picture"
        key, latency = nb.change_a_control(panels.nth(i))
        after = nb.settled_sources()
        assert after[i] != before[i], f"panel {i}: {key} did not change its picture"
        assert nb.text_alternative(panels.nth(i)) != alt, f"panel {i}: {key} did not change its text alternative"
        others = [j for j in range(len(before)) if j != i]
        assert [after[j] for j in others] == [before[j] for j in others], "an untouched panel changed"
        timings[f"browser {notebook.stem} panel {i}: {key} → new picture"] = latency / 1000
