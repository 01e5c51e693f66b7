# The study's commands. `make study` runs everything, `make test` runs the tests; both set up
# .venv from the pinned package set first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
KERNEL := strategiuppfoljning
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: study test lab setup lock sample benchmark clean

study: $(STAMP)
	$(BIN)/python -m helpers.study run $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Strategiuppföljning (Python 3.11)" >/dev/null
	touch $(STAMP)

# Re-resolve the pinned set from requirements.txt in a scratch environment.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.txt
	( echo "# Every package of the resolved set, pinned (Python 3.11). Regenerate with 'make lock'."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable ) > constraints.txt
	rm -rf .lock-venv

# Regenerate the committed synthetic samples (seeded: the same bytes every time). The experts'
# ratings derive from the corpus's planted truth, so they come after it.
sample: $(STAMP)
	$(BIN)/python -m helpers.sample.nyps
	$(BIN)/python -m helpers.sample.corpus
	$(BIN)/python -m helpers.sample.ratings
	$(BIN)/python -m helpers.sample.reports

benchmark: $(STAMP)
	bash benchmarks/run.sh

clean:
	rm -rf .study outputs outputs.failed data/processed test-artifacts
