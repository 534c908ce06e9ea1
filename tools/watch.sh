#!/usr/bin/env bash
# `make watch`: the original's `gulp watch`. Rebuilds and restarts `skill serve` whenever a source,
# view, template or config file changes; a failed build keeps the last good server running.
set -uo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-config/local.json}
watched=(include src app www config CMakeLists.txt cmake)
server_pid=""

start_server() {
  build/bin/skill serve --config "$config" &
  server_pid=$!
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}
trap 'stop_server; exit 0' INT TERM

build() { make --no-print-directory build 2>&1 | grep -v '^ninja: no work to do'; return "${PIPESTATUS[0]}"; }

build || { echo "watch: the first build failed; fix it and save again"; }
[ -x build/bin/skill ] && start_server
while true; do
  # -d: also wake up when a file is added; -p: wait for a change; -z: return after one run.
  find "${watched[@]}" -type f | entr -d -p -z true
  echo "watch: change detected, rebuilding"
  if build; then
    stop_server
    start_server
  else
    echo "watch: build failed, the last good server keeps running"
  fi
done
