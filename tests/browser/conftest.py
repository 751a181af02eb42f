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
