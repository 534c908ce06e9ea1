#!/usr/bin/env bash
# `make watch`: the original's `gulp watch`. Rebuilds and restarts `skill serve` whenever a source,
# view, template or config file changes; a failed build keeps the last good server running.
set -uo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-config/local.json}
watched=(include src app www config CMakeLists.txt cmake)
server_pid=""
entr_pid=""

start_server() {
  build/bin/skill serve --config "$config" &
  server_pid=$!
}

# Stops a background child and waits for it; nothing for "".
stop_child() {
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
trap 'stop_child "$entr_pid"; stop_child "$server_pid"; exit 0' INT TERM

build() { make --no-print-directory build 2>&1 | grep -v '^ninja: no work to do'; return "${PIPESTATUS[0]}"; }

build || { echo "watch: the first build failed; fix it and save again"; }
[ -x build/bin/skill ] && start_server
while true; do
  echo "watch: waiting for changes"
  # -d: also wake up when a file is added (status 2); -p: wait for a change; -z: return after one
  # run; -n: no terminal needed (under an IDE, nohup or CI there is none). In the background, so
  # that a signal interrupts `wait` at once: a foreground child would delay the trap until entr
  # exits, and an entr started just after Ctrl-C would never see it.
  find "${watched[@]}" -type f | entr -n -d -p -z true &
  entr_pid=$!
  wait "$entr_pid"
  status=$?
  entr_pid=""
  if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
    echo "watch: entr failed (status $status); stopping"
    stop_child "$server_pid"
    exit 1
  fi
  echo "watch: change detected, rebuilding"
  if build; then
    stop_child "$server_pid"
    start_server
  else
    echo "watch: build failed, the last good server keeps running"
  fi
done
