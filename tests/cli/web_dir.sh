#!/usr/bin/env bash
# dti serve finds the built UI from any working directory, like the index sets: --web DIR, then
# DTI_WEB_DIR, then ./build/web, then <dir of the binary>/web (build/web for build/dti). An
# explicit directory that does not exist is an error; nothing found is a warning naming every
# place looked at, and the built-in "UI not built" page is served. SQLite only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DTI=$ROOT/${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
PORT=${WEBDIR_TEST_PORT:-18204}
tmp=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
unset DTI_WEB_DIR

"$DTI" init --db "sqlite:$tmp/dti.db" --admin-password-file "$tmp/pw" >/dev/null 2>&1 || fail "dti init"
# A copy of the binary with its own web/ beside it, and marked UI directories elsewhere.
mkdir -p "$tmp/opt/bin/web" "$tmp/elsewhere" "$tmp/cwd/build/web" "$tmp/envweb" "$tmp/optweb"
cp "$DTI" "$tmp/opt/bin/dti"
for d in opt/bin/web cwd/build/web envweb optweb; do echo "<!doctype html><p>ui:$d</p>" > "$tmp/$d/index.html"; done

# serve BINARY [options]: starts the server (from the current directory), prints what / serves
serve() {
  local bin=$1; shift
  "$bin" serve --db "sqlite:$tmp/dti.db" --listen "127.0.0.1:$PORT" --threads 1 --no-access-log \
    --frameworks "$ROOT/frameworks" "$@" >"$tmp/out" 2>"$tmp/err" & PID=$!
  for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && break
    kill -0 "$PID" 2>/dev/null || fail "serve $* exited: $(cat "$tmp/err")"
    sleep 0.1
  done
  curl -s "http://127.0.0.1:$PORT/"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

cd "$tmp/elsewhere" # no ./build/web here
got=$(serve "$tmp/opt/bin/dti")
grep -q "ui:opt/bin/web" <<<"$got" || fail "beside the binary not found from elsewhere: $got $(cat "$tmp/err")"
if [ -f "$ROOT/build/web/index.html" ]; then # the real build/dti finds the repository's build/web
  got=$(serve "$DTI")
  [ "$got" = "$(cat "$ROOT/build/web/index.html")" ] || fail "build/dti from elsewhere did not serve build/web"
fi

cd "$tmp/cwd" # ./build/web before the binary's, the variable before that, the option first
got=$(serve "$tmp/opt/bin/dti")
grep -q "ui:cwd/build/web" <<<"$got" || fail "./build/web not preferred: $got"
got=$(DTI_WEB_DIR=$tmp/envweb serve "$tmp/opt/bin/dti")
grep -q "ui:envweb" <<<"$got" || fail "DTI_WEB_DIR not used: $got"
got=$(DTI_WEB_DIR=$tmp/envweb serve "$tmp/opt/bin/dti" --web "$tmp/optweb")
grep -q "ui:optweb" <<<"$got" || fail "--web does not win over DTI_WEB_DIR: $got"

# an explicit directory that does not exist: exit 1 before anything starts
rc=0; timeout 5 "$DTI" serve --db "sqlite:$tmp/dti.db" --listen "127.0.0.1:$PORT" --web "$tmp/nope" \
  >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -qF -- "--web $tmp/nope không phải là thư mục" "$tmp/out" ||
  fail "missing --web: exit $rc ($(cat "$tmp/out"))"
rc=0; DTI_WEB_DIR=$tmp/nope timeout 5 "$DTI" serve --db "sqlite:$tmp/dti.db" --listen "127.0.0.1:$PORT" \
  >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -qF "biến môi trường DTI_WEB_DIR: $tmp/nope không phải là thư mục" "$tmp/out" ||
  fail "missing DTI_WEB_DIR: exit $rc ($(cat "$tmp/out"))"

# nowhere: a warning naming the places, and the built-in page
rm -rf "$tmp/opt/bin/web"
cd "$tmp/elsewhere"
got=$(serve "$tmp/opt/bin/dti")
grep -q "Giao diện web chưa được xây dựng" <<<"$got" || fail "built-in page not served: $got"
for w in "cảnh báo: không tìm thấy giao diện web" "$tmp/elsewhere/build/web" "$tmp/opt/bin/web" \
  "--web THƯ_MỤC" "DTI_WEB_DIR"; do
  grep -qF -- "$w" "$tmp/err" || fail "warning does not say '$w': $(cat "$tmp/err")"
done
"$DTI" serve --help | grep -q "DTI_WEB_DIR" || fail "serve --help lacks DTI_WEB_DIR"
echo "web_dir: the UI is found from any directory; where it looked is said when not"
