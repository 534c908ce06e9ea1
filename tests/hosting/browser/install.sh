#!/usr/bin/env bash
# Installs playwright-core (package-lock.json) into node_modules, only when missing. The browser
# is Debian's chromium (scripts/install-deps.sh test); Playwright's own downloads are never used.
# Several test processes may call this at once; flock lets one install while the others wait.
set -euo pipefail
cd "$(dirname "$0")"
exec 9>.install.lock
flock 9
if [ ! -f node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
fi
