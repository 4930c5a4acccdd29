<#
.SYNOPSIS
    What -IncludeHelpers adds to a join: the eight sample archives joined with and without it, in one PowerShell
    process (module loaded and warm), and what building the example costs next to the join.
.DESCRIPTION
    Each run joins the samples (renamed, the C runtime of v7-aot-crt-mlp kept) into a temporary file, once plain and
    once with -IncludeHelpers, alternating; prints the medians and the ratio. With -Make it also extracts the helped
    archive and times `make -j<cores> CC=gcc` of the example (the models that build on a PC), for scale. Not a test:
    nothing in the suite runs it.
.EXAMPLE
    dotnet pwsh bench/helpers-bench.ps1 -Runs 9 -Make
#>
param(
    [int] $Runs = 7,
    [switch] $Make,
    [string] $Samples = (Join-Path $PSScriptRoot '../../shared/mlf-samples')
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../out/MlfTools/MlfTools.psd1')).Path
$names = [ordered]@{ kwsone = 'v2-graph-kws-onefile.tar'; yesno = 'v4-graph-yesno.tar'; sine = 'v5-aot-sine.tar'; conv = 'v5-graph-llvm-conv1d.tar'
    kws = 'v6-aot-kws.tar'; mlp = 'v7-aot-crt-mlp.tar'; aww = 'v7-aot-muriscvnn-aww.tar'; wand = 'v7-graph-magicwand.tar' }
$modules = foreach ($name in $names.Keys) { New-MlfModule -LiteralPath (Join-Path $Samples $names[$name]) -Name $name }
$work = Join-Path ([System.IO.Path]::GetTempPath()) ("mlftools-helpers-bench-" + [guid]::NewGuid().ToString('n'))
New-Item -ItemType Directory -Path $work | Out-Null

function Median([double[]] $values) { ($values | Sort-Object)[[int][Math]::Floor($values.Count / 2)] }
function Time([scriptblock] $block) { $sw = [Diagnostics.Stopwatch]::StartNew(); & $block | Out-Null; $sw.Elapsed.TotalMilliseconds }

try {
    # One of each first, so neither pays the JIT.
    $modules | Join-MlfArchive -DestinationPath (Join-Path $work 'warm.tar') -RuntimeFrom mlp -WarningAction SilentlyContinue
    $modules | Join-MlfArchive -DestinationPath (Join-Path $work 'warm-helped.tar') -RuntimeFrom mlp -IncludeHelpers -WarningAction SilentlyContinue
    $plain = @(); $helped = @()
    for ($i = 0; $i -lt $Runs; $i++) {
        $plain += Time { $modules | Join-MlfArchive -DestinationPath (Join-Path $work 'plain.tar') -RuntimeFrom mlp -Force -WarningAction SilentlyContinue }
        $helped += Time { $modules | Join-MlfArchive -DestinationPath (Join-Path $work 'helped.tar') -RuntimeFrom mlp -IncludeHelpers -Force -WarningAction SilentlyContinue }
    }
    $p = Median $plain; $h = Median $helped
    '| what | ms (median of {0}) | ratio |' -f $Runs
    '|---|---:|---|'
    '| join of the 8 samples | {0:0} | |' -f $p
    '| the same with -IncludeHelpers | {0:0} | {1:0.00} x the join |' -f $h, ($h / $p)
    if ($Make) {
        $tree = Join-Path $work 'tree'
        New-Item -ItemType Directory -Path $tree | Out-Null
        tar -xf (Join-Path $work 'helped.tar') -C $tree
        $acle = Join-Path $PSScriptRoot '../tests/MlfTools.Tests/Resources/OriginalRuns/acle'
        $cores = [Environment]::ProcessorCount
        $m = Time { make -s -C (Join-Path $tree 'helpers') "-j$cores" CC=gcc "CPPFLAGS=-I$acle" 'MODELS=kwsone yesno sine kws mlp wand' 2>&1 }
        '| make -j{0} of the example (6 models, the C runtime) | {1:0} | {2:0.0} x the join with helpers |' -f $cores, $m, ($m / $h)
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force
}
