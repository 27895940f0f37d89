#!/usr/bin/env bash
# `make bench`: every bench/*.sh, one after the other (each prints its figures and references).
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench/*.sh; do [ -e "$b" ] || continue; echo "== $b"; bash "$b"; done
