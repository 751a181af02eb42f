"""One sandbox per submission: the learner's kernel under bubblewrap, with limits.

What the kernel sees of the host (everything read-only but its own folders):

    /usr, /lib*, /bin                    the system's programs and libraries
    the grader's Python and its venv     the interpreter and its installed packages
    /opt/lecture                         the package copy for this notebook (sandbox_package.py),
                                         also laid over the grader's own installed copy, if any
    /home/learner                        its own writable folder, in memory, limited in size: the
                                         notebook, the kernel's connection file and its sockets
    /tmp, /dev/shm                       its own, in memory, limited in size

and nothing else: not the course folder, the other submissions, the gradebook, the
instructor's notebooks, the repository or the grader's home; `/` and `/dev` are read-only.
Nothing it writes reaches the host's disks, and all of it is gone when the sandbox stops.
It runs as an unprivileged user in its own user, PID, network (no network at all), IPC and
UTS namespaces, with an environment of its own, limits on memory, processes, open files and
file size, and its whole process tree ends when the sandbox is stopped.

The grader talks to the kernel over ZMQ ipc sockets in the learner's folder, which it reaches
through /proc/<pid>/root of the sandbox's first process (bubblewrap's --info-fd names it).
Without bubblewrap (`isolated=False`), the kernel is a plain subprocess with the same
environment and limits, but with the grader's permissions and a folder on the host's disk
(removed afterwards by `remove_tree`, however deep or locked).
"""

import json
import os
import resource
import secrets
import select
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

# isort: off
from . import instructor_extra  # noqa: F401  (first: a clear message without the instructor extra)
# isort: on

from jupyter_client.connect import write_connection_file  # noqa: E402

__all__ = ["Limits", "Sandbox", "bubblewrap", "SandboxUnavailable", "remove_tree"]

INSIDE_HOME = "/home/learner"
INSIDE_PACKAGE = "/opt/lecture"
NOBODY = 65534
MiB = 1 << 20
FONTCONFIG = ("/etc/fonts", "/var/cache/fontconfig")


class SandboxUnavailable(RuntimeError):
    """Grading cannot sandbox the learners' kernels here (and was not told to go on without)."""


@dataclass(frozen=True)
class Limits:
    """What one submission may spend. Sizes in bytes, output in characters.

    In its kernel: memory (address space per process), processes (at once), file_size (one
    file), open_files; folder_size, tmp_size, shm_size: its folder, /tmp and /dev/shm (memory).
    In the grader: output (kept of one cell's output), notebook_output (of all its cells),
    message_size (one message from its kernel; a larger one is dropped).
    """

    memory: int = 2048 * MiB
    processes: int = 64
    file_size: int = 64 * MiB
    open_files: int = 256
    folder_size: int = 128 * MiB
    tmp_size: int = 128 * MiB
    shm_size: int = 64 * MiB
    output: int = 20_000
    notebook_output: int = 200_000
    message_size: int = 32 * MiB


def bubblewrap():
    """The path of the bwrap program, or None."""
    return shutil.which("bwrap")


class Sandbox:
    """A kernel process for one learner's notebook, and the folder it works in.

    notebook: the submitted notebook (copied into the learner's folder)
    package:  the folder holding the package copy this kernel imports (has lecture_utils/)
    limits:   Limits
    isolated: True for bubblewrap; False runs the kernel as a plain subprocess
    """

    def __init__(self, notebook, package, limits=Limits(), isolated=True):
        self.notebook = Path(notebook)
        self.package = Path(package)
        self.limits = limits
        self.isolated = isolated
        self.process = None
        self.folder = None  # on the host: only without bubblewrap
        self._cgroup = None

    def start(self):
        """Start the kernel; return the connection info the grader uses (host paths)."""
        name = f"kernel-{uuid.uuid4().hex[:8]}"
        inside = INSIDE_HOME if self.isolated else str(self._host_folder())
        with tempfile.TemporaryDirectory(prefix="connection-") as private:
            _, info = write_connection_file(str(Path(private) / f"{name}.json"), transport="ipc",
                                            ip=f"{inside}/{name}", key=secrets.token_hex(16).encode())
            self._cgroup = _ProcessGroup.create(self.limits.processes)
            self._nproc = None if self._cgroup else _processes_of_this_user() + self.limits.processes
            if self.isolated:
                root = self._start_isolated(Path(private) / f"{name}.json", f"{inside}/{name}.json")
            else:
                shutil.copyfile(Path(private) / f"{name}.json", self.folder / f"{name}.json")
                self.process = subprocess.Popen(
                    self._kernel(f"{inside}/{name}.json"), cwd=self.folder, env=self._environment(),
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True, preexec_fn=self._limit)
                root = ""
        host = dict(info)
        host["ip"] = f"{root}{inside}/{name}"
        return host

    def _host_folder(self):
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="learner-"))
            shutil.copyfile(self.notebook, self.folder / self.notebook.name)
            (self.folder / "tmp").mkdir()
        return self.folder

    def _start_isolated(self, connection_file, inside_connection_file):
        """Start bubblewrap; return /proc/<pid>/root of its first process (the sandbox's / from the host)."""
        info_read, info_write = os.pipe()
        files = [os.open(connection_file, os.O_RDONLY), os.open(self.notebook, os.O_RDONLY)]
        command = self._bwrap_command(info_write, files, inside_connection_file)
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=self._limit, pass_fds=(info_write, *files))
        finally:
            for fd in (info_write, *files):
                os.close(fd)
        try:
            child = _child_pid(info_read)
        finally:
            os.close(info_read)
        return f"/proc/{child}/root" if child else "/proc/0/root"  # no child: the kernel never answers

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """End the kernel and every process it started (its in-memory folders go with them)."""
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

    def close(self):
        """Stop, and remove the folder on the host (without bubblewrap); the sandbox is done."""
        self.stop()
        if self.folder is not None:
            remove_tree(self.folder)
            self.folder = None

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

    def _bwrap_command(self, info_fd, files, connection_file):
        """bwrap's arguments. files: open fds of the connection file and the notebook, copied in."""
        limits = self.limits
        command = [bubblewrap(), "--die-with-parent", "--unshare-all", "--new-session", "--info-fd", str(info_fd),
                   "--uid", str(NOBODY), "--gid", str(NOBODY), "--hostname", "sandbox"]
        if os.geteuid() == 0:
            command += ["--cap-drop", "ALL"]
        # Its own /tmp first: the folders bound below may lie in the host's /tmp (a venv there).
        command += ["--size", str(limits.tmp_size), "--tmpfs", "/tmp", "--ro-bind", "/usr", "/usr"]
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
        for shadow, original in _shadowed_modules(self.package):
            command += ["--ro-bind", str(shadow), str(original)]  # an off-limits module of the standard library
        command += ["--size", str(limits.folder_size), "--tmpfs", INSIDE_HOME,
                    "--file", str(files[0]), connection_file,
                    "--file", str(files[1]), f"{INSIDE_HOME}/{self.notebook.name}",
                    "--proc", "/proc", "--dev", "/dev", "--size", str(limits.shm_size), "--tmpfs", "/dev/shm",
                    "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", INSIDE_HOME, "--clearenv"]
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


def _child_pid(info, timeout=30):
    """The host pid of the sandbox's first process, from bwrap's --info-fd JSON; None if bwrap ends first."""
    text, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([info], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(info, 4096)
        if not chunk:
            break
        text += chunk
        try:
            return int(json.loads(text)["child-pid"])
        except (ValueError, KeyError, TypeError):
            continue
    return None


def _shadowed_modules(package):
    """[(shadow file, the standard library's file)] for the modules the package copy shadows (and their
    compiled copies): what the sandbox lays over the originals, so that they cannot be loaded by path."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    pairs = []
    for shadow in sorted(Path(package).glob("*.py")):
        pairs += [(shadow, original) for original in
                  [stdlib / shadow.name, *sorted((stdlib / "__pycache__").glob(f"{shadow.stem}.*.pyc"))]
                  if original.is_file()]
    return pairs


def remove_tree(root):
    """Delete the folder `root` and all in it, whatever a learner's code made of it.

    No recursion and no long paths (every folder is first moved up to `root`), links removed and
    never followed, folders without permissions opened first, names of any bytes: 1,500 nested
    folders, locked ones and odd names go like any other. Errors on single entries are skipped;
    what remains is tried again, so that a failure cannot stop the rest from going.
    """
    root = os.fsencode(os.path.abspath(root))
    if not os.path.lexists(root):
        return
    if os.path.islink(root) or not os.path.isdir(root):
        os.unlink(root)
        return
    pending, moved = [root], 0
    while pending:
        folder = pending.pop()
        try:
            os.chmod(folder, stat.S_IRWXU)
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    moved += 1
                    flat = os.path.join(root, b".removed-%d" % moved)
                    os.chmod(entry.path, stat.S_IRWXU)
                    os.rename(entry.path, flat)
                    pending.append(flat)
                else:
                    os.unlink(entry.path)
            except OSError:
                continue
        if folder != root:
            try:
                os.rmdir(folder)
            except OSError:
                pass
    shutil.rmtree(root, ignore_errors=True)  # now one level deep, at most


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
