#!/usr/bin/env bash
# outside.sh — the dti command line as a newcomer meets it (DESIGN §9: exit 0 ok / 1 refused /
# 2 usage, a one-line Vietnamese message on stderr). Driven by `dti --help`: every command it
# lists, and every `dti CMD SUB` its own help names, gets --help (0, Vietnamese, on stdout) and
# an unknown option (2, naming it); every command whose help mentions --db gets --db without a
# value (2); then the commands that open a database get unusable ones — another engine, an
# empty path, a directory, a file that is no database, PostgreSQL refusing, a bad port, a bad
# address holding a password — (1, Vietnamese, no English from SQLite or libpq, never the
# password), and the commands that read files get a missing file and a directory (1).
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=$PWD/${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
T=$(mktemp -d /tmp/dti-outside.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" # the default database is sqlite:var/dti.db: nothing may appear here
fail() { echo "FAIL: $*" >&2; exit 1; }
VI='[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]'
ENGLISH='failed|refused|Is the server|No such file|not a database|unable to open|does not exist|Permission denied|[Ee]rror:|[Uu]sage:|[Mm]issing|[Uu]nknown|[Ii]nvalid|[Cc]annot|Not a directory'

# run EXPECTED_RC CMD... : runs dti, checks the exit code and that stderr (the first line
# when failing) is Vietnamese without English; leaves stdout in $T/out, stderr in $T/err
run() {
  local want=$1; shift
  local rc=0
  timeout 30 "$DTI" "$@" >"$T/out" 2>"$T/err" || rc=$?
  [ "$rc" = "$want" ] || fail "dti $*: exit $rc, want $want: $(head -c 300 "$T/err")"
  if [ "$want" != 0 ]; then
    [ -s "$T/err" ] || fail "dti $*: nothing on stderr"
    head -1 "$T/err" | grep -q "$VI" || fail "dti $*: not Vietnamese: $(head -1 "$T/err")"
    # the message (first line; a usage text below it may name codes such as signed_invalid)
    ! head -1 "$T/err" | grep -Eq "$ENGLISH" || fail "dti $*: English: $(head -1 "$T/err")"
  fi
  return 0
}

run 2
run 0 --help
grep -q "Cách dùng" "$T/out" || fail "dti --help: no usage"
run 2 khong-co-lenh-nay
grep -q "khong-co-lenh-nay" "$T/err" || fail "an unknown command is named"

mapfile -t cmds < <("$DTI" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
[ "${#cmds[@]}" -ge 10 ] || fail "dti --help lists ${#cmds[@]} commands"
n=0
for cmd in "${cmds[@]}"; do
  run 0 "$cmd" --help
  grep -q "$VI" "$T/out" || fail "dti $cmd --help: not Vietnamese"
  help=$(cat "$T/out")
  # its subcommands, as its help names them ("dti user add …")
  mapfile -t subs < <(grep -o "dti $cmd [a-z][a-z-]*" <<<"$help" | awk '{print $3}' | sort -u)
  targets=("$cmd")
  for s in "${subs[@]}"; do targets+=("$cmd $s"); done
  for t in "${targets[@]}"; do
    # shellcheck disable=SC2086
    run 2 $t --khong-co-tuy-chon
    grep -q -- "--khong-co-tuy-chon" "$T/err" || fail "dti $t: the unknown option is not named: $(head -1 "$T/err")"
    if [ "$t" != "$cmd" ]; then
      # shellcheck disable=SC2086
      run 0 $t --help
    fi
    # on a command itself only when it has no subcommands ("dti audit --db" names --db as one)
    if grep -q -- "--db" <<<"$help" && { [ "$t" != "$cmd" ] || [ "${#subs[@]}" = 0 ]; }; then
      # shellcheck disable=SC2086
      run 2 $t --db
      grep -q "thiếu giá trị cho --db" "$T/err" || fail "dti $t --db: $(head -1 "$T/err")"
    fi
    n=$((n + 1))
  done
done
echo "ok   $n commands and subcommands: --help, an unknown option, --db without a value"

# commands that open the database, with everything else they need
echo garbage >"$T/garbage.db"
mkdir "$T/dir"
dbcmds=(
  "migrate" "audit verify" "blobs gc --dry-run" "round publish --round 1"
  "round accounts --round 1 --format csv -o $T/a.csv" "rankings --round 1 --level department"
  "template export --round 1 --all -o $T/t.zip" "import $T/none.xlsx"
  "user disable --username khong-co" "init --admin-password-file $T/pw"
  "serve --listen 127.0.0.1:$((${DTI_TEST_PORT:-18090} + 7))" # refused before it listens
)
bad_dbs=(
  "mysql://dti@127.0.0.1/dti" "sqlite:" "sqlite:$T/dir" "sqlite:$T/garbage.db" "x.db"
  "postgresql://dti@127.0.0.1:1/dti" "postgresql://dti@127.0.0.1:notaport/dti"
  "postgresql://dti:matkhau-bi-mat@[::1/dti"
)
for c in "${dbcmds[@]}"; do
  for db in "${bad_dbs[@]}"; do
    # shellcheck disable=SC2086
    run 1 $c --db "$db"
    grep -q "cơ sở dữ liệu\|PostgreSQL" "$T/err" || fail "dti $c --db $db: $(head -1 "$T/err")"
    ! grep -q "matkhau-bi-mat" "$T/err" "$T/out" || fail "dti $c: the password was printed"
  done
done
[ "$(cat "$T/garbage.db")" = garbage ] || fail "a file that is no database was changed"
[ ! -e "$T/var" ] || fail "a default database appeared in the working directory"
echo "ok   ${#dbcmds[@]} commands × ${#bad_dbs[@]} unusable databases: exit 1, in Vietnamese"

# commands that read files: a missing one, a directory
for c in "framework validate" "framework show" "evidence verify" "score $OLDPWD/tests/data/sample-framework.json"; do
  for f in "$T/khong-co.json" "$T/dir"; do
    # shellcheck disable=SC2086
    run 1 $c "$f"
  done
done
echo "ok   missing files and directories: exit 1, in Vietnamese"
