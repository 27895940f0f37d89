#!/usr/bin/env bash
# Builds the web UI into build/web (hashed asset names) when web/ has a package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f web/package.json ] || { mkdir -p build/web; exit 0; }
[ -d web/node_modules ] || scripts/install-deps.sh
# the UI's API types are generated from `build/dti openapi` (web/scripts/gen-types.mjs)
[ -x build/dti ] || make -j2 build/dti >/dev/null
(cd web && npm run --silent build)
