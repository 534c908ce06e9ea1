#!/usr/bin/env bash
# Runs the browser test: run.sh <source dir> <skill binary>. Exits 77 (ctest: skipped) only when
# Debian's chromium or node cannot be found; `make test` installs both (scripts/install-deps.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/bin/chromium ]; then
  echo "skipped: /usr/bin/chromium is not installed (scripts/install-deps.sh test)"
  exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "skipped: node and npm are needed (scripts/install-deps.sh test)"
  exit 77
fi
"$here/install.sh"
exec node "$here/link_flow.js" "$@"
