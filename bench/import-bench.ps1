<#
.SYNOPSIS
    Times Import-Module MlfTools and the first memory report in fresh PowerShell processes, against the same
    report run again in that process (everything loaded and compiled) and a process that only starts.
.DESCRIPTION
    Each run starts a new PowerShell (the one running this script) that imports the built module (out/MlfTools),
    reports one sample archive, then reports it again; a baseline run starts PowerShell and exits. Prints the median
    of each figure over -Runs runs and the ratios. Not a test: nothing in the suite runs it.
.EXAMPLE
    dotnet pwsh bench/import-bench.ps1 -Runs 9
.EXAMPLE
    dotnet pwsh bench/import-bench.ps1 -Runs 15 -Module ../mlftools-before/out/MlfTools/MlfTools.psd1
#>
param(
    [int] $Runs = 7,
    [string] $Archive = (Join-Path $PSScriptRoot '../../shared/mlf-samples/v6-aot-kws.tar'),
    # Another build's manifest, to compare (e.g. a worktree of an older commit, built).
    [string] $Module = (Join-Path $PSScriptRoot '../out/MlfTools/MlfTools.psd1')
)
$ErrorActionPreference = 'Stop'
$module = (Resolve-Path -LiteralPath $Module).Path
$archive = (Resolve-Path -LiteralPath $Archive).Path
$executable = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
$prefix = @(if ([System.IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })

$child = @"
`$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$module'
`$import = `$sw.Elapsed.TotalMilliseconds
`$null = Get-MlfMemoryReport -LiteralPath '$archive'
`$first = `$sw.Elapsed.TotalMilliseconds - `$import
`$sw.Restart()
`$null = Get-MlfMemoryReport -LiteralPath '$archive'
'{0} {1} {2}' -f `$import, `$first, `$sw.Elapsed.TotalMilliseconds
"@

function Median([double[]] $values) { ($values | Sort-Object)[[int][Math]::Floor($values.Count / 2)] }

$imports = @(); $firsts = @(); $warms = @(); $starts = @()
for ($i = 0; $i -lt $Runs; $i++) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & $executable @prefix -NoProfile -NonInteractive -Command 'exit' | Out-Null
    $starts += $sw.Elapsed.TotalMilliseconds
    $figures = (& $executable @prefix -NoProfile -NonInteractive -Command $child) -split ' '
    $imports += [double]$figures[0]; $firsts += [double]$figures[1]; $warms += [double]$figures[2]
}
$import = Median $imports; $first = Median $firsts; $warm = Median $warms; $start = Median $starts
'PowerShell start and exit (baseline)   {0,7:N0} ms' -f $start
'Import-Module MlfTools                  {0,7:N0} ms  ({1:N2} x the start)' -f $import, ($import / $start)
'first Get-MlfMemoryReport              {0,7:N0} ms  ({1:N1} x the same report warm)' -f $first, ($first / $warm)
'the same report again (warm)           {0,7:N0} ms' -f $warm
'import + first report                  {0,7:N0} ms' -f ($import + $first)
