; The Windows installer of kehoach, built by scripts/package.sh with Debian's makensis
; (Tauri's own NSIS bundling downloads a plugin from GitHub; this script needs no plugin).
;
; Per-user: no administrator rights (commune PCs often have none to give), installed under
; %LOCALAPPDATA%\Programs\kehoach, Start-menu and desktop shortcuts, the program folder on the
; user's PATH so `kehoach` works in cmd and PowerShell. The officer's data lives elsewhere
; (%APPDATA%\vn.kehoach.app): an upgrade in place or an uninstall never touches it.
;
; makensis -DVERSION=0.1.0 -DSRCDIR=<folder with kehoach.exe, WebView2Loader.dll>
;          -DICON=<icon.ico> -DOUTFILE=<setup.exe> kehoach.nsi

; A 64-bit installer: the program is x64 only, and it runs under 64-bit wine in the tests.
Target amd64-unicode
ManifestDPIAware true
; Solid LZMA: the two copies of the program (GUI and console, identical but for two bytes)
; cost the download once.
SetCompressor /SOLID lzma
SetCompressorDictSize 64
RequestExecutionLevel user

!include MUI2.nsh
!include LogicLib.nsh
!include WinMessages.nsh
!include StrFunc.nsh
${StrStr}
${UnStrRep}

!define APPID "vn.kehoach.app"
!define NAME "Kế hoạch Đề án 06"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
; The WebView2 runtime's client id (Microsoft's documented detection key).
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\kehoach"
; An upgrade goes where the previous version is.
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "kehoach ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1066 "ProductName" "kehoach — ${NAME}"
VIAddVersionKey /LANG=1066 "FileDescription" "Cài đặt kehoach ${VERSION}"
VIAddVersionKey /LANG=1066 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "Dừng cài đặt kehoach?"

!define MUI_WELCOMEPAGE_TITLE "Cài đặt ${NAME} (kehoach ${VERSION})"
!define MUI_WELCOMEPAGE_TEXT "Phần mềm theo dõi kế hoạch, nhiệm vụ và lập báo cáo Đề án 06 của UBND xã, phường; chạy không cần mạng.$\r$\n$\r$\nCài cho tài khoản Windows đang dùng, không cần quyền quản trị.$\r$\n$\r$\nNếu máy đã có phiên bản cũ, phiên bản mới được cài đè lên; dữ liệu của xã (kế hoạch, báo cáo, bản sao lưu) được giữ nguyên. Hãy đóng phần mềm kehoach trước khi tiếp tục.$\r$\n$\r$\nBấm “Tiến >” để tiếp tục."
!insertmacro MUI_PAGE_WELCOME
!define MUI_DIRECTORYPAGE_TEXT_TOP "Thư mục cài chương trình. Dữ liệu của xã không nằm ở đây mà ở $APPDATA\${APPID}, nên gỡ hay cài lại chương trình không làm mất dữ liệu."
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "Đã cài xong kehoach ${VERSION}"
!define MUI_FINISHPAGE_TEXT "Mở phần mềm bằng biểu tượng “${NAME}” trên màn hình nền hoặc trong menu Start.$\r$\n$\r$\nCán bộ CNTT có thể dùng lệnh kehoach trong cửa sổ lệnh (cmd, PowerShell) mở mới."
!define MUI_FINISHPAGE_RUN "$INSTDIR\kehoach.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${NAME} ngay"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "Gỡ chương trình kehoach khỏi máy. Dữ liệu của xã trong $APPDATA\${APPID} (kế hoạch, báo cáo, tệp đính kèm, bản sao lưu tự động) được giữ lại: cài lại phần mềm sẽ dùng tiếp dữ liệu đó."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"

; The app's window is drawn by Microsoft Edge WebView2, part of Windows 11 and of updated
; Windows 10, which cannot be bundled here. An old Windows 10 without it is told what to
; install; the installation goes on (the `kehoach` command works without it, and the app
; opens once the runtime is there).
Function CheckWebView2
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  SetRegView lastused
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    DetailPrint "Chưa có Microsoft Edge WebView2 Runtime."
    MessageBox MB_OK|MB_ICONEXCLAMATION "Máy này chưa có Microsoft Edge WebView2 Runtime, thành phần Windows mà cửa sổ của kehoach cần (Windows 11 và Windows 10 đã cập nhật đều có sẵn).$\r$\n$\r$\nHãy cài “Microsoft Edge WebView2 Runtime” (bản Evergreen, miễn phí) từ trang của Microsoft:$\r$\nhttps://go.microsoft.com/fwlink/p/?LinkId=2124703$\r$\nhoặc nhờ cán bộ CNTT chép bộ cài vào USB, rồi mở lại kehoach.$\r$\n$\r$\nViệc cài kehoach vẫn tiếp tục." /SD IDOK
  ${Else}
    DetailPrint "Microsoft Edge WebView2 Runtime $0"
  ${EndIf}
FunctionEnd

; Puts the program folder on the user's PATH (HKCU\Environment), once.
Function AddToPath
  ReadRegStr $0 HKCU "Environment" "Path"
  StrLen $1 $0
  ; makensis strings hold 1024 characters: a longer PATH would come back cut short, so it
  ; is left as it is rather than damaged.
  ${If} $1 > 900
    DetailPrint "PATH của người dùng quá dài, không thêm $INSTDIR; gọi lệnh bằng đường dẫn đầy đủ."
    Return
  ${EndIf}
  ${StrStr} $2 ";$0;" ";$INSTDIR;"
  ${If} $2 != ""
    Return
  ${EndIf}
  ${If} $0 == ""
    StrCpy $0 "$INSTDIR"
  ${Else}
    StrCpy $3 $0 1 -1
    ${If} $3 == ";"
      StrCpy $0 "$0$INSTDIR"
    ${Else}
      StrCpy $0 "$0;$INSTDIR"
    ${EndIf}
  ${EndIf}
  WriteRegExpandStr HKCU "Environment" "Path" $0
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=3000
  DetailPrint "Đã thêm $INSTDIR vào PATH."
FunctionEnd

Function un.RemoveFromPath
  ReadRegStr $0 HKCU "Environment" "Path"
  StrLen $1 $0
  ${If} $1 > 900
  ${OrIf} $0 == ""
    Return
  ${EndIf}
  ${UnStrRep} $0 ";$0;" ";$INSTDIR;" ";"
  ; Drop the separators added around it above.
  StrCpy $0 $0 "" 1
  StrCpy $0 $0 -1
  WriteRegExpandStr HKCU "Environment" "Path" $0
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=3000
FunctionEnd

Function .onInit
  SetShellVarContext current
FunctionEnd

Section "kehoach" Main
  SectionIn RO
  Call CheckWebView2
  SetOutPath "$INSTDIR"
  ; An upgrade cannot replace a program that is running.
  retry:
  ClearErrors
  ${If} ${FileExists} "$INSTDIR\kehoach.exe"
    Delete "$INSTDIR\kehoach.exe"
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "Phần mềm kehoach đang mở. Hãy đóng mọi cửa sổ kehoach (dữ liệu đã được lưu tự động), rồi bấm Thử lại." /SD IDCANCEL IDRETRY retry
      Abort "kehoach đang mở; chưa cài được."
    ${EndIf}
  ${EndIf}
  File "${SRCDIR}\kehoach.exe"
  File "${SRCDIR}\kehoach.com"
  File "${SRCDIR}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\go-cai-dat.exe"

  CreateShortcut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\kehoach.exe" "" "$INSTDIR\kehoach.exe" 0 SW_SHOWNORMAL "" "${NAME}"
  CreateShortcut "$DESKTOP\${NAME}.lnk" "$INSTDIR\kehoach.exe" "" "$INSTDIR\kehoach.exe" 0 SW_SHOWNORMAL "" "${NAME}"

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${NAME} (kehoach)"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "kehoach"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\kehoach.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\go-cai-dat.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\go-cai-dat.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" ${SIZE_KB}
  Call AddToPath
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\kehoach.exe"
  Delete "$INSTDIR\kehoach.com"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\go-cai-dat.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${NAME}.lnk"
  Delete "$DESKTOP\${NAME}.lnk"
  DeleteRegKey HKCU "${UNINST_KEY}"
  Call un.RemoveFromPath
  DetailPrint "Dữ liệu của xã vẫn ở $APPDATA\${APPID}."
SectionEnd
