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
           tests/*.Tests.ps1 against the built module. Pester runs in a child process of the
           same PowerShell edition, so the built assemblies are never loaded (and locked) in the
           session that called this script. Without Pester 5.1 or later the Pester suite is
           skipped with a warning; install it with
           Install-Module Pester -MinimumVersion 5.1.0 -Scope CurrentUser -SkipPublisherCheck
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
    What to do: Build (the default), Test, Docs, Package or Clean.

.PARAMETER Configuration
    The build configuration passed to dotnet as -c: Release (the default) or Debug.

.EXAMPLE
    ./build.ps1

    Builds the solution in Release and lays out the module in out/MlfTools/.

.EXAMPLE
    ./build.ps1 -Task Test

    Builds, runs the xunit tests, then the Pester tests against out/MlfTools/.

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
    [ValidateSet('Build', 'Test', 'Docs', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
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
# BeforeDiscovery and It -ForEach, which the suite uses, arrived in Pester 5.1.
$minimumPesterVersion = [version]'5.1.0'

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
    # The executable of the edition running this script: powershell.exe for 5.1, pwsh for 7.
    $path = (Get-Process -Id $PID).Path
    if ($path -and ([System.IO.Path]::GetFileNameWithoutExtension($path) -match '^(pwsh|powershell)$')) {
        return $path
    }
    # Hosted elsewhere (an editor, a custom host): fall back to the edition's usual executable.
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
    & $FilePath @ArgumentList
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

function Invoke-PesterSuite {
    $pester = Get-Module -ListAvailable -Name 'Pester' |
        Where-Object { $_.Version -ge $minimumPesterVersion } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if ($null -eq $pester) {
        Write-Warning ("SKIPPED: the Pester suite (tests/*.Tests.ps1) did not run because Pester $minimumPesterVersion or later is missing. " +
            "Install it with: Install-Module Pester -MinimumVersion $minimumPesterVersion -Scope CurrentUser -SkipPublisherCheck")
        return
    }

    Write-Step "Pester $($pester.Version) (tests/*.Tests.ps1) in a child process"
    # New-PesterConfiguration arrived in 5.2; [PesterConfiguration]::Default is the same object in 5.1.
    $childScript = @"
`$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $(ConvertTo-QuotedLiteral $repositoryRoot)
Import-Module -Name $(ConvertTo-QuotedLiteral $pester.Path) -Force
if (Get-Command -Name New-PesterConfiguration -ErrorAction SilentlyContinue) {
    `$configuration = New-PesterConfiguration
}
else {
    `$configuration = [PesterConfiguration]::Default
}
`$configuration.Run.Path = $(ConvertTo-QuotedLiteral $testsFolder)
`$configuration.Run.PassThru = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$result = Invoke-Pester -Configuration `$configuration
if (`$null -eq `$result -or `$result.Result -ne 'Passed') {
    exit 1
}
exit 0
"@
    $encoded = [System.Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($childScript))
    Invoke-NativeCommand -FilePath (Get-PowerShellPath) `
        -ArgumentList @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', $encoded) `
        -DisplayArguments '-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand <Invoke-Pester on tests>'
}

function Invoke-TestTask {
    Invoke-BuildTask
    Write-Step "dotnet test ($Configuration)"
    Invoke-NativeCommand -FilePath (Get-DotNetPath) -ArgumentList @('test', $solution, '-c', $Configuration, '--no-build')
    Invoke-PesterSuite
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
    'Docs' { Invoke-DocsTask }
    'Package' { Invoke-PackageTask }
    'Clean' { Invoke-CleanTask }
}
