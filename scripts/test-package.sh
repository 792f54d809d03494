#!/usr/bin/env bash
# Smoke tests of the installers that scripts/package.sh writes to dist/ (scripts/test.sh runs
# this after the workspace's tests; `./scripts/test-package.sh deb` or `exe` runs one half):
#  - the .deb installs with dpkg -i, `kehoach --version` answers, and the installed app starts
#    under Xvfb and shows its first screen (tests/artefacts/deb-first-screen.png);
#  - the Windows installer installs silently under wine (a 64-bit prefix of its own), upgrades
#    in place and uninstalls keeping the data; the installed kehoach.exe finds its data under
#    %APPDATA%\vn.kehoach.app, and on paths with spaces and Vietnamese letters sets up a commune,
#    imports a plan, drafts and renders a report and backs up, and its `dump --json` equals the
#    Linux program's after the same steps.
# The window cannot be tested under wine (no WebView2 there).
set -euo pipefail
cd "$(dirname "$0")/.."
WANT=("$@")
[ ${#WANT[@]} -gt 0 ] || WANT=(deb exe)
want() { [[ " ${WANT[*]} " == *" $1 "* ]]; }
fail() { echo "test-package: $*" >&2; exit 1; }
files() { for f in "$@"; do [ -s "$f" ] || fail "missing: $f"; done; }

./scripts/package.sh "${WANT[@]}"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if want exe && ! dpkg-query -W -f='${Status}' wine64 2>/dev/null | grep -q "install ok installed"; then
  echo "test-package: installing wine64"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wine wine64
fi

VERSION=$(awk -F'"' '/^\[workspace.package\]/ { w = 1 } w && /^version = / { print $2; exit }' Cargo.toml)
WORK=$(mktemp -d)
cleanup() {
  if [ -n "${WINEPREFIX:-}" ]; then wineserver -k 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
FIXTURE=tests/fixtures/plans/xa-chu-rang-2023.docx
SETUP=(setup --commune "UBND xã Chư Răng" --parent "UBND huyện Ia Pa" --place "Chư Răng" --signer "Nguyễn Văn A")

# The same steps on either system: `$1 ARGS…` runs the program; paths are given by $2 (data
# file), $3 (plan document), $4 (a folder for the report and the backup).
steps() {
  local run=$1 db=$2 doc=$3 out=$4 plan report
  "$run" --db "$db" "${SETUP[@]}" > /dev/null
  plan=$("$run" --db "$db" plan import "$doc" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  report=$("$run" --db "$db" report draft --plan "$plan" --period 2023-06 --date 2023-07-05 --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  "$run" --db "$db" report render "$report" --pdf "$out/bao cao.pdf" --docx "$out/bao cao.docx" > /dev/null
  "$run" --db "$db" backup --out "$out/sao lưu.sqlite3" > /dev/null
  "$run" --db "$db" dump --json
}

if want deb; then
  deb="dist/kehoach_${VERSION}_amd64.deb"
  $SUDO dpkg -i "$deb" > /dev/null
  [ "$(kehoach --version)" = "kehoach $VERSION" ] || fail "kehoach --version: $(kehoach --version)"
  files /usr/bin/kehoach /usr/share/applications/vn.kehoach.app.desktop /usr/share/icons/hicolor/256x256/apps/kehoach.png
  mkdir -p "$WORK/linux/Dữ liệu xã" "$WORK/linux/out put"
  steps kehoach "$WORK/linux/Dữ liệu xã/kehoach.sqlite3" "$FIXTURE" "$WORK/linux/out put" > "$WORK/linux.json"
  files "$WORK/linux/out put/bao cao.pdf" "$WORK/linux/out put/bao cao.docx" "$WORK/linux/out put/sao lưu.sqlite3"
  # The packaged (release) program refuses an update signed with the tests' key, which only
  # debug builds accept (kehoach_sync::update::TEST_KEYS).
  echo "not a package" > "$WORK/kehoach_99.0.0_amd64.deb"
  KEHOACH_TEST_RELEASE_KEY=$(cat tests/fixtures/update/test-release-key.secret) kehoach update sign \
    "$WORK/kehoach_99.0.0_amd64.deb" --version 99.0.0 --platform linux-amd64 --key-env KEHOACH_TEST_RELEASE_KEY > /dev/null
  if out=$(kehoach update check "$WORK/kehoach_99.0.0_amd64.deb" 2>&1); then
    fail "the packaged program accepted an update signed with the tests' key: $out"
  fi
  [[ "$out" == *"chữ ký"* ]] || fail "update check of a test-signed update: $out"
  # The installed app, started as the desktop entry starts it, on a data file of its own.
  mkdir -p tests/artefacts
  KEHOACH_DB="$WORK/linux/first-run.sqlite3" WEBKIT_DISABLE_DMABUF_RENDERER=1 \
    xvfb-run -a -s "-screen 0 1280x800x24" tests/package/first_screen.sh kehoach tests/artefacts/deb-first-screen.png
  # Removing the package leaves no program behind (the officer's data is in their home).
  $SUDO dpkg -r kehoach > /dev/null
  if [ -e /usr/bin/kehoach ]; then fail "dpkg -r left /usr/bin/kehoach"; fi
  echo "test-package: .deb installed, kehoach $VERSION answers, first screen in tests/artefacts/deb-first-screen.png, removed"
fi

if want exe; then
  exe="dist/kehoach_${VERSION}_x64-setup.exe"
  # A prefix of its own, with its Desktop and Documents in the work folder (not $HOME); no
  # Mono or Gecko (their installers would be downloaded).
  export HOME="$WORK/home" WINEPREFIX="$WORK/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n,b"
  mkdir -p "$HOME"
  wineboot -i > /dev/null 2>&1
  wine "$exe" /S
  user="$(id -un)"
  user_dir="$WINEPREFIX/drive_c/users/$user"
  app="$user_dir/AppData/Local/Programs/kehoach"
  files "$app/kehoach.exe" "$app/kehoach.com" "$app/WebView2Loader.dll" "$app/go-cai-dat.exe" \
    "$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Kế hoạch Đề án 06.lnk" "$HOME/Kế hoạch Đề án 06.lnk"
  path_has_app() { wine reg query 'HKCU\Environment' /v Path | grep -qi 'AppData\\Local\\Programs\\kehoach'; }
  path_has_app || fail "the program folder is not on the user's PATH"
  # The test stand-in for ProcessPrng (see the shim's comment), beside the program only here.
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$app/bcryptprimitives.dll" tests/package/bcryptprimitives-shim.c -lbcrypt
  win() { wine "$app/kehoach.exe" "$@" | tr -d '\r'; }
  [ "$(win --version)" = "kehoach $VERSION" ] || fail "kehoach.exe --version: $(win --version)"
  [ "$(wine "$app/kehoach.com" --version | tr -d '\r')" = "kehoach $VERSION" ] || fail "kehoach.com --version"
  # Without --db: the app's own file under %APPDATA%.
  [ "$(win db-path)" = "C:\\users\\$user\\AppData\\Roaming\\vn.kehoach.app\\kehoach.sqlite3" ] ||
    fail "data file on Windows: $(win db-path)"
  docs="$user_dir/Tài liệu xã"
  mkdir -p "$docs/Kế hoạch" "$docs/Dữ liệu" "$docs/Báo cáo"
  cp "$FIXTURE" "$docs/Kế hoạch/kế hoạch 2023.docx"
  W="C:\\users\\$user\\Tài liệu xã"
  steps win "$W\\Dữ liệu\\kehoach.sqlite3" "$W\\Kế hoạch\\kế hoạch 2023.docx" "$W\\Báo cáo" > "$WORK/windows.json"
  files "$docs/Báo cáo/bao cao.pdf" "$docs/Báo cáo/bao cao.docx" "$docs/Báo cáo/sao lưu.sqlite3"
  # The device's private keys are sealed with DPAPI in the data file (issue 14, point 8), and
  # still sign a bundle; a copy of the file on another account or machine holds no usable key.
  win --db "$W\\Dữ liệu\\kehoach.sqlite3" device found > /dev/null
  win --db "$W\\Dữ liệu\\kehoach.sqlite3" sync export --out "$W\\Báo cáo\\gửi huyện.kehoach" > /dev/null
  files "$docs/Báo cáo/gửi huyện.kehoach"
  python3 tests/package/sealed_keys.py "$docs/Dữ liệu/kehoach.sqlite3" || fail "the device's keys are not sealed on Windows"
  if want deb; then python3 tests/package/same_dump.py "$WORK/linux.json" "$WORK/windows.json"; fi
  # An upgrade in place keeps the data; the uninstaller removes the program and keeps the data.
  data="$user_dir/AppData/Roaming/vn.kehoach.app/kehoach.sqlite3"
  win "${SETUP[@]}" > /dev/null
  wine "$exe" /S
  files "$data" "$app/kehoach.exe" "$app/bcryptprimitives.dll"
  [ "$(win --version)" = "kehoach $VERSION" ] || fail "kehoach.exe after the upgrade"
  rm "$app/bcryptprimitives.dll"
  wine "$app/go-cai-dat.exe" /S "_?=C:\\users\\$user\\AppData\\Local\\Programs\\kehoach"
  [ ! -e "$app/kehoach.exe" ] || fail "the uninstaller left kehoach.exe"
  [ ! -e "$HOME/Kế hoạch Đề án 06.lnk" ] || fail "the uninstaller left the desktop shortcut"
  files "$data"
  if path_has_app; then fail "the uninstaller left the program folder on PATH"; fi
  echo "test-package: Windows installer ($(du -h "$exe" | cut -f1)) installed, ran the steps, upgraded and uninstalled keeping the data"
fi
