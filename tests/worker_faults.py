"""Faults made on purpose in a Dask worker of the cluster tests: `dask worker ADDRESS --preload worker_faults.py`.

A submission whose text holds KILLS_ITS_WORKER kills the worker that grades it: its grading
process, started in place of grade_one's (task.GRADER), kills the process that started it
(the worker) before it grades. Every other submission is graded as usual.
"""

import json
import os
import signal
import sys
from pathlib import Path

KILLS_ITS_WORKER = "this submission kills the worker that grades it"


def dask_setup(worker):
    from lecture_utils.grading import task

    task.GRADER = [sys.executable, str(Path(__file__).resolve())]


if __name__ == "__main__":  # a grading process: JOB.json RESULT.json
    job = json.loads(Path(sys.argv[1]).read_text())
    if KILLS_ITS_WORKER in Path(job["path"]).read_text():
        os.kill(os.getppid(), signal.SIGKILL)
        sys.exit("killed its worker")
    from lecture_utils.grading.grade_one import main

    main(sys.argv[1:])
