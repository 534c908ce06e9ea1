#!/usr/bin/env bash
# Installs the pinned npm test tools (package-lock.json) into node_modules, only when missing.
# Several test processes may call this at once; flock lets one install while the others wait.
set -euo pipefail
cd "$(dirname "$0")"
exec 9>.install.lock
flock 9
if [ ! -f node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
