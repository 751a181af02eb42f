"""What the grade command shows while it grades.

On a terminal: a progress bar (how many, how fast, how long still: tqdm), a line for each
submission that could not be graded as it happens, and a summary at the end. Anywhere else
(a log file, a pipe, a test) nothing but, at the end, the submissions that could not be graded
(on standard error, always).
"""

import sys
import time

__all__ = ["Progress"]


class Progress:
    """progress = Progress(total); progress.advance() as each ends; progress.problem(line); progress.close(summary).

    shown: None shows it when standard error is a terminal.
    """

    def __init__(self, total, shown=None):
        self.shown = sys.stderr.isatty() if shown is None else shown
        self.started = time.monotonic()
        self.problems = []
        self._bar = None
        if self.shown and total:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="notebook", desc="grading", dynamic_ncols=True, file=sys.stderr)

    def say(self, line):
        """A line for the instructor (above the bar on a terminal; on standard error anywhere)."""
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    def problem(self, line):
        """A submission that could not be graded: shown now on a terminal, listed at the end anyway."""
        self.problems.append(line)
        if self.shown:
            self.say(f"could not grade {line}")

    def elapsed(self):
        """The time since it began, as text ("3 min 5 s")."""
        return _duration(time.monotonic() - self.started)

    def advance(self):
        if self._bar is not None:
            self._bar.update(1)

    def close(self, summary):
        """End the bar; print the summary (on a terminal) and every problem (always)."""
        if self._bar is not None:
            self._bar.close()
        if self.shown:
            print(summary, flush=True)
        if self.problems:
            print(f"could not grade {len(self.problems)}:\n  " + "\n  ".join(self.problems), file=sys.stderr,
                  flush=True)


def _duration(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
