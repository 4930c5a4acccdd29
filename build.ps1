<#
.SYNOPSIS
    Builds, tests, documents, packages or cleans MlfTools.

.DESCRIPTION
    The one entry point for working on MlfTools under PowerShell (Windows PowerShell 5.1 or
    PowerShell 7).

    Build  runs 'dotnet build MlfTools.sln'. Every build also lays the module out in
           out/MlfTools/ (the AssembleModule target of src/MlfTools/MlfTools.csproj), which is
           what the Pester suite imports.
    Test   runs Build, then 'dotnet test MlfTools.sln' (the xunit suite), then the Pester suite
           tests/*.Tests.ps1 against the built module, and ends with the totals of both as its last line,
           "N passed, N failed[, N skipped]" (the line CI reads; 'bash .ci/run' prints the same). Pester 5.7.1
           is restored from NuGet by tools/PesterRestore (no PowerShell Gallery needed) and runs in a child
           process of the same PowerShell edition, so the built assemblies are never loaded (and locked) in the
           session that called this script. A failing test fails the script.
    Demo   runs Build, then imports out/MlfTools in a child process and shows what is inside real archives:
           the modules, their files, Test-MlfArchive's findings and the memory report. It reads -ArchivePath
           (files, folders or wildcards), else the folder MLFTOOLS_SAMPLES names, else ../shared/mlf-samples.
    Docs   turns the PlatyPS markdown in docs/ into MAML help with tools/MamlHelp, which reads PlatyPS 0.14's
           schema and keeps lists and tables readable in Get-Help (PlatyPS's New-ExternalHelp flattens them).
           The result replaces the checked-in module/en-US/MlfTools.dll-Help.xml, which every build ships as
           out/MlfTools/en-US/MlfTools.dll-Help.xml; then Build runs.
    Package runs Build, checks out/MlfTools/MlfTools.psd1 with Test-ModuleManifest, then writes the PowerShell
           Gallery package out/MlfTools.<version>.nupkg (tools/ModulePackage: nuspec from the manifest and
           CHANGELOG.md, packed by NuGet through dotnet pack). Publish it with
           Publish-PSResource -NupkgPath out/MlfTools.<version>.nupkg -Repository PSGallery -ApiKey <key>
    Clean  removes out/ and every bin/ and obj/ folder under src/, tests/ and tools/.

    Any failing step stops the script with an error (and a non-zero exit code when the script
    runs through 'pwsh -File' or 'powershell -File').

.PARAMETER Task
    What to do: Build (the default), Test, Demo, Docs, Package or Clean.

.PARAMETER Configuration
    The build configuration passed to dotnet as -c: Release (the default) or Debug.

.PARAMETER ArchivePath
    For Demo: the MLF archives to show (wildcards allowed).

.EXAMPLE
    ./build.ps1

    Builds the solution in Release and lays out the module in out/MlfTools/.

.EXAMPLE
    ./build.ps1 -Task Test

    Builds, runs the xunit tests, then the Pester tests against out/MlfTools/.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Demo

    On a machine with only the .NET SDK: installs the pinned PowerShell, builds, and shows the sample archives.

.EXAMPLE
    ./build.ps1 -Task Demo -ArchivePath build/*.tar

    The same for your own archives.

.EXAMPLE
    ./build.ps1 -Task Test -Configuration Debug

    The same with a Debug build.

.EXAMPLE
    ./build.ps1 -Task Docs

    Regenerates module/en-US/MlfTools.dll-Help.xml from docs/*.md and rebuilds.

.EXAMPLE
    ./build.ps1 -Task Package

    Builds and writes out/MlfTools.<version>.nupkg.

.EXAMPLE
    ./build.ps1 -Task Clean

    Removes out/ and all bin/ and obj/ folders under src/ and tests/.

.NOTES
    On Windows a module that is imported into a PowerShell session keeps its assemblies locked:
    run Build and Clean from a session that has not imported out/MlfTools (Test itself never
    imports it).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Docs', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [string] $ArchivePath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$repositoryRoot = $PSScriptRoot
$solution = Join-Path $repositoryRoot 'MlfTools.sln'
$outputFolder = Join-Path $repositoryRoot 'out'
$testsFolder = Join-Path $repositoryRoot 'tests'
$docsFolder = Join-Path $repositoryRoot 'docs'
$toolsFolder = Join-Path $repositoryRoot 'tools'
$moduleFolder = Join-Path $outputFolder 'MlfTools'
# module/en-US/MlfTools.dll-Help.xml: checked in, shipped by every build.
$checkedInHelp = Join-Path (Join-Path (Join-Path $repositoryRoot 'module') 'en-US') 'MlfTools.dll-Help.xml'
$testResultsFolder = Join-Path $outputFolder 'test-results'
# Pinned: tools/PesterRestore restores exactly this version.
$pesterVersion = '5.7.1'

function Write-Step {
    param([string] $Message)
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Get-DotNetPath {
    $command = Get-Command -Name 'dotnet' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $command) {
        throw 'The .NET SDK (dotnet) is not on PATH. Install it from https://dot.net and run the build again.'
    }
    $command.Path
}

function Get-PowerShellPath {
    # The executable of the edition running this script: powershell.exe for 5.1, pwsh for 7. Under 'dotnet pwsh'
    # (the pinned .NET tool) the process is dotnet, and the pwsh executable sits in $PSHOME.
    $path = (Get-Process -Id $PID).Path
    if ($path -and ([System.IO.Path]::GetFileNameWithoutExtension($path) -match '^(pwsh|powershell)$')) {
        return $path
    }
    foreach ($name in @('pwsh', 'pwsh.exe', 'powershell.exe')) {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) {
            return $candidate
        }
    }
    $name = 'powershell'
    if ($PSVersionTable.PSEdition -eq 'Core') {
        $name = 'pwsh'
    }
    $command = Get-Command -Name $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $command) {
        throw "Cannot find the '$name' executable to run the Pester suite in a child process."
    }
    $command.Path
}

function Invoke-NativeCommand {
    param(
        [Parameter(Mandatory = $true)]
        [string] $FilePath,

        [Parameter(Mandatory = $true)]
        [string[]] $ArgumentList,

        [string] $DisplayArguments
    )
    if (-not $DisplayArguments) {
        $DisplayArguments = $ArgumentList -join ' '
    }
    Write-Host "> $([System.IO.Path]::GetFileName($FilePath)) $DisplayArguments" -ForegroundColor DarkGray
    # Windows PowerShell turns a native command's stderr lines into error records when its output is
    # redirected (as in CI); with 'Stop' the first warning on stderr would end the build. The exit code
    # decides instead.
    $ErrorActionPreference = 'Continue'
    & $FilePath @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "'$([System.IO.Path]::GetFileName($FilePath)) $DisplayArguments' failed with exit code $LASTEXITCODE."
    }
}

function ConvertTo-QuotedLiteral {
    param([string] $Text)
    "'" + $Text.Replace("'", "''") + "'"
}

function Invoke-BuildTask {
    Write-Step "Build ($Configuration)"
    Invoke-NativeCommand -FilePath (Get-DotNetPath) -ArgumentList @('build', $solution, '-c', $Configuration)
    Write-Host "Module laid out in $(Join-Path $outputFolder 'MlfTools')"
}

function Get-PesterModulePath {
    # Pester 5.7.1 comes from NuGet through tools/PesterRestore (the package's tools/ folder is the module), so no
    # machine needs the PowerShell Gallery.
    $project = Join-Path (Join-Path $toolsFolder 'PesterRestore') 'PesterRestore.csproj'
    Invoke-NativeCommand -FilePath (Get-DotNetPath) -ArgumentList @('restore', $project)
    $manifest = Join-Path $toolsFolder "PesterRestore/packages/pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        throw "The restore of Pester $pesterVersion did not give '$manifest'."
    }
    $manifest
}

function Invoke-ChildPowerShell {
    # Runs a script in a child process of the same PowerShell edition, so the built assemblies are never loaded
    # (and, on Windows, locked) in the session that called this script.
    param([string] $Script, [string] $Description)
    $encoded = [System.Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
    Invoke-NativeCommand -FilePath (Get-PowerShellPath) `
        -ArgumentList @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-OutputFormat', 'Text', '-EncodedCommand', $encoded) `
        -DisplayArguments "-NoProfile -NonInteractive -ExecutionPolicy Bypass -OutputFormat Text -EncodedCommand <$Description>"
}

function Invoke-XunitSuite {
    # Returns the counts of the TRX file that dotnet test writes; a failing test does not stop the script, so the
    # Pester suite still runs and the totals cover both.
    $resultsFolder = Join-Path $testResultsFolder 'xunit'
    if (Test-Path -LiteralPath $resultsFolder) {
        Remove-Item -LiteralPath $resultsFolder -Recurse -Force
    }
    Write-Step "dotnet test ($Configuration)"
    try {
        Invoke-NativeCommand -FilePath (Get-DotNetPath) -ArgumentList @('test', $solution, '-c', $Configuration, '--no-build',
            '--logger', 'trx', '--results-directory', $resultsFolder)
    }
    catch {
        Write-Warning $_.Exception.Message
    }
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $trxFiles = @(Get-ChildItem -LiteralPath $resultsFolder -Filter '*.trx' -File -ErrorAction SilentlyContinue)
    if ($trxFiles.Count -eq 0) {
        Write-Warning 'dotnet test wrote no TRX file: counted as one failure.'
        $counts.Failed = 1
    }
    foreach ($trx in $trxFiles) {
        $counters = ([xml](Get-Content -LiteralPath $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $counts.Passed += [int]$counters.passed
        $counts.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $counts.Skipped += [int]$counters.notExecuted
    }
    $counts
}

function Invoke-PesterSuite {
    $pesterModule = Get-PesterModulePath
    $countsFile = Join-Path $testResultsFolder 'pester-counts.json'
    if (Test-Path -LiteralPath $countsFile) {
        Remove-Item -LiteralPath $countsFile -Force
    }
    Write-Step "Pester $pesterVersion (tests/*.Tests.ps1) in a child process"
    $childScript = @"
`$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $(ConvertTo-QuotedLiteral $repositoryRoot)
Import-Module -Name $(ConvertTo-QuotedLiteral $pesterModule) -Force
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = $(ConvertTo-QuotedLiteral $testsFolder)
`$configuration.Run.PassThru = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$result = Invoke-Pester -Configuration `$configuration
[ordered]@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount; Skipped = `$result.SkippedCount } |
    ConvertTo-Json | Set-Content -LiteralPath $(ConvertTo-QuotedLiteral $countsFile)
"@
    try {
        Invoke-ChildPowerShell -Script $childScript -Description 'Invoke-Pester on tests'
    }
    catch {
        Write-Warning $_.Exception.Message
    }
    if (-not (Test-Path -LiteralPath $countsFile -PathType Leaf)) {
        Write-Warning 'The Pester run ended without its counts: counted as one failure.'
        return [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    $counts = Get-Content -LiteralPath $countsFile -Raw | ConvertFrom-Json
    [ordered]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; Skipped = [int]$counts.Skipped }
}

function Invoke-TestTask {
    Invoke-BuildTask
    $null = New-Item -ItemType Directory -Path $testResultsFolder -Force
    $xunit = Invoke-XunitSuite
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
    $pester = Invoke-PesterSuite
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    if ($passed + $failed -eq 0) {
        Write-Warning 'No test ran: counted as one failure.'
        $failed = 1
    }
    # The totals line CI reads: last line of the output.
    $totals = "$passed passed, $failed failed"
    if ($skipped -gt 0) {
        $totals += ", $skipped skipped"
    }
    Write-Output $totals
    if ($failed -gt 0) {
        exit 1
    }
}

function Resolve-DemoArchives {
    if ($ArchivePath) {
        return @(Resolve-Path -Path $ArchivePath -ErrorAction Stop | ForEach-Object { $_.ProviderPath })
    }
    $samples = $env:MLFTOOLS_SAMPLES
    if (-not $samples) {
        $samples = Join-Path (Split-Path -Parent $repositoryRoot) (Join-Path 'shared' 'mlf-samples')
    }
    $archives = @(Get-ChildItem -Path (Join-Path $samples '*') -Include '*.tar', '*.tgz', '*.tar.gz' -File -ErrorAction SilentlyContinue |
        ForEach-Object FullName)
    if ($archives.Count -eq 0) {
        throw "Demo needs MLF archives: give -ArchivePath build/*.tar (a file, folder or wildcard), set MLFTOOLS_SAMPLES, or put the samples in '$samples'."
    }
    $archives
}

function Invoke-DemoTask {
    $archives = Resolve-DemoArchives
    Invoke-BuildTask
    Write-Step "Demo: Import-Module out/MlfTools and look inside $($archives.Count) archive(s)"
    $archiveList = ($archives | ForEach-Object { ConvertTo-QuotedLiteral $_ }) -join ', '
    $demoScript = @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name $(ConvertTo-QuotedLiteral $moduleFolder) -Force
`$archives = @($archiveList)
function Show([string] `$Command, [scriptblock] `$Block) {
    Write-Host ''
    Write-Host "PS> `$Command" -ForegroundColor Yellow
    # Wide enough for the memory report's budget columns whatever the console's width.
    & `$Block | Out-String -Width 160 | Write-Host
}
Show 'Get-Command -Module MlfTools' { Get-Command -Module MlfTools | Format-Table Name, Version -AutoSize }
Show '`$modules = `$archives | New-MlfModule' { `$script:modules = @(`$archives | New-MlfModule); `$script:modules }
Show '`$modules[0] | Format-List' { `$script:modules[0] | Format-List }
Show '`$modules[0].Files | Group-Object Kind' { `$script:modules[0].Files | Group-Object Kind | Format-Table Count, Name -AutoSize }
Show '`$archives | Test-MlfArchive' { `$archives | Test-MlfArchive }
Show '`$modules | Get-MlfMemoryReport -Total' { `$script:modules | Get-MlfMemoryReport -Total }
`$joined = Join-Path ([System.IO.Path]::GetTempPath()) ('mlftools-demo-{0}.tar' -f [guid]::NewGuid().ToString('N').Substring(0, 8))
try {
    Show '`$archives | New-MlfModule -NameFromFile | Join-MlfArchive joined.tar -RuntimeFrom <the newest runtime>' {
        `$named = @(`$archives | New-MlfModule -NameFromFile -ErrorAction SilentlyContinue)
        `$newest = `$named | Where-Object HasRuntime | Sort-Object { if (`$_.RuntimeVersion -match '^(\d+)\.(\d+)') { [version]"`$(`$Matches[1]).`$(`$Matches[2])" } else { [version]'0.0' } } | Select-Object -Last 1
        `$join = @{ DestinationPath = `$joined }
        if (`$newest) { `$join.RuntimeFrom = `$newest.Name }
        `$named | Join-MlfArchive @join -WarningAction SilentlyContinue
        New-MlfModule -Path `$joined
    }
}
catch {
    Write-Host "The join was refused: `$(`$_.Exception.Message)" -ForegroundColor DarkYellow
}
finally {
    if (Test-Path -LiteralPath `$joined) { Remove-Item -LiteralPath `$joined -Force }
}
exit 0
"@
    Invoke-ChildPowerShell -Script $demoScript -Description 'the demo'
}

function Invoke-DocsTask {
    Write-Step 'Docs: tools/MamlHelp from docs/'
    $project = Join-Path (Join-Path $toolsFolder 'MamlHelp') 'MamlHelp.csproj'
    Invoke-NativeCommand -FilePath (Get-DotNetPath) -ArgumentList @('run', '-c', $Configuration, '--project', $project, '--', $docsFolder, $checkedInHelp)
    Write-Host "Help written to $checkedInHelp"
    Invoke-BuildTask
}

function Invoke-PackageTask {
    Invoke-BuildTask
    Write-Step 'Test-ModuleManifest'
    $manifest = Test-ModuleManifest -Path (Join-Path $moduleFolder 'MlfTools.psd1')
    Write-Host "MlfTools $($manifest.Version): $(@($manifest.ExportedCmdlets.Keys) -join ', ')"
    Write-Step 'Package (tools/ModulePackage)'
    $project = Join-Path (Join-Path $toolsFolder 'ModulePackage') 'ModulePackage.csproj'
    Invoke-NativeCommand -FilePath (Get-DotNetPath) -ArgumentList @('run', '-c', $Configuration, '--project', $project, '--',
        $moduleFolder, (Join-Path $repositoryRoot 'CHANGELOG.md'), $outputFolder)
}

function Invoke-CleanTask {
    Write-Step 'Clean'
    $targets = New-Object System.Collections.Generic.List[string]
    $targets.Add($outputFolder)
    foreach ($folder in @('src', 'tests', 'tools')) {
        $root = Join-Path $repositoryRoot $folder
        if (-not (Test-Path -LiteralPath $root -PathType Container)) {
            continue
        }
        Get-ChildItem -LiteralPath $root -Directory -Recurse -Force |
            Where-Object { $_.Name -eq 'bin' -or $_.Name -eq 'obj' } |
            ForEach-Object { $targets.Add($_.FullName) }
    }
    # A parent sorts before everything under it, so nested bin/obj folders are already gone when reached.
    foreach ($target in @($targets | Sort-Object)) {
        if (Test-Path -LiteralPath $target) {
            Write-Host "Removing $target"
            Remove-Item -LiteralPath $target -Recurse -Force
        }
    }
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Test' { Invoke-TestTask }
    'Demo' { Invoke-DemoTask }
    'Docs' { Invoke-DocsTask }
    'Package' { Invoke-PackageTask }
    'Clean' { Invoke-CleanTask }
}
