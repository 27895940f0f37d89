#!/usr/bin/env bash
# bench/framework_cache.sh [N] [THREADS] — N reads of a ~2 MB stored index set the way
# GET /frameworks/{id} reads it, with the compiled-set cache off (every read parses and
# validates the stored file) and on, side by side in one run. The set is made from
# frameworks/hue-cap-so-2023.json by bench/make_big_framework.py.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
THREADS=${2:-2}
make -s build/bench/framework_cache
T=$(mktemp -d /tmp/dti-fwcache.XXXXXX)
trap 'rm -rf "$T"' EXIT
python3 bench/make_big_framework.py frameworks/hue-cap-so-2023.json "$T/big.json" 2000000
echo "index set: $(stat -c %s "$T/big.json") bytes, $(build/dti framework validate "$T/big.json" | sed 's/.* — //')"
printf '%-10s %s\n' "cache off:" "$(DTI_FW_CACHE=0 build/bench/framework_cache "$T/big.json" "$N" "$THREADS")"
printf '%-10s %s\n' "cache on:" "$(DTI_FW_CACHE=1 build/bench/framework_cache "$T/big.json" "$N" "$THREADS")"
