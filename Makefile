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
	$(PY) -m scenarios run

report: $(STAMP)
	$(PY) -m scenarios run --report md --out reports/scenarios.md --report junit --out reports/junit.xml \
		--report html --out reports/scenarios.html --report json --out reports/scenarios.json

fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} $(PY) -m pytest tests/mock_iterable/test_schema_fuzz.py tests/destination/test_fuzz.py

bench: $(STAMP)
	bash bench/install-deps.sh
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) reports .pytest_cache
