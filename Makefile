# Two commands do everything:  `make lab`  and  `make test`  (see README.md).
# Each creates its virtual environment on first use and reuses it afterwards;
# a change to pyproject.toml or to the lock file reinstalls.

PYTHON ?= python3
LAB_VENV := .venv
DEV_VENV := .venv-dev
# The learner's own copies of the exercise notebooks (never tracked by git), and, on request, the worked
# solutions in a folder of their own inside it (so that the same JupyterLab reaches them).
WORKSPACE := my-notebooks
SOLUTIONS := $(WORKSPACE)/solutions
# JupyterLab's settings for the lab environment only (not the user's): the notation page opens rendered,
# no pop-up about Jupyter news.
LAB_OVERRIDES := $(LAB_VENV)/share/jupyter/lab/settings/overrides.json
# Exact versions of every package, for the whole term (made by `make lock`). Both environments
# install with it as pip constraints: each takes only what it needs, at the locked version.
LOCK := requirements-lock.txt

.PHONY: lab solutions test bench exercises site release grade lock clean

# Inside a container you are often root, which JupyterLab refuses unless told.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

## lab: the learners' environment (no instructor tools), your own copies of the exercise notebooks
## (my-notebooks/, brought up to the course's version without overwriting what you changed), then JupyterLab on 00
lab: $(LAB_VENV)/.installed $(LAB_OVERRIDES)
	@$(LAB_VENV)/bin/python -m lecture_utils.edition.workspace --edition exercises --to $(WORKSPACE)
	@echo "Opening JupyterLab on $(WORKSPACE)/00_introduction.ipynb in your browser (stop it with Ctrl+C here) ..."
	$(LAB_VENV)/bin/jupyter lab --ServerApp.root_dir=$(WORKSPACE) \
		--LabApp.default_url=/lab/tree/00_introduction.ipynb $(ALLOW_ROOT)

## solutions: the worked solutions (the instructor's notebooks) into my-notebooks/solutions/: only when you are stuck
solutions: $(LAB_VENV)/.installed
	@$(LAB_VENV)/bin/python -m lecture_utils.edition.workspace --edition notebooks --to $(SOLUTIONS)
	@echo "The worked solutions are in $(SOLUTIONS)/: the folder \"solutions\" in JupyterLab's file browser."

## test: the test and instructor environment, then the house's lint (ruff, configured in pyproject.toml) and the
## whole test suite
test: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/ruff check
	$(DEV_VENV)/bin/python -m pytest $(PYTEST_ARGS)

## bench: the speed benchmarks (not tests: they print ratios, they never fail on time)
bench: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python benchmarks/bench_autograd.py
	$(DEV_VENV)/bin/python benchmarks/bench_widgets.py
	$(DEV_VENV)/bin/python benchmarks/bench_grading.py

## exercises: remake the learner edition exercises/ from notebooks/ after changing a notebook (then commit it)
exercises: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python -m lecture_utils.edition --notebooks notebooks --to exercises

## site: the course's website in site/ (the learner edition run, as static pages that need no network; about a
## minute): open site/index.html, or publish the folder on any static host
site: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python -m lecture_utils.site --edition exercises --to site

## release: the student version of every notebook, into course/release/ (instructors)
release: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python -m lecture_utils.grading release

## grade: grade course/submitted/ (or SUBMISSIONS=folder), WORKERS at once or on the Dask cluster at SCHEDULER,
## into course/grades.csv (instructors)
grade: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/python -m lecture_utils.grading grade $(SUBMISSIONS) $(if $(WORKERS),--workers $(WORKERS)) \
		$(if $(SCHEDULER),--scheduler $(SCHEDULER))

## lock: refresh requirements-lock.txt to the newest versions pyproject.toml allows (pip-tools)
lock: $(DEV_VENV)/.installed
	$(DEV_VENV)/bin/pip-compile --quiet --upgrade --strip-extras --extra lab --extra test --extra instructor \
		--extra site --no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml

$(LAB_VENV)/.installed: pyproject.toml $(LOCK)
	@echo "Setting up the notebooks' environment in $(LAB_VENV)/ (first time only, or after the course changes"
	@echo "its packages): pip installs JupyterLab, numpy, matplotlib and ipywidgets, which takes about 1-3 minutes."
	$(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --progress-bar on --constraint $(LOCK) -e ".[lab]"
	touch $@

$(LAB_OVERRIDES): jupyterlab-overrides.json $(LAB_VENV)/.installed
	mkdir -p $(dir $@)
	cp jupyterlab-overrides.json $@

$(DEV_VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(DEV_VENV)
	$(DEV_VENV)/bin/python -m pip install --quiet --constraint $(LOCK) -e ".[test]"
	touch $@

clean:
	rm -rf $(LAB_VENV) $(DEV_VENV)
