# Two commands: `make run` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= $(shell command -v python3.11 || command -v python3)
MANAGE := $(PY) manage.py

.PHONY: run test venv messages compilemessages migrate demo worker lint makemessages

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

compilemessages: venv
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

run: venv
	@scripts/system_deps.sh run
	@$(MAKE) --no-print-directory compilemessages
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) seed_demo
	@scripts/print_demo_accounts.sh $(PORT)
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker and beat"; \
	  $(VENV)/bin/celery -A alliance_portal worker --beat -l warning & \
	fi; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: venv
	@scripts/system_deps.sh test
	@$(MAKE) --no-print-directory compilemessages
	$(VENV)/bin/pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Refresh the translation catalogues. One run from the top: each file's strings go to
# the nearest locale/ folder (an app's own, or the project's for templates/ and
# alliance_portal/); locale_vendor/ holds hand-made completions of third-party catalogues.
makemessages: venv
	$(MANAGE) makemessages -l kk -l ru -l en --no-obsolete -v 0 \
	  --ignore=.venv --ignore=node_modules --ignore=tests --ignore=scripts --ignore=staticfiles
