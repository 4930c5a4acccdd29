<#
.SYNOPSIS
    What Get-MlfMemoryReport -Link costs next to building the same firmware with make: four real models (three AOT,
    one graph executor) for a Cortex-M4 with arm-none-eabi-gcc, in one PowerShell process (module loaded and warm).
.DESCRIPTION
    Each run measures the firmware with -Link (join with the helper sources, compile every source in parallel, link
    with --gc-sections, read the map), then builds the same sources with the helpers' Makefile, `make -j<cores>`,
    from a clean build folder, with the same compiler, flags, --gc-sections and newlib's nosys.specs; alternating.
    Prints the medians and the ratio. Not a test: nothing in the suite runs it.
.EXAMPLE
    dotnet pwsh bench/link-bench.ps1 -Runs 5
#>
param(
    [int] $Runs = 5,
    [string] $Samples = (Join-Path $PSScriptRoot '../../shared/mlf-samples'),
    [string] $Compiler = 'arm-none-eabi-gcc'
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../out/MlfTools/MlfTools.psd1')).Path
$names = [ordered]@{ kws = 'v6-aot-kws.tar'; mlp = 'v7-aot-crt-mlp.tar'; sine = 'v5-aot-sine.tar'; wand = 'v7-graph-magicwand.tar' }
$modules = foreach ($name in $names.Keys) { New-MlfModule -LiteralPath (Join-Path $Samples $names[$name]) -Name $name }
$flags = '-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16', '-O2', '--specs=nano.specs'
$work = Join-Path ([System.IO.Path]::GetTempPath()) ("mlftools-link-bench-" + [guid]::NewGuid().ToString('n'))
New-Item -ItemType Directory -Path $work | Out-Null

function Median([double[]] $values) { ($values | Sort-Object)[[int][Math]::Floor($values.Count / 2)] }
function Time([scriptblock] $block) { $sw = [Diagnostics.Stopwatch]::StartNew(); & $block | Out-Null; $sw.Elapsed.TotalMilliseconds }

try {
    $modules | Join-MlfArchive -DestinationPath (Join-Path $work 'firmware.tar') -RuntimeFrom mlp -IncludeHelpers -WarningAction SilentlyContinue
    $tree = Join-Path $work 'tree'
    New-Item -ItemType Directory -Path $tree | Out-Null
    tar -xf (Join-Path $work 'firmware.tar') -C $tree
    $helpers = Join-Path $tree 'helpers'
    $cores = [Environment]::ProcessorCount
    $cflags = ($flags + '-ffunction-sections', '-fdata-sections') -join ' '
    $make = { make -s -C $helpers "-j$cores" "CC=$Compiler" "CFLAGS=$cflags" 'LDFLAGS=--specs=nosys.specs -Wl,--gc-sections' 2>&1 }
    $link = { $modules | Get-MlfMemoryReport -Link -Compiler $Compiler -CompilerArgument $flags -RuntimeFrom mlp -WarningAction SilentlyContinue }

    & $link | Out-Null # warm: the JIT, the compiler's files in the page cache
    & $make | Out-Null
    $linked = @(); $made = @()
    for ($i = 0; $i -lt $Runs; $i++) {
        $linked += Time $link
        Remove-Item -LiteralPath (Join-Path $helpers 'build') -Recurse -Force
        $made += Time $make
    }
    $l = Median $linked; $m = Median $made
    '| what (4 models, {0}, {1} cores) | ms (median of {2}) | ratio |' -f $Compiler, $cores, $Runs
    '|---|---:|---|'
    '| make -j{0} of the helpers'' example | {1:0} | |' -f $cores, $m
    '| Get-MlfMemoryReport -Link | {0:0} | {1:0.00} x make |' -f $l, ($l / $m)
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force
}
