#!/usr/bin/env bash
# Start-up time and memory of the shipped program on a commune with 10,000 tasks (BENCHMARKS.md).
#   ./scripts/bench-startup.sh [PROGRAM] [RUNS]
# PROGRAM defaults to the Linux build of scripts/package.sh (target/x86_64-unknown-linux-gnu/dist/
# kehoach-app; /usr/bin/kehoach after installing the .deb is the same file). Each run starts the
# program under Xvfb on a data file with 10,000 tasks in 10 plans and measures the seconds until
# "Tổng quan" is drawn (tests/package/first_screen.sh) and, two seconds later, the memory of the
# program and of the WebKit processes it started. The first run follows a drop of the page cache
# when the machine allows it (root, not in a container): a cold start.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
prog=$(realpath "${1:-$TARGET_DIR/x86_64-unknown-linux-gnu/dist/kehoach-app}")
runs=${2:-5}
[ -x "$prog" ] || { echo "bench-startup: no program at $prog (run ./scripts/package.sh deb)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/kehoach.sqlite3"
cargo run -q -p kehoach-core --example many_tasks -- "$db" 10000 > /dev/null
"$prog" --db "$db" setup --commune "UBND xã Chư Răng" --parent "UBND huyện Ia Pa" --place "Chư Răng" --signer "Nguyễn Văn A" > /dev/null
tasks=$("$prog" --db "$db" task list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "program: $prog ($(du -h "$prog" | cut -f1)), $tasks tasks"
cold="no"
if sync && echo 3 > /proc/sys/vm/drop_caches 2> /dev/null; then cold="yes"; fi
echo "run seconds-to-first-screen PSS-MiB RSS-MiB (run 1 after dropping the page cache: $cold)"
for i in $(seq 1 "$runs"); do
  line=$(KEHOACH_DB="$db" MEMORY=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 \
    xvfb-run -a -s "-screen 0 1280x800x24" tests/package/first_screen.sh "$prog" "$work/screen-$i.png")
  echo "$i $line"
done | tee "$work/runs"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "median: $(awk '{ print $2 }' "$work/runs" | median) s to first screen, $(awk '{ print $3 }' "$work/runs" | median) MiB PSS, $(awk '{ print $4 }' "$work/runs" | median) MiB RSS"
cp "$work/screen-1.png" tests/artefacts/bench-first-screen-10000-tasks.png 2> /dev/null || true
