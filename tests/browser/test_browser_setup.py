"""Without Chromium the browser tests skip with a reason, but under CI=true they fail."""

import pytest
from _pytest.outcomes import Failed, Skipped

from lab_session import require_chromium


def test_missing_chromium_skips_with_the_reason(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(Skipped, match="install Debian's `chromium` package"):
        require_chromium(tmp_path / "no-chromium")


def test_missing_chromium_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match="required under CI=true"):
        require_chromium(tmp_path / "no-chromium")


def test_present_chromium_passes(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("")
    require_chromium(browser)
