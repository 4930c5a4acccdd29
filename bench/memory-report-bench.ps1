<#
.SYNOPSIS
    Benchmark: what Get-MlfMemoryReport costs. Two tables, each against a baseline timed in the same run:
    1. Without -Compiler, per real sample: the report against reading the archive alone (New-MlfModule). The report
       reads more than the reader for some modules: the C sources of AOT and link-params builds (their constant
       arrays), the C header and the Relay text of AOT builds without I/O sizes in metadata.
    2. With -Compiler (gcc on the host, arm-none-eabi-gcc for Cortex-M7): the report without it, with it, and with
       -Total too, which also compiles the archive's C runtime once. A module's sources are compiled in parallel (one
       compiler process per source, up to one per logical processor), and so are the runtime's.

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/memory-report-bench.ps1 -Repetitions 5

    Needs a built module (out/MlfTools), ../shared/mlf-samples, gcc and, for the Arm row, arm-none-eabi-gcc.
    -ModulePath measures another build (e.g. of an older commit), to compare its ratios.
    Not a test: nothing in MlfTools.sln or CI runs it.
#>
[CmdletBinding()]
param(
    [int] $Repetitions = 5,
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

$reading = foreach ($file in Get-ChildItem -LiteralPath $SamplesFolder -Filter '*.tar' | Sort-Object Name) {
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
'Without -Compiler: the report against reading the archive'
$reading | Format-Table -AutoSize | Out-String -Width 200

$cases = @(
    @{ Sample = 'v6-aot-kws.tar'; Compiler = 'gcc'; Arguments = @('-Os') }
    @{ Sample = 'v7-aot-crt-mlp.tar'; Compiler = 'arm-none-eabi-gcc'; Arguments = @('-mcpu=cortex-m7', '-mthumb', '-Os', '-D__int64_t_defined=1') }
)
$compiling = foreach ($case in $cases) {
    $path = Join-Path $SamplesFolder $case.Sample
    if (-not (Get-Command $case.Compiler -ErrorAction SilentlyContinue)) {
        Write-Warning "$($case.Compiler) is not on PATH: $($case.Sample) skipped."
        continue
    }
    $plain = Measure-Median { Get-MlfMemoryReport -LiteralPath $path }
    $compiled = Measure-Median { Get-MlfMemoryReport -LiteralPath $path -Compiler $case.Compiler -CompilerArgument $case.Arguments }
    $total = Measure-Median { Get-MlfMemoryReport -LiteralPath $path -Total -Compiler $case.Compiler -CompilerArgument $case.Arguments }
    $reports = @(Get-MlfMemoryReport -LiteralPath $path -Total -Compiler $case.Compiler -CompilerArgument $case.Arguments)
    [pscustomobject]@{
        Sample             = $case.Sample
        Compiler           = "$($case.Compiler) $($case.Arguments -join ' ')"
        Sources            = @((New-MlfModule -LiteralPath $path).Files | Where-Object Kind -EQ 'source').Count
        'Plain ms'         = [Math]::Round($plain)
        'Compiler ms'      = [Math]::Round($compiled)
        'Ratio'            = '{0:0.0}x' -f ($compiled / $plain)
        '-Total ms'        = [Math]::Round($total)
        'Runtime extra ms' = [Math]::Round($total - $compiled)
        CodeBytes          = $reports[0].CodeBytes
        RuntimeCodeBytes   = @($reports | Where-Object Module -EQ '(runtime)' | ForEach-Object CodeBytes) -join ', '
    }
}
'With -Compiler: the report without it, with it, and with -Total (the C runtime compiled too)'
$compiling | Format-Table -AutoSize | Out-String -Width 250
"Module: $((Get-Module MlfTools).ModuleBase). Median of $Repetitions runs each, after one warm-up run; $([Environment]::ProcessorCount) logical processors."
