#!/usr/bin/env bash
# Runs one Node check of the lambda module: run.sh <script.js> <source dir>.
# Installs the pinned tools (package-lock.json) with `npm ci` when node_modules is missing;
# exits 77, which ctest reports as skipped, when node or npm is not installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "skipped: node and npm are needed (scripts/install-deps.sh test)"
  exit 77
fi
if [ ! -d "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/$1" "$2"
