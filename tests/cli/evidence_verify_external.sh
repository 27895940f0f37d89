#!/usr/bin/env bash
# `dti evidence verify` on PDFs signed by an independent implementation: poppler's pdfsig
# (NSS) signing LibreOffice exports, qpdf-reshaped files (object streams + xref streams,
# linearized, QDF), twice-signed files, RSA 2048/4096 and ECDSA P-256/P-384 signers, Vietnamese
# names in UTF8String and BMPString, certificate details real CAs have, CRLs, alterations, legacy
# SubFilters. tests/fixtures/pdf/external.py builds them here; each expectation's reason is
# there and in docs/signatures.md ("External signers"). Every tool is required: install-deps
# provides poppler-utils, libnss3-tools, qpdf, LibreOffice, strace. Run from the repo root.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
DTI=$(realpath "$DTI")
fail() { echo "FAIL: $*" >&2; exit 1; }
for t in pdfsig certutil pk12util qpdf soffice openssl strace; do
  command -v $t >/dev/null || fail "$t missing (scripts/install-deps.sh installs it)"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
$PY tests/fixtures/pdf/external.py "$tmp" >/dev/null
cd "$tmp"

# one JSON result → "verdict<TAB>reasons<TAB>signers<TAB>organisations", "-" when empty
summary() {
  $PY -c 'import json,sys
d=json.load(sys.stdin)[0]
s=[x for x in d["signatures"] if x["kind"]=="signature"]
print("\t".join(x or "-" for x in [d["verdict"], ",".join(d["reasons"]),
      "|".join(x["signer"] or "" for x in s), "|".join(x["organization"] or "" for x in s)]))'
}

n=0
while IFS=$'\t' read -r file verdict reasons signers orgs opts cmp; do
  [ "$opts" = - ] && opts=
  read -ra optv <<<"$opts"
  rc=0; out=$("$DTI" evidence verify "${optv[@]}" --json "$file") || rc=$?
  got=$(summary <<<"$out")
  want="$verdict	$reasons	$signers	$orgs"
  [ "$got" = "$want" ] || fail "$file ($opts): got '$got', expected '$want'"
  want_rc=1; [ "$verdict" = signed_valid ] && want_rc=0
  [ "$rc" = "$want_rc" ] || fail "$file: exit $rc, expected $want_rc"
  if [ "$cmp" = 1 ]; then
    # pdfsig's own digest verdict per signature agrees with ours
    ps=$(pdfsig -nocert "$file" 2>/dev/null || true)
    theirs=$(grep -o 'Signature Validation: .*' <<<"$ps" | sed 's/.*: Signature is Valid\./True/; s/.*: .*/False/' | paste -sd,)
    ours=$($PY -c 'import json,sys; print(",".join(str(s["digest_ok"]) for s in json.load(sys.stdin)[0]["signatures"]))' <<<"$out")
    [ "$ours" = "$theirs" ] || fail "$file: digest_ok $ours, pdfsig $theirs"
  fi
  n=$((n + 1))
done < expected.tsv
[ "$n" -ge 30 ] || fail "only $n cases"

T=(--trust pki/root.pem)
# pdfsig writes no signingTime attribute: the signing time is the signature dictionary's /M
# (what pdfsig itself shows), not the verification time
out=$("$DTI" evidence verify "${T[@]}" --json rsa.pdf)
src=$($PY -c 'import json,sys; s=json.load(sys.stdin)[0]["signatures"][0]; print(s["time_source"], s["signing_time"][:4])' <<<"$out")
[ "$src" = "signature_dictionary $(date +%Y)" ] || fail "rsa.pdf time: $src"
line=$("$DTI" evidence verify "${T[@]}" rsa.pdf)
[[ $line == "rsa.pdf: signed_valid — Nguyễn Thị Hương, $(date +%Y)-"* ]] || fail "rsa.pdf line: $line"
# the same signing time as pdfsig reports (to the minute; pdfsig prints UTC)
ours=$($PY -c 'import json,sys,datetime as d; t=json.load(sys.stdin)[0]["signatures"][0]["signing_time"]; print(d.datetime.fromisoformat(t).astimezone(d.timezone.utc).strftime("%b %d %Y %H:%M"))' <<<"$out")
pdfsig -nocert rsa.pdf 2>/dev/null | grep -q "Signing Time: $ours" || fail "signing time $ours differs from pdfsig's"

# pdfsig's whole-file coverage agrees on the two-signature file and its alteration
for f in two two_page; do
  theirs=$(pdfsig -nocert $f.pdf 2>/dev/null | grep -c '^  - Total document signed' || true)
  ours=$("$DTI" evidence verify "${T[@]}" --json "$f.pdf" | $PY -c 'import json,sys; print(sum(s["covers_whole_file"] for s in json.load(sys.stdin)[0]["signatures"]))' || true)
  [ "$ours" = "$theirs" ] || fail "$f: whole-file signatures $ours, pdfsig $theirs"
done
# ... but pdfsig calls a changed page after signing what it calls a second signature (not total
# document signed) and exits 0 on it; ours is signed_partial, exit 1
rc=0; pdfsig -nocert rsa_page.pdf >/dev/null 2>&1 || rc=$?
[ $rc = 0 ] && echo "note: pdfsig exits 0 on a page changed after signing (rsa_page.pdf)"

# AIA / CRL distribution points are never fetched: no socket is even opened
strace -f -qq -e trace=socket,connect -o strace.log "$DTI" evidence verify "${T[@]}" aia.pdf >/dev/null
if grep -E 'socket\(AF_INET|connect\(' strace.log; then fail "aia.pdf: network access"; fi

# through a trust directory holding other CAs too (the province's list): the same verdicts
mkdir trustdir; cp pki/root.pem trustdir/gov-root.pem; cp pki/self.pem trustdir/other-ca.crt
"$DTI" evidence verify --trust trustdir bmp.pdf two_objstm.pdf sha1_inter.pdf pss_cert.pdf >/dev/null \
  || fail "trust directory"
echo "evidence_verify_external: $n files as expected"
