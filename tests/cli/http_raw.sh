#!/usr/bin/env bash
# http_raw.sh — raw-socket attacks (long methods and paths, NUL/control bytes, bare LF,
# HTTP/0.9-1.0, request smuggling framing, pipelining) on a live `dti serve`, built plain and
# under ASan+UBSan (build/dti-san). The cases and checks are in http_raw.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${HTTP_RAW_TEST_PORT:-18231}
T=$(mktemp -d /tmp/dti-http-raw.XXXXXX)
trap 'rm -rf "$T"' EXIT
[ -x build/dti ] || { echo "http_raw: build/dti missing"; exit 1; }
[ -x build/dti-san ] || make --no-print-directory build/dti-san >/dev/null
for bin in build/dti build/dti-san; do
  name=$(basename "$bin")
  mkdir -p "$T/$name"
  "$bin" init --db "sqlite:$T/$name/dti.db" --admin-password-file "$T/$name/pw" >/dev/null 2>&1 \
    || { echo "http_raw: $bin init failed"; exit 1; }
  extra=(); [ "$name" = dti-san ] && extra=(--sanitized)
  ASAN_OPTIONS=detect_leaks=0 /usr/bin/python3 tests/cli/http_raw.py "$bin" "sqlite:$T/$name/dti.db" \
    "$PORT" "$T/$name" "${extra[@]}" \
    || { echo "http_raw: FAILED with $bin (log: last lines)"; tail -5 "$T/$name/stderr.log"; exit 1; }
done
echo "http_raw: all passed"
