# Each target sets up .venv itself: a fresh machine needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test test-slow bench lint clean

# The site needs the light install; tests also need the argos engine (torch, CPU build).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,argos]'
	touch $(TEST_STAMP)

# A site showing preview-engine (pseudo) drafts is refused, naming the catalogs; `make site ALLOW_PREVIEW=1`
# builds it anyway (a preview; `thinktank deploy` needs --allow-preview for the same).
ALLOW_PREVIEW ?= $(THINKTANK_ALLOW_PREVIEW)
site: $(STAMP)
	THINKTANK_ALLOW_PREVIEW=$(ALLOW_PREVIEW) $(BIN)/mkdocs build --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve

# One worker per core; the long attack tests (test-slow) run serially, as their kill timings assume.
test: $(TEST_STAMP)
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# The long attack tests (fuzz, kill loops); make test runs a short version of each.
test-slow: $(TEST_STAMP)
	$(BIN)/pytest -m slow $(PYTEST_ARGS)

bench: $(TEST_STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/pip install --quiet -e '.[lint]'
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy src/thinktank

clean:
	rm -rf site $(VENV)
