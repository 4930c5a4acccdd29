<#
.SYNOPSIS
    Benchmark: what Get-MlfMemoryReport (without -Compiler) costs over reading the archive. For each real sample,
    times New-MlfModule alone (the baseline: reading the archive) and Get-MlfMemoryReport on the same file, in the same
    process, and prints the medians and their ratio. The report reads more than the reader for some modules: the C
    sources of AOT and link-params builds (their constant arrays), the C header and the Relay text of AOT builds
    without I/O sizes in metadata.

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/memory-report-read-bench.ps1 -Repetitions 21

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/memory-report-read-bench.ps1 -ModulePath ../old/out/MlfTools/MlfTools.psd1

    The same measurement with another build of the module (e.g. an older commit), to compare the ratios.
    Needs a built module and ../shared/mlf-samples. Not a test: nothing in MlfTools.sln or CI runs it.
#>
[CmdletBinding()]
param(
    [int] $Repetitions = 21,
    [string] $SamplesFolder = (Join-Path $PSScriptRoot '../../shared/mlf-samples'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/MlfTools/MlfTools.psd1')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Measure-Median {
    param([scriptblock] $Action)
    $null = & $Action # warm-up: caches, JIT
    $times = foreach ($i in 1..$Repetitions) { (Measure-Command { $null = & $Action }).TotalMilliseconds }
    $sorted = @($times | Sort-Object)
    $sorted[[int][Math]::Floor($sorted.Count / 2)]
}

$rows = foreach ($file in Get-ChildItem -LiteralPath $SamplesFolder -Filter '*.tar' | Sort-Object Name) {
    $path = $file.FullName
    $read = Measure-Median { New-MlfModule -LiteralPath $path }
    $report = Measure-Median { Get-MlfMemoryReport -LiteralPath $path }
    [pscustomobject]@{
        Sample      = $file.Name
        KiB         = [Math]::Round($file.Length / 1KB)
        'Read ms'   = [Math]::Round($read, 1)
        'Report ms' = [Math]::Round($report, 1)
        'Ratio'     = '{0:0.00}x' -f ($report / $read)
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 200
"Module: $((Get-Module MlfTools).ModuleBase). Median of $Repetitions runs each, after one warm-up run; $([Environment]::ProcessorCount) logical processors."
