# Waymark: `make run` serves the demo, `make test` runs every test. Both set themselves up.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run worker test bench lint check install clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_demo
	@echo ""
	@echo "Waymark is at http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Runs the background tasks (reminder emails, printed here in development); beside `make run`.
worker: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py db_worker

# One test process per processor (pytest-xdist, decision 0043), each test file kept in one;
# `make test TEST_JOBS=0` runs them all in this process.
TEST_JOBS ?= auto
test: $(STAMP)
	$(PY) -m pytest -n $(TEST_JOBS) --dist loadfile

# Figures for the performance tables (see bench/): every main page's first view and query count
# at 10 and 500 strategies against the floor and the admin (BENCH_ARGS="--national" with
# BENCH_DATABASE_URL on PostgreSQL adds 5,000), then responses per second against gunicorn.
bench: $(STAMP)
	$(PY) bench/pages.py $(BENCH_ARGS)
	$(PY) bench/responses.py
	$(PY) bench/consultations.py

# Staff, secretaries, officers and the public at once against gunicorn on a PostgreSQL cluster of
# its own, restarted mid-run (bench/load.py; LOAD_ARGS="--seconds 40 --json out.json" passes on).
load: $(STAMP)
	$(PY) bench/load.py $(LOAD_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
