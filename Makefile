# Set-up is a dependency of every target, so `make demo` or `make test` on a fresh machine
# installs what they need first (venv, Python packages, a browser for Playwright).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test lint bench clean

setup: $(VENV)/.installed browser

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

browser: $(VENV)/.installed
	@bash scripts/install-browser.sh $(PY)

demo: setup
	@bash scripts/demo.sh $(PY)

# The README's two commands in its order, in every run: the tests must pass after the demo
# left its data behind (they never read it: each test has its own data dir and state).
test: setup
	$(PY) -m ruff check .
	$(PY) -m mypy
	@bash scripts/demo.sh $(PY)
	$(PY) -m pytest

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) data build *.egg-info
