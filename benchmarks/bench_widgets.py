"""Benchmark: how fast every panel of every notebook answers a control change.

In-process: each notebook's cells run in an IPython shell inside this process; for
every panel they display, each control is changed back and forth and the median
time until the new figure is rendered (PNG bytes ready) is taken.
In the browser: a real JupyterLab in headless Chromium runs the notebook, and for
every panel a key press on its first control (for a dropdown, choosing an option as with the
mouse) is timed until the picture changes.

Targets: ≤ 100 ms in-process and ≤ 300 ms in the browser, for every panel.

    python benchmarks/bench_widgets.py                # both
    python benchmarks/bench_widgets.py --no-browser   # in-process only
    python benchmarks/bench_widgets.py --quick        # few repetitions, to see it works
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IN_PROCESS_TARGET_MS, BROWSER_TARGET_MS = 100, 300


def panels_of(value):
    """The Panels a cell's result displays: a Panel, or an object holding one as `.panel`."""
    from lecture_utils.widgets.panel import Panel

    if isinstance(value, Panel):
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


def other_value(control):
    """A different valid value for a control, to change it to."""
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        return values[(values.index(control.value) + 1) % len(values)]
    if isinstance(control.value, bool):
        return not control.value
    step = control.step or (control.max - control.min) / 100
    return control.value + step if control.value + step <= control.max else control.value - step


def time_control(control, repeats):
    """Median seconds from setting the control's value to the panel's finished PNG."""
    times = []
    for _ in range(repeats):
        new = other_value(control)
        start = time.perf_counter()
        control.value = new
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(repeats):
    rows = []
    for path in NOTEBOOKS:
        for label, panel in notebook_panels(path):
            medians = {name: time_control(control, repeats) for name, control in panel.controls.items()}
            slowest = max(medians, key=medians.get)
            rows.append((path.stem, label, slowest, medians[slowest] * 1000))
    return rows


def in_browser(repeats):
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from lab_session import CHROMIUM, CHROMIUM_ARGS, LabServer, NotebookPage
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"(no Chromium at {CHROMIUM}: browser timings skipped)")
        return []
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        server = LabServer(ROOT / "notebooks", workdir).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for path in NOTEBOOKS:
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    nb = NotebookPage(page, server, path.name).open()
                    nb.run_all()
                    nb.wait_for_widgets()
                    panels = nb.panels()
                    for i in range(panels.count()):
                        latencies, keys = [], []
                        for repeat in range(repeats):
                            try:  # back and forth, so that every change makes a new picture
                                key, latency = nb.change_a_control(panels.nth(i), back=repeat % 2 == 1)
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
                browser.close()
        finally:
            server.stop()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: check it runs")
    parser.add_argument("--no-browser", action="store_true", help="in-process timings only")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    repeats = 3 if args.quick else 15

    print(f"in-process: median over {repeats} changes of each control; the slowest control per panel "
          f"(target ≤ {IN_PROCESS_TARGET_MS} ms)\n")
    local = in_process(repeats)
    print(f"{'notebook':<28} {'#':>2}  {'panel':<44} {'control':<12} {'median':>9}")
    for i, (notebook, label, control, ms) in enumerate(local):
        verdict = "ok" if ms <= IN_PROCESS_TARGET_MS else "OVER"
        print(f"{notebook:<28} {i:>2}  {label[:44]:<44} {control:<12} {ms:7.0f} ms {verdict}")
    if args.no_browser:
        return
    browser_repeats = 2 if args.quick else 5
    print(f"\nbrowser: median over {browser_repeats} key presses on each panel's first control, from the key "
          f"press to the new picture (target ≤ {BROWSER_TARGET_MS} ms)\n")
    for notebook, index, ms, key in in_browser(browser_repeats):
        verdict = "ok" if ms <= BROWSER_TARGET_MS else "OVER"
        print(f"{notebook:<28} panel {index:>2}  {key:<12} {ms:7.0f} ms {verdict}")


if __name__ == "__main__":
    main()
