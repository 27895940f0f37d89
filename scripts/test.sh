#!/usr/bin/env bash
# The integration part of `make test`: CLI tests, API tests on SQLite and on a throwaway
# PostgreSQL 15, then the browser tests. Unit tests and fuzzing ran before this (Makefile).
set -euo pipefail
cd "$(dirname "$0")/.."
for t in tests/cli/*.sh; do [ -e "$t" ] || continue; echo "== $t"; bash "$t"; done
if [ -x tests/api/run.sh ]; then
  echo "== API tests (SQLite)"; tests/api/run.sh sqlite
  echo "== API tests (PostgreSQL)"; tests/api/run.sh postgres
fi
if [ -x tests/browser/run.sh ]; then echo "== browser tests"; tests/browser/run.sh; fi
echo "all tests passed"
