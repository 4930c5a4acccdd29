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
