.PHONY: setup run test test-postgres bench messages
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

setup:
	bash scripts/setup.sh

## Run the product on its embedded default (SQLite, in-process rooms, demo data).
run: setup
	.venv/bin/casebook demo
	.venv/bin/casebook serve --host 127.0.0.1 --port 8000

## Lint and format check (ruff), type check (mypy, configured in pyproject.toml), then run the whole test suite (SQLite, plus PostgreSQL/Redis where they run). Setup adds the
## local language model server for the LLM backend's tests (CASEBOOK_WITH_LLM=0 make test leaves it out).
test: export CASEBOOK_WITH_LLM ?= 1
test: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/python -m pytest -n 2 --dist loadgroup

## The whole suite again with every database-using test on PostgreSQL (a database per test, created from a
## migrated template and dropped; the role needs CREATEDB). Not part of CI's `make test` (time budget).
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
test-postgres: setup
	CASEBOOK_TEST_DATABASE_URL=$(TEST_POSTGRES_URL) .venv/bin/python -m pytest -n 2 --dist loadgroup

## The interface's text: extract what is marked (babel.cfg) into locales/messages.pot and merge it into each
## language's catalog (locales/LANG/LC_MESSAGES/messages.po); then translate the new entries. The app compiles
## the catalogs when it starts, so there is no .mo to build or commit.
messages: setup
	.venv/bin/pybabel extract -F babel.cfg --no-wrap --sort-by-file --omit-header -o locales/messages.pot casebook chat learning search templates
	.venv/bin/pybabel update --no-wrap --ignore-obsolete -i locales/messages.pot -d locales -l en
