#!/usr/bin/env bash
# Installs the Debian packages Parley needs, only those missing. Idempotent, non-interactive.
# Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail
profile=${1:-build}

packages=(cmake ninja-build g++ ccache pkg-config make python3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsodium-dev nettle-dev libsqlite3-dev sqlite3 libkainjow-mustache-dev
  libspdlog-dev libfmt-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  entr openssl ca-certificates file zip unzip)
case "$profile" in
  test) packages+=(chromium) ;;  # the browser test of the linking pages (tests/hosting/browser)
  bench) packages+=(wrk nginx-light) ;;
esac
# Node.js may come from elsewhere than Debian (a NodeSource nodejs bundles npm, and Debian's npm
# conflicts with it), so Debian's are installed only when there is no npm at all.
if [[ $profile != build ]] && ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
