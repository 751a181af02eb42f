"""The language of verdicts, shared by the learner's self-check and the grader.

* `Failed` (the answer is wrong: what, and a hint), `NotAttempted` (nbgrader's stub still
  raises): what a check raises inside its `Exercise` while it tests an answer;
* `Verdict`: the outcome of one check, as the learner reads it (`text`) and as the grader
  scores it (`passed`);
* `CheckFailed`: what a check cell raises when it must stop (while grading, or when checks
  are strict), shown by IPython as one line;
* `preview`, `describe`, `describe_inputs`: values as short texts for the messages.

The checks (exercise.py), the way a check reaches the learner's function (learner.py) and
the grader's side of a learner's kernel (grading/kernel.py) all import from here; this
module imports nothing of theirs.

A verdict line is coloured as a badge: its first words in fixed colours on a fixed
background (`BADGES`, 24-bit ANSI codes, which JupyterLab draws as they are), the rest in
the theme's own text colour. No single text colour reaches 4.5:1 on both JupyterLab's
light (white) and dark (#111) backgrounds; a badge carries its own background, so it reads
the same in either.
"""

from dataclasses import dataclass

import numpy as np

from ..autograd import Tensor, shape_str

# status -> (text colour, background colour) of its badge; each pair ≥ 4.5:1 (tests/test_verdict_colours.py)
BADGES = {
    "correct": ("#ffffff", "#2e7d32"),
    "wrong": ("#ffffff", "#c62828"),
    "not attempted": ("#ffffff", "#5f6368"),
}
RESET = "\x1b[0m"


def badge(text, status):
    """`text` as a badge in the colours of `status` (ANSI codes), or as it is for a status without one."""
    if status not in BADGES:
        return text
    foreground, background = (_rgb(colour) for colour in BADGES[status])
    return f"\x1b[38;2;{foreground}m\x1b[48;2;{background}m{text}{RESET}"


def _rgb(colour):
    """'#2e7d32' -> '46;125;50' (the numbers of an ANSI 24-bit colour)."""
    return ";".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5))


class CheckFailed(AssertionError):
    """Raised by a check that did not pass, when it must stop. IPython shows it as one line, not a traceback."""

    def __init__(self, message, verdict=None):
        super().__init__(message)
        self.verdict = verdict

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


class Failed(Exception):
    """The learner's answer is wrong: `message` says how, `hint` what to try."""

    def __init__(self, message, hint=None):
        super().__init__(message)
        self.message, self.hint = message, hint


class NotAttempted(Exception):
    """The learner's function still raises nbgrader's NotImplementedError stub."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: what the learner sees, and what the grader scores.

    status: "correct", "wrong" or "not attempted" (the grader adds "error" and "not graded");
    message: what was checked, or what is wrong; hint: what to try (the typical mistake it
    recognised), or None.
    """

    exercise: str
    status: str
    message: str
    hint: str | None = None

    @property
    def passed(self):
        return self.status == "correct"

    @property
    def mark(self):
        """✓, ✗ or ○: the verdict at a glance."""
        return {"correct": "✓", "not attempted": "○"}.get(self.status, "✗")

    def headline(self):
        """The verdict's first words: '✓ predict: correct'."""
        words = {"correct": "correct", "wrong": "not correct yet.", "not attempted": "not attempted yet"}
        return f"{self.mark} {self.exercise}: {words.get(self.status, self.status)}"

    def text(self, colour=False):
        """The verdict as the learner sees it: one line (and a hint line); `colour`: its headline as a badge."""
        headline = badge(self.headline(), self.status) if colour else self.headline()
        if self.status == "wrong":
            hint = f"\n  Hint: {self.hint}" if self.hint else ""
            return f"{headline} {self.message}{hint}"
        return f"{headline} — {self.message}"


# --- describing values for messages ---------------------------------------------------

def preview(value, entries=4):
    """A short text for a value: '[3×1] [[1.5], [2.0], …]' or '0.25'."""
    if isinstance(value, Tensor):
        return f"Tensor {preview(value.value, entries)}"
    array = np.asarray(value)
    if array.size == 1 and array.ndim <= 2:
        text = f"{array.reshape(-1)[0]:.6g}"
        return text if array.ndim == 0 else f"{shape_str(array.shape)} {text}"
    flat = ", ".join(f"{v:.4g}" for v in array.reshape(-1)[:entries])
    more = ", …" if array.size > entries else ""
    return f"{shape_str(array.shape)} [{flat}{more}]"


def describe_inputs_dict(inputs):
    """'x = [3×1], k = 1.5': the inputs of a call, {name: value}, as a short text."""
    return ", ".join(f"{name} = {_short(value)}" for name, value in inputs.items()) or "no inputs"


def describe_inputs(names, args, kwargs):
    """Name positional arguments after the function's parameter names where there are any."""
    named = {names[i] if i < len(names) else f"argument {i + 1}": a for i, a in enumerate(args)}
    named.update(kwargs)
    return describe_inputs_dict(named)


def describe(value):
    """'None', or 'a list ([2×2], [2×1])', 'an int (3)': what a value is, for a message."""
    if value is None:
        return "None"
    kind = type(value).__name__
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} ({_short(value)})"


def _short(value):
    if type(value) in (list, tuple) and value and all(isinstance(v, (np.ndarray, Tensor)) for v in value):
        shapes = ", ".join(shape_str(v.shape) for v in value)
        return f"[{shapes}]" if isinstance(value, list) else f"({shapes})"
    if isinstance(value, (np.ndarray, Tensor)):
        array = value.value if isinstance(value, Tensor) else value
        return preview(array, entries=3) if array.size <= 3 else shape_str(array.shape)
    if isinstance(value, float):
        return f"{value:.4g}"
    if callable(value):
        return getattr(value, "__name__", "a function")
    return repr(value)
