# bench/lib.sh — sourced by the benches: what several of them do the same way.

# bench_first_login BASE_URL USER OTP JAR: signs USER in with its one-time password, sets a
# random password of its own (the session is then a full one) and prints the session cookie.
bench_first_login() {
  local base=$1 user=$2 otp=$3 jar=$4 csrf pw
  csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$otp\"}" "$base/auth/login" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("csrf_token",""))')
  pw="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-Mật-khẩu"
  curl -s -o /dev/null -b "$jar" -c "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d "{\"current_password\":\"$otp\",\"new_password\":\"$pw\"}" "$base/auth/password"
  awk '$6=="dti_session"{print $7}' "$jar" | tail -1
}
