# Praclox CRM — `make run` and `make test` are all a new user needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench loadtest i18n clean shell

$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

i18n: $(STAMP)
	@$(BIN)/praclox i18n compile

run: $(STAMP) i18n
	PRACLOX_BASE_URL=http://$(HOST):$(PORT) $(BIN)/praclox setup
	PRACLOX_SCHEDULER_ENABLED=1 PRACLOX_INSECURE_COOKIES=1 PRACLOX_BASE_URL=http://$(HOST):$(PORT) \
		$(BIN)/praclox run --host $(HOST) --port $(PORT)

CHROMIUM ?= /usr/bin/chromium
# the suite runs in parallel, one worker process per logical core (pytest-xdist; `make test WORKERS=0` runs it in one process);
# a test file runs on one worker (--dist loadfile), so the tests that share a module's installation or server stay
# together; xdist's loadgroup cannot do this under pytest 9 (it renames the test ids, which pytest 9 no longer reads)
WORKERS  ?= logical
PYTEST_PARALLEL := -n $(WORKERS) --dist loadfile

test: $(STAMP) i18n
	$(BIN)/ruff check praclox tests bench wsgi.py
	$(BIN)/bandit -q -r praclox
	@if [ -x "$(CHROMIUM)" ]; then echo "== browser journeys run in Chromium at $(CHROMIUM)"; else \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!!! NO CHROMIUM at $(CHROMIUM): the browser journeys (tests/e2e) are SKIPPED."; \
	  echo "!!! Install it with: apt-get install chromium   (.ci/run does this itself)"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; fi
	PRACLOX_CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_PARALLEL)

shell: $(STAMP) i18n
	@echo "praclox is on PATH in this shell (exit to leave)"
	@PATH="$(CURDIR)/$(BIN):$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)" $${SHELL:-/bin/sh}

lint: $(STAMP)
	$(BIN)/ruff check praclox tests bench wsgi.py

# make bench ARGS=--strict: exit 1 on a missed target (each script reports its figures as ratios to targets)
bench: $(STAMP) i18n
	@for script in bench/bench_*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(BIN)/python $$script $(ARGS) || exit 1; done

# a bounded mixed load on gunicorn -w 4 (PostgreSQL on 127.0.0.1:5432 when it answers, else SQLite); exit 1 on a miss
loadtest: $(STAMP) i18n
	$(BIN)/python bench/loadtest.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
