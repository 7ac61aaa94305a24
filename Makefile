# The few commands people type. Each one sets up what it needs first (see build_tools/setup/bootstrap.sh).
PY := .venv/bin/python
.PHONY: serve test test-fast build check setup clean mutation lock

serve:  ## build the site and serve it on http://127.0.0.1:8000 (rebuilds on every edit)
	@build_tools/setup/bootstrap.sh
	$(PY) -m mkdocs serve

# One worker per core (pytest-xdist). A unit of work is an xdist_group, by default a test
# file, so a file's page fixtures load once (tests/conftest.py); the longest units go
# first. The slowest tests are listed at the end.
XDIST := -n auto --dist loadgroup --no-loadscope-reorder

test:  ## run the whole test suite (unit and browser tests)
	@build_tools/setup/bootstrap.sh --browser
	$(PY) -m pytest $(XDIST) --durations=15

test-fast:  ## only the fast unit tests
	@build_tools/setup/bootstrap.sh
	$(PY) -m pytest $(XDIST) -m "not browser"

build:  ## build the site into site/ (open site/index.html to use it offline)
	@build_tools/setup/bootstrap.sh
	$(PY) -m mkdocs build --strict

check:  ## validate every decision tree
	@build_tools/setup/bootstrap.sh
	$(PY) -m build_tools check decision_trees/

mutation:  ## mutation score of the engine and the paths (minutes; not part of make test)
	@build_tools/setup/bootstrap.sh
	$(PY) benchmarks/mutation.py

lock:  ## refresh requirements.lock from pyproject.toml (every package pinned with hashes)
	@build_tools/setup/bootstrap.sh
	$(PY) -m build_tools.setup.lock

setup:
	@build_tools/setup/bootstrap.sh --browser

clean:
	rm -rf site .pytest_cache
