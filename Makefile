# Everything runs from a project-local virtualenv that `make` creates on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install test lint serve scenarios report bench fuzz clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

serve: $(STAMP)
	$(PY) -m mock_iterable serve --api-key $${ITERABLE_API_KEY:-test-key}

scenarios: $(STAMP)
	@echo "scenarios: not built yet (see the scenarios issue)"

clean:
	rm -rf $(VENV) reports .pytest_cache
