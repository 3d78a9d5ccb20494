# bansou — `make run` starts the app on the embedded default (SQLite under var/), `make test` runs
# the whole suite. DATABASE_URL switches to PostgreSQL for both.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
export HOST PORT

.PHONY: run test lint format admin bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall when the lock file changes.
$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

run: $(VENV)/.base-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_frameworks
	$(BIN)/python manage.py load_municipalities
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "bansou: http://$(HOST):$(PORT)/  (管理者の作成: make admin)"
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

admin: $(VENV)/.base-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createsuperuser

test: $(VENV)/.dev-installed
	scripts/ensure-test-packages
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/djhtml --check $$(git ls-files '*.html')

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $$(git ls-files '*.html')

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/check_page.py

clean:
	rm -rf $(VENV) var/static
