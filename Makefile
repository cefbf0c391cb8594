# Euroffshore: `make run` serves the demo, `make test` runs every Python-only test.
# Needs only Python 3.11+ and make; everything else is installed into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
BENCH_ADMIN_URL ?= postgresql+psycopg://app:app@127.0.0.1:5432/postgres

.PHONY: walk run test e2e screenshots lint bench bench-scheduling bench-scheduling-quick bench-scheduling-reference bench-directory bench-matching bench-recommendations bench-events bench-security install install-dev catalogs migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.installed-e2e: pyproject.toml $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e '.[dev,e2e]'
	touch $@

install: $(VENV)/.installed catalogs walk
install-dev: $(VENV)/.installed-dev catalogs walk

# The annealing walk compiled once (numba caches it beside the module; ~8 s).
walk: $(VENV)/.walk-compiled
$(VENV)/.walk-compiled: app/scheduling/walk_jit.py $(VENV)/.installed
	$(BIN)/python -c "from app.scheduling.walk_jit import warm; warm()"
	touch $@

catalogs: $(VENV)/.installed
	$(BIN)/euroffshore i18n compile > /dev/null

migrate: install
	$(BIN)/euroffshore migrate

# Loads the deterministic demo data and prints the demo logins, only into an empty database.
demo: migrate
	$(BIN)/euroffshore demo --if-empty

run: demo
	$(BIN)/euroffshore serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

# Browser journeys in Debian's Chromium (/usr/bin/chromium; .ci/run installs it).
e2e: $(VENV)/.installed-e2e catalogs
	$(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

# Pictures of the key pages (demo data, laptop and phone) into docs/screenshots/.
screenshots: $(VENV)/.installed-e2e catalogs
	$(BIN)/python -m tests.e2e.screenshots

# The one lint gate (also .pre-commit-config.yaml and .ci/run): style, format, types, Dockerfile.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint --no-color Dockerfile

# Benchmarks print their figures and write them to bench/results/. The PostgreSQL ones
# create their own databases through BENCH_ADMIN_URL.
bench: bench-matching bench-directory bench-recommendations bench-events bench-security bench-scheduling

# About 45 minutes: 68 event-sized instances (30 s each, against cached exact references),
# 2,000 and 5,000 participants, each beside the first-come first-served baseline.
bench-scheduling: install-dev
	$(BIN)/python bench/scheduling/run.py --no-reference

bench-scheduling-quick: install-dev
	$(BIN)/python bench/scheduling/run.py --quick --no-reference

# Recomputes the exact references (CP-SAT, long runs) that bench-scheduling compares with.
bench-scheduling-reference: install-dev
	$(BIN)/python bench/scheduling/run.py --families events,shared-events,fresh-events,holdout-events --reference-time 300

# Database: EUROFFSHORE_BENCH_DIRECTORY_URL, else euroffshore_bench_dir on 127.0.0.1.
bench-directory: install
	$(BIN)/python -m bench.directory.run

bench-matching: install
	$(BIN)/python bench/matching/run.py

# /healthz p95 while 20 logins run at once, against its idle p95 (served app, production
# argon2 cost, SQLite; 5 runs, about 8 minutes on 2 CPUs).
bench-security: install
	$(BIN)/python bench/security/run.py

bench-recommendations: install
	$(BIN)/python bench/recommendations/run.py --admin-url $(BENCH_ADMIN_URL)

# An event of 1,000 participants and 6,000 requests: catalogue and requests list over HTTP.
bench-events: install
	$(BIN)/python bench/events/run.py --admin-url $(BENCH_ADMIN_URL)

clean:
	rm -rf $(VENV) euroffshore.db* euroffshore-huey.db* .pytest_cache .ruff_cache
