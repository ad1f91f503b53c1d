.PHONY: setup run test bench
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

setup:
	bash scripts/setup.sh

## Run the product on its embedded default (SQLite, in-process rooms, demo data).
run: setup
	.venv/bin/casebook demo
	.venv/bin/casebook serve --host 127.0.0.1 --port 8000

## Run the whole test suite (SQLite, plus PostgreSQL/Redis where they run).
test: setup
	.venv/bin/python -m pytest -n 2 --dist loadgroup
