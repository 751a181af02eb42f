"""Every verdict line and the exercise summary read at 4.5:1 or more in JupyterLab's light and dark themes,
measured against the colours of the installed JupyterLab (tests/jupyterlab_colours.py)."""

import pytest

from jupyterlab_colours import THEMES, ansi_palette, contrast, segments, theme
from lecture_utils.checks import self_check
from lecture_utils.checks.verdicts import BADGES, Verdict

VERDICTS = [Verdict("predict", "correct", "ŷ = xk + m for N = 3, 50, 1"),
            Verdict("mse", "wrong", "For y = [4×1]: expected 1, but it returned 2.", "divide by N."),
            Verdict("mse", "wrong", "For y = [4×1]: expected 1, but it returned 2."),
            Verdict("predict", "not attempted", "replace `raise NotImplementedError()` with your code.")]


def summary_text(capsys, monkeypatch):
    """exercise_summary's lines as a kernel prints them (in colour), one exercise of each kind."""
    monkeypatch.setattr(self_check, "in_a_kernel", lambda: True)
    monkeypatch.setattr(self_check, "_LAST_VERDICTS", {v.exercise: v for v in VERDICTS[:2]})
    self_check.exercise_summary("predict", "mse", "relu")
    return capsys.readouterr().out


@pytest.mark.parametrize("name", THEMES)
def test_verdict_lines_and_the_summary_read_at_4_5_to_1_in_both_themes(name, capsys, monkeypatch):
    colours = theme(name)
    texts = [v.text(colour=True) for v in VERDICTS] + [summary_text(capsys, monkeypatch)]
    for text in texts:
        for characters, foreground, background in segments(text):
            ratio = contrast(foreground or colours["text"], background or colours["background"])
            assert ratio >= 4.5, f"{characters!r} in the {name} theme: {ratio:.2f}:1"


@pytest.mark.parametrize("status", BADGES)
def test_each_status_has_its_own_badge(status):
    headline = Verdict("x", status, "m").headline()
    coloured = segments(Verdict("x", status, "m", "h").text(colour=True))
    assert coloured[0][0] == headline and coloured[0][2] is not None  # the headline, on its own background
    assert all(background is None for _, _, background in coloured[1:])  # the rest in the theme's colours


def test_the_measuring_sees_jupyterlabs_colours():
    """The themes and the palette are read from the installed JupyterLab, and a colour that fails is caught:
    ANSI yellow, the colour of the old "not attempted" line, is 1.9:1 on the light theme."""
    assert theme("light")["background"] == (255, 255, 255) and theme("dark")["background"] == (17, 17, 17)
    yellow = ansi_palette()[3]
    assert contrast(yellow, theme("light")["background"]) < 2.0
    (_, foreground, _), = segments("\x1b[33m○ predict: not attempted yet\x1b[0m")
    assert foreground == yellow
