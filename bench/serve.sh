# serve.sh — sourced by views.sh, monthly_views.sh and exports.sh: bench_serve BIN DB starts `BIN serve` on DB
# at $PORT (127.0.0.1, quiet; its output in $tmp/server.log), sets SP to its pid, stops it and removes $tmp on
# exit, waits (up to a minute) for /api/v1/health, and sources login.sh for bench_login with the demo's
# password ($PASSWORD). Needs BASE, PORT and tmp set; run from the repository's root.
bench_serve() {
  PASSWORD=$(sed -n 's/^#define DEMO_PASSWORD "\(.*\)"/\1/p' src/store/demo.h 2>/dev/null || true)
  PASSWORD=${PASSWORD:-Zhucun@2026}
  "$1" serve --db "$2" --port "$PORT" --bind 127.0.0.1 --quiet > "$tmp/server.log" 2>&1 &
  SP=$!
  trap 'kill $SP 2>/dev/null; wait $SP 2>/dev/null || true; rm -rf "$tmp"' EXIT
  for _ in $(seq 300); do curl -sf -o /dev/null --max-time 1 "$BASE/api/v1/health" && break; sleep 0.2; done
  source "$(dirname "${BASH_SOURCE[0]}")/login.sh"
}
