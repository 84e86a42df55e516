# Min SIP. `make run` sets everything up and serves the app; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
export FLASK_APP := webapp
# `make run` serves plain HTTP on loopback; behind HTTPS in production leave COOKIE_SECURE unset (on).
RUN_ENV := COOKIE_SECURE=$${COOKIE_SECURE:-0}

CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: help install install-test run serve test test-sqlite test-postgres translations extract \
        update-catalogues compile-translations migrate seed bench audit lint clean

help:
	@echo "make run      set up (venv, translations, migrations, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make test     set up and run the whole test suite with coverage"
	@echo "make translations  extract, update and compile the catalogues"
	@echo "make bench    run the benchmarks"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools  # the venv's bundled setuptools has known vulnerabilities
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-test pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -d translations -l $* 2>&1 | grep -v "^compiling" || true
	@test -f $@

compile-translations: $(COMPILED)

extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_ngettext:1,2 \
	    --no-location --sort-output -o translations/messages.pot .

update-catalogues: extract
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations

translations: update-catalogues
	$(BIN)/flask translate source
	$(MAKE) --no-print-directory compile-translations

migrate: $(VENV)/.installed compile-translations
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed-demo --if-empty

run: seed
	$(RUN_ENV) $(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - 'webapp:create_app()'

test: $(VENV)/.installed-test compile-translations
	$(BIN)/python -m pytest --cov --cov-report=term -n auto $(PYTEST_ARGS)

bench: $(VENV)/.installed-bench compile-translations
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m tests.bench.run

audit: $(VENV)/.installed-test
	$(BIN)/bandit -q -ll -c pyproject.toml -r webapp  # medium and high findings fail
	$(BIN)/pip-audit --skip-editable --progress-spinner off
	$(BIN)/python -m tests.pypi_advisories  # the same advisories from PyPI's project JSON, where pip-audit cannot ask

clean:
	rm -rf $(VENV) .pytest_cache .coverage htmlcov $(COMPILED)
