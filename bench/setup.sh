#!/usr/bin/env bash
# What `make bench` needs beyond scripts/setup.sh (run first by the Makefile's bench target), on Debian 12,
# and nothing twice: nginx, the static-file server whose rate the check-ins are measured against in the
# same run (issue 15: check-ins >= 45 % of nginx's rate). The bench starts it itself, on its own port,
# with a config of its own (bench/run.sh nginx_compare); the package's own service is never started here
# (and Debian's policy-rc.d in a container refuses to start it anyway).
# perf is not needed by the bench: the profile of the check-in (bench/README.md) is taken by hand.
set -euo pipefail

BENCH_PKGS=(nginx)

missing=()
for p in "${BENCH_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# any nginx already on the machine does (nginx, nginx-core, nginx-full or one built by hand)
if command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]]; then missing=(); fi
if ((${#missing[@]})); then
  echo "bench setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
