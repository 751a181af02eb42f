"""The course's website (make site) built once for the session, then read in headless Chromium from its files
at 1280 × 720 with every request that would leave the machine refused: every page loads with none attempted,
every picture is there, the links lead to pages of the site, and one slider per panel moves its picture."""

import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from lab_session import LAPTOP, require_chromium
from notebook_runs import draws
from paths import EDITION

pytestmark = pytest.mark.browser

NAMES = sorted(path.stem for path in EDITION.glob("[0-9][0-9]_*.ipynb"))
PAGES = ["index", "notation", *NAMES]


@pytest.fixture(scope="session")
def site(tmp_path_factory, timings):
    """The website of exercises/, built by the command `make site` runs (in a process of its own)."""
    require_chromium()
    folder = tmp_path_factory.mktemp("website") / "site"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lecture_utils.site", "--edition", str(EDITION), "--to", str(folder)],
                   check=True)
    timings["make site: the website of the learner edition, built"] = time.perf_counter() - start
    return folder


@pytest.fixture
def offline_page(chromium):
    """A page at a laptop's size that lets file:// requests through and refuses every other one, recording it."""
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.left_the_machine = []

    def only_files(route):
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            page.left_the_machine.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    yield page
    context.close()


def pictures_drawn(name):
    """How many pictures notebook `name` shows: one for each of its cells that draws a figure or a panel
    (notebook_runs.draws), read from the edition itself."""
    cells = json.loads((EDITION / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return sum(1 for cell in cells if cell["cell_type"] == "code" and draws("".join(cell["source"]), cell["metadata"]))


def load(page, site, name):
    page.goto((site / f"{name}.html").as_uri())
    page.wait_for_load_state("load")
    # MathJax typesets after the load (it is there on every page): wait until it has.
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise.then(() => true)")


def shown_pictures(page):
    return page.eval_on_selector_all("img", "imgs => imgs.map(i => ({src: i.currentSrc.slice(0, 40), "
                                            "complete: i.complete, width: i.naturalWidth, alt: i.alt}))")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_from_its_files_with_every_picture_and_nothing_from_the_network(site, offline_page, name,
                                                                                          tmp_path_factory):
    page = offline_page
    load(page, site, name)
    shots = tmp_path_factory.getbasetemp() / "website-screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"))
    assert page.left_the_machine == []
    pictures = shown_pictures(page)
    assert [p for p in pictures if not (p["complete"] and p["width"] > 0)] == []
    assert all(p["alt"] for p in pictures), "every picture has a text alternative"
    assert len(pictures) == (pictures_drawn(name) if name in NAMES else 0)
    if "$" in (EDITION / f"{name}.ipynb").read_text(encoding="utf-8") if name in NAMES else False:
        assert page.locator("mjx-container svg").count() > 0, "the formulas are typeset"
    assert page.locator("[data-mml-node=merror]").count() == 0, "no formula fails to typeset"
    if name in NAMES:
        errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
        assert errors == [], "no cell of the learner edition writes an error or a warning"


@pytest.mark.parametrize("name", PAGES)
def test_every_link_between_pages_leads_to_a_file_of_the_site(site, offline_page, name):
    page = offline_page
    page.goto((site / f"{name}.html").as_uri())
    targets = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    local = {Path(unquote(urlparse(url).path)) for url in targets if url.startswith("file://")}
    assert [path for path in local if path.suffix != ".html" or not path.is_file()] == []
    pages = {path.name for path in local}
    assert "notation.html" in pages and "index.html" in pages  # every page offers both
    if name == "index":
        assert {f"{n}.html" for n in NAMES} <= pages


@pytest.mark.parametrize("name", NAMES)
def test_one_slider_per_panel_moves_its_picture_in_the_page(site, offline_page, name):
    """In every panel that has sliders, one of them (the first) changes the picture, its text alternative and the
    number (or menu) that names the slider's value; the other controls are shown, disabled."""
    page = offline_page
    load(page, site, name)
    panels = page.locator(".lecture-panel")
    with_sliders = [panels.nth(i) for i in range(panels.count())
                    if panels.nth(i).locator("input[type=range]").count()]
    if not with_sliders:  # 09: live plots and figures only
        assert page.locator("input[type=range]").count() == 0
    for panel in with_sliders:
        assert panel.locator("input.site-frames").count() == 1, "each panel with sliders has one that moves"
        slider, picture = panel.locator("input.site-frames"), panel.locator(".lecture-picture img")
        box = panel.locator("input[type=number][readonly], select[id]")
        assert box.count() == 1, "the slider's value is shown beside it"
        before = (picture.get_attribute("src"), picture.get_attribute("alt"), box.input_value())
        slider.focus()
        start, last = int(slider.input_value()), int(slider.get_attribute("max"))
        page.keyboard.press("Home" if start == last else "End")
        page.wait_for_function("img => img.complete", arg=picture.element_handle())
        assert picture.evaluate("img => img.naturalWidth") > 0, f"the frame {picture.get_attribute('src')} is missing"
        after = (picture.get_attribute("src"), picture.get_attribute("alt"), box.input_value())
        assert all(b != a for b, a in zip(before, after)), (before[1:], after[1:])
    assert page.left_the_machine == []
