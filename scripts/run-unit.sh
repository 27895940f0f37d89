#!/usr/bin/env bash
# Runs every C unit test binary given (plain and sanitized builds); fails on the first failure.
set -uo pipefail
fail=0
for t in "$@"; do
  if out=$("$t" 2>&1); then echo "ok   $t"; else echo "FAIL $t"; echo "$out" | tail -40; fail=1; fi
done
exit $fail
