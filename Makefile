# CoopSupport — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext fonts-thai-tlwg poppler-utils

.PHONY: run test setup venv system-libs db demo web worker lint check clean help

help:
	@echo "make run    set everything up and start the web app + Celery worker with beat"
	@echo "make test   run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff + Django checks"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

system-libs:
	@bash scripts/system_libs.sh $(APT_PACKAGES)

setup: system-libs venv
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py compilemessages -l th -v 0 --ignore=.venv
	$(PY) manage.py seed_demo

run: setup
	@bash scripts/run.sh

test: system-libs venv
	$(PY) manage.py compilemessages -l th -v 0 --ignore=.venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var
