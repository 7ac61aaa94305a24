#!/usr/bin/env bash
# Set up everything the site and its tests need, idempotently:
#   1. a Python >= 3.12 virtual environment in .venv (pyodide-build needs 3.12+),
#   2. the project's dependencies at the versions requirements.lock pins, hash-checked, and
#      the project itself (re-installed only when pyproject.toml or the lock changes),
#   3. the pinned Pyodide runtime and HTML checker (fetched once, verified, cached outside
#      the repository), and Java for the checker (Debian's default-jre-headless if missing),
#   4. with --browser: a browser for the Playwright tests.
# Usage: build_tools/setup/bootstrap.sh [--browser]
set -euo pipefail
cd "$(dirname "$0")/../.."

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

say() { printf 'setup: %s\n' "$*" >&2; }

python_ok() {  # true when "$1" runs and is Python >= 3.12
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local c
  for c in "${PYTHON:-}" python3.14 python3.13 python3.12 python3 \
           "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 \
           /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 && python_ok "$c"; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
  if ! py=$(find_python); then
    say "no Python 3.12 or newer found (pyodide-build needs it)."
    say "Install one, e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12',"
    say "or point PYTHON at it: PYTHON=/path/to/python3.12 make test"
    exit 1
  fi
  say "creating .venv with $py ($("$py" --version 2>&1))"
  rm -rf .venv
  "$py" -m venv .venv
fi

stamp=.venv/.cwc-installed
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the locked Python packages into .venv (requirements.lock, hash-checked)"
  pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
  # Every package at its locked version, each file checked against the lock's hashes; then
  # the project itself, built with the locked setuptools (no unpinned build environment).
  "${pip[@]}" --require-hashes --no-deps -r requirements.lock
  "${pip[@]}" --no-deps --no-build-isolation -e .
  if ! .venv/bin/python -m build_tools.setup.lock --check; then
    say "pyproject.toml and requirements.lock disagree: run 'make lock' and commit the lock"
    exit 1
  fi
  echo "$want" > "$stamp"
fi

args=()
[ "$want_browser" = 1 ] && args+=(--browser)
.venv/bin/python -m build_tools.setup.provision "${args[@]}"
