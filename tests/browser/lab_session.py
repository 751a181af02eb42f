"""A real JupyterLab server and a real headless Chromium, for the browser tests and benchmark.

The server gets fresh config, data, settings and runtime folders in a temporary
directory, a random token and a free port on 127.0.0.1, and serves a copy of the
notebooks, so the originals are never touched — and, in the folder `LEARNERS`, a
learner's own copies of the exercise edition made as `make lab` makes them. It takes
the lab environment's settings overrides (jupyterlab-overrides.json), as `make lab`
does. It runs in its own process group and is stopped by that group, also when a test
fails.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from lecture_utils.checks.self_check import STRICT_VARIABLE
from lecture_utils.edition.workspace import kernel_language_info, update_copies

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The window every browser test and benchmark uses: a laptop's, in CSS px.
LAPTOP = {"width": 1280, "height": 720}
# Flags for a machine without a network or a GPU, and without background chatter.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

# JupyterLab settings of the test server: every cell stays in the page (no windowing). No news and no update
# checks come from the lab environment's overrides (jupyterlab-overrides.json), as in `make lab`.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}
# Instructor tools are installed in the test environment but not in the learners' one: leave them out.
PAGE_CONFIG = {
    "disabledExtensions": {"@jupyter/nbgrader": True},
    "exposeAppInBrowser": True,
}


def require_chromium(chromium=CHROMIUM):
    """Skip the calling test when Chromium is missing — but fail under CI=true, where it must be there."""
    import pytest

    if Path(chromium).exists():
        return
    reason = f"Chromium not found at {chromium}: install Debian's `chromium` package (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + "; it is required under CI=true", pytrace=False)
    pytest.skip(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LEARNERS = "my-notebooks"  # the learner's copies of the exercise edition, in the server's root
# The lab environment's settings overrides, which `make lab` installs into .venv.
LAB_OVERRIDES = Path(__file__).resolve().parents[2] / "jupyterlab-overrides.json"


class LabServer:
    """`jupyter lab` on 127.0.0.1 serving a copy of `notebooks` (and of `edition` as a learner's copies,
    in the folder LEARNERS), with the settings overrides `overrides`, in a process group of its own."""

    def __init__(self, notebooks, workdir, edition=None, overrides=LAB_OVERRIDES):
        self.workdir = Path(workdir)
        self.root = self.workdir / "root"
        shutil.copytree(notebooks, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        if edition is not None:
            update_copies(edition, self.root / LEARNERS, kernel_language_info())
        self.overrides = overrides
        self.token = secrets.token_hex(24)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.workdir / "jupyterlab.log"
        self.process = None

    def _environment(self):
        folders = {name: self.workdir / name
                   for name in ("config", "data", "runtime", "settings", "workspaces", "app-settings")}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        if self.overrides is not None:
            shutil.copyfile(self.overrides, folders["app-settings"] / "overrides.json")
        (folders["config"] / "labconfig").mkdir(exist_ok=True)
        (folders["config"] / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG))
        (folders["config"] / "jupyter_server_config.json").write_text(json.dumps(
            {"ServerApp": {"jpserver_extensions": {"nbgrader": False}}}))
        for plugin, values in LAB_SETTINGS.items():
            package, name = plugin.rsplit("/", 1)
            target = folders["settings"] / package / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        env = dict(os.environ)
        env.pop(STRICT_VARIABLE, None)  # a learner's JupyterLab: checks inform, Run All goes on
        env.update(JUPYTER_CONFIG_DIR=str(folders["config"]), JUPYTER_DATA_DIR=str(folders["data"]),
                   JUPYTER_RUNTIME_DIR=str(folders["runtime"]), JUPYTER_PLATFORM_DIRS="1",
                   JUPYTER_PREFER_ENV_PATH="1", MPLBACKEND="module://matplotlib_inline.backend_inline")
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        return env, folders

    def start(self, timeout=90):
        env, folders = self._environment()
        command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={self.port}", "--ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={folders['settings']}", f"--LabApp.workspaces_dir={folders['workspaces']}",
            f"--LabApp.app_settings_dir={folders['app-settings']}",
            "--LabApp.news_url=", "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}; log: {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s; log: {self.log_path}")

    def api(self, path, method="GET"):
        request = urllib.request.Request(f"{self.url}/api/{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")

    def notebook_url(self, name):
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"

    def stop(self):
        """Ask the server to shut down (it stops its kernels), then end its whole process group."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            request = urllib.request.Request(f"{self.url}/api/shutdown?token={self.token}", method="POST")
            urllib.request.urlopen(request, timeout=5).close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
        self.log.close()


# --- driving a notebook in the page ------------------------------------------------------

_KERNEL_IDLE = """() => {
    const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = nb && nb.sessionContext && nb.sessionContext.session && nb.sessionContext.session.kernel;
    return !!kernel && kernel.status === 'idle' && !!nb.content;
}"""

_ALL_RAN = """() => {
    const nb = window.jupyterapp.shell.currentWidget;
    const cells = nb.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type === 'code' && !cell.executionCount) return false;
    }
    return nb.sessionContext.session.kernel.status === 'idle';
}"""

_ERROR_OUTPUTS = """() => {
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    const errors = [];
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code') continue;
        for (const output of cell.toJSON().outputs) {
            if (output.output_type === 'error') errors.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
        }
    }
    return errors;
}"""

_MODIFIED = """async (settleMs) => {
    const nb = window.jupyterapp.shell.currentWidget;
    await nb.sessionContext.session.kernel.info;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const dot = document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty').length;
    return {model: nb.content.model.dirty, dot: dot > 0, title: nb.title.className};
}"""

_CODE_CELLS = """() => {
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    const found = [];
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i).toJSON();
        if (cell.cell_type !== 'code') continue;
        found.push({source: cell.source, executionCount: cell.execution_count, outputs: cell.outputs,
                    metadata: cell.metadata});
    }
    return found;
}"""

_PICTURE_DIGESTS = """async (panels) => Promise.all(panels.map(async (panel) => {
    const img = panel.querySelector('.lecture-picture img');
    if (!img || !img.src) return null;
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}))"""

# Record, inside the page, when a key goes down and when a panel's picture changes (a new <img> in its view).
_WATCH = """(view) => {
    window.__keyAt = null; window.__changedAt = null;
    document.addEventListener('keydown', () => { window.__keyAt = performance.now(); }, {capture: true, once: true});
    const observer = new MutationObserver(() => {
        if (window.__changedAt === null) window.__changedAt = performance.now();
    });
    observer.observe(view, {childList: true, subtree: true});
    window.__observer = observer;
}"""


# Every picture in the notebook's outputs, in page order: a panel (controls and picture, `.lecture-panel`)
# or a picture on its own (a figure's PNG, a live plot's Image). Sizes in CSS px; `ratio` is the
# picture's displayed width over its drawn width (1: drawn as shown; 0.5: drawn at twice the size).
_PICTURE_SIZES = """() => {
    const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
    const found = [];
    cells.forEach((cell, index) => {
        const area = cell.querySelector('.jp-OutputArea');
        if (!area) return;
        const width = area.querySelector('.jp-OutputArea-output');
        const room = width ? width.clientWidth : 0;
        const items = [];
        area.querySelectorAll('.lecture-panel').forEach((panel) => items.push({kind: 'panel', element: panel}));
        area.querySelectorAll('img').forEach((img) => {
            if (!img.closest('.lecture-panel')) items.push({kind: 'picture', element: img});
        });
        for (const item of items) {
            const box = item.element.getBoundingClientRect();
            const img = item.kind === 'panel' ? item.element.querySelector('img') : item.element;
            const shown = img ? img.getBoundingClientRect() : null;
            const alt = img ? (img.getAttribute('alt') || '') : '';
            found.push({
                cell: index, kind: item.kind, height: box.height, width: box.width, room: room,
                overflows: item.element.scrollWidth > item.element.clientWidth + 1 || box.width > room + 1,
                drawn: img ? [img.naturalWidth, img.naturalHeight] : null,
                shown: shown ? [shown.width, shown.height] : null,
                ratio: img && img.naturalWidth ? shown.width / img.naturalWidth : null,
                alt: alt,
            });
        }
    });
    return found;
}"""

# A control in Playwright's aria snapshot: "- spinbutton \"k\": \"0.1\"", "- slider", "- button \"▶ play\"".
_CONTROL_LINE = re.compile(r'- (button|checkbox|combobox|spinbutton|textbox|slider|switch|radio)'
                           r'(?: "((?:[^"\\]|\\.)*)")?')

_ICON_GLYPHS = re.compile("[\ue000-\uf8ff]")

# Count, inside the page, how often a picture changes (each new picture is a new <img> in the view).
_COUNT_CHANGES = """(view) => {
    if (window.__counter) window.__counter.disconnect();
    window.__changes = 0;
    window.__counter = new MutationObserver((records) => {
        window.__changes += records.filter((r) => Array.from(r.addedNodes).some((n) => n.nodeName === 'IMG')).length;
    });
    window.__counter.observe(view, {childList: true, subtree: true});
}"""


class NotebookPage:
    """One notebook opened in JupyterLab in a Playwright page."""

    def __init__(self, page, server, name):
        self.page, self.server, self.name = page, server, name

    def open(self, timeout=90):
        """Open the notebook, with JupyterLab's file browser open beside it (as a learner sees it)."""
        self.page.goto(self.server.notebook_url(self.name))
        self.page.wait_for_function(_KERNEL_IDLE, timeout=timeout * 1000)
        self.page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
        self.page.wait_for_selector(".jp-FileBrowser", state="visible")
        return self

    def picture_sizes(self):
        """Every panel and picture of the notebook's outputs, in page order: {cell, kind ("panel" or
        "picture"), height, width, room (the output area's width), overflows, drawn [w, h] px, shown
        [w, h] CSS px, ratio (shown / drawn width), alt}."""
        return self.page.evaluate(_PICTURE_SIZES)

    def run_all(self, timeout=180):
        """Run every cell (JupyterLab's "Run All Cells") and wait until the kernel is idle again."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.page.wait_for_function(_ALL_RAN, timeout=timeout * 1000, polling=250)

    def error_outputs(self):
        return self.page.evaluate(_ERROR_OUTPUTS)

    def modified_after_its_kernel_started(self, settle_ms=1000):
        """Once the kernel has told JupyterLab its language_info (which JupyterLab writes into the
        notebook), and a moment later: is the notebook modified (the dot on its tab)?"""
        return self.page.evaluate(_MODIFIED, settle_ms)

    def code_cells(self):
        """Every code cell as JupyterLab's model has it now: {source, executionCount, outputs, metadata}."""
        return self.page.evaluate(_CODE_CELLS)

    def text(self):
        return self.page.locator(".jp-Notebook").inner_text()

    def wait_for_widgets(self, timeout=30):
        """Wait until no widget output still says it is loading."""
        self.page.wait_for_function(
            "() => !document.querySelector('.jp-Notebook').innerText.includes('Loading widget')",
            timeout=timeout * 1000, polling=250)

    def panels(self):
        return self.page.locator(".lecture-panel")

    def picture(self, panel):
        """The panel's picture view: the element its <img> (with the picture's text alternative) is put in."""
        return panel.locator(".lecture-picture").first

    def sources(self):
        """A digest of the picture every panel shows, in page order (None: no picture).

        The PNG bytes are compared, not the blob URLs: the page may wrap the same picture
        in a new URL when it draws the widget again.
        """
        return self.page.eval_on_selector_all(".lecture-panel", _PICTURE_DIGESTS)

    def settled_sources(self, quiet_ms=600, timeout=20):
        """The panels' pictures once none has changed for `quiet_ms` (a redraw may still be on its way)."""
        deadline = time.monotonic() + timeout
        last, since = self.sources(), time.monotonic()
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            now = self.sources()
            if now != last:
                last, since = now, time.monotonic()
            elif (time.monotonic() - since) * 1000 >= quiet_ms:
                return now
        raise AssertionError(f"the pictures kept changing for {timeout} s with no control touched")

    def panel_with_button(self, name):
        """(index, panel) of the first panel with a button labelled `name` now (e.g. the playground's
        "▶ play"); the panel stays found when the button's label changes."""
        panels = self.panels()
        for i in range(panels.count()):
            if panels.nth(i).get_by_role("button", name=name, exact=True).count():
                return i, panels.nth(i)
        raise AssertionError(f"no panel has a button {name!r}")

    def click_button(self, panel, name):
        """Click the panel's button labelled `name`, as with the mouse."""
        panel.get_by_role("button", name=name, exact=True).click()

    def count_picture_changes(self, panel, milliseconds):
        """How many new pictures the panel shows within the next `milliseconds` (page time)."""
        self.picture(panel).evaluate(_COUNT_CHANGES)
        self.page.wait_for_timeout(milliseconds)
        return self.page.evaluate("() => { window.__counter.disconnect(); return window.__changes; }")

    def change_a_control(self, panel, back=False, timeout=10, handle=False):
        """Change the panel's first control as a learner would; return (what was done, ms to new picture).

        A number gets an arrow key in its named box (up, or down with back=True or at its end): what a
        keyboard user does (the slider beside it moves with it); handle=True: on its slider's handle instead
        (right or left), as the slider was moved before it had a named box.
        A dropdown's next (or previous) option is chosen as with the mouse: while a
        dropdown in a notebook has the focus, JupyterLab's command-mode shortcuts still
        take the arrow and letter keys (a letter may even change the cell's type).
        A checkbox gets the space bar.
        """
        picture = self.picture(panel)
        picture.scroll_into_view_if_needed()
        control, action = self._control(panel, back, handle)
        picture.evaluate(_WATCH)
        control.focus()
        if action.startswith("option "):
            self.page.evaluate("() => { window.__keyAt = performance.now(); }")
            control.select_option(index=int(action.split()[1]))
        else:
            control.press(action)
        self.page.wait_for_function("() => window.__changedAt !== null", timeout=timeout * 1000, polling="raf")
        latency = self.page.evaluate("() => window.__changedAt - window.__keyAt")
        self.page.evaluate("() => window.__observer.disconnect()")
        return action, latency

    def text_alternative(self, panel):
        """The alt text of the panel's picture now."""
        return self.picture(panel).locator("img").get_attribute("alt")

    def controls(self, panel):
        """[(role, accessible name or None)] of the panel's controls, in page order, as a screen reader
        meets them (Chromium's accessibility tree, read by Playwright)."""
        found = []
        for line in panel.aria_snapshot().splitlines():
            line = line.strip()
            if line.startswith("- '") and line.endswith("'"):  # YAML's quotes around a line with a colon
                line = "- " + line[3:-1].replace("''", "'")
            match = _CONTROL_LINE.match(line)
            if match:  # an icon's glyph (Unicode's private use area) is no name a screen reader can say
                name = _ICON_GLYPHS.sub("", match.group(2) or "").strip()
                found.append((match.group(1), name or None))
        return found

    @staticmethod
    def _control(panel, back, handle=False):
        slider = panel.locator(".noUi-handle")
        if handle and slider.count():
            slider = slider.first
            value, low, high = (float(slider.get_attribute(f"aria-value{end}")) for end in ("now", "min", "max"))
            return slider, "ArrowLeft" if back and value > low or value >= high else "ArrowRight"
        box = panel.get_by_role("spinbutton")
        if box.count():
            box = box.first
            value, low, high = (float(box.evaluate(f"b => b.{end}")) for end in ("value", "min", "max"))
            down = back and value > low or value >= high
            return box, "ArrowDown" if down else "ArrowUp"
        select = panel.locator("select")
        if select.count():
            select = select.first
            count, current = select.evaluate("s => [s.options.length, s.selectedIndex]")
            return select, f"option {(current + (-1 if back else 1)) % count}"
        checkbox = panel.locator("input[type=checkbox]")
        if checkbox.count():
            return checkbox.first, "Space"
        raise AssertionError("this panel has no slider, dropdown or checkbox to change")
