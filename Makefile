# comprende: `make html` builds the site, `make test` runs the whole suite.
# Both set up what they need first (a virtual environment with pinned versions,
# and the npm tools the browser tests use); setup is skipped when nothing changed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MODE ?= practice
SPHINXOPTS ?= -n -W --keep-going -q
OUT_practice := docs/_build/html
OUT_exam := docs/_build/html-exam
OUT := $(OUT_$(MODE))
SUBMISSIONS ?= submissions
GRADES ?= grades
WORKSHEET ?= docs/_build/worksheet

.PHONY: html serve test lint format grade bench mutation clean setup worksheet

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

# The browser tests' JavaScript tools (axe-core, the Nu HTML checker); skipped
# quietly where npm is missing, and the browser tests then say why they cannot run.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: browser tests will not run (see README)"; fi

setup: $(VENV)/.installed

html: $(VENV)/.installed
	@test -n "$(OUT)" || { echo "MODE must be practice or exam"; exit 2; }
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d docs/_build/doctrees-$(MODE) \
		-D comprende_mode=$(MODE) docs $(OUT)
	@echo "Built $(MODE) site: $(OUT)/index.html"

# The printable worksheet (student's copy and teacher's key, HTML and PDF; the PDF
# needs Debian's chromium). A worksheet made earlier by this target is replaced; a
# folder with anything else in it is never touched.
worksheet: $(VENV)/.installed
	$(BIN)/comprende worksheet -o $(WORKSHEET) --overwrite

serve: $(VENV)/.installed
	$(BIN)/sphinx-autobuild -n --keep-going -d docs/_build/doctrees-serve \
		--watch seeds --watch exercises --watch src/comprende docs docs/_build/serve

test: $(VENV)/.installed node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

grade: $(VENV)/.installed
	$(BIN)/comprende grade $(SUBMISSIONS) --out $(GRADES)

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/grading.py

# Mutation testing (mutmut, configured in pyproject.toml's [tool.mutmut]): grading, bank
# loading, the class run and the statistics. Not part of `make test`: a full run (6,791
# mutants) takes about two hours on two cores, measured 2026-12-01 with --max-children 2
# (grading and the types: 3,342 in 19 min; bank, inputs and stats: 1,978 in 14 min; the
# class run: 1,476 in about an hour, its methods reached by 90-130 tests each). It resumes
# where it stopped, and MUTANTS='comprende.stats*' runs one module. Prints the score per
# module (killed / explained / survived / no tests), names every survivor not explained as
# equivalent in tests/mutation_equivalent/<module>.txt, and fails when a mutant survives
# unexplained or an explanation is stale (its mutant is gone or now killed).
mutation: $(VENV)/.installed
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut results --all true | $(BIN)/python tests/mutation_score.py --strict

clean:
	rm -rf docs/_build .pytest_cache .ruff_cache mutants
