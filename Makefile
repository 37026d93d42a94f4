# Every target bootstraps .venv with the project and its test extras when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test test-slow verify figures bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

# `make verify SEED=20261123` repeats the README's run; without SEED a fresh seed is drawn
# (and printed first, and recorded in the report)
verify: $(STAMP)
	$(BIN)/dropmc verify --out report $(if $(SEED),--seed $(SEED))

figures: $(STAMP)
	$(BIN)/dropmc figures --out report/figures

bench: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) report build *.egg-info
