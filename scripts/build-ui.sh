#!/usr/bin/env bash
# Builds the Yew UI to ui/dist (wasm32 + wasm-bindgen's ES module + static files), which
# the desktop shell embeds at compile time.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build -p kehoach-ui --target wasm32-unknown-unknown --profile ui
rm -rf ui/dist.new && mkdir -p ui/dist.new
wasm-bindgen --target web --no-typescript --out-name kehoach_ui --out-dir ui/dist.new \
  "$TARGET_DIR/wasm32-unknown-unknown/ui/kehoach-ui.wasm"
cp ui/index.html ui/boot.js ui/style.css ui/dist.new/
# Swap in whole so the shell never embeds a half-written dist. An unchanged UI keeps the files
# (and their times) as they are: the shell embeds them, and new times alone would rebuild the
# app (in the release build for the installers, minutes of link-time optimisation).
if [ -d ui/dist ] && diff -rq ui/dist ui/dist.new > /dev/null; then
  rm -rf ui/dist.new
else
  rm -rf ui/dist && mv ui/dist.new ui/dist
fi
