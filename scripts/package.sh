#!/usr/bin/env bash
# Builds kehoach's installers into dist/:
#   kehoach_<version>_amd64.deb       Debian/Ubuntu: the app and the `kehoach` command (one program)
#   kehoach_<version>_x64-setup.exe   Windows 10/11: a per-user NSIS installer
# `./scripts/package.sh deb` or `./scripts/package.sh exe` builds only one of them.
#
# Installs what it needs first and skips what is there (Debian's mingw-w64 and nsis, rustup's
# Windows target). The program is built once per platform with the `dist` profile (Cargo.toml);
# nothing is downloaded from outside Debian's archive, crates.io and rustup.
set -euo pipefail
cd "$(dirname "$0")/.."
WANT=("$@")
[ ${#WANT[@]} -gt 0 ] || WANT=(deb exe)
want() { [[ " ${WANT[*]} " == *" $1 "* ]]; }

./scripts/setup.sh

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# mingw-w64 links the Windows program; nsis makes its installer; dpkg-dev reads the .deb's
# library dependencies off the binary.
APT_PACKAGES=(dpkg-dev imagemagick python3)
want exe && APT_PACKAGES+=(mingw-w64 nsis)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "package: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if want exe && ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
  rustup target add x86_64-pc-windows-gnu
fi

./scripts/build-ui.sh

VERSION=$(awk -F'"' '/^\[workspace.package\]/ { w = 1 } w && /^version = / { print $2; exit }' Cargo.toml)
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
LINUX=x86_64-unknown-linux-gnu
WINDOWS=x86_64-pc-windows-gnu
targets=()
want deb && targets+=(--target "$LINUX")
want exe && targets+=(--target "$WINDOWS")
# Both platforms in one cargo run: the build scripts and proc-macros they share compile once.
cargo build --profile dist -p kehoach-app "${targets[@]}"

mkdir -p dist
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

if want deb; then
  root="$STAGE/deb"
  install -Dm755 "$TARGET_DIR/$LINUX/dist/kehoach-app" "$root/usr/bin/kehoach"
  install -Dm644 packaging/linux/vn.kehoach.app.desktop "$root/usr/share/applications/vn.kehoach.app.desktop"
  for s in 32 48 64 128 256; do
    mkdir -p "$root/usr/share/icons/hicolor/${s}x${s}/apps"
    convert assets/icons/icon.png -resize "${s}x${s}" "$root/usr/share/icons/hicolor/${s}x${s}/apps/kehoach.png"
  done
  install -Dm644 packaging/linux/copyright "$root/usr/share/doc/kehoach/copyright"
  install -Dm644 assets/fonts/LICENSE-LiberationSerif-OFL.txt "$root/usr/share/doc/kehoach/LICENSE-LiberationSerif-OFL.txt"
  # The Debian packages of the libraries the program links (WebKitGTK, GTK, …), with the
  # minimum versions Debian's shlibs files give.
  mkdir -p "$STAGE/shlibs/debian"
  echo "Source: kehoach" > "$STAGE/shlibs/debian/control"
  depends=$(cd "$STAGE/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/kehoach" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
  [ -n "$depends" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
  installed_kb=$(du -sk "$root/usr" | cut -f1)
  mkdir -p "$root/DEBIAN"
  cat > "$root/DEBIAN/control" <<CONTROL
Package: kehoach
Version: $VERSION
Architecture: amd64
Maintainer: kehoach <kehoach@localhost>
Installed-Size: $installed_kb
Depends: $depends
Section: misc
Priority: optional
Homepage: https://github.com/kehoach/kehoach
Description: Đề án 06 plans, tasks and reports for commune People's Committees
 kehoach (Kế hoạch Đề án 06) is an offline-first desktop app for the officers of
 Vietnamese commune People's Committees: plans, tasks, checklists and targets in a
 local SQLite file, the periodic report in the Decree 30/2020 layout, and sync
 between the commune's PCs through a hub or a USB stick.
 .
 /usr/bin/kehoach opens the app; with a subcommand it is the command-line tool.
CONTROL
  deb="dist/kehoach_${VERSION}_amd64.deb"
  dpkg-deb --root-owner-group -Zxz -z9 --build "$root" "$deb" > /dev/null
  echo "package: $deb ($(du -h "$deb" | cut -f1))"
fi

if want exe; then
  out="$TARGET_DIR/$WINDOWS/dist"
  win="$STAGE/win"
  mkdir -p "$win"
  cp "$out/kehoach-app.exe" "$win/kehoach.exe"
  # The WebView2 loader that webview2-com-sys ships; the build puts it beside the program.
  cp "$out/WebView2Loader.dll" "$win/"
  # kehoach.exe is a GUI program (no console window behind the app). kehoach.com is the same
  # program marked as a console one: cmd and PowerShell find .com before .exe on the PATH, so
  # `kehoach …` typed there writes to the console and waits, like any command.
  cp "$win/kehoach.exe" "$win/kehoach.com"
  pe=$(od -An -tu4 -j60 -N4 "$win/kehoach.com" | tr -d ' ')
  subsystem=$(od -An -tu2 -j$((pe + 92)) -N2 "$win/kehoach.com" | tr -d ' ')
  [ "$subsystem" = 2 ] || { echo "package: kehoach.exe is not a GUI program (subsystem $subsystem)" >&2; exit 1; }
  printf '\003\000' | dd of="$win/kehoach.com" bs=1 seek=$((pe + 92)) conv=notrunc status=none
  size_kb=$(du -sk "$win" | cut -f1)
  exe="dist/kehoach_${VERSION}_x64-setup.exe"
  makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSRCDIR="$win" -DICON="$PWD/assets/icons/icon.ico" \
    -DOUTFILE="$PWD/$exe" -DSIZE_KB="$size_kb" packaging/windows/kehoach.nsi
  echo "package: $exe ($(du -h "$exe" | cut -f1))"
fi

# A release is signed with the release key when it is given (its hex secret in
# KEHOACH_RELEASE_KEY, kept off the repository): `<installer>.kehoach-update.json` beside each
# installer lets a PC check an update from the hub or a USB stick (`kehoach update check`).
if [ -n "${KEHOACH_RELEASE_KEY:-}" ]; then
  if want deb; then
    cargo run -q -p kehoach-cli -- update sign "dist/kehoach_${VERSION}_amd64.deb" \
      --version "$VERSION" --platform linux-amd64 --key-env KEHOACH_RELEASE_KEY
  fi
  if want exe; then
    cargo run -q -p kehoach-cli -- update sign "dist/kehoach_${VERSION}_x64-setup.exe" \
      --version "$VERSION" --platform windows-x64 --key-env KEHOACH_RELEASE_KEY
  fi
fi
