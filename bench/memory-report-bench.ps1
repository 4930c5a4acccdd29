<#
.SYNOPSIS
    Benchmark: what -Compiler adds to Get-MlfMemoryReport. Times the report of real sample archives without
    -Compiler and with it (gcc on the host, arm-none-eabi-gcc for Cortex-M7), in the same run, and prints the
    medians, their ratio and the extra milliseconds. The sources of a module are compiled in parallel (one compiler
    process per source, up to one per logical processor).

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/memory-report-bench.ps1 -Repetitions 5

    Needs the built module (out/MlfTools), ../shared/mlf-samples, gcc and, for the Arm row, arm-none-eabi-gcc.
    Not a test: nothing in MlfTools.sln or CI runs it.
#>
[CmdletBinding()]
param(
    [int] $Repetitions = 5,
    [string] $SamplesFolder = (Join-Path $PSScriptRoot '../../shared/mlf-samples')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../out/MlfTools/MlfTools.psd1') -Force

function Measure-Median {
    param([scriptblock] $Action)
    $null = & $Action # warm-up: caches, JIT
    $times = foreach ($i in 1..$Repetitions) { (Measure-Command { $null = & $Action }).TotalMilliseconds }
    $sorted = @($times | Sort-Object)
    $sorted[[int][Math]::Floor($sorted.Count / 2)]
}

$cases = @(
    @{ Sample = 'v6-aot-kws.tar'; Compiler = 'gcc'; Arguments = @('-Os') }
    @{ Sample = 'v7-aot-crt-mlp.tar'; Compiler = 'arm-none-eabi-gcc'; Arguments = @('-mcpu=cortex-m7', '-mthumb', '-Os') }
)
$rows = foreach ($case in $cases) {
    $path = Join-Path $SamplesFolder $case.Sample
    if (-not (Get-Command $case.Compiler -ErrorAction SilentlyContinue)) {
        Write-Warning "$($case.Compiler) is not on PATH: $($case.Sample) skipped."
        continue
    }
    $plain = Measure-Median { Get-MlfMemoryReport -LiteralPath $path }
    $compiled = Measure-Median { Get-MlfMemoryReport -LiteralPath $path -Compiler $case.Compiler -CompilerArgument $case.Arguments }
    $report = Get-MlfMemoryReport -LiteralPath $path -Compiler $case.Compiler -CompilerArgument $case.Arguments
    [pscustomobject]@{
        Sample           = $case.Sample
        Compiler         = "$($case.Compiler) $($case.Arguments -join ' ')"
        Sources          = @((New-MlfModule -LiteralPath $path).Files | Where-Object Kind -EQ 'source').Count
        'Plain ms'       = [Math]::Round($plain)
        'Compiler ms'    = [Math]::Round($compiled)
        'Ratio'          = '{0:0.0}x' -f ($compiled / $plain)
        'Extra ms'       = [Math]::Round($compiled - $plain)
        CodeBytes        = $report.CodeBytes
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 200
"Median of $Repetitions runs each, after one warm-up run; $([Environment]::ProcessorCount) logical processors."
