#!/usr/bin/env bash
# Installs what zhucun needs on Debian 12, and nothing twice: each step first
# looks whether its work is already done. Run by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS=(build-essential pkg-config ca-certificates curl
          libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
          libxlsxwriter-dev libcmocka-dev zlib1g-dev libcurl4-openssl-dev sqlite3 nodejs npm fonts-noto-cjk wrk faketime
          clang-14 libclang-rt-14-dev openssl
          chromium-headless-shell  # the browser tests' Chromium: the headless shell, without the full browser's UI layer
          poppler-utils   # pdftotext: the browser tests read the text of the printed forms they save as PDF
          libpq-dev postgresql-15)  # the store's PostgreSQL half; the tests start a throw-away server of their own

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere than Debian (a newer build already on PATH).
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $(node --version) found; the browser tests (playwright-core) need Node.js 20 or newer." >&2
  echo "setup: the UI still builds; 'make test' will report the browser suite as failed until Node 20 is installed." >&2
fi

# npm packages: reinstall only when the lock file changed since the last install.
npm_install() {
  local dir=$1
  local stamp="$dir/node_modules/.zhucun-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_install data
npm_install ui
npm_install tests
