"""One sandbox per submission: the learner's kernel under bubblewrap, with limits.

What the kernel sees of the host (everything read-only but its own folder):

    /usr, /lib*, /bin                    the system's programs and libraries
    the grader's Python and its venv     the interpreter and its installed packages
    /opt/lecture                         the package copy for this notebook (sandbox_package.py),
                                         also laid over the grader's own installed copy, if any
    /home/learner                        its own writable folder: the notebook and the kernel's sockets
    /tmp                                 its own, in memory, limited in size

and nothing else: not the course folder, the other submissions, the gradebook, the
instructor's notebooks, the repository or the grader's home. It runs as an
unprivileged user in its own user, PID, network (no network at all), IPC and UTS
namespaces, with an environment of its own, limits on memory, processes, open files
and file size, and its whole process tree ends when the sandbox is stopped.

The grader talks to the kernel over ZMQ ipc sockets in the learner's folder.
Without bubblewrap (`allow_unsandboxed`), the kernel is a plain subprocess with the
same folder, environment and limits, but with the grader's permissions.
"""

import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import instructor_extra  # noqa: F401  (first: a clear message without the instructor extra)

from jupyter_client.connect import write_connection_file  # noqa: E402

__all__ = ["Limits", "Sandbox", "bubblewrap", "SandboxUnavailable"]

INSIDE_HOME = "/home/learner"
INSIDE_PACKAGE = "/opt/lecture"
NOBODY = 65534
MiB = 1 << 20
FONTCONFIG = ("/etc/fonts", "/var/cache/fontconfig")


class SandboxUnavailable(RuntimeError):
    """Grading cannot sandbox the learners' kernels here (and was not told to go on without)."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one learner's kernel.

    memory: bytes of address space per process; processes: how many at once;
    file_size: bytes of one file it writes; open_files; tmp_size: bytes of its /tmp.
    """

    memory: int = 2048 * MiB
    processes: int = 64
    file_size: int = 64 * MiB
    open_files: int = 256
    tmp_size: int = 256 * MiB


def bubblewrap():
    """The path of the bwrap program, or None."""
    return shutil.which("bwrap")


class Sandbox:
    """A folder and a kernel process for one learner's notebook.

    folder:   the learner's writable folder on the host (it becomes /home/learner)
    package:  the folder holding the package copy this kernel imports (has lecture_utils/)
    limits:   Limits
    isolated: True for bubblewrap; False runs the kernel as a plain subprocess
    """

    def __init__(self, folder, package, limits=Limits(), isolated=True):
        self.folder = Path(folder)
        self.package = Path(package)
        self.limits = limits
        self.isolated = isolated
        self.process = None
        self._cgroup = None

    def start(self):
        """Start the kernel; return the connection info the grader uses (host paths)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        inside = INSIDE_HOME if self.isolated else str(self.folder)
        name = f"kernel-{uuid.uuid4().hex[:8]}"
        _, info = write_connection_file(str(self.folder / f"{name}.json"), transport="ipc",
                                        ip=f"{inside}/{name}", key=secrets.token_hex(16).encode())
        command = self._bwrap_command(f"{inside}/{name}.json") if self.isolated else self._plain_command(
            f"{inside}/{name}.json")
        self._cgroup = _ProcessGroup.create(self.limits.processes)
        self._nproc = None if self._cgroup else _processes_of_this_user() + self.limits.processes
        self.process = subprocess.Popen(
            command, cwd=self.folder, env=None if self.isolated else self._environment(),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=self._limit)
        host = dict(info)
        host["ip"] = str(self.folder / name)
        return host

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """End the kernel and every process it started."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
                pass
            self.process = None
        if self._cgroup is not None:
            self._cgroup.kill_and_remove()
            self._cgroup = None

    # --- how the kernel is started ----------------------------------------------------------

    def _environment(self):
        """The kernel's whole environment: none of the grader's variables."""
        home = INSIDE_HOME if self.isolated else str(self.folder)
        tmp = "/tmp" if self.isolated else str(self.folder / "tmp")
        return {
            "HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": tmp,
            "PYTHONPATH": INSIDE_PACKAGE if self.isolated else str(self.package),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{tmp}/matplotlib", "IPYTHONDIR": f"{tmp}/ipython",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        }

    def _kernel(self, connection_file):
        return [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file,
                "--HistoryManager.enabled=False"]

    def _plain_command(self, connection_file):
        (self.folder / "tmp").mkdir(exist_ok=True)
        return self._kernel(connection_file)

    def _bwrap_command(self, connection_file):
        command = [bubblewrap(), "--die-with-parent", "--unshare-all", "--new-session",
                   "--uid", str(NOBODY), "--gid", str(NOBODY), "--hostname", "sandbox"]
        if os.geteuid() == 0:
            command += ["--cap-drop", "ALL"]
        # Its own /tmp first: the folders bound below may lie in the host's /tmp (a venv there).
        command += ["--size", str(self.limits.tmp_size), "--tmpfs", "/tmp", "--ro-bind", "/usr", "/usr"]
        for link in ("bin", "lib", "lib32", "lib64", "sbin"):
            target = Path("/") / link
            if target.is_symlink():
                command += ["--symlink", os.readlink(target), str(target)]
            elif target.is_dir():
                command += ["--ro-bind", str(target), str(target)]
        for root in _python_roots():
            command += ["--ro-bind", root, root]
        command += ["--ro-bind", str(self.package), INSIDE_PACKAGE]
        installed = _installed_package()
        if installed and any(_inside(installed, root) for root in _python_roots()):
            command += ["--ro-bind", str(self.package / "lecture_utils"), installed]  # hide the grader's own copy
        for fonts in FONTCONFIG:  # fontconfig's settings and cache: without them matplotlib's font scan prints errors
            command += ["--ro-bind-try", fonts, fonts]
        command += ["--bind", str(self.folder), INSIDE_HOME,
                    "--proc", "/proc", "--dev", "/dev", "--chdir", INSIDE_HOME, "--clearenv"]
        for key, value in self._environment().items():
            command += ["--setenv", key, value]
        return command + self._kernel(connection_file)

    def _limit(self):
        """In the child, before it runs the kernel (or bwrap): the resource limits."""
        for which, value in ((resource.RLIMIT_AS, self.limits.memory),
                             (resource.RLIMIT_FSIZE, self.limits.file_size),
                             (resource.RLIMIT_NOFILE, self.limits.open_files),
                             (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(which, (value, value))
        if self._cgroup is not None:
            self._cgroup.join()
        else:  # RLIMIT_NPROC counts all of this user's processes: a backstop where no cgroup can be made
            resource.setrlimit(resource.RLIMIT_NPROC, (self._nproc, self._nproc))


def _python_roots():
    """The folders the grader's interpreter needs: its installation and its virtual environment."""
    roots = []
    for folder in (sys.base_prefix, sys.prefix):
        folder = os.path.realpath(folder)
        if folder not in roots and not any(_inside(folder, r) for r in roots):
            roots.append(folder)
    return roots


def _installed_package():
    """Where the grader imports lecture_utils from (its real folder)."""
    import lecture_utils

    return os.path.realpath(os.path.dirname(lecture_utils.__file__))


def _inside(path, root):
    return os.path.commonpath([os.path.realpath(path), root]) == root


class _ProcessGroup:
    """A pids cgroup (v2, or v1's pids controller) that caps and later ends a sandbox's processes.

    Only where the grader may create one (usually as root); otherwise RLIMIT_NPROC is the backstop.
    """

    def __init__(self, path):
        self.path = path

    @classmethod
    def create(cls, limit):
        for base in _cgroup_bases():
            path = base / f"lecture-grading-{uuid.uuid4().hex[:12]}"
            try:
                path.mkdir()
                (path / "pids.max").write_text(str(limit))
                return cls(path)
            except OSError:
                try:
                    path.rmdir()
                except OSError:
                    pass
        return None

    def join(self):
        (self.path / "cgroup.procs").write_text("0")

    def kill_and_remove(self):
        for _ in range(50):
            try:
                pids = [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
            except OSError:
                return
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.02)
        try:
            self.path.rmdir()
        except OSError:
            pass


def _cgroup_bases():
    """Folders where a pids cgroup could be made: below our own cgroup (v2), or v1's pids hierarchy."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    bases = []
    for line in lines:
        number, controllers, path = line.split(":", 2)
        if number == "0":  # the unified (v2) hierarchy: pids must be enabled for our children
            own = Path("/sys/fs/cgroup") / path.lstrip("/")
            control = own / "cgroup.subtree_control"
            if control.is_file() and "pids" in control.read_text().split():
                bases.append(own)
        elif "pids" in controllers.split(","):
            bases.append(Path("/sys/fs/cgroup/pids") / path.lstrip("/"))
    return [b for b in bases if b.is_dir() and os.access(b, os.W_OK)]


def _processes_of_this_user():
    """How many processes this user runs now (RLIMIT_NPROC counts them all)."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                pass
    return count
