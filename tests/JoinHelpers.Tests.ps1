#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Join-MlfArchive -IncludeHelpers as a user meets it, against the BUILT module (out/MlfTools; run ./build.ps1 first),
# on the real sample archives. Where ../shared/mlf-samples is absent the tests are skipped.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    $makeMissing = -not (Get-Command make -ErrorAction Ignore) -or -not (Get-Command gcc -ErrorAction Ignore)
}

Describe 'Join-MlfArchive -IncludeHelpers' -Skip:(-not $samplesPresent) {
    BeforeAll {
        $null = Import-BuiltModule
        $mlp = New-MlfModule -Path (Join-Path $samplesRoot 'v7-aot-crt-mlp.tar') -Name mlp
        $wand = New-MlfModule -Path (Join-Path $samplesRoot 'v7-graph-magicwand.tar') -Name wand
    }
    AfterAll { Remove-BuiltModule }

    It 'is a switch that adds helpers/ and leaves the default join without it' {
        (Get-Command Join-MlfArchive).Parameters['IncludeHelpers'].SwitchParameter | Should -BeTrue
        $plain = Join-Path $TestDrive 'plain.tar'
        $helped = Join-Path $TestDrive 'helped.tar'
        $mlp, $wand | Join-MlfArchive -DestinationPath $plain -RuntimeFrom mlp -WarningAction SilentlyContinue
        $mlp, $wand | Join-MlfArchive -DestinationPath $helped -RuntimeFrom mlp -IncludeHelpers -WarningAction SilentlyContinue
        (tar -tf $plain) -match '^(\./)?helpers/' | Should -BeNullOrEmpty
        $helpers = (tar -tf $helped) -match '^(\./)?helpers/' -replace '^(\./)?helpers/', ''
        $helpers | Should -Contain 'mlf_models.h'
        $helpers | Should -Contain 'Makefile'
        $helpers | Should -Contain 'mlf_wand_data.c'
        # The joined archive still reads as its two modules.
        (New-MlfModule -Path $helped).Name | Should -Be @('mlp', 'wand')
    }

    It 'builds and runs every model with make, printing one line per model' -Skip:$makeMissing {
        $archive = Join-Path $TestDrive 'run.tar'
        $mlp, $wand | Join-MlfArchive -DestinationPath $archive -RuntimeFrom mlp -IncludeHelpers -WarningAction SilentlyContinue
        $tree = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'run')
        tar -xf $archive -C $tree
        # mlp's Arm DSP intrinsics come from the tests' C stand-in off Arm; wand is plain C.
        $acle = Join-Path $PSScriptRoot 'MlfTools.Tests/Resources/OriginalRuns/acle'
        make -s -C (Join-Path $tree 'helpers') CC=gcc "CPPFLAGS=-I$acle" 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        $lines = & (Join-Path $tree 'helpers/build/example') 2>$null
        $LASTEXITCODE | Should -Be 0
        $lines | Should -HaveCount 2
        $lines[0] | Should -Match '^mlp rc=0 hash=[0-9a-f]{16}$'
        $lines[1] | Should -Match '^wand rc=0 hash=[0-9a-f]{16}$'
    }

    It 'is refused with HelpersUnsupported, naming the remedy, when the archive would carry no C runtime' {
        $sine = New-MlfModule -Path (Join-Path $samplesRoot 'v5-aot-sine.tar') -Name sine
        $destination = Join-Path $TestDrive 'refused.tar'
        $failure = { $sine | Join-MlfArchive -DestinationPath $destination -IncludeHelpers } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'HelpersUnsupported,*'
        $failure.Exception.Message | Should -Match '-RuntimeFrom'
        Test-Path -LiteralPath $destination | Should -BeFalse
    }
}
