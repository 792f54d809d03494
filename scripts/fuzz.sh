#!/usr/bin/env bash
# Fuzzes the parsers that take input from other machines (issue 14, point 11) with cargo-fuzz
# (libFuzzer, on nightly, without a sanitizer: Rust code, and several times faster): the plan importer, a bundle file from anywhere, a bundle signed by a
# trusted PC with any ops in it, and the hub's request handling.
#   ./scripts/fuzz.sh [RUNS] [TARGET…]     (RUNS defaults to 1000000 per target)
# Not part of the test command: a million runs of each take a while. Crashes are kept under
# fuzz/artifacts/<target>/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(plan_import bundle_bytes bundle_signed_ops hub_request)
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --locked
# Seeds: real plan documents for the importer.
mkdir -p fuzz/corpus/plan_import
for f in tests/fixtures/plans/*.txt tests/fixtures/plans/*.docx tests/fixtures/plans/*.pdf; do
  [ -f "$f" ] || continue
  case "$f" in *.txt) p='\x00' ;; *.docx) p='\x01' ;; *) p='\x02' ;; esac
  { printf "$p"; cat "$f"; } > "fuzz/corpus/plan_import/seed-$(basename "$f")"
done
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "fuzz: $t, $runs runs"
  start=$(date +%s)
  # Plans up to 4 KB: a run of the importer costs about its input's length, and a million
  # runs of 16 KB plans take an hour here; the parsers' edge cases show in small files.
  max_len=16384
  [ "$t" != plan_import ] || max_len=4096
  (cd fuzz && cargo +nightly fuzz run -s none "$t" "corpus/$t" -- -runs="$runs" -max_len="$max_len" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 2>&1) | grep -E "^(stat::|==|SUMMARY|Done|#[0-9]+ *DONE)|panicked|Crash|crash-" || true
  echo "fuzz: $t finished in $(( $(date +%s) - start )) s"
  if ls "fuzz/artifacts/$t"/crash-* > /dev/null 2>&1; then
    echo "fuzz: $t found crashes in fuzz/artifacts/$t" >&2
    exit 1
  fi
done
