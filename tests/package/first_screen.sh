#!/usr/bin/env bash
# Inside an X display: starts the program `$1` (no arguments: the window), waits until its
# first screen is drawn, saves a screenshot to `$2`, prints the seconds from start to first
# screen, and ends the program. "Drawn" = the screen holds more than 200 colours (a blank or
# half-made window has a handful; the setup form's text, fields and button have thousands).
# With MEMORY=1 it also prints, two seconds after the first screen, the memory of the program
# and the WebKit processes it started: "<seconds> <PSS MiB> <RSS MiB>".
set -euo pipefail
prog=$1 shot=$2
start=$(date +%s.%N)
"$prog" > /dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
tmp=$(mktemp --suffix=.png)
for _ in $(seq 1 300); do
  if ! kill -0 $pid 2>/dev/null; then echo "first_screen: $prog ended before showing a window" >&2; exit 1; fi
  import -window root "$tmp" 2>/dev/null || true
  colours=$(identify -format '%k' "$tmp" 2>/dev/null || echo 0)
  if [ "$colours" -gt 200 ]; then
    now=$(date +%s.%N)
    mv "$tmp" "$shot"
    secs=$(awk -v a="$start" -v b="$now" 'BEGIN { printf "%.2f", b - a }')
    if [ "${MEMORY:-}" = 1 ]; then
      sleep 2
      # The program and its descendants (WebKitWebProcess, WebKitNetworkProcess).
      pids="$pid" frontier="$pid"
      while [ -n "$frontier" ]; do
        next=""
        for p in $frontier; do next="$next $(cat /proc/$p/task/*/children 2>/dev/null)"; done
        frontier=$(echo $next)
        pids="$pids $frontier"
      done
      mem=$(for p in $pids; do cat /proc/$p/smaps_rollup 2>/dev/null; done |
        awk '/^Pss:/ { pss += $2 } /^Rss:/ { rss += $2 } END { printf "%.0f %.0f", pss / 1024, rss / 1024 }')
      echo "$secs $mem"
    else
      echo "$secs"
    fi
    exit 0
  fi
  sleep 0.05
done
echo "first_screen: no screen drawn after 15+ s (last: $colours colours)" >&2
exit 1
