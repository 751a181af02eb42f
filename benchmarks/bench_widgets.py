"""Benchmark: how fast every panel of every notebook answers a control change.

In-process: each notebook's cells run in an IPython shell inside this process; for
every panel they display, each control is changed back and forth and the median
time until the new picture is ready for the page (its PNG encoded) is taken; the median
over the changes to a value the control had not had before is shown too (matplotlib
caches the layout of a text it has drawn before). The playground's feature buttons count
as controls.
In the browser: a real JupyterLab in headless Chromium, in a 1280 × 720 window, runs the
notebook, and for every panel a key press on its first control (on a number's slider handle; for
a dropdown, choosing an option as with the mouse) is timed until the picture changes.

Targets: ≤ 100 ms in-process and ≤ 300 ms in the browser, for every panel.

Notebook 05's playground also plays: how many pictures a second it shows while it
trains the default network, in-process (its play loop on an asyncio event loop, as in
a kernel) and in the browser (new pictures counted in Chromium). Target: ≥ 10 a second.
The machine's load average is printed with every result: other work slows it down.

    python benchmarks/bench_widgets.py                # all
    python benchmarks/bench_widgets.py --no-browser   # in-process only
    python benchmarks/bench_widgets.py --playground   # only the playground's pictures per second
    python benchmarks/bench_widgets.py --quick        # few repetitions, to see it works
"""

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IN_PROCESS_TARGET_MS, BROWSER_TARGET_MS = 100, 300
PICTURES_PER_SECOND_TARGET = 10
PLAYGROUND = "05_linear_layers_not_enough.ipynb"
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]  # the tests' helpers, shared

from pictures import other_value, panel_controls  # noqa: E402


def panels_of(value):
    """The Panels a cell's result displays: a Panel (or the playground), or an object holding one as `.panel`."""
    from lecture_utils.widgets.panel import Panel
    from lecture_utils.widgets.playground import PlaygroundPanel

    if isinstance(value, (Panel, PlaygroundPanel)):
        return [value]
    inner = getattr(value, "panel", None)
    return [inner] if isinstance(inner, Panel) else []


def notebook_panels(path):
    """Run a notebook's code cells in an in-process IPython shell; return [(cell source, Panel)]."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    shell = InteractiveShell.instance()
    shell.reset(new_session=False)
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        with capture_output():  # the notebook's printed output is not what is measured
            result = shell.run_cell(cell.source, store_history=False)
        if not result.success:
            raise RuntimeError(f"{path.name}: a cell failed: {result.error_in_exec or result.error_before_exec}")
        found += [(cell.source.strip().splitlines()[-1], panel) for panel in panels_of(result.result)]
    return found


def time_control(control, repeats):
    """(median seconds from setting the control's value to the panel's finished PNG, the same over the
    changes to a value the control had not had before, or None if there were none)."""
    times, first_times, seen = [], [], {control.value}
    for _ in range(repeats):
        new = other_value(control)
        start = time.perf_counter()
        control.value = new
        times.append(time.perf_counter() - start)
        if new not in seen:
            first_times.append(times[-1])
            seen.add(new)
    return statistics.median(times), statistics.median(first_times) if first_times else None


def in_process(repeats):
    rows = []
    for path in NOTEBOOKS:
        for label, panel in notebook_panels(path):
            medians = {name: time_control(control, repeats) for name, control in panel_controls(panel).items()}
            slowest = max(medians, key=lambda name: medians[name][0])
            median, first = medians[slowest]
            rows.append((path.stem, label, slowest, median * 1000, None if first is None else first * 1000))
    return rows


@contextlib.contextmanager
def lab_and_chromium():
    """A JupyterLab on a copy of notebooks/ and a headless Chromium: (server, browser); None without Chromium."""
    from playwright.sync_api import sync_playwright

    from lab_session import CHROMIUM, CHROMIUM_ARGS, LabServer

    if not Path(CHROMIUM).exists():
        print(f"(no Chromium at {CHROMIUM}: browser timings skipped)")
        yield None
        return
    with tempfile.TemporaryDirectory() as workdir:
        server = LabServer(ROOT / "notebooks", workdir).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                yield server, browser
                browser.close()
        finally:
            server.stop()


def in_browser(repeats):
    rows = []
    with lab_and_chromium() as lab:
        if lab is None:
            return rows
        from lab_session import LAPTOP, NotebookPage

        server, browser = lab
        for path in NOTEBOOKS:
            page = browser.new_page(viewport=LAPTOP)
            nb = NotebookPage(page, server, path.name).open()
            nb.run_all()
            nb.wait_for_widgets()
            panels = nb.panels()
            for i in range(panels.count()):
                latencies, keys = [], []
                for repeat in range(repeats):
                    try:  # back and forth, so that every change makes a new picture
                        key, latency = nb.change_a_control(panels.nth(i), back=repeat % 2 == 1, handle=True)
                    except Exception as error:  # report it and go on with the next panel
                        print(f"{path.stem} panel {i}: no new picture after {keys or 'the first key'}: "
                              f"{type(error).__name__}", flush=True)
                        break
                    latencies.append(latency)
                    keys.append(key)
                    page.wait_for_timeout(150)
                if latencies:
                    rows.append((path.stem, i, statistics.median(latencies), keys[0]))
            page.close()
            server.shutdown_kernels()
    return rows


def load():
    """The load average over the last minute, with the number of cores: how busy the machine was."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def playing_in_process(seconds):
    """(pictures a second while playing, median ms of one frame) for the default playground."""
    from lecture_utils import widgets

    panel = widgets.playground()
    frame_times = []
    for _ in range(20):
        start = time.perf_counter()
        panel.frame()
        frame_times.append(time.perf_counter() - start)

    async def play():
        frames = panel.picture.frames
        start = time.perf_counter()
        panel.play()
        await asyncio.sleep(seconds)
        shown = panel.picture.frames - frames
        panel.pause()
        return shown / (time.perf_counter() - start)

    return asyncio.run(play()), statistics.median(frame_times) * 1000


def playing_in_browser(seconds, repeats):
    """Pictures a second the playground shows in Chromium while playing, once per repeat, with the load."""
    rates = []
    with lab_and_chromium() as lab:
        if lab is None:
            return rates
        from lab_session import LAPTOP, NotebookPage

        server, browser = lab
        page = browser.new_page(viewport=LAPTOP)
        nb = NotebookPage(page, server, PLAYGROUND).open()
        nb.run_all()
        nb.wait_for_widgets()
        _, panel = nb.panel_with_button("▶ play")
        nb.picture(panel).scroll_into_view_if_needed()
        for _ in range(repeats):
            nb.click_button(panel, "↺ reset")
            nb.click_button(panel, "▶ play")
            page.wait_for_timeout(500)  # the first frames, while the page settles
            changes = nb.count_picture_changes(panel, int(seconds * 1000))
            nb.click_button(panel, "❚❚ pause")
            rates.append((changes / seconds, load()))
            page.wait_for_timeout(1000)
    return rates


def playground_rates(quick):
    seconds = 2.0 if quick else 5.0
    print(f"\nnotebook 05's playground, default network, playing (target ≥ {PICTURES_PER_SECOND_TARGET} "
          f"pictures a second)\n")
    rate, frame_ms = playing_in_process(seconds)
    verdict = "ok" if rate >= PICTURES_PER_SECOND_TARGET else "UNDER"
    print(f"in-process: {rate:5.1f} pictures a second over {seconds:g} s ({frame_ms:.0f} ms per frame: "
          f"10 steps, the view, the picture) {verdict}   [{load()}]")


def playground_browser_rates(quick):
    seconds, repeats = (2.0, 1) if quick else (5.0, 3)
    for rate, busy in playing_in_browser(seconds, repeats):
        verdict = "ok" if rate >= PICTURES_PER_SECOND_TARGET else "UNDER"
        print(f"browser:    {rate:5.1f} pictures a second over {seconds:g} s {verdict}   [{busy}]")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: check it runs")
    parser.add_argument("--no-browser", action="store_true", help="in-process timings only")
    parser.add_argument("--playground", action="store_true", help="only the playground's pictures per second")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    repeats = 3 if args.quick else 15
    if args.playground:
        playground_rates(args.quick)
        if not args.no_browser:
            playground_browser_rates(args.quick)
        return

    print(f"in-process: median over {repeats} changes of each control; the slowest control per panel "
          f"(target ≤ {IN_PROCESS_TARGET_MS} ms)\n")
    local = in_process(repeats)
    print(f"{'notebook':<28} {'#':>2}  {'panel':<44} {'control':<12} {'median':>9}      {'new values':>10}")
    for i, (notebook, label, control, ms, first) in enumerate(local):
        verdict = "ok" if ms <= IN_PROCESS_TARGET_MS else "OVER"
        new = "—" if first is None else f"{first:.0f} ms"
        print(f"{notebook:<28} {i:>2}  {label[:44]:<44} {control:<12} {ms:7.0f} ms {verdict:<4} {new:>10}")
    print(f"[{load()}]")
    playground_rates(args.quick)
    if args.no_browser:
        return
    browser_repeats = 2 if args.quick else 5
    print(f"\nbrowser: median over {browser_repeats} key presses on each panel's first control, from the key "
          f"press to the new picture (target ≤ {BROWSER_TARGET_MS} ms)\n")
    for notebook, index, ms, key in in_browser(browser_repeats):
        verdict = "ok" if ms <= BROWSER_TARGET_MS else "OVER"
        print(f"{notebook:<28} panel {index:>2}  {key:<12} {ms:7.0f} ms {verdict}")
    print(f"[{load()}]")
    playground_browser_rates(args.quick)


if __name__ == "__main__":
    main()
