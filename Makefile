# Seeknotes — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install migrate seed run worker test test-fast bench soak lint format clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)  ## Create .venv and install Seeknotes with its development tools

migrate: install  ## Apply database migrations
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate  ## Import the documents in seeds/
	DJANGO_DEBUG=1 $(BIN)/python manage.py import_seeds

# The background tasks' worker: the database queue's, or RQ's when REDIS_URL names a Redis.
WORKER = $(if $(REDIS_URL),rqworker default,db_worker --no-reload)

run: seed  ## Set up everything and serve on http://127.0.0.1:8000/, with the import worker
	@DJANGO_DEBUG=1 $(BIN)/python manage.py $(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

worker: install  ## Run only the background tasks' worker (one per machine; see README)
	$(BIN)/python manage.py $(WORKER)

test: install  ## Check the layers, then run the whole test suite (browser tests included)
	$(BIN)/lint-imports
	DJANGO_ALLOW_ASYNC_UNSAFE=1 $(BIN)/pytest

bench: install  ## Benchmarks (~8 min): prints one table, writes bench-results/latest.json
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && \
		{ apt-get install -y -q wrk || { apt-get update -q && apt-get install -y -q wrk; }; }; } || \
		echo "bench: no wrk (apt-get install wrk); the HTTP rows will be skipped"
	$(BIN)/python -m tests.bench

soak: install  ## Soak (~12 min): 50 people for 2 min on each database, writes checked after
	$(BIN)/python -m tests.soak $(SOAK_ARGS)

lint: install  ## Check style with ruff and the apps' layers with import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install  ## Rewrite files in ruff's style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:  ## Remove the virtualenv, collected static files and caches
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
