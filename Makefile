# The two commands of the README: `make run` serves the portal with demo data, `make test` runs the tests.
# Unset DATABASE_URL/REDIS_URL: SQLite and eager Celery. Set: PostgreSQL, Redis and real workers.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One stamp per requirements file: each is installed again only when it changed.
RUN_STAMP := $(VENV)/.installed-requirements.txt
DEV_STAMP := $(VENV)/.installed-requirements-dev.txt
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint messages bench clean
.DEFAULT_GOAL := run

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# What production installs: enough to serve the portal.
$(RUN_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Production's requirements plus the test and lint tools.
$(DEV_STAMP): requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(RUN_STAMP)
	DEBUG=$${DEBUG:-1} ./scripts/run.sh $(HOST) $(PORT)

test: $(DEV_STAMP)
	./scripts/test.sh $(ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

# Source strings are Chinese; this refreshes the English catalog and compiles it (needs gettext).
# Commit both locale/en/LC_MESSAGES/django.po and django.mo.
# templates/admin/ holds overrides of packages' pages, whose strings those packages translate.
messages: $(RUN_STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=$(VENV) --ignore=staticfiles --ignore=static/vendor \
		--ignore=test-artifacts --ignore=templates/admin --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV)

# Performance benchmarks on PostgreSQL + Redis (see docs/performance.md). BENCH_ARGS="--units 200" for a quick run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/6
bench: $(RUN_STAMP)
	@if [ -z "$$DATABASE_URL" ]; then echo "DATABASE_URL not set: using $(BENCH_DATABASE_URL)"; fi
	@if [ -z "$$REDIS_URL" ]; then echo "REDIS_URL not set: using $(BENCH_REDIS_URL)"; fi
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(BENCH_REDIS_URL)} \
		DJANGO_SETTINGS_MODULE=bench.settings $(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
