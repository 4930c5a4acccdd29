# The shared test module of the Pester suites (tests/*.Tests.ps1). Not a test file itself: Pester runs only *.Tests.ps1.
# Each suite imports it first thing in BeforeDiscovery:
#
#     BeforeDiscovery {
#         Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
#     }
#
# and then, in its Describe's BeforeAll and AfterAll, imports the BUILT module with Import-BuiltModule and removes it
# with Remove-BuiltModule. Imported from a test file, its functions and the variables below land in the global session
# state, so they reach both the discovery phase (-Skip:, -ForEach data) and the run phase of every suite. Its
# functions run in this module's scope: they see $TestDrive (a global variable of Pester) but not the variables or
# functions a test file defines.

# The real archives live in ../shared/mlf-samples beside the repository (see its SOURCES.md), or in the folder
# MLFTOOLS_SAMPLES names, as for xunit; tests that need them are skipped, with this reason, where it is absent.
$samplesRoot = if ($env:MLFTOOLS_SAMPLES) { [System.IO.Path]::GetFullPath($env:MLFTOOLS_SAMPLES) }
    else { [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../shared/mlf-samples')) }
$samplesPresent = Test-Path -LiteralPath $samplesRoot -PathType Container
$samplesSkipReason = "the sample archives folder '$samplesRoot' is missing"

# The module every `dotnet build` lays out (the AssembleModule target of src/MlfTools/MlfTools.csproj).
$builtManifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../out/MlfTools/MlfTools.psd1'))

function Write-SamplesMissingWarning {
    # Says, once per test file, which tests are skipped because ../shared/mlf-samples is absent; nothing when it is there.
    param([Parameter(Mandatory)] [string] $Skipped)
    if (-not $samplesPresent) {
        Write-Warning "The sample archives folder '$samplesRoot' (../shared/mlf-samples from the repository root) is missing: the tests that $Skipped are skipped."
    }
}

function Get-BuiltManifest {
    # The full path of the BUILT module's manifest, out/MlfTools/MlfTools.psd1, for a script or child process to import;
    # throws when the module has not been built.
    if (-not (Test-Path -LiteralPath $builtManifest -PathType Leaf)) {
        throw "The built module '$builtManifest' is missing. Build it first: ./build.ps1"
    }
    $builtManifest
}

function Import-BuiltModule {
    # Imports the BUILT module (out/MlfTools/MlfTools.psd1) into the global session state, replacing any MlfTools
    # already loaded, and returns the manifest's full path (child processes import the module by it). Throws when the
    # module has not been built.
    $manifest = Get-BuiltManifest
    Import-Module -Name $manifest -Force -Global
    $manifest
}

function Remove-BuiltModule {
    # The teardown of Import-BuiltModule: removes MlfTools from the session, if it is loaded.
    Remove-Module -Name MlfTools -Force -ErrorAction SilentlyContinue
}

function Set-TarField {
    param([byte[]] $Header, [int] $Offset, [int] $Length, [string] $Text)
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
    if ($bytes.Length -gt $Length) {
        throw "The tar header field at offset $Offset holds $Length bytes; '$Text' needs $($bytes.Length)."
    }
    [System.Array]::Copy($bytes, 0, $Header, $Offset, $bytes.Length)
}

function New-TestTar {
    # Writes a ustar archive. Entries maps member names to their content: a byte[], a string (written as
    # UTF-8), or a hashtable with Type (the typeflag: '0' file, '1' hard link, '2' symbolic link,
    # '5' folder, '6' FIFO), LinkName, Mode (octal digits, '0644' when absent) and Content. Returns the archive path.
    param(
        [Parameter(Mandatory = $true)] [string] $Path,
        [Parameter(Mandatory = $true)] [System.Collections.IDictionary] $Entries
    )
    $stream = New-Object System.IO.MemoryStream
    try {
        foreach ($name in @($Entries.Keys)) {
            $spec = $Entries[$name]
            $typeFlag = '0'
            $linkName = ''
            $mode = '0644'
            $content = $spec
            if ($spec -is [System.Collections.IDictionary]) {
                if ($spec.Contains('Type')) { $typeFlag = [string]$spec['Type'] }
                if ($spec.Contains('LinkName')) { $linkName = [string]$spec['LinkName'] }
                if ($spec.Contains('Mode')) { $mode = [string]$spec['Mode'] }
                $content = $spec['Content']
            }
            if ($null -eq $content) {
                $data = [byte[]]@()
            }
            elseif ($content -is [byte[]]) {
                $data = $content
            }
            else {
                $data = [System.Text.Encoding]::UTF8.GetBytes([string]$content)
            }

            $header = New-Object byte[] 512
            Set-TarField $header 0 100 $name
            Set-TarField $header 100 8 $mode.PadLeft(7, '0')
            Set-TarField $header 108 8 '0000000'
            Set-TarField $header 116 8 '0000000'
            Set-TarField $header 124 12 ([System.Convert]::ToString([long]$data.Length, 8).PadLeft(11, '0'))
            Set-TarField $header 136 12 ([System.Convert]::ToString([long]1639499404, 8).PadLeft(11, '0'))
            Set-TarField $header 148 8 '        '
            Set-TarField $header 156 1 $typeFlag
            Set-TarField $header 157 100 $linkName
            Set-TarField $header 257 6 "ustar`0"
            Set-TarField $header 263 2 '00'
            Set-TarField $header 265 32 'root'
            Set-TarField $header 297 32 'root'
            $checksum = 0
            foreach ($byte in $header) {
                $checksum += $byte
            }
            Set-TarField $header 148 8 ([System.Convert]::ToString($checksum, 8).PadLeft(6, '0') + "`0 ")

            $stream.Write($header, 0, $header.Length)
            $stream.Write($data, 0, $data.Length)
            $padding = (512 - ($data.Length % 512)) % 512
            if ($padding -gt 0) {
                $stream.Write((New-Object byte[] $padding), 0, $padding)
            }
        }
        $stream.Write((New-Object byte[] 1024), 0, 1024)
        [System.IO.File]::WriteAllBytes($Path, $stream.ToArray())
    }
    finally {
        $stream.Dispose()
    }
    $Path
}

function ConvertTo-JsonString {
    # Text as a JSON string literal, quotes included.
    param([string] $Text)
    '"' + $Text.Replace('\', '\\').Replace('"', '\"') + '"'
}

function New-MlfMetadata {
    # The text of a small metadata.json. Version 5 (the default): one module 'default', flat, as TVM 0.8 writes it: the
    # least New-MlfModule accepts. Version 7: one module per Name under "modules", each with the executors, memory and
    # style given and ExtraKeys (JSON text appended to each module's entry, starting with a comma).
    param(
        [ValidateSet(5, 7)] [int] $Version = 5,
        [string[]] $Name = @('default'),
        [string] $Memory = '{"functions":{"main":[],"operator_functions":[]}}',
        [string] $Executors = '["aot"]',
        [string] $Style = 'full-model',
        [string] $ExtraKeys = ''
    )
    if ($Version -eq 5) {
        if (@($Name).Count -ne 1 -or $Name[0] -ne 'default') {
            throw 'A version-5 metadata.json holds one module, named default.'
        }
        return '{"version":5,"model_name":"default","export_datetime":"2021-12-14 16:30:04Z","memory":' + $Memory +
            ',"target":{"1":"c"},"executors":' + $Executors + ',"style":"' + $Style + '"' + $ExtraKeys + '}'
    }
    $modules = foreach ($moduleName in $Name) {
        $quoted = ConvertTo-JsonString $moduleName
        $quoted + ':{"executors":' + $Executors + ',"export_datetime":"2022-03-04 05:06:07Z","memory":' + $Memory +
        ',"model_name":' + $quoted + ',"style":"' + $Style + '","target":["c -keys=cpu"]' + $ExtraKeys + '}'
    }
    '{"modules":{' + (@($modules) -join ',') + '},"version":7}'
}

function New-MlfTestArchive {
    # Writes a small MLF archive and returns its path. Its members, in this order: metadata.json (Metadata, else
    # New-MlfMetadata of Version, Name, Memory, Executors, Style and ExtraKeys); with -WithSource, for each module a C
    # source codegen/host/src/<name>_lib0.c that defines only tvmgen_<name>_run, a symbol with the module's prefix; with
    # Note, samples/note.txt holding it; then Entries (member name => content as New-TestTar takes it; $null leaves a
    # member out, metadata.json too). With -AsFolder, Path is made a folder holding the members as files, as an
    # extracted archive (contents of files only: strings or byte[]).
    param(
        [Parameter(Mandatory = $true)] [string] $Path,
        [string] $Metadata,
        [ValidateSet(5, 7)] [int] $Version = 5,
        [string[]] $Name = @('default'),
        [string] $Memory = '{"functions":{"main":[],"operator_functions":[]}}',
        [string] $Executors = '["aot"]',
        [string] $Style = 'full-model',
        [string] $ExtraKeys = '',
        [switch] $WithSource,
        [string] $Note,
        [System.Collections.IDictionary] $Entries = @{},
        [switch] $AsFolder
    )
    if (-not $PSBoundParameters.ContainsKey('Metadata')) {
        $Metadata = New-MlfMetadata -Version $Version -Name $Name -Memory $Memory -Executors $Executors -Style $Style -ExtraKeys $ExtraKeys
    }
    $all = [ordered]@{ './metadata.json' = $Metadata }
    if ($WithSource) {
        foreach ($moduleName in $Name) {
            $all["./codegen/host/src/$($moduleName)_lib0.c"] = "int tvmgen_$($moduleName)_run(void) { return 0; }`n"
        }
    }
    if ($PSBoundParameters.ContainsKey('Note')) {
        $all['./samples/note.txt'] = $Note
    }
    foreach ($key in @($Entries.Keys)) {
        if ($null -eq $Entries[$key]) {
            $all.Remove($key)
        }
        else {
            $all[$key] = $Entries[$key]
        }
    }
    if (-not $AsFolder) {
        return New-TestTar -Path $Path -Entries $all
    }
    $null = New-Item -ItemType Directory -Path $Path -Force
    foreach ($key in @($all.Keys)) {
        $file = Join-Path $Path ($key -replace '^\./', '')
        $null = New-Item -ItemType Directory -Path (Split-Path -Parent $file) -Force
        if ($all[$key] -is [byte[]]) {
            [System.IO.File]::WriteAllBytes($file, $all[$key])
        }
        else {
            [System.IO.File]::WriteAllText($file, [string]$all[$key])
        }
    }
    $Path
}

function Get-FolderSnapshot {
    # One line per item under Folder, hidden ones included: relative path as the file system spells it, and for files
    # length and SHA-256. Two equal snapshots mean nothing was written, replaced or left behind in between.
    param([Parameter(Mandatory = $true)] [string] $Folder)
    $root = (Get-Item -LiteralPath $Folder -Force).FullName
    $lines = foreach ($item in @(Get-ChildItem -LiteralPath $root -Recurse -Force | Sort-Object -Property FullName)) {
        $relative = $item.FullName.Substring($root.Length)
        if ($item.PSIsContainer) {
            "$relative/"
        }
        else {
            '{0} {1} {2}' -f $relative, $item.Length, (Get-FileHash -LiteralPath $item.FullName -Algorithm SHA256).Hash
        }
    }
    @($lines) -join "`n"
}

function Get-TemporaryFile {
    # The temporary files a join writes beside its destination ('.<name>.<random>.tmp', hidden) in Folder.
    param([Parameter(Mandatory = $true)] [string] $Folder)
    @(Get-ChildItem -LiteralPath $Folder -Force | Where-Object { $_.Name -like '.*.tmp' })
}

function Get-TarMember {
    # The member names of Archive as tar lists them.
    param([Parameter(Mandatory = $true)] [string] $Archive)
    $item = Get-Item -LiteralPath $Archive
    Invoke-Tar -WorkingFolder $item.DirectoryName -ArgumentList @('-tf', $item.Name)
}

function Expand-TarArchive {
    # Extracts Archive with tar into a new folder beside it and returns that folder's full path.
    param([Parameter(Mandatory = $true)] [string] $Archive)
    $item = Get-Item -LiteralPath $Archive
    $target = New-Item -Path (Join-Path $item.DirectoryName ($item.BaseName + '-extracted')) -ItemType Directory
    $null = Invoke-Tar -WorkingFolder $target.FullName -ArgumentList @('-xf', ('../' + $item.Name))
    $target.FullName
}

function New-RandomTextFile {
    param([Parameter(Mandatory = $true)] [string] $Path)
    $random = New-Object System.Random 1214
    $text = -join (1..2000 | ForEach-Object { [char]($random.Next(97, 123)) })
    [System.IO.File]::WriteAllBytes($Path, [System.Text.Encoding]::ASCII.GetBytes($text))
    $Path
}

function New-TestFolder {
    # A new empty folder under $TestDrive, so each test sees only what it wrote. Returns its full path.
    param([string] $Name = 'work')
    $folder = Join-Path $TestDrive ('{0}-{1}' -f $Name, [System.Guid]::NewGuid().ToString('N').Substring(0, 8))
    $null = New-Item -Path $folder -ItemType Directory
    $folder
}

function Get-ErrorRecord {
    # -ErrorVariable holds an ErrorRecord for a non-terminating error, but for a terminating one
    # (ThrowTerminatingError) the exception that carries the ErrorRecord.
    param($Item)
    if ($Item -is [System.Management.Automation.ErrorRecord]) {
        return $Item
    }
    if ($Item -is [System.Management.Automation.IContainsErrorRecord]) {
        return $Item.ErrorRecord
    }
    $Item
}

function Get-TarCommand {
    # The tar executable on PATH (GNU tar, or the bsdtar that Windows 10 and later ship as tar.exe), or $null.
    Get-Command -Name tar -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
}

function Invoke-Tar {
    # Runs tar inside WorkingFolder and returns its standard output lines; a non-zero exit code throws. Give archive
    # paths relative to WorkingFolder: GNU tar on Windows reads 'C:\...' as host 'C', and PowerShell starts native
    # commands in the current PowerShell location.
    param(
        [Parameter(Mandatory = $true)] [string] $WorkingFolder,
        [Parameter(Mandatory = $true)] [string[]] $ArgumentList
    )
    $tar = Get-TarCommand
    if ($null -eq $tar) {
        throw 'tar is not on PATH.'
    }
    # Windows PowerShell turns a native command's stderr lines into error records; the exit code decides instead.
    $ErrorActionPreference = 'Continue'
    Push-Location -LiteralPath $WorkingFolder
    try {
        $output = & $tar.Path @ArgumentList 2>$null
        if ($LASTEXITCODE -ne 0) {
            throw "'tar $($ArgumentList -join ' ')' in '$WorkingFolder' failed with exit code $LASTEXITCODE."
        }
        $output
    }
    finally {
        Pop-Location
    }
}

function New-PowerShellStartInfo {
    # A ProcessStartInfo that starts the PowerShell running these tests on Arguments: its own executable, and under
    # 'dotnet pwsh' (the pinned local tool, whose process is dotnet) dotnet with pwsh.dll first.
    param([string[]] $Arguments)
    $executable = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $start = New-Object System.Diagnostics.ProcessStartInfo $executable
    if ([System.IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') {
        $start.ArgumentList.Add([System.Environment]::GetCommandLineArgs()[0])
    }
    foreach ($argument in $Arguments) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $start
}

function Invoke-ChildPowerShell {
    # Runs Script as a file in a child PowerShell, the way a CI task runs a script (-NonInteractive -File): returns its
    # exit code and its output (stdout, then stderr), which is what the log shows.
    param([Parameter(Mandatory = $true)] [string] $Script)
    $file = Join-Path ([System.IO.Path]::GetTempPath()) ('mlftools-child-{0}.ps1' -f [guid]::NewGuid().ToString('N'))
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8
    try {
        $start = New-PowerShellStartInfo -Arguments '-NoProfile', '-NonInteractive', '-File', $file
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.Environment['NO_COLOR'] = '1'
        $process = [System.Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout + $stderr.Result }
    }
    finally {
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function * -Variable samplesRoot, samplesPresent, samplesSkipReason, builtManifest
