"""No function that could compute an exercise's answer is in the package copy its grading kernel imports.

Which functions could is not listed here: a search finds them (package_search.py calls every callable of
the package, and what the Tensors they return can do, with the exercise's inputs in every form, and
looks for the answer in what comes back). Run on the full package, it finds the solutions and the
teaching helpers that compute an answer (the candidates); run on the copy that the kernel grading that
exercise imports (sandbox_package.py, the notebook's allow-list), it must find none of them — nor anything
else.
"""

import json
import subprocess
import sys

import pytest

from lecture_utils.grading.course import exercises_of, read_notebook
from lecture_utils.grading.grade_one import kernel_groups
from lecture_utils.grading.sandbox_package import build_package
from paths import NOTEBOOKS, ROOT

SEARCH = ROOT / "tests" / "package_search.py"
GROUPS = [(path.stem, index, [e.column for e in group], spec) for path in NOTEBOOKS
          for index, (group, spec) in enumerate(kernel_groups(exercises_of(read_notebook(path))))]
EXERCISES = [exercise for _, _, group, _ in GROUPS for exercise in group]


def search(package, exercises):
    """{exercise: what computes its answer} in the package on `package`'s path (package_search.py)."""
    done = subprocess.run([sys.executable, "-W", "ignore", str(SEARCH), *exercises], capture_output=True, text=True,
                          cwd=package, env={"PYTHONPATH": str(package), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg",
                                            "PYTHONDONTWRITEBYTECODE": "1"}, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def candidates(timings):
    """What computes each exercise's answer in the full package: the candidates."""
    import time

    start = time.perf_counter()
    found = search(ROOT, EXERCISES)
    timings["searching the full package for what computes an answer"] = time.perf_counter() - start
    return found


@pytest.fixture(scope="module")
def left_in_copies(tmp_path_factory):
    """What computes each exercise's answer in the copy its kernel imports while grading."""
    found = {}
    for name, index, group, spec in GROUPS:
        found.update(search(build_package(tmp_path_factory.mktemp(f"{name}-{index}"), spec), group))
    return found


# The solutions and teaching helpers the search must find: it is strong enough to see what a learner would use.
KNOWN = {
    "predict": {"lecture_utils.lessons.linear_regression.predict"},
    "mse": {"lecture_utils.lessons.linear_regression.mean_squared_error"},
    "add_ones_column": {"lecture_utils.lessons.linear_regression.add_ones_column"},
    "sigmoid_derivative": {"lecture_utils.autograd.Sigmoid(...).backward",
                           "lecture_utils.gradcheck.numerical_gradient"},
    "mse_gradient": {"lecture_utils.lessons.descent._quadratic", "lecture_utils.lessons.descent.mse_gradient",
                     "lecture_utils.gradcheck.numerical_gradient"},
    "add_backward": {"lecture_utils.autograd._sum_to_shape", "lecture_utils.autograd.Add(...).backward"},
    "mul_backward": {"lecture_utils.lessons.backprop.mul_jacobians", "lecture_utils.autograd.Mul(...).backward"},
    "relu_backward": {"lecture_utils.ops.OPS['ReLU'].gradients[0].local", "lecture_utils.autograd.ReLU(...).backward"},
    "train_network": {"lecture_utils.nn.train"},
    "training_step": {"lecture_utils.lessons.training.one_sgd_step"},
}


@pytest.mark.parametrize("exercise", sorted(KNOWN))
def test_the_search_finds_the_packages_solutions_and_teaching_helpers(candidates, exercise):
    assert KNOWN[exercise] <= set(candidates[exercise]), candidates[exercise]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_nothing_that_computes_an_exercises_answer_is_in_its_kernels_copy(candidates, left_in_copies, exercise):
    assert left_in_copies[exercise] == [], f"left in the copy: {left_in_copies[exercise]}; " \
                                           f"in the full package: {candidates[exercise]}"
