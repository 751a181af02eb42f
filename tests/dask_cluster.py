"""A real Dask cluster on 127.0.0.1 for the grading tests: a scheduler and single-thread workers, as processes.

    cluster = DaskCluster(folder, workers=2)      # started; cluster.address is the scheduler's
                                                  # (faults=False: no worker_faults.py, as the benchmark has it)
    cluster.client()                              # a Client to look at it (tasks running, worker pids)
    cluster.start_worker(env=..., name=...)       # one more `dask worker` (e.g. with another package)
    cluster.stop()

Every worker runs `dask worker ADDRESS --nthreads 1` with worker_faults.py preloaded (a
submission marked KILLS_ITS_WORKER kills the worker that grades it), under a nanny that
starts a killed worker again. The scheduler gives a task up after ALLOWED_FAILURES + 1
workers died running it.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ALLOWED_FAILURES = 1
FAULTS = Path(__file__).with_name("worker_faults.py")


class DaskCluster:
    def __init__(self, folder, workers=2, faults=True):
        self.folder = Path(folder)
        self.faults = faults
        self.folder.mkdir(parents=True, exist_ok=True)
        self.processes = []
        environment = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=str(ALLOWED_FAILURES))
        scheduler_file = self.folder / "scheduler.json"
        self._start("scheduler", [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                    environment)
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.address = json.loads(scheduler_file.read_text())["address"]
        self.start_worker(workers=workers)
        with self.client() as client:
            client.wait_for_workers(workers, timeout=120)

    def _start(self, name, command, environment):
        log = open(self.folder / f"{name}.log", "ab")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment,
                                   cwd=self.folder, start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    def start_worker(self, workers=1, env=None, name="workers"):
        """Start `dask worker` with `workers` worker processes (env: its environment's changes)."""
        return self._start(name, [sys.executable, "-m", "distributed.cli.dask_worker", self.address,
                                  "--nworkers", str(workers), "--nthreads", "1", "--host", "127.0.0.1",
                                  "--no-dashboard", *(["--preload", str(FAULTS)] if self.faults else []),
                                  "--local-directory", str(self.folder / "dask-worker-space")],
                           dict(os.environ, **(env or {})))

    def client(self):
        from distributed import Client

        return Client(self.address, timeout="30s")

    def log(self, name="workers"):
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
