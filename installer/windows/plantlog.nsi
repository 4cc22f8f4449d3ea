; The Plantlog installer for Windows, built with makensis (Debian's nsis package works;
; scripts/build-windows-installer-nsis builds the programs for x86_64-pc-windows-gnu and
; runs it). It installs the same files as the Tauri bundler's installer that
; .github/workflows/windows.yml builds, and uses the same hooks (src-tauri/windows/hooks.nsh)
; for the service: an update stops a running Plantlog service and starts it again, an
; uninstall removes the service, and the data folders stay unless the person asks.
;
; makensis -DVERSION=0.1.0 -DSOURCE=<folder with the three files> -DOUTFILE=<setup.exe>
;          installer/windows/plantlog.nsi

Unicode true
SetCompressor /SOLID lzma
ManifestDPIAware true

!ifndef VERSION
  !error "define VERSION, e.g. -DVERSION=0.1.0"
!endif
!ifndef SOURCE
  !error "define SOURCE, the folder holding plantlog.exe, plantlog-desktop.exe and WebView2Loader.dll"
!endif
!ifndef OUTFILE
  !define OUTFILE "Plantlog_${VERSION}_x64-setup.exe"
!endif

!define PRODUCT "Plantlog"
!define PUBLISHER "Plantlog"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Plantlog"
; The Evergreen WebView2 Runtime's client key (the desktop window needs it; the service
; and the browser UI do not).
!define WEBVIEW2_KEY "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${PRODUCT} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "nsDialogs.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "..\..\icons\icon.ico"
!define MUI_UNICON "..\..\icons\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\plantlog-desktop.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start Plantlog"

; The hooks expect these two (the Tauri installer sets them): this installer never runs
; its uninstaller as part of an update, and the uninstaller's page sets the second.
Var UpdateMode
Var DeleteAppDataCheckboxState
Var DeleteAppDataCheckbox
!include "..\..\src-tauri\windows\hooks.nsh"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPage un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Plantlog needs 64-bit Windows 10 or 11."
    Abort
  ${EndIf}
  SetRegView 64
  StrCpy $UpdateMode 0
FunctionEnd

Section "Plantlog" SecMain
  SectionIn RO
  !insertmacro NSIS_HOOK_PREINSTALL
  SetOutPath "$INSTDIR"
  File "${SOURCE}\plantlog-desktop.exe"
  File "${SOURCE}\plantlog.exe"
  File "${SOURCE}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Start menu, for every user of the PC.
  SetShellVarContext all
  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\plantlog-desktop.exe"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Uninstall ${PRODUCT}.lnk" "$INSTDIR\uninstall.exe"

  ; Apps & features.
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\plantlog-desktop.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  ; The desktop window needs the WebView2 Runtime (part of Windows 11 and of an updated
  ; Windows 10). Without it the service and the browser UI still work; say so.
  ReadRegStr $0 HKLM "${WEBVIEW2_KEY}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    MessageBox MB_ICONINFORMATION|MB_OK "The Plantlog window needs the Microsoft Edge WebView2 Runtime, which this PC does not have. Install it from Microsoft (search for $\"WebView2 Runtime$\"), or use Plantlog in a browser at http://localhost:8470 until then. Collection works either way." /SD IDOK
  ${EndIf}
  !insertmacro NSIS_HOOK_POSTINSTALL
SectionEnd

Function un.onInit
  SetRegView 64
  StrCpy $UpdateMode 0
  StrCpy $DeleteAppDataCheckboxState 0
FunctionEnd

; Keeps the data unless asked: collected readings, configuration, users and the audit log
; live in the data folders, outside the install folder.
Function un.DataPage
  !insertmacro MUI_HEADER_TEXT "Plantlog's data" "Collected readings, configuration, users and the audit log."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 40u "Plantlog's data stays on this PC after the uninstall, so a reinstall or a newer version finds it again. Tick the box only if the data should be deleted for good."
  Pop $0
  ${NSD_CreateCheckbox} 0 50u 100% 12u "Delete the application data (all collected readings, configuration, users, audit log)"
  Pop $DeleteAppDataCheckbox
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $DeleteAppDataCheckbox $DeleteAppDataCheckboxState
FunctionEnd

Section "Uninstall"
  !insertmacro NSIS_HOOK_PREUNINSTALL
  Delete "$INSTDIR\plantlog-desktop.exe"
  Delete "$INSTDIR\plantlog.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk"
  Delete "$SMPROGRAMS\${PRODUCT}\Uninstall ${PRODUCT}.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  !insertmacro NSIS_HOOK_POSTUNINSTALL
SectionEnd
