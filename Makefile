# Two commands on a fresh machine (Python 3.11, npm, Debian's apt):
#   make book   - create .venv, install everything, build the HTML book into _build/html
#                 and its PDF handouts into _build/html/pdf (make pdf: the PDFs alone)
#   make check  - the fast tier (tests/unit, tests/hostile) on both cores: no built book, kit, hub or browser
#   make test   - the same set-up, then every test: unit, data, nbval, exercises, browser
# .ci/run runs `make test`, then `make lint`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYDEPS := $(VENV)/.installed
NODE   := node_modules/.installed
EXTRA  := _extra/vendor/.installed
HUBDEPS := $(VENV)/.hub-installed
# The tools that build the browser site (JupyterLite, book/lite.py), in a venv of their own
LITEVENV := .lite-venv
LITEDEPS := $(LITEVENV)/.installed
# The students' environment: the hub and every student's server and kernel run from it. Its Python
# must be one every account can run (pyenv's, under /root, is not): Debian's python3 by default.
HUB_PYTHON ?= /usr/bin/python3
HUBVENV := .hub-venv
HUBENV  := $(HUBVENV)/.installed
KIT    := _extra/kit/.built
BOOK   := _build/html/index.html
CHROMIUM ?= /usr/bin/chromium
# `make test` and `make check` run test files on this many workers (pytest-xdist, whole files per worker:
# --dist loadfile); 2 suits a 2-core machine, 0 runs them in one process
TEST_WORKERS ?= 2
# The fast tier: what a contributor runs after each edit (README.md, *Tests*)
FAST_TESTS := tests/unit tests/hostile

BOOK_SOURCES := _config.yml _toc.yml intro.md $(wildcard pages/*.md chapters/*.md chapters/*.ipynb chapters/quizzes/*.yml \
                _static/* _templates/* _templates/*/* after_mosul/*.py book/*.py data/* exercises/student/*.ipynb exercises/solutions/*.ipynb)
# Vendored front-end files (Leaflet, MathJax): a changed or re-vendored file rebuilds the book.
BOOK_SOURCES += $(shell find _extra -type f ! -name .installed 2>/dev/null)

# The course's JupyterLab / Notebook 7 defaults (no news prompt, no update check), which the kit wheel installs
# itself (setup.py data_files); an editable install does not, so the environments made here get them copied.
JUPYTER_DEFAULTS := jupyter-config/labconfig/default_setting_overrides.d/after_mosul.json
JUPYTER_DEFAULTS_DIR := etc/jupyter/labconfig/default_setting_overrides.d
JUPYTER_DEFAULTS_INSTALL := install -D -m 644 $(JUPYTER_DEFAULTS)

.PHONY: book check test setup benchmark lite-benchmark refresh exercises kit wheelhouse lint lock lock-upgrade clean hub hub-setup hub-benchmark pdf assignments grade FORCE

book: $(BOOK)

test: setup hub-setup $(KIT) $(BOOK) $(CHROMIUM)
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15
	$(BIN)/ruff check .

# Unit, data, hostile-input and build-logic tests (Sphinx on tiny fixture books): no book, kit, hub or Chromium.
check: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(FAST_TESTS)
	$(BIN)/ruff check .

setup: $(PYDEPS) $(NODE) $(EXTRA) $(LITEDEPS)

# Every install is hash-checked (pip --require-hashes) from the lock files `make lock` writes (locks/, book/pins.py):
# pip, setuptools and wheel first, then the package's book, test and grading extras at constraints.txt's pins;
# then the package itself (the clone, editable: no download, no build isolation fetching a floating setuptools).
PIP_LOCKED := --quiet --require-hashes
$(PYDEPS): locks/tools.txt locks/dev.txt pyproject.toml $(JUPYTER_DEFAULTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_LOCKED) -r locks/tools.txt
	$(BIN)/python -m pip install $(PIP_LOCKED) -r locks/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(JUPYTER_DEFAULTS_INSTALL) $(VENV)/$(JUPYTER_DEFAULTS_DIR)/after_mosul.json
	touch $@

# JupyterLite reads the lab extensions of the environment it runs in: its own venv holds only the site's
# (book/lite-requirements.txt, at the project's pins: locks/lite.txt).
$(LITEDEPS): locks/tools.txt locks/lite.txt
	test -x $(LITEVENV)/bin/python || $(PYTHON) -m venv $(LITEVENV)
	$(LITEVENV)/bin/python -m pip install $(PIP_LOCKED) -r locks/tools.txt
	$(LITEVENV)/bin/python -m pip install $(PIP_LOCKED) -r locks/lite.txt
	touch $@

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Front-end files the book serves itself (html_extra_path), copied from node_modules;
# copied again when Leaflet has gone missing from _extra/ (the build itself stops without it).
$(EXTRA): $(NODE) book/vendor_assets.py $(if $(wildcard _extra/vendor/leaflet/leaflet.js),,FORCE)
	$(BIN)/python -m book.vendor_assets
	touch $@

# The course kit: one wheel of after_mosul with the data, article and quizzes inside (setup.py),
# served by the book from kit/ for `pip install after_mosul-<version>-py3-none-any.whl`.
kit: $(KIT)

$(KIT): $(PYDEPS) setup.py pyproject.toml $(wildcard after_mosul/*.py after_mosul/assets/leaflet/* data/* seeds/* chapters/quizzes/*.yml)
	rm -rf _extra/kit build
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir _extra/kit .
	rm -rf build
	touch $@

# book.lite builds the browser site into _build/html/lite/ (skipped when nothing it reads changed).
$(BOOK): $(PYDEPS) $(EXTRA) $(KIT) $(LITEDEPS) $(BOOK_SOURCES) book/lite-wheels.txt book/lite-requirements.txt book/build_pdfs.py | $(CHROMIUM)
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python -m book.lite
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m book.build_pdfs
	touch $@

# A classroom without internet (pages/setup.md): every wheel the kit, JupyterLab and Notebook 7 need, for Linux,
# macOS and Windows and each Python the set-up page supports, in _build/wheelhouse/ to copy to a USB stick.
wheelhouse: $(KIT)
	$(BIN)/python -m book.wheelhouse

# The PDF handouts (each page, the instructor's edition, the exercise sheets), printed by Chromium.
pdf: setup $(CHROMIUM)
	test -f $(BOOK) || $(MAKE) book
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m book.build_pdfs

# The browser the tests drive: Debian's chromium, never a downloaded build.
# Installed only when missing; as root, or through sudo otherwise.
$(CHROMIUM):
	$$([ "$$(id -u)" = 0 ] || echo sudo) apt-get update -qq
	$$([ "$$(id -u)" = 0 ] || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
	@test -x $@ || { echo "Debian's chromium package gave no $@: set CHROMIUM=/path/to/chromium" >&2; exit 1; }

# After editing a chapter's .md: regenerate its .ipynb and stored outputs.
refresh: setup
	$(BIN)/python -m book.refresh_notebooks

exercises: setup
	$(BIN)/python -m book.build_exercises

# Graded assignments (instructor's guide, "Giving marks"): student notebooks in _build/assignments/student/,
# the autograders with the hidden tests in _build/assignments/autograder/ (never give that folder out).
ASSIGNMENTS := _build/assignments/.built
assignments: $(ASSIGNMENTS)

$(ASSIGNMENTS): $(PYDEPS) $(wildcard assignments/source/*.md) book/assignment_versions.py book/build_assignments.py
	$(BIN)/python -m book.build_assignments
	touch $@

# make grade SUBMISSIONS=collected/<date-time>: fresh kernels, hidden tests, no Docker; writes grades.csv and feedback.md.
grade: $(ASSIGNMENTS)
	@test -n "$(SUBMISSIONS)" || { echo "Say which folder to grade: make grade SUBMISSIONS=collected/<date-time>" >&2; exit 1; }
	$(BIN)/python -m book.grade $(SUBMISSIONS)

benchmark: setup
	$(BIN)/python -m scripts.benchmark

# The browser site (book/lite.py): its size, bytes and seconds to a notebook's first output, cold and warm.
lite-benchmark: $(BOOK) $(CHROMIUM)
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m scripts.lite_benchmark

# The class hub on this machine (README.md, "Class hub"): JupyterHub on http://127.0.0.1:8000, run as root.
# .venv gets the hub's packages too (the tests import them); .hub-venv is what students run:
# binder/requirements.txt (the same environment as the Kubernetes image) and the course package.
hub-setup: $(HUBDEPS) $(HUBENV) $(NODE)

$(HUBDEPS): $(PYDEPS) locks/hub.txt
	$(BIN)/python -m pip install $(PIP_LOCKED) -r locks/hub.txt
	touch $@

# locks/hub-venv.txt is resolved for Debian 12's Python 3.11.2 (book/pins.py): soupsieve 4 needs 3.11.5, so the
# students' environment has soupsieve 2.x (only nbconvert's HTML clean-up uses it); every other pin is .venv's.
$(HUBENV): $(PYDEPS) locks/tools.txt locks/hub-venv.txt $(JUPYTER_DEFAULTS)
	test -x $(HUBVENV)/bin/python || $(HUB_PYTHON) -m venv $(HUBVENV)
	$(HUBVENV)/bin/python -m pip install $(PIP_LOCKED) -r locks/tools.txt
	$(HUBVENV)/bin/python -m pip install $(PIP_LOCKED) -r locks/hub-venv.txt
	$(HUBVENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(JUPYTER_DEFAULTS_INSTALL) $(HUBVENV)/$(JUPYTER_DEFAULTS_DIR)/after_mosul.json
	touch $@

hub: hub-setup
	$(HUBVENV)/bin/jupyterhub -f hub/jupyterhub_config.py

# N students at once against a throwaway hub on loopback; prints figures (make hub-benchmark N=10).
N ?= 30
hub-benchmark: hub-setup
	$(BIN)/python -m hub.benchmark --students $(N)

# ruff, with the rules chosen in pyproject.toml ([tool.ruff]).
lint: setup
	$(BIN)/ruff check .

# After a change to pyproject.toml's dependencies (or hub/requirements.txt): resolve again with uv, keeping every
# pin constraints.txt has, and rewrite constraints.txt, the hash-pinned locks/, requirements.txt, binder/ and the hub
# image's tag (named after binder/). `make lock-upgrade` moves every pin to the newest version allowed.
lock: setup
	$(BIN)/python -m book.lock
	$(BIN)/python hub/image_tag.py --write

lock-upgrade: setup
	$(BIN)/python -m book.lock --upgrade
	$(BIN)/python hub/image_tag.py --write

clean:
	rm -rf _build _extra
