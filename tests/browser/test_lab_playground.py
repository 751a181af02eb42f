"""Notebook 05's playground in a real JupyterLab in headless Chromium: ▶ play makes the picture move,
a feature switched on while it plays starts afresh and keeps playing, ❚❚ pause stops it.

How fast it moves is measured by benchmarks/bench_widgets.py, not asserted here; the rate seen
is reported with the other timings."""

import pytest

from paths import NOTEBOOKS

pytestmark = pytest.mark.browser

NOTEBOOK = next(path for path in NOTEBOOKS if path.stem.startswith("05_"))


def test_the_playground_plays_takes_a_feature_while_playing_and_pauses(page, lab, timings):
    from playwright.sync_api import expect

    from lab_session import NotebookPage

    nb = NotebookPage(page, lab, NOTEBOOK.name).open()
    nb.run_all()
    assert nb.error_outputs() == []
    nb.wait_for_widgets()
    index, panel = nb.panel_with_button("▶ play")
    nb.picture(panel).scroll_into_view_if_needed()
    still = nb.settled_sources()[index]
    line = panel.locator("code")  # the line that recreates the settings
    expect(line).to_contain_text('features=["x1", "x2"]')

    nb.click_button(panel, "▶ play")
    changes = nb.count_picture_changes(panel, 3000)
    assert changes >= 5, f"only {changes} new pictures in 3 s of playing"
    assert nb.sources()[index] != still
    timings[f"browser 05 playground, playing: time per new picture ({changes / 3:.1f} pictures a second)"] = (
        3.0 / max(changes, 1))

    nb.click_button(panel, "(x⁽¹⁾)²")  # a feature, while it plays
    expect(line).to_contain_text('features=["x1", "x2", "x1^2"]')
    panel.get_by_role("button", name="❚❚ pause", exact=True).wait_for()  # still playing ...
    assert nb.count_picture_changes(panel, 1500) >= 3  # ... on the new network

    nb.click_button(panel, "❚❚ pause")
    panel.get_by_role("button", name="▶ play", exact=True).wait_for()
    paused = nb.settled_sources()[index]  # raises if the pictures keep changing
    assert nb.count_picture_changes(panel, 1500) == 0
    assert nb.sources()[index] == paused != still
