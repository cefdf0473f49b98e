; Merlet Desk: Windows installer (Inno Setup 6.3 or newer).
;
; Built by .github/workflows/windows-installer.yml from the PyInstaller bundle in
; dist\merlet-desk\ (packaging\merlet-desk.spec, built on Windows):
;
;   iscc /DAppVersion=0.1.0 /DAppVersionWin=0.1.0.0 packaging\windows\merlet-desk.iss
;
; Output: dist\merlet-desk-<version>-setup.exe. Installs per machine into
; C:\Program Files\Merlet Desk, a Start menu entry and an uninstaller (Apps & features).
;
; Silent installation (see docs/deployment.md):
;   merlet-desk-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;       [/DBPATH="S:\Communicatie\merlet-desk.sqlite"] [/READONLY=1] [/LOG="C:\Temp\md.log"]
; /DBPATH and /READONLY are written to merlet-desk.ini next to merlet-desk.exe, section
; [merlet-desk], keys "database" and "read_only"; the program reads that file
; (merlet_desk/store/location.py). A silent upgrade without these parameters keeps the
; existing merlet-desk.ini as it is. The user's database and backups are never touched,
; neither by installing nor by uninstalling.
;
; NOT TESTED on Windows by the author: it could not be compiled or run on the Linux machine
; where it was written. The workflow compiles it, installs it silently, runs the program and
; uninstalls it on a Windows runner.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z (python packaging\version.py)
#endif
#ifndef AppVersionWin
  #define AppVersionWin "0.0.0.0"
#endif
; Relative to this script's folder.
#ifndef BundleDir
  #define BundleDir "..\..\dist\merlet-desk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; Fixed for all versions: Windows recognises an upgrade by this id. Never change it.
AppId={{6F1D4C2A-8B3E-4E57-9C21-7A5D0B3F9E64}
AppName=Merlet Desk
AppVersion={#AppVersion}
AppVerName=Merlet Desk {#AppVersion}
AppPublisher=Merlet College
AppPublisherURL=https://www.merletcollege.nl/
AppSupportURL=https://www.merletcollege.nl/
VersionInfoVersion={#AppVersionWin}
VersionInfoProductVersion={#AppVersionWin}
VersionInfoDescription=Merlet Desk installer
; Per machine, into Program Files (64-bit), for all users.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
DefaultDirName={autopf}\Merlet Desk
DefaultGroupName=Merlet Desk
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
UninstallDisplayName=Merlet Desk
UninstallDisplayIcon={app}\merlet-desk-gui.exe
OutputDir={#OutputDir}
OutputBaseFilename=merlet-desk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; Close a running Merlet Desk (Restart Manager) before files are replaced.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no stale libraries from an older version stay behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Merlet Desk"; Filename: "{app}\merlet-desk-gui.exe"; WorkingDir: "{app}"; Comment: "Beleid, toestemmingsregister en incidentenlog"
Name: "{autodesktop}\Merlet Desk"; Filename: "{app}\merlet-desk-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\merlet-desk-gui.exe"; Description: "{cm:LaunchProgram,Merlet Desk}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The settings file this installer wrote. The database and its backups live elsewhere and stay.
Type: files; Name: "{app}\merlet-desk.ini"

[Code]
const
  IniName = 'merlet-desk.ini';
  IniSection = 'merlet-desk';

var
  DbPage: TInputQueryWizardPage;
  ReadOnlyBox: TNewCheckBox;
  DbParamGiven, ReadOnlyParamGiven, PrefillDone: Boolean;
  DbParam, ReadOnlyParam: String;

{ /NAME=value on the command line (case-insensitive name). True when present, even if empty:
  /DBPATH= clears the setting. }
function FindCmdParam(const Name: String; var Value: String): Boolean;
var
  I: Integer;
  Prefix, Arg: String;
begin
  Result := False;
  Value := '';
  Prefix := '/' + Uppercase(Name) + '=';
  for I := 1 to ParamCount do
  begin
    Arg := ParamStr(I);
    if Pos(Prefix, Uppercase(Arg)) = 1 then
    begin
      Value := Trim(Copy(Arg, Length(Prefix) + 1, Length(Arg)));
      Result := True;
    end;
  end;
end;

function IsTrue(const Value: String): Boolean;
var
  V: String;
begin
  V := Lowercase(Trim(Value));
  Result := (V = '1') or (V = 'true') or (V = 'yes') or (V = 'ja') or (V = 'on');
end;

{ A key of section [merlet-desk] in an existing merlet-desk.ini (UTF-8, with or without BOM). }
function ReadIniValue(const FileName, Key: String; var Value: String): Boolean;
var
  Lines: TArrayOfString;
  I, Eq: Integer;
  Line, Section: String;
begin
  Result := False;
  Value := '';
  if not FileExists(FileName) then
    Exit;
  if not LoadStringsFromFile(FileName, Lines) then
    Exit;
  Section := '';
  for I := 0 to GetArrayLength(Lines) - 1 do
  begin
    Line := Trim(Lines[I]);
    if (Length(Line) > 1) and (Line[1] = '[') then
      Section := Lowercase(Trim(Copy(Line, 2, Length(Line) - 2)))
    else if Section = IniSection then
    begin
      Eq := Pos('=', Line);
      if (Eq > 0) and (Lowercase(Trim(Copy(Line, 1, Eq - 1))) = Key) then
      begin
        Value := Trim(Copy(Line, Eq + 1, Length(Line)));
        Result := True;
      end;
    end;
  end;
end;

procedure InitializeWizard;
begin
  DbParamGiven := FindCmdParam('DBPATH', DbParam);
  ReadOnlyParamGiven := FindCmdParam('READONLY', ReadOnlyParam);

  DbPage := CreateInputQueryPage(wpSelectDir,
    'Database', 'Waar staat de database van Merlet Desk?',
    'Laat het veld leeg: dan krijgt iedere gebruiker een eigen database in zijn eigen ' +
    'gegevensmap. Vul een pad in (bijvoorbeeld op de gedeelde schijf) om iedereen op deze ' +
    'computer hetzelfde bestand te laten gebruiken. Back-ups komen in de map "backups" naast ' +
    'de database.');
  DbPage.Add('Databasebestand (bijv. S:\Communicatie\merlet-desk.sqlite):', False);
  DbPage.Values[0] := DbParam;

  ReadOnlyBox := TNewCheckBox.Create(DbPage);
  ReadOnlyBox.Parent := DbPage.Surface;
  ReadOnlyBox.Left := DbPage.Edits[0].Left;
  ReadOnlyBox.Top := DbPage.Edits[0].Top + DbPage.Edits[0].Height + ScaleY(16);
  ReadOnlyBox.Width := DbPage.SurfaceWidth - ReadOnlyBox.Left;
  ReadOnlyBox.Height := ScaleY(17);
  ReadOnlyBox.Caption := 'Alleen-lezen (locatiemanagers: inzien, niets wijzigen)';
  ReadOnlyBox.Checked := ReadOnlyParamGiven and IsTrue(ReadOnlyParam);
end;

{ An interactive upgrade shows what the existing merlet-desk.ini says. }
procedure CurPageChanged(CurPageID: Integer);
var
  IniFile, Value: String;
begin
  if (CurPageID = DbPage.ID) and not PrefillDone then
  begin
    PrefillDone := True;
    IniFile := AddBackslash(WizardDirValue) + IniName;
    if (not DbParamGiven) and ReadIniValue(IniFile, 'database', Value) then
      DbPage.Values[0] := Value;
    if (not ReadOnlyParamGiven) and ReadIniValue(IniFile, 'read_only', Value) then
      ReadOnlyBox.Checked := IsTrue(Value);
  end;
end;

procedure WriteSettings;
var
  IniFile, DbPath, Existing: String;
  WantReadOnly, HadIni: Boolean;
  Lines: TArrayOfString;
begin
  IniFile := ExpandConstant('{app}\') + IniName;
  HadIni := FileExists(IniFile);
  if WizardSilent then
  begin
    { Silent: only what the command line says. Without /DBPATH and /READONLY an upgrade
      keeps the existing file untouched. }
    if (not DbParamGiven) and (not ReadOnlyParamGiven) then
      Exit;
    if DbParamGiven then
      DbPath := DbParam
    else if not ReadIniValue(IniFile, 'database', DbPath) then
      DbPath := '';
    if ReadOnlyParamGiven then
      WantReadOnly := IsTrue(ReadOnlyParam)
    else
      WantReadOnly := ReadIniValue(IniFile, 'read_only', Existing) and IsTrue(Existing);
  end
  else
  begin
    DbPath := Trim(DbPage.Values[0]);
    WantReadOnly := ReadOnlyBox.Checked;
  end;

  { Nothing to say and nothing to change: no file (the program then uses its defaults). }
  if (DbPath = '') and (not WantReadOnly) and (not HadIni) then
    Exit;

  SetArrayLength(Lines, 5);
  Lines[0] := '; Merlet Desk {#AppVersion}: written by the installer (/DBPATH, /READONLY).';
  Lines[1] := '; database leeg = gegevensmap van de gebruiker; read_only = 1: alleen-lezen.';
  Lines[2] := '[' + IniSection + ']';
  Lines[3] := 'database = ' + DbPath;
  if WantReadOnly then
    Lines[4] := 'read_only = 1'
  else
    Lines[4] := 'read_only = 0';
  if SaveStringsToUTF8FileWithoutBOM(IniFile, Lines, False) then
    Log('Wrote ' + IniFile + ': database=' + DbPath)
  else
  begin
    Log('Could not write ' + IniFile);
    SuppressibleMsgBox('Kon ' + IniFile + ' niet schrijven.', mbError, MB_OK, IDOK);
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    WriteSettings;
end;
