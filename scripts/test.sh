#!/usr/bin/env bash
# Runs every test of kehoach: sets up a fresh Debian 12 machine if needed, builds the UI and the
# desktop app, then runs the whole workspace's tests. The end-to-end tests drive the real app
# over WebDriver (tauri-driver + WebKitWebDriver) inside a virtual X display.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build-ui.sh
cargo build -p kehoach-app -p kehoach-cli -p kehoach-hub
# The house rules a machine checks: the formatting (rustfmt.toml) and clippy's lints as the
# workspace sets them ([workspace.lints] in Cargo.toml), warnings refused.
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
# A throwaway PostgreSQL cluster on loopback for the hub's PostgreSQL store tests.
KEHOACH_TEST_PG_URL=$(./scripts/start-postgres.sh)
export KEHOACH_TEST_PG_URL KEHOACH_REQUIRE_PG=1
# pyHanko, installed by setup.sh, cross-checks signature verification (the test skips itself
# without it in a local `cargo test`; here it is required).
KEHOACH_PYHANKO="${KEHOACH_PYHANKO_VENV:-$HOME/.cache/kehoach/pyhanko}/bin/pyhanko"
export KEHOACH_PYHANKO KEHOACH_REQUIRE_PYHANKO=1
# WebKitGTK shows a blank window under Xvfb with the DMA-BUF renderer.
export WEBKIT_DISABLE_DMABUF_RENDERER=1
xvfb-run -a -s "-screen 0 1400x900x24" cargo test --workspace --no-fail-fast "$@"
# The installers: built once per platform (the `dist` profile, its own target folders beside
# the debug build's), then installed and run (scripts/test-package.sh says what is checked).
# KEHOACH_SKIP_PACKAGE=1 leaves them out of a local run.
if [ "${KEHOACH_SKIP_PACKAGE:-}" != 1 ]; then
  # KEHOACH_FREE_DEBUG_BUILD=1 (set by .ci/run) deletes the debug build (several GB: test
  # programs, clippy's metadata) before the two dist builds, which share nothing with it, so a
  # machine with a small disk holds only one of them at a time.
  if [ "${KEHOACH_FREE_DEBUG_BUILD:-}" = 1 ]; then
    rm -rf "${CARGO_TARGET_DIR:-target}/debug"
  fi
  ./scripts/test-package.sh
fi
