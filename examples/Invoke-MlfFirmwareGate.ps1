<#
.SYNOPSIS
    Joins per-model MLF archives into one firmware archive, writes its memory report as CSV and JSON, and fails when
    a model, or all of them together, needs more memory than the budgets allow.

.DESCRIPTION
    A CI step for firmware that carries several models compiled separately by microTVM, each as its own Model Library
    Format archive (kws.tar, vww.tar, ...). Each archive gives one module, named after its file by
    New-MlfModule -NameFromFile (kws.tar becomes module kws, aww-v2.tar module aww_v2, Person-Detect.tgz module
    person_detect; a file name that gives no valid module name, such as 2024-kws.tar, stops the script with an
    InvalidModuleName error that says how to fix it). The script

      1. joins the modules into <DestinationFolder>/<ArchiveName> (Join-MlfArchive; an existing file is replaced),
      2. reports the memory of every module and their total per device (Get-MlfMemoryReport -Total) and writes it
         to <DestinationFolder>/memory-report.csv and memory-report.json, byte counts as plain numbers,
      3. shows the report as a table (Used% and an OVER mark on each figure over its budget), then, if any budget is
         exceeded or cannot be checked (a figure no file gives, such as the RAM of a TVM 0.8 AOT model without a C
         header), prints every violation and stops with the first MemoryBudgetExceeded or MemoryFigureUnknown error.
    Gate on RAM and flash (-RamBudget, -FlashBudget, with -Compiler for the code): they are what a device has.

    Every error stops the script ($ErrorActionPreference = 'Stop'), so a CI task that runs it fails. The report files
    are written before the budget check, so they can be published and inspected when the gate fails.

    With -LogIssues, and only inside Azure DevOps (where $env:TF_BUILD is set), each violation is also written as a
    ##vso[task.logissue type=error] line, which the pipeline summary lists as an error. The cmdlets themselves know
    nothing of Azure DevOps.

.PARAMETER Path
    The per-model archives (.tar, .tar.gz, .tgz); wildcards are expanded.

.PARAMETER DestinationFolder
    Where the joined archive and the report files go; created when missing.

.PARAMETER ArchiveName
    The joined archive's file name: .tar (the default, firmware-models.tar) or .tar.gz/.tgz.

.PARAMETER RamBudget
    The most RAM any module or the whole firmware (the total) may need, written as for WorkspaceBudget (512KB,
    '512 KiB'). Not checked when omitted.

.PARAMETER FlashBudget
    The most flash any module or the total may need, written as for WorkspaceBudget (1MB, '1 MiB'). Without
    -Compiler, flash counts the weights only. Not checked when omitted.

.PARAMETER Compiler
    A C compiler (arm-none-eabi-gcc, gcc) that compiles each model's C sources to measure its code size; RAM and flash
    then include the code and its data. The joined archive's C runtime is compiled too, and counted once in the total.

.PARAMETER CompilerArgument
    Flags for -Compiler, such as '-mcpu=cortex-m7', '-mthumb', '-Os' (Debian's arm-none-eabi-gcc also needs
    '-D__int64_t_defined=1' for the C runtime). 'pwsh -File' passes '-mcpu=cortex-m7,-mthumb' or
    '-mcpu=cortex-m7 -mthumb' as one string: it is split at commas and blanks (a -Wl, -Wa or -Wp flag keeps its commas).
.PARAMETER AllowUnknown
    Lets a budgeted figure that cannot be known pass; its known part is still checked. Without it, such a figure
    fails the gate.

.PARAMETER WorkspaceBudget
    The largest workspace any module or the total may need: bytes (262144) or a size with a unit, as a number or a
    string (256KB, '256KiB', '1.5MB'; KB = KiB = 1024 bytes). Not checked when omitted.

.PARAMETER ConstantsBudget
    The largest constants size, written as for WorkspaceBudget. Not checked when omitted.

.PARAMETER IoBudget
    The largest TVM io_size_bytes (IoBytes), written as for WorkspaceBudget: TVM's own figure, not the model's
    inputs plus outputs, and not what a firmware allocates (gate on -RamBudget instead). Not checked when omitted.

.PARAMETER ModulePath
    The MlfTools module to import: a name (the default, MlfTools, as installed from the PowerShell Gallery) or the
    path of a module folder or manifest, such as out/MlfTools after ./build.ps1.

.PARAMETER LogIssues
    Also write Azure DevOps ##vso[task.logissue] lines for budget violations when running in Azure DevOps.

.EXAMPLE
    ./examples/Invoke-MlfFirmwareGate.ps1 -Path build/*.tar -DestinationFolder out/firmware -RamBudget 256KB -FlashBudget 1MB

    Joins build/kws.tar, build/vww.tar, ... into out/firmware/firmware-models.tar and fails when a model or the
    total needs more than 256 KiB of RAM or 1 MiB of flash (without -Compiler, flash counts the weights only).

.EXAMPLE
    pwsh -File ./examples/Invoke-MlfFirmwareGate.ps1 -Path 'models/*.tar' -DestinationFolder out -RamBudget 256KB -FlashBudget 1MB -Compiler arm-none-eabi-gcc -CompilerArgument '-mcpu=cortex-m4,-mthumb,-Os,-D__int64_t_defined=1'

    The same with the code measured for a Cortex-M4, the flags given as one string as a CI task passes them.

.EXAMPLE
    ./examples/Invoke-MlfFirmwareGate.ps1 -Path models/*.tar -DestinationFolder $env:BUILD_ARTIFACTSTAGINGDIRECTORY -ModulePath out/MlfTools -RamBudget 262144 -FlashBudget 1048576 -LogIssues

    As an Azure DevOps step (see examples/azure-pipelines.yml), with violations also listed in the run summary.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string[]] $Path,

    [Parameter(Mandatory = $true)]
    [string] $DestinationFolder,

    [ValidateNotNullOrEmpty()]
    [string] $ArchiveName = 'firmware-models.tar',

    # Sizes pass unchanged to Get-MlfMemoryReport, which takes bytes or a size with a unit, number or string.
    [object] $RamBudget,

    [object] $FlashBudget,

    [string] $Compiler,

    [string[]] $CompilerArgument,

    [object] $WorkspaceBudget,

    [object] $ConstantsBudget,

    [object] $IoBudget,

    [switch] $AllowUnknown,

    [ValidateNotNullOrEmpty()]
    [string] $ModulePath = 'MlfTools',

    [switch] $LogIssues
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

. (Join-Path $PSScriptRoot 'AzureDevOpsIssue.ps1')

Import-Module -Name $ModulePath -Force

$null = New-Item -Path $DestinationFolder -ItemType Directory -Force
$destination = Join-Path $DestinationFolder $ArchiveName

# 1. One module per archive, named after its file, joined into one archive.
$archives = @(Get-ChildItem -Path $Path -File | Sort-Object -Property Name)
if ($archives.Count -eq 0) {
    throw "No archive matches '$($Path -join "', '")'. Build the models first, or fix -Path."
}
$modules = @($archives | New-MlfModule -NameFromFile)
$joined = $modules | Join-MlfArchive -DestinationPath $destination -Force -PassThru
Write-Host "Joined $($modules.Count) model(s) into $($joined.FullName): $(@($modules | ForEach-Object { $_.Name }) -join ', ')"

# 2. The report, written before any budget can stop the script.
$budgets = @{}
foreach ($budget in @('RamBudget', 'FlashBudget', 'WorkspaceBudget', 'ConstantsBudget', 'IoBudget', 'Compiler', 'AllowUnknown')) {
    if ($PSBoundParameters.ContainsKey($budget)) {
        $budgets[$budget] = $PSBoundParameters[$budget]
    }
}
if ($PSBoundParameters.ContainsKey('CompilerArgument')) {
    # 'pwsh -File' gives '-mcpu=cortex-m4,-mthumb' as one string; -Wl,... (linker, assembler, preprocessor) keeps its commas.
    $budgets['CompilerArgument'] = @($CompilerArgument | ForEach-Object { $_ -split '\s+' } |
        ForEach-Object { if ($_ -match '^-W[alp],') { $_ } else { $_ -split ',' } } | Where-Object { $_ })
}
$reportErrors = @()
$reports = @(Get-MlfMemoryReport -LiteralPath $joined.FullName -Total @budgets -ErrorAction SilentlyContinue -ErrorVariable reportErrors)
# A budget exceeded, or one that cannot be checked, fails the gate after the report files are written.
$gateIds = 'MemoryBudgetExceeded', 'MemoryFigureUnknown'
$overBudget = @($reportErrors | Where-Object { $gateIds -contains ($_.FullyQualifiedErrorId -split ',')[0] })
$otherErrors = @($reportErrors | Where-Object { $gateIds -notcontains ($_.FullyQualifiedErrorId -split ',')[0] })
if ($otherErrors.Count -gt 0) {
    $PSCmdlet.ThrowTerminatingError($otherErrors[0])
}

$flatColumns = @('Module', 'Archive', 'Executor', 'DeviceType', 'Device', 'WeightsIn', 'ArenaBytes', 'RamBytes', 'FlashBytes', 'CodeBytes', 'ReadOnlyDataBytes',
    'DataBytes', 'ZeroInitBytes', 'WorkspaceBytes', 'ConstantsBytes', 'IoBytes', 'InputBytes', 'OutputBytes', 'SidsBytes',
    'ParametersBytes', 'ParameterCount', 'GraphStorageBytes', 'IsTotal', 'UsedPercent', 'Status')
$csv = Join-Path $DestinationFolder 'memory-report.csv'
$json = Join-Path $DestinationFolder 'memory-report.json'
$reports | Select-Object -Property $flatColumns | Export-Csv -LiteralPath $csv -NoTypeInformation -Encoding UTF8
ConvertTo-Json -InputObject $reports -Depth 5 | Set-Content -LiteralPath $json -Encoding UTF8
Write-Host "Memory report written to $csv and $json"
Write-Host ($reports | Format-Table | Out-String -Width 200)

# 3. The gate.
if ($overBudget.Count -gt 0) {
    foreach ($violation in $overBudget) {
        Write-Host "Over budget: $($violation.Exception.Message)"
        Write-AzureDevOpsIssue -Message $violation.Exception.Message -Enabled:$LogIssues
    }
    $PSCmdlet.ThrowTerminatingError($overBudget[0])
}
Write-Host 'Every model fits its memory budgets.'
