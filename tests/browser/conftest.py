"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per session.

Without Debian's `chromium` the tests are skipped with the reason, except under
CI=true, where a missing browser is a failure (CI installs it in .ci/run).
"""

import pytest

from lab_session import CHROMIUM, CHROMIUM_ARGS, LAPTOP, LabServer, require_chromium
from paths import EDITION, ROOT


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A running JupyterLab on a copy of notebooks/ and a learner's copies of exercises/ (in LEARNERS), with
    the lab environment's settings overrides; stopped (with its process group) at the end."""
    require_chromium()
    server = LabServer(ROOT / "notebooks", tmp_path_factory.mktemp("jupyterlab"), edition=EDITION).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session (Debian's), shared by the JupyterLab and the website tests."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, lab):
    """A fresh browser page; the kernels it started are shut down afterwards."""
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
    lab.shutdown_kernels()


_SIZES = []


@pytest.fixture(scope="session")
def sizes():
    """Every panel's and picture's size as the browser shows it: reported at the end, as a table."""
    return _SIZES


def pytest_terminal_summary(terminalreporter):
    if _SIZES:
        terminalreporter.section("pictures at 1280 × 720, file browser open (reported; limits asserted)")
        for notebook, shown in _SIZES:
            terminalreporter.write_line(
                f"{notebook[:2]} cell {shown['cell']:>2} {shown['kind']:<7} {shown['height']:5.0f} px tall, "
                f"drawn {shown['drawn'][0]}×{shown['drawn'][1]}, shown/drawn {shown['ratio']:.2f}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save a screenshot under the test's temporary folder and name it in the report."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in item.funcargs:
        path = item.funcargs["tmp_path"] / "failure.png" if "tmp_path" in item.funcargs else None
        if path is not None:
            try:
                item.funcargs["page"].screenshot(path=str(path), full_page=False)
                report.sections.append(("screenshot", f"saved the browser's screen to {path}"))
            except Exception as error:  # the page may be gone; the failure itself matters more
                report.sections.append(("screenshot", f"could not take a screenshot: {error}"))
