# login.sh — sourced by bench/serve.sh (views.sh, monthly_views.sh, exports.sh): bench_login USER prints the session of a demo
# account at $BASE (password $PASSWORD; the accounts with 两步验证 answer the demo's TOTP through
# totp_code.sh), keeping its files in $tmp. Prints nothing when the login fails.
source "$(dirname "${BASH_SOURCE[0]}")/totp_code.sh"
bench_login() {
  local jar="$tmp/cookies-$1" pending
  curl -s -o "$tmp/login-$1.json" --max-time 10 -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session"
  if grep -q '"second_factor_required":true' "$tmp/login-$1.json"; then
    pending=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["pending_token"])' < "$tmp/login-$1.json")
    curl -s -o "$tmp/login-$1.json" --max-time 10 -c "$jar" -H 'Content-Type: application/json' \
      -d "{\"pending_token\":\"$pending\",\"code\":\"$(totp_code)\"}" "$BASE/api/v1/session/totp"
  fi
  awk '$6 == "zc_session" { print $7 }' "$jar"
}
