"""The learner's path in a real JupyterLab in headless Chromium at 1280×720: the learner's own copies of
the exercise edition (as `make lab` makes them) open without being marked modified, run to the end with
nothing solved — every panel drawn, the summary last — and the notation link opens the notation page,
rendered, without a new kernel; the verdicts read at 4.5:1 in the light and the dark theme."""

import pytest

from lecture_utils.edition import NOTEBOOK_PATTERN
from notebook_runs import PICTURES, draws
from paths import EDITION

pytestmark = pytest.mark.browser

EDITION_NOTEBOOKS = sorted(EDITION.glob(NOTEBOOK_PATTERN))


@pytest.fixture
def laptop(page):
    """The page at a laptop's 1280×720."""
    page.set_viewport_size({"width": 1280, "height": 720})
    return page


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("notebook", EDITION_NOTEBOOKS, ids=[p.stem for p in EDITION_NOTEBOOKS])
def test_a_learners_copy_opens_unmodified_and_run_all_reaches_the_summary(laptop, lab, notebook, timings):
    import time

    from lab_session import LEARNERS, NotebookPage

    nb = NotebookPage(laptop, lab, f"{LEARNERS}/{notebook.name}").open()
    modified = nb.modified_after_its_kernel_started()
    assert not modified["model"] and not modified["dot"], f"opening marked it modified: {modified}"

    start = time.perf_counter()
    nb.run_all()
    timings[f"browser: Run All of the learner's blank {notebook.stem}"] = time.perf_counter() - start
    assert nb.error_outputs() == []
    nb.wait_for_widgets()
    text = nb.text()
    for trouble in ("Error displaying widget", "Loading widget", "Traceback", "CheckFailed"):
        assert trouble not in text

    cells = nb.code_cells()
    assert all(cell["executionCount"] for cell in cells), "a code cell did not run"
    for cell in cells:
        if draws(_source(cell), cell["metadata"]):
            assert any(PICTURES & set(output.get("data", {})) for output in cell["outputs"]), \
                f"no picture or panel from {_source(cell)[:60]!r}"
    summary = "".join(output.get("text", "") for output in cells[-1]["outputs"])
    assert _source(cells[-1]).startswith("exercise_summary(") and "Your exercises in this notebook: 0 of" in summary

    panels = nb.panels()
    pictures = nb.settled_sources()
    assert len(pictures) == panels.count() and all(pictures), "a panel shows no picture"
    # No pop-up (JupyterLab asks about its news unless the lab environment's overrides say no).
    assert laptop.locator(".Toastify__toast").all_inner_texts() == []
    assert laptop.locator(".jp-Notification-Status").inner_text().strip() == "0"
    if notebook.stem.startswith("00"):  # its verdicts and summary, as the page shows them
        _verdicts_read_at_4_5_to_1_in_both_themes(laptop)


def test_the_notation_link_opens_the_notation_rendered_without_a_new_kernel(laptop, lab):
    from lab_session import LEARNERS, NotebookPage

    NotebookPage(laptop, lab, f"{LEARNERS}/01_linear_regression.ipynb").open()
    kernels, sessions = len(lab.api("kernels")), len(lab.api("sessions"))
    assert kernels == 1
    laptop.locator(".jp-RenderedMarkdown a", has_text="Notation").first.click()
    heading = laptop.locator(".jp-MarkdownViewer h1", has_text="Notation")
    heading.wait_for()
    opened = laptop.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
    assert opened == f"{LEARNERS}/notation.md"
    box = heading.bounding_box()
    assert 0 <= box["y"] < 720, "the notation's heading is not in view"
    assert laptop.locator(".jp-MarkdownViewer table tr").count() >= 20  # the lecture's table, rendered
    laptop.wait_for_timeout(1000)
    assert (len(lab.api("kernels")), len(lab.api("sessions"))) == (kernels, sessions)

    # Opened from the file browser (its double click: the file type's default viewer), it is rendered too.
    laptop.evaluate("() => window.jupyterapp.shell.currentWidget.close()")
    laptop.evaluate(f"() => window.jupyterapp.commands.execute('docmanager:open', {{path: '{LEARNERS}/notation.md'}})")
    heading.wait_for()
    assert laptop.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") == f"{LEARNERS}/notation.md"


def _verdicts_read_at_4_5_to_1_in_both_themes(page):
    """The colours the page computes for every verdict's text, against the background it sits on, in
    JupyterLab's light and dark themes."""
    from jupyterlab_colours import contrast

    for theme in ("JupyterLab Dark", "JupyterLab Light"):
        page.evaluate(f"() => window.jupyterapp.commands.execute('apputils:change-theme', {{theme: '{theme}'}})")
        page.wait_for_function(f"() => document.body.dataset.jpThemeName === '{theme}'")
        page.wait_for_timeout(500)
        pairs = page.evaluate(_TEXT_COLOURS)
        assert pairs, "no verdict text found"
        for text, colour, background in pairs:
            ratio = contrast(colour, background)
            assert ratio >= 4.5, f"{text!r} in {theme}: {ratio:.2f}:1"


# Every piece of text in the outputs that print verdicts (○ ✓ ✗ lines): its colour and the first
# background behind it that is not transparent.
_TEXT_COLOURS = """() => {
    const rgb = (text) => (text.match(/[0-9.]+/g) || []).slice(0, 4).map(Number);
    const opaque = (element) => {
        for (let e = element; e; e = e.parentElement) {
            const [r, g, b, a] = rgb(getComputedStyle(e).backgroundColor);
            if (a === undefined || a > 0) return [r, g, b];
        }
        return [255, 255, 255];
    };
    const found = [];
    for (const pre of document.querySelectorAll('.jp-OutputArea-output pre')) {
        if (!/[○✓✗]/.test(pre.textContent)) continue;
        const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim()) continue;
            const element = node.parentElement;
            const background = opaque(element);
            const [r, g, b, a] = rgb(getComputedStyle(element).color);
            const alpha = a === undefined ? 1 : a;  // text drawn with alpha: blended onto its background
            const colour = [r, g, b].map((c, i) => Math.round(alpha * c + (1 - alpha) * background[i]));
            found.push([node.textContent.trim().slice(0, 40), colour, background]);
        }
    }
    return found;
}"""
