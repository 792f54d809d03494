#!/usr/bin/env bash
# Installs what building and testing kehoach needs on Debian 12. Every step checks first and
# skips itself when the right thing is already there, so repeated runs take seconds.
# Everything comes from Debian's packages or crates.io, and pyHanko from PyPI (no other downloads).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages: WebKitGTK 4.1 and friends for Tauri 2, Xvfb and WebKitWebDriver for the
# UI tests, poppler for checking PDFs, fonts, SoftHSM2 for token tests, PostgreSQL for the hub;
# xdotool types into the native file dialogs, and D-Bus + dunst receive desktop notifications.
APT_PACKAGES=(
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver poppler-utils fonts-liberation2 imagemagick
  postgresql softhsm2 opensc openssl
  libreoffice-writer-nogui libreoffice-calc-nogui
  xdotool dbus-daemon dbus-bin dunst
  python3-venv
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The wasm32 target for the Yew UI.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# rustfmt and clippy: the test script checks the house rules with them.
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WBG_VERSION" ]; then
  echo "setup: installing wasm-bindgen-cli $WBG_VERSION"
  # --locked first; the registry mirror may lack a yanked pin, then resolve afresh.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --locked || cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

# tauri-driver: the WebDriver bridge between the tests and WebKitWebDriver.
TAURI_DRIVER_VERSION=2.1.0
# (tauri-driver has no --version: cargo's list of installed tools says which one is there.)
if ! cargo install --list | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
  echo "setup: installing tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked || cargo install tauri-driver --version "$TAURI_DRIVER_VERSION"
fi

# pyHanko (PyPI): an independent PAdES validator the signature tests cross-check kehoach's
# verification against (crates/sign/tests/trust.rs), in a virtual environment of its own
# (Debian's python3 refuses pip installs into the system); about 15 s the first time.
PYHANKO_VERSION=0.38.0
PYHANKO_CLI_VERSION=0.6.0
PYHANKO_VENV="${KEHOACH_PYHANKO_VENV:-$HOME/.cache/kehoach/pyhanko}"
if [ "$("$PYHANKO_VENV/bin/pyhanko" --version 2>/dev/null | awk '{print $3}')" != "$PYHANKO_VERSION" ]; then
  echo "setup: installing pyHanko $PYHANKO_VERSION"
  python3 -m venv "$PYHANKO_VENV"
  "$PYHANKO_VENV/bin/pip" install --quiet "pyHanko==$PYHANKO_VERSION" "pyhanko-cli==$PYHANKO_CLI_VERSION"
fi
