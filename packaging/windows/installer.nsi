; motcua installer (NSIS 3, built on Linux by packaging/build.sh with makensis).
; Per-machine install into Program Files\motcua, Start menu and desktop
; shortcuts, an optional "start at logon" for kiosk PCs, an uninstaller and
; an entry in Apps & features. Data stays in each user's %LOCALAPPDATA%\motcua
; and is never removed by the uninstaller.
; Defines from build.sh: VERSION, NUMVERSION (a.b.c.d), SRC (folder with
; motcua.exe, motcua.ico, LICENSE.txt), ICON, OUT.
; A 64-bit installer (Debian's NSIS ships the amd64-unicode stubs): motcua
; is amd64 only, and a 64-bit installer also runs under a wine64-only wine
; (make package-test), which cannot start 32-bit programs.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

Name "motcua ${VERSION}"
OutFile "${OUT}"
InstallDir "$PROGRAMFILES64\motcua"
InstallDirRegKey HKLM "Software\motcua" "InstallDir"
BrandingText "motcua — Một cửa"

VIProductVersion "${NUMVERSION}"
VIAddVersionKey "ProductName" "motcua"
VIAddVersionKey "FileDescription" "motcua installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "AGPL-3.0"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_LICENSE "${SRC}\LICENSE.txt"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\motcua.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

!define UNINST "Software\Microsoft\Windows\CurrentVersion\Uninstall\motcua"

Function .onInit
  ; Go 1.26 programs need Windows 10 or later, 64-bit.
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "motcua cần Windows 10 trở lên.$\r$\nmotcua needs Windows 10 or later." /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "motcua cần Windows 64-bit.$\r$\nmotcua needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Section "motcua" SecMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "${SRC}\motcua.exe"
  File "${SRC}\motcua.ico"
  File "${SRC}\LICENSE.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\motcua.lnk" "$INSTDIR\motcua.exe" "" "$INSTDIR\motcua.ico"
  WriteRegStr HKLM "Software\motcua" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINST}" "DisplayName" "motcua — Một cửa"
  WriteRegStr HKLM "${UNINST}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST}" "Publisher" "motcua"
  WriteRegStr HKLM "${UNINST}" "DisplayIcon" "$INSTDIR\motcua.ico"
  WriteRegStr HKLM "${UNINST}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINST}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST}" "NoRepair" 1
SectionEnd

Section "Desktop shortcut" SecDesktop
  SetShellVarContext all
  CreateShortcut "$DESKTOP\motcua.lnk" "$INSTDIR\motcua.exe" "" "$INSTDIR\motcua.ico"
SectionEnd

Section /o "Start at logon (kiosk PC)" SecKiosk
  SetShellVarContext all
  CreateShortcut "$SMSTARTUP\motcua.lnk" "$INSTDIR\motcua.exe" "" "$INSTDIR\motcua.ico"
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  SetRegView 64
  Delete "$SMPROGRAMS\motcua.lnk"
  Delete "$DESKTOP\motcua.lnk"
  Delete "$SMSTARTUP\motcua.lnk"
  Delete "$INSTDIR\motcua.exe"
  Delete "$INSTDIR\motcua.ico"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST}"
  DeleteRegKey HKLM "Software\motcua"
SectionEnd
