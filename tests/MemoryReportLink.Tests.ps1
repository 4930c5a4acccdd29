#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Get-MlfMemoryReport -Link as a user meets it, against the BUILT module (out/MlfTools; run ./build.ps1 first), on
# the real sample archives with this machine's gcc. Where ../shared/mlf-samples is absent the tests are skipped.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    $gccMissing = -not (Get-Command gcc -ErrorAction Ignore)
}

Describe 'Get-MlfMemoryReport -Link' -Skip:(-not $samplesPresent) {
    BeforeAll {
        $null = Import-BuiltModule
        $kws = Join-Path $samplesRoot 'v6-aot-kws.tar'
        $sine = Join-Path $samplesRoot 'v5-aot-sine.tar'
        $yesno = Join-Path $samplesRoot 'v4-graph-yesno.tar'
        # The first error a command gives, terminating or not.
        function Get-FirstError([scriptblock] $Command) {
            $errors = @()
            try { $errors = @(& $Command 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) }
            catch { $errors = @($_) }
            Get-ErrorRecord $errors[0]
        }
    }
    AfterAll { Remove-BuiltModule }

    It 'refuses <Why>' -ForEach @(
        @{ Why = '-Link without -Compiler'; Arguments = @{ Link = $true } }
        @{ Why = '-Link with -ByFunction'; Arguments = @{ Link = $true; ByFunction = $true; Compiler = 'gcc' } }
        @{ Why = '-LinkerArgument without -Link'; Arguments = @{ LinkerArgument = '-T', 'board.ld'; Compiler = 'gcc' } }
        @{ Why = '-RuntimeFrom without -Link'; Arguments = @{ RuntimeFrom = 'kws' } }
    ) {
        $record = Get-FirstError { Get-MlfMemoryReport -LiteralPath $kws @Arguments }
        $record.FullyQualifiedErrorId | Should -Match '^ConflictingParameters,'
        $record.Exception.Message | Should -Match ([regex]::Escape(($Why -split ' ')[0]))
    }

    It 'tab-completes -RuntimeFrom with the modules of -Path' {
        $line = "Get-MlfMemoryReport -Path '$kws' -Link -RuntimeFrom "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'default'
    }

    It 'gives each model as linked, the firmware''s other parts and the image as the total' -Skip:$gccMissing {
        $reports = Get-MlfMemoryReport -LiteralPath $kws, $sine, $yesno -Link -Compiler gcc -CompilerArgument '-O2' -WarningVariable warnings -WarningAction SilentlyContinue
        $reports.Module | Should -Be @('default', 'default', 'default', '(runtime)', '(helpers)', '(C library)', '(other)', '(total)')
        $models = $reports | Where-Object { -not $_.IsFirmwarePart -and -not $_.IsTotal }
        $parts = $reports | Where-Object IsFirmwarePart
        $total = $reports | Where-Object IsTotal
        $models | ForEach-Object { $_.CodeBytes | Should -BeGreaterThan 0 }
        # The image is exactly its parts: every kept byte belongs to one row.
        ($models + $parts | Measure-Object FlashBytes -Sum).Sum | Should -Be $total.FlashBytes
        $total.StackBytes | Should -BeGreaterThan 0
        $total.RamBytes | Should -Be ($total.DataBytes + $total.ZeroInitBytes + $total.StackBytes)
        # A graph model's RAM holds its arena; an AOT model's its inputs and outputs too.
        $reports[2].RamBytes | Should -BeGreaterOrEqual $reports[2].ArenaBytes
        $reports[0].RamBytes | Should -Be ($reports[0].DataBytes + $reports[0].ZeroInitBytes + $reports[0].InputBytes + $reports[0].OutputBytes)
        $warnings.Message -join "`n" | Should -Match "measured with 'default' of '.*v5-aot-sine.tar' as 'default_2'"
    }

    It 'gates the firmware on RAM and flash' -Skip:$gccMissing {
        $record = Get-FirstError { Get-MlfMemoryReport -LiteralPath $kws -Link -Compiler gcc -FlashBudget 1KB -WarningAction SilentlyContinue }
        $record.FullyQualifiedErrorId | Should -Match '^MemoryBudgetExceeded,'
    }

    It 'takes a file -LinkerArgument names against the current location' -Skip:$gccMissing {
        $board = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'board')
        Set-Content -LiteralPath (Join-Path $board 'board_support.c') -Value 'int board_support_marker = 42;'
        Push-Location $board
        try {
            $reports = Get-MlfMemoryReport -LiteralPath $kws -Link -Compiler gcc -LinkerArgument '-nostartfiles', '-Wl,--entry=main', 'board_support.c' -WarningAction SilentlyContinue -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally {
            Pop-Location
        }
        $failures | Should -BeNullOrEmpty
        ($reports | Where-Object IsTotal).FlashBytes | Should -BeGreaterThan 0
    }

    It 'says what the linker could not find and how to give it' -Skip:$gccMissing {
        $record = Get-FirstError { Get-MlfMemoryReport -LiteralPath $kws -Link -Compiler gcc -LinkerArgument '-Wl,--no-such-option' -WarningAction SilentlyContinue }
        $record.FullyQualifiedErrorId | Should -Match '^CompilerFailed,'
        $record.Exception.Message | Should -Match 'could not link the measured firmware'
        $record.Exception.Message | Should -Match 'LinkerArgument'
    }
}
