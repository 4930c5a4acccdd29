#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Runs examples/Invoke-MlfFirmwareGate.ps1 as a CI task would, against the BUILT module (out/MlfTools; run
# ./build.ps1 first), on real sample archives copied under the names people give their builds (aww-v2.tar,
# Magic Wand.tar). The copies go into $TestDrive, never into the repository. Where ../shared/mlf-samples is absent
# the tests are skipped.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'examples/Invoke-MlfFirmwareGate.ps1' {
    BeforeAll {
        $manifest = Join-Path $PSScriptRoot '../out/MlfTools/MlfTools.psd1'
        if (-not (Test-Path -LiteralPath $manifest)) {
            throw "The built module '$manifest' is missing. Build it first: ./build.ps1"
        }
        $manifest = (Resolve-Path -LiteralPath $manifest).Path
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $gate = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../examples/Invoke-MlfFirmwareGate.ps1')).Path

        function New-ModelFolder {
            # A new folder holding copies of the samples under the given names (sample file => new name).
            param([Parameter(Mandatory = $true)] [System.Collections.IDictionary] $Copies)
            $folder = New-TestFolder -Name models
            foreach ($sample in @($Copies.Keys)) {
                Copy-Item -LiteralPath (Join-Path $samplesRoot $sample) -Destination (Join-Path $folder $Copies[$sample])
            }
            $folder
        }

        function Invoke-Gate {
            # Runs the gate script in a child scope with its host output captured; returns Output (the lines written),
            # Error (what stopped it, or $null) and Destination (its -DestinationFolder).
            param([Parameter(Mandatory = $true)] [string] $Models, [hashtable] $Budgets = @{})
            $destination = Join-Path (New-TestFolder -Name gate) 'out'
            $thrown = $null
            $output = @()
            try {
                $output = @(& $gate -Path (Join-Path $Models '*.tar') -DestinationFolder $destination -ModulePath $manifest @Budgets 6>&1 | ForEach-Object { "$_" })
            }
            catch {
                $thrown = $_
            }
            [pscustomobject]@{ Output = $output; Error = $thrown; Destination = $destination }
        }
    }

    AfterAll {
        Remove-Module -Name MlfTools -Force -ErrorAction SilentlyContinue
    }

    It 'joins aww-v2.tar and ''Magic Wand.tar'' as modules aww_v2 and magic_wand and writes the report' -Skip:(-not $samplesPresent) {
        $models = New-ModelFolder -Copies @{ 'v7-aot-muriscvnn-aww.tar' = 'aww-v2.tar'; 'v7-graph-magicwand.tar' = 'Magic Wand.tar' }

        $run = Invoke-Gate -Models $models -Budgets @{ WorkspaceBudget = 256KB }

        $run.Error | Should -BeNullOrEmpty
        $joined = Join-Path $run.Destination 'firmware-models.tar'
        @(New-MlfModule -LiteralPath $joined | ForEach-Object Name | Sort-Object) | Should -Be @('aww_v2', 'magic_wand')
        $rows = @(Import-Csv -LiteralPath (Join-Path $run.Destination 'memory-report.csv'))
        @($rows | ForEach-Object Module | Sort-Object) | Should -Be @('(total)', 'aww_v2', 'magic_wand')
        ($rows | Where-Object Module -EQ 'magic_wand').WorkspaceBytes | Should -Be '28128'
        $run.Output | Should -Contain 'Every model fits its memory budgets.'
        ($run.Output -join "`n") | Should -Match 'Joined 2 model\(s\) into .*: aww_v2, magic_wand'
    }

    It 'fails on a budget the total exceeds, after writing the report files' -Skip:(-not $samplesPresent) {
        $models = New-ModelFolder -Copies @{ 'v7-aot-muriscvnn-aww.tar' = 'aww-v2.tar'; 'v7-graph-magicwand.tar' = 'Magic Wand.tar' }

        # aww needs 16000 bytes of workspace and magicwand 28128, 44128 together: 32 KiB (given as a string, as an
        # Azure DevOps parameter or a CSV cell would give it) passes each, not the total.
        $run = Invoke-Gate -Models $models -Budgets @{ WorkspaceBudget = '32 KiB' }

        $run.Error | Should -Not -BeNullOrEmpty
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'MemoryBudgetExceeded*'
        $run.Error.TargetObject.Module | Should -Be '(total)'
        $run.Error.Exception.Message | Should -BeLike '*32768 bytes*'
        Test-Path -LiteralPath (Join-Path $run.Destination 'memory-report.csv') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $run.Destination 'memory-report.json') | Should -BeTrue
    }

    It 'fails a RAM gate on a model whose RAM no file gives, after writing the report files, unless -AllowUnknown' -Skip:(-not $samplesPresent) {
        # sine without its C header and its Relay text: an AOT model whose input and output sizes no file gives.
        $models = New-TestFolder -Name models
        $work = New-TestFolder -Name headerless
        Copy-Item -LiteralPath (Join-Path $samplesRoot 'v5-aot-sine.tar') -Destination (Join-Path $work 'sine.tar')
        Invoke-Tar -ArgumentList '-xf', 'sine.tar' -WorkingFolder $work | Out-Null
        Remove-Item -LiteralPath (Join-Path $work 'sine.tar'), (Join-Path $work 'codegen/host/include'), (Join-Path $work 'src/relay.txt') -Recurse -Force
        Invoke-Tar -ArgumentList '-cf', (Join-Path $models 'sine.tar'), '.' -WorkingFolder $work | Out-Null

        $run = Invoke-Gate -Models $models -Budgets @{ RamBudget = 512KB; FlashBudget = 1MB }

        $run.Error | Should -Not -BeNullOrEmpty
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'MemoryFigureUnknown*'
        Test-Path -LiteralPath (Join-Path $run.Destination 'memory-report.csv') | Should -BeTrue
        $run.Error.Exception.Message | Should -BeLike '*cannot be checked*'

        $allowed = Invoke-Gate -Models $models -Budgets @{ RamBudget = 512KB; FlashBudget = 1MB; AllowUnknown = $true }
        $allowed.Error | Should -BeNullOrEmpty
        $allowed.Output | Should -Contain 'Every model fits its memory budgets.'
    }

    It 'takes -CompilerArgument as one string of flags, as pwsh -File passes them' -Skip:(-not ($samplesPresent -and (Get-Command gcc -CommandType Application -ErrorAction SilentlyContinue))) {
        $models = New-ModelFolder -Copies @{ 'v6-aot-kws.tar' = 'kws.tar' }

        $run = Invoke-Gate -Models $models -Budgets @{ RamBudget = 1MB; Compiler = 'gcc'; CompilerArgument = '-Os,-DMLF_GATE=1 -fno-common' }

        $run.Error | Should -BeNullOrEmpty
        $rows = @(Import-Csv -LiteralPath (Join-Path $run.Destination 'memory-report.csv'))
        [long]($rows | Where-Object Module -EQ 'kws').CodeBytes | Should -BeGreaterThan 0
    }

    It 'stops on a file name that gives no valid module name, saying how to fix it, and joins nothing' -Skip:(-not $samplesPresent) {
        $models = New-ModelFolder -Copies @{ 'v7-aot-muriscvnn-aww.tar' = 'aww-v2.tar'; 'v7-graph-magicwand.tar' = '2024-wand.tar' }

        $run = Invoke-Gate -Models $models

        $run.Error | Should -Not -BeNullOrEmpty
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'InvalidModuleName*'
        $run.Error.Exception.Message | Should -BeLike "*'2024-wand.tar' gives '2024_wand'*Rename the file*"
        Test-Path -LiteralPath (Join-Path $run.Destination 'firmware-models.tar') | Should -BeFalse
    }
}
