# Every target bootstraps .venv with the project and its test extras when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test test-slow verify figures bench clean chromium notebooks lab

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The report's browser test needs a headless Chromium: installed from Debian's packages when
# missing and apt is usable (root); otherwise that one test is skipped with a reason.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1)) \
	  || echo "chromium not installed: the headless-browser test of report.html will be skipped"; }

# the suite runs on one pytest-xdist worker per core; the tests that decide the same claim
# share a worker, the others go by module, and the workers share one session directory, so
# each claim and each study is computed once at quick precision (tests/conftest.py)
test: $(STAMP) chromium
	$(BIN)/python -m pytest -n auto --dist loadgroup

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow -n auto --dist loadgroup

# `make verify SEED=20261123` repeats the README's run; without SEED a fresh seed is drawn
# (and printed first, and recorded in the report). The claims run on a LocalCluster of one
# worker process per core (JOBS, default: the cores; JOBS=1 runs them in this process), the
# figures beside them; the report is the same either way
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
verify: $(STAMP)
	$(BIN)/dropmc verify --out report --figures --include-slow $(if $(SEED),--seed $(SEED)) \
	  $(if $(filter-out 1,$(JOBS)),--scheduler local:$(JOBS))

figures: $(STAMP)
	$(BIN)/dropmc figures --out report/figures

# execute the notebooks in place so the committed copies carry their outputs
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py

# JupyterLab in .venv (the `lab` extra, installed once: its stamp is $(LAB_STAMP)), opened on
# the notebooks; as root (a container) Jupyter needs --allow-root
LAB_STAMP := $(VENV)/.installed-lab

$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) report build *.egg-info
