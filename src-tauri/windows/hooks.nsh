; Plantlog's additions to the Tauri NSIS installer (bundle.windows.nsis.installerHooks).
;
; The Plantlog service runs plantlog.exe from the install folder. An update (a newer
; installer run over the old one) stops a running service before files are replaced and
; starts it again afterwards; the data folders are never touched by an update. A real
; uninstall removes the service, and removes the data folders only when the person ticks
; "Delete the application data" on the uninstaller's confirmation page.

Var PlantlogServiceWasRunning

!macro NSIS_HOOK_PREINSTALL
  StrCpy $PlantlogServiceWasRunning 0
  nsExec::Exec 'cmd.exe /C "sc.exe query Plantlog | find "RUNNING""'
  Pop $0
  ${If} $0 = 0
    StrCpy $PlantlogServiceWasRunning 1
    DetailPrint "Stopping the Plantlog service while Plantlog is updated"
    ${If} ${FileExists} "$INSTDIR\plantlog.exe"
      nsExec::Exec '"$INSTDIR\plantlog.exe" service stop'
      Pop $0
    ${Else}
      nsExec::Exec 'sc.exe stop Plantlog'
      Pop $0
      Sleep 5000
    ${EndIf}
  ${EndIf}
!macroend

!macro NSIS_HOOK_POSTINSTALL
  ${If} $PlantlogServiceWasRunning = 1
    DetailPrint "Starting the Plantlog service again"
    nsExec::Exec '"$INSTDIR\plantlog.exe" service start'
    Pop $0
  ${EndIf}
!macroend

!macro NSIS_HOOK_PREUNINSTALL
  ${If} $UpdateMode <> 1
    ; Removes the service; its data folder (ProgramData\Plantlog) stays.
    nsExec::Exec '"$INSTDIR\plantlog.exe" service uninstall'
    Pop $0
  ${EndIf}
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  ${If} $UpdateMode <> 1
  ${AndIf} $DeleteAppDataCheckboxState = 1
    ; Asked for: this user's data folder and the service's data folder.
    SetShellVarContext current
    RMDir /r "$LOCALAPPDATA\Plantlog"
    SetShellVarContext all
    RMDir /r "$APPDATA\Plantlog"
  ${EndIf}
!macroend
