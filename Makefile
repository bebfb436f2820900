# Le bot SPRO — see README.md. Every target sets the project up first when needed.
SHELL := /bin/bash
PY := .venv/bin/python
RASA := .venv/bin/rasa
# Rasa with the project's patches (bot/rasa_patches.py): every command that runs the bot uses it.
PATCHED_RASA := $(PY) -m bot.rasa
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: setup test test-prod audit lint validate train run shell studio bench clean

# Python 3.10 and the pinned requirements (.venv), then Chromium and nginx for the tests.
setup:
	@scripts/setup.sh
	@scripts/system-packages.sh
	@$(PY) -m bot directory init

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

validate: setup
	$(PY) -m bot validate
	$(RASA) data validate --data data/nlu data/stories data/rules --quiet

train: setup
	@scripts/train.sh

test: setup lint validate train
	$(PY) -m pytest
	$(PATCHED_RASA) test core --stories tests/stories --model models/spro.tar.gz --fail-on-prediction-errors --out results/stories --quiet

# Production on this machine: two Rasa replicas and two action servers behind nginx, private
# PostgreSQL and Redis; the fault and bad-input suites (tests/production, docs/deploiement.md).
test-prod: setup train
	$(PY) -m pytest -m production tests/production

# Known vulnerabilities of the pinned dependencies (scripts/audit.sh, docs/deploiement.md).
audit: setup
	@scripts/audit.sh

run: setup train
	@scripts/run.sh

# Talk to the bot in the terminal; it calls the action server `make run` started (port 5055).
shell: setup train
	$(PATCHED_RASA) shell --model models/spro.tar.gz --port $${SHELL_PORT:-5006}

# The editors' studio (docs/editeurs.md); it publishes to the bot `make run` started.
studio: setup
	$(PY) -m bot studio --port $${STUDIO_PORT:-8090} --rasa-url http://localhost:$${RASA_PORT:-5005}

bench: setup train
	$(PY) bench/nlu.py
	$(PY) bench/serving.py

clean:
	rm -rf var results .pytest_cache .ruff_cache
