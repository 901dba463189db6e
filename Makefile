# Two commands do all set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite on every core, each test file kept on one worker (its module fixtures: servers, browser).
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: run serve test lint format seeds migrate bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input

seeds: migrate
	$(BIN)/python manage.py import_seeds

# $(call with_worker,COMMAND): COMMAND in the foreground and, beside it, the worker that imports admin
# uploads and runs the syncs pushes and "Sync now" queue, and the loop that syncs each source when its
# schedule comes (sync_sources --due --watch); Ctrl-C (or SIGTERM) stops them all.
with_worker = trap 'kill $$worker $$sources 2>/dev/null; wait $$worker $$sources' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(BIN)/python manage.py sync_sources --due --watch --no-progress & sources=$$!; $(1)

run: export DEBUG ?= 1
run: seeds
	@echo
	@echo "To sign in at http://$(HOST):$(PORT)/admin/ create an admin login first:"
	@echo "    $(BIN)/python manage.py createsuperuser"
	@echo
	@echo "Admin uploads and source syncs run beside the server (a worker and the schedule); Ctrl-C stops them."
	@echo
	@$(call with_worker,$(BIN)/python manage.py runserver $(HOST):$(PORT))

# Production on one machine: migrate, collect hashed and compressed static files, then gunicorn with
# deploy/gunicorn.conf.py, the import worker and the sources' schedule, on whatever DATABASE_URL and CACHE_URL
# say (docs/deployment.md).
serve: export STATIC_MANIFEST = 1
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
serve: migrate
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@$(call with_worker,$(BIN)/gunicorn --config deploy/gunicorn.conf.py archive.wsgi)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The Chinese catalogues: extract our messages (file names only, so an edit elsewhere in a file
# does not touch the catalogues), then compile the .mo files that ship in the repository.
LOCALES := -l zh_Hans -l zh_Hant
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages $(LOCALES) --no-obsolete --add-location file
	$(BIN)/python manage.py compilemessages $(LOCALES) --ignore .venv

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/site_bench.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/admin_bench.py
	$(BIN)/python bench/assets_bench.py
	$(BIN)/python bench/export_bench.py
	$(BIN)/python bench/sources_bench.py
	$(BIN)/python bench/script_bench.py
	$(BIN)/python bench/scale_bench.py --count 100000

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .import_linter_cache
