#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine if needed, builds the UI and starts the desktop app on its
# default data file (the platform's app-data directory; KEHOACH_DB=FILE overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build-ui.sh
exec cargo run -p kehoach-app "$@"
