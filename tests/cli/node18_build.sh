#!/usr/bin/env bash
# The web UI builds with Debian 12's own Node.js 18 (stock bookworm has no Node 20): Debian's
# nodejs + libnode108 and the three packages whose files Debian's node loads as builtins from
# /usr/share/nodejs (node-acorn, node-cjs-module-lexer, node-undici) are unpacked into
# build/node18 (downloaded once with `apt-get download`, kept there). That `node` runs first on
# PATH in a private mount namespace (`unshare -m`, root) where the prefix's usr/share is laid over
# /usr/share, so nothing is installed on the machine, and
#   - the type check (tsc --noEmit) and the bundle (web/build.mjs, esbuild) succeed,
#   - the output is byte for byte the one the Node on PATH builds (hashed names included),
#   - index.html points at the hashed JS and CSS that exist under assets/,
#   - the test runners start: Playwright's CLI, and `node --test --test-reporter=spec`
#     (the flags tests/api/run.sh uses) on a passing and a failing sample.
# Offline with nothing cached: prints SKIP and exits 0 (DTI_NODE18_REQUIRED=1 makes it fail).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -d web/node_modules/esbuild ] || fail "web/node_modules missing: run scripts/install-deps.sh"

N18=$ROOT/build/node18
if [ ! -x "$N18/root/usr/bin/node" ]; then
  # The bookworm nodejs 18 build (the security update if there is one); libnode108 must match.
  ver=$(apt-cache madison nodejs 2>/dev/null | awk -F' [|] ' '$2 ~ /^18\./ {print $2; exit}')
  dl=$(mktemp -d)
  if [ -z "$ver" ] || ! (cd "$dl" && apt-get download -qq "nodejs=$ver" "libnode108=$ver" \
      node-acorn node-cjs-module-lexer node-undici >/dev/null 2>&1); then
    rm -rf "$dl"
    [ "${DTI_NODE18_REQUIRED:-0}" = 1 ] && fail "cannot download Debian's nodejs 18 (apt-cache madison nodejs: '${ver:-none}')"
    echo "SKIP: Debian's nodejs 18 not cached in build/node18 and not downloadable"; exit 0
  fi
  rm -rf "$N18"; mkdir -p "$N18"
  for f in "$dl"/*.deb; do dpkg -x "$f" "$N18/root"; done
  rm -rf "$dl"
fi
# node18 CMD...: CMD with Debian's node 18 first on PATH (see above).
node18() {
  unshare -m sh -c 'mount -t overlay overlay -o "lowerdir=$0/root/usr/share:/usr/share" /usr/share &&
    LD_LIBRARY_PATH="$0/root/usr/lib/x86_64-linux-gnu" PATH="$0/root/usr/bin:$PATH" exec "$@"' "$N18" "$@"
}
if ! node18 true 2>/dev/null; then
  [ "${DTI_NODE18_REQUIRED:-0}" = 1 ] && fail "unshare -m / overlay mount not permitted (needs root)"
  echo "SKIP: cannot lay build/node18 over /usr/share (unshare -m needs root)"; exit 0
fi

tmp=$(mktemp -d /tmp/dti-node18.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

v=$(node18 node --version)
[[ $v == v18.* ]] || fail "the unpacked node is $v, not 18"
echo "node18_build: $v from Debian's nodejs package"

(cd web && node18 node scripts/gen-types.mjs --check) || fail "web/scripts/gen-types.mjs on $v"
(cd web && node18 node node_modules/typescript/bin/tsc --noEmit) || fail "tsc --noEmit on $v"
# the API tests' contract check (tests/api/contract.mjs): Ajv with OpenAPI's nullable
node18 node -e 'const Ajv = require("./web/node_modules/ajv"); const v = new Ajv({ strict: true })
  .compile({ type: "string", nullable: true }); process.exit(v(null) && v("x") && !v(1) ? 0 : 1)' \
  || fail "Ajv on $v"
(cd web && DTI_WEB_OUT="$tmp/n18" node18 node build.mjs) || fail "web/build.mjs on $v"
(cd web && DTI_WEB_OUT="$tmp/sys" node build.mjs) || fail "web/build.mjs on $(node --version)"
diff -r "$tmp/n18" "$tmp/sys" >/dev/null || fail "Node 18 output differs from $(node --version)'s"

js=$(cd "$tmp/n18" && ls assets/index-*.js) css=$(cd "$tmp/n18" && ls assets/index-*.css)
[ "$(echo "$js" | wc -l)" = 1 ] && [ "$(echo "$css" | wc -l)" = 1 ] || fail "expected one JS and one CSS bundle: $js $css"
grep -qF "<script type=\"module\" src=\"/$js\"></script>" "$tmp/n18/index.html" || fail "index.html does not load /$js"
grep -qF "<link rel=\"stylesheet\" href=\"/$css\">" "$tmp/n18/index.html" || fail "index.html does not load /$css"
grep -q 'src="/src/main.ts"' "$tmp/n18/index.html" && fail "index.html still points at the source"
grep -q 'Đăng nhập' "$tmp/n18/$js" || fail "the bundle lost its Vietnamese text (charset)"
echo "node18_build: $(wc -c <"$tmp/n18/$js") B $js, $(wc -c <"$tmp/n18/$css") B $css"

pw=$(cd web && node18 node node_modules/@playwright/test/cli.js --version) || fail "Playwright CLI on $v"
echo "node18_build: $pw starts"

mkdir -p "$tmp/t"
cat >"$tmp/t/ok.test.mjs" <<'EOF'
import { test } from 'node:test';
import assert from 'node:assert/strict';
test('sample passes', async () => { assert.equal((await Promise.resolve(1)) + 1, 2); });
EOF
node18 node --test --test-reporter=spec "$tmp/t/" >"$tmp/t.out" 2>&1 || { cat "$tmp/t.out"; fail "node --test on $v"; }
grep -q 'sample passes' "$tmp/t.out" || fail "spec reporter output lacks the test name"
echo "test('sample fails', () => { throw new Error('x'); });" | sed '1i import { test } from "node:test";' >"$tmp/t/bad.test.mjs"
node18 node --test --test-reporter=spec "$tmp/t/" >/dev/null 2>&1 && fail "node --test on $v passed a failing test"
echo "node18_build: ok"
