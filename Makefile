# Two commands do everything:  `make lab`  and  `make test`  (see README.md).
# Each creates its virtual environment on first use and reuses it afterwards;
# a change to pyproject.toml or to the lock file reinstalls.

PYTHON ?= python3
LAB_VENV := .venv
DEV_VENV := .venv-dev
# Exact versions of every package, for the whole term (made by `make lock`). Both environments
# install with it as pip constraints: each takes only what it needs, at the locked version.
LOCK := requirements-lock.txt

.PHONY: lab test bench release grade lock clean

# Inside a container you are often root, which JupyterLab refuses unless told.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

## lab: the learners' environment (no instructor tools), then JupyterLab on notebooks/
lab: $(LAB_VENV)/.installed
	$(LAB_VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT)

## test: the test and instructor environment, then the whole test suite
test: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python -m pytest $(PYTEST_ARGS)

## bench: the speed benchmarks (not tests: they print ratios, they never fail on time)
bench: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python benchmarks/bench_autograd.py
	$(DEV_VENV)/bin/python benchmarks/bench_widgets.py
	$(DEV_VENV)/bin/python benchmarks/bench_grading.py

## release: the student version of every notebook, into course/release/ (instructors)
release: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python -m lecture_utils.grading release

## grade: grade course/submitted/ (or SUBMISSIONS=folder), WORKERS at once, into course/grades.csv (instructors)
grade: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python -m lecture_utils.grading grade $(SUBMISSIONS) $(if $(WORKERS),--workers $(WORKERS))

## lock: refresh requirements-lock.txt to the newest versions pyproject.toml allows (pip-tools)
lock: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/pip-compile --quiet --upgrade --strip-extras --extra lab --extra test --extra instructor \
		--no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml

$(LAB_VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --constraint $(LOCK) -e ".[lab]"
	touch $@

$(DEV_VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(DEV_VENV)
	$(DEV_VENV)/bin/python -m pip install --quiet --constraint $(LOCK) -e ".[test]"
	touch $@

clean:
	rm -rf $(LAB_VENV) $(DEV_VENV)
