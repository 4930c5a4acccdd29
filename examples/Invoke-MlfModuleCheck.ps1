<#
.SYNOPSIS
    Checks one model's MLF archive, writes its memory report as CSV and JSON, and puts the archive and the report
    into one folder, ready to publish as the model's artifact.

.DESCRIPTION
    The per-model step of examples/azure-pipelines.yml, one job per model (a matrix), before a dependent job joins
    the models and gates the firmware with examples/Invoke-MlfFirmwareGate.ps1. It runs the same outside Azure
    DevOps. The script

      1. reads the archive as one module named after its file (New-MlfModule -NameFromFile: kws.tar becomes kws;
         a file name that gives no valid module name stops the script with an InvalidModuleName error),
      2. checks it (Test-MlfArchive), shows every finding, and stops when any finding is an Error, writing nothing,
      3. copies the archive into <DestinationFolder> under its own file name (the gate names the module after it
         again) and writes the module's memory report (Get-MlfMemoryReport -Total) to
         <DestinationFolder>/<module>.memory-report.csv and .json, byte counts as plain numbers.

    Every error stops the script ($ErrorActionPreference = 'Stop'), so a CI task that runs it fails. With
    -LogIssues, and only inside Azure DevOps (where $env:TF_BUILD is set), each Error finding is also written as a
    ##vso[task.logissue type=error] line, which the pipeline summary lists as an error.

.PARAMETER Path
    The model's archive (.tar, .tar.gz, .tgz), one file; taken literally (no wildcards).

.PARAMETER DestinationFolder
    Where the archive copy and the report files go; created when missing.

.PARAMETER ModulePath
    The MlfTools module to import: a name (the default, MlfTools, as installed from the PowerShell Gallery) or the
    path of a module folder or manifest, such as out/MlfTools after ./build.ps1.

.PARAMETER LogIssues
    Also write Azure DevOps ##vso[task.logissue] lines for Error findings when running in Azure DevOps.

.EXAMPLE
    ./examples/Invoke-MlfModuleCheck.ps1 -Path build/kws.tar -DestinationFolder out/model-kws

    Checks build/kws.tar and writes out/model-kws/kws.tar, kws.memory-report.csv and kws.memory-report.json.

.EXAMPLE
    foreach ($model in Get-ChildItem build/*.tar) { ./examples/Invoke-MlfModuleCheck.ps1 -Path $model.FullName -DestinationFolder "out/model-$($model.BaseName)" }
    ./examples/Invoke-MlfFirmwareGate.ps1 -Path 'out/model-*/*.tar' -DestinationFolder out/firmware -RamBudget 256KB -FlashBudget 1MB

    What the pipeline does, on one machine: every model checked into a folder of its own, then the firmware gated.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $Path,

    [Parameter(Mandatory = $true)]
    [string] $DestinationFolder,

    [ValidateNotNullOrEmpty()]
    [string] $ModulePath = 'MlfTools',

    [switch] $LogIssues
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

. (Join-Path $PSScriptRoot 'AzureDevOpsIssue.ps1')

Import-Module -Name $ModulePath -Force

# 1. The archive as one module, named after its file.
$archive = Get-Item -LiteralPath $Path
$module = New-MlfModule -LiteralPath $archive.FullName -NameFromFile
Write-Host "Checking $($archive.Name) as module $($module.Name)"

# 2. The check: an Error finding stops the script before anything is written.
$findings = @($module | Test-MlfArchive)
if ($findings.Count -gt 0) {
    Write-Host ($findings | Format-Table -Property Severity, Id, Message -Wrap | Out-String -Width 200)
}
$errorFindings = @($findings | Where-Object Severity -EQ 'Error')
if ($errorFindings.Count -gt 0) {
    foreach ($finding in $errorFindings) {
        Write-AzureDevOpsIssue -Message "$($archive.Name): $($finding.Id): $($finding.Message)" -Enabled:$LogIssues
    }
    throw "$($archive.Name) has $($errorFindings.Count) Error finding(s): $(@($errorFindings | ForEach-Object { $_.Id }) -join ', ')."
}

# 3. The archive and its report, side by side, for the artifact.
$null = New-Item -Path $DestinationFolder -ItemType Directory -Force
Copy-Item -LiteralPath $archive.FullName -Destination (Join-Path $DestinationFolder $archive.Name) -Force
$reports = @($module | Get-MlfMemoryReport -Total)
$flatColumns = @('Module', 'Archive', 'Executor', 'DeviceType', 'Device', 'WeightsIn', 'ArenaBytes', 'RamBytes', 'FlashBytes', 'CodeBytes', 'ReadOnlyDataBytes',
    'DataBytes', 'ZeroInitBytes', 'WorkspaceBytes', 'ConstantsBytes', 'IoBytes', 'InputBytes', 'OutputBytes', 'SidsBytes',
    'ParametersBytes', 'ParameterCount', 'GraphStorageBytes', 'IsTotal', 'UsedPercent', 'Status')
$csv = Join-Path $DestinationFolder "$($module.Name).memory-report.csv"
$json = Join-Path $DestinationFolder "$($module.Name).memory-report.json"
$reports | Select-Object -Property $flatColumns | Export-Csv -LiteralPath $csv -NoTypeInformation -Encoding UTF8
ConvertTo-Json -InputObject $reports -Depth 5 | Set-Content -LiteralPath $json -Encoding UTF8
Write-Host "Memory report written to $csv and $json"
Write-Host ($reports | Format-Table | Out-String -Width 200)
Write-Host "$($module.Name) is ready to publish from $DestinationFolder."
