#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Join-MlfArchive of the BUILT module (out/MlfTools; run ./build.ps1 first): the switches and options that shape the
# written archive: -WhatIf and -Force, gzip output, -Layout PerModule, -ExcludePath, -Timestamp and reproducible bytes.
# Tests that need the real archives in ../shared/mlf-samples are skipped where that folder is absent; the others write
# small archives into $TestDrive. Where a tar executable is on PATH the joined archives are also listed with it.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    Write-SamplesMissingWarning -Skipped 'join real MLF archives'
}

Describe 'Join-MlfArchive' {
    BeforeAll {
        $manifest = Import-BuiltModule
        $commandName = 'MlfTools.Commands.JoinMlfArchiveCommand'
        $sine = Join-Path $samplesRoot 'v5-aot-sine.tar'
        $magicwand = Join-Path $samplesRoot 'v7-graph-magicwand.tar'
        $mlp = Join-Path $samplesRoot 'v7-aot-crt-mlp.tar'
    }

    AfterAll {
        Remove-BuiltModule
    }

    Context '-WhatIf and -Force' {
        BeforeAll {
            $inputs = New-TestFolder -Name inputs
            $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'one.tar') -Name one)
            $two = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'two.tar') -Name two)
        }

        It 'writes nothing, not even the missing folder, and emits nothing under -WhatIf' {
            $folder = New-TestFolder
            $out = Join-Path (Join-Path $folder 'not-yet') 'joined.tar'
            $ev = $null

            $output = @($one, $two | Join-MlfArchive -DestinationPath $out -PassThru -WhatIf -ErrorVariable ev)

            $output.Count | Should -Be 0
            @($ev).Count | Should -Be 0
            Test-Path -LiteralPath (Join-Path $folder 'not-yet') | Should -BeFalse
            Get-FolderSnapshot -Folder $folder | Should -Be ''
        }

        It 'still runs the symbol check under -WhatIf: a collision is SymbolCollision and nothing is written' {
            $folder = New-TestFolder
            $a = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'collide-a.tar') -Name ca -Entries @{ './codegen/host/src/ca_lib1.c' = "int shared_lookup(void) { return 1; }`n" }
            $b = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'collide-b.tar') -Name cb -Entries @{ './codegen/host/src/cb_lib1.c' = "int shared_lookup(void) { return 2; }`n" }
            $out = Join-Path $folder 'joined.tar'

            $thrown = $null
            try { $a, $b | Join-MlfArchive -DestinationPath $out -WhatIf } catch { $thrown = $_ }

            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -Be "SymbolCollision,$commandName"
            Get-FolderSnapshot -Folder $folder | Should -Be ''
        }

        It 'runs every check before it prints What if: <Case> gives <Id> and no What if line' -ForEach @(
            @{ Case = 'a symbol both modules define'; Id = 'SymbolCollision'; Arrange = {
                    $a = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'order-a.tar') -Name oa -Entries @{ './codegen/host/src/oa_lib1.c' = "int shared_lookup(void) { return 1; }`n" }
                    $b = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'order-b.tar') -Name ob -Entries @{ './codegen/host/src/ob_lib1.c' = "int shared_lookup(void) { return 2; }`n" }
                    @(New-MlfModule -LiteralPath $a, $b)
                }
            }
            @{ Case = 'two modules called default'; Id = 'DuplicateModuleName'; Arrange = {
                    $a = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'dup-a.tar')
                    $b = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'dup-b.tar')
                    @(New-MlfModule -LiteralPath $a, $b)
                }
            }
            @{ Case = 'an extra file that differs at one path'; Id = 'PathConflict'; Arrange = {
                    $a = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'extra-a.tar') -Name ea -Entries @{ './samples/readme.txt' = "one`n" }
                    $b = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'extra-b.tar') -Name eb -Entries @{ './samples/readme.txt' = "two`n" }
                    @(New-MlfModule -LiteralPath $a, $b)
                }
            }
        ) {
            $modules = & $Arrange
            $folder = New-TestFolder
            $out = Join-Path $folder 'joined.tar'
            $transcript = Join-Path (New-TestFolder -Name transcript) 'host.txt'

            $thrown = $null
            $null = Start-Transcript -LiteralPath $transcript
            try { $modules | Join-MlfArchive -DestinationPath $out -WhatIf } catch { $thrown = $_ }
            finally { $null = Stop-Transcript }

            $thrown.FullyQualifiedErrorId | Should -Be "$Id,$commandName"
            Get-Content -LiteralPath $transcript -Raw | Should -Not -Match 'What if:'
            Get-FolderSnapshot -Folder $folder | Should -Be ''
        }

        It 'prints What if: for a join that passes every check (the transcript shows host output)' {
            $folder = New-TestFolder
            $out = Join-Path $folder 'joined.tar'
            $transcript = Join-Path (New-TestFolder -Name transcript) 'host.txt'

            $null = Start-Transcript -LiteralPath $transcript
            try { $one, $two | Join-MlfArchive -DestinationPath $out -WhatIf }
            finally { $null = Stop-Transcript }

            Get-Content -LiteralPath $transcript -Raw | Should -Match 'What if: .*Create MLF archive \(version 7, Flat layout\) of 2 module\(s\): one, two'
            Get-FolderSnapshot -Folder $folder | Should -Be ''
        }

        It 'runs the checks before -Confirm would ask, so a failing join asks nothing' {
            $a = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'confirm-a.tar') -Name qa -Entries @{ './codegen/host/src/qa_lib1.c' = "int shared_confirm(void) { return 1; }`n" }
            $b = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'confirm-b.tar') -Name qb -Entries @{ './codegen/host/src/qb_lib1.c' = "int shared_confirm(void) { return 2; }`n" }
            $folder = New-TestFolder

            # Without the checks first, -Confirm would prompt, which fails in a non-interactive host instead.
            { New-MlfModule -LiteralPath $a, $b | Join-MlfArchive -DestinationPath (Join-Path $folder 'joined.tar') -Confirm } |
                Should -Throw -ErrorId "SymbolCollision,$commandName"
            Get-FolderSnapshot -Folder $folder | Should -Be ''
        }

        It 'leaves an existing file alone under -WhatIf -Force' {
            $folder = New-TestFolder
            $out = Join-Path $folder 'joined.tar'
            Set-Content -LiteralPath $out -Value 'an archive written earlier'
            $before = Get-FolderSnapshot -Folder $folder

            $one, $two | Join-MlfArchive -DestinationPath $out -Force -WhatIf

            Get-FolderSnapshot -Folder $folder | Should -Be $before
        }

        It 'replaces an existing file with -Force, through a temporary file that is gone afterwards' {
            $folder = New-TestFolder
            $out = Join-Path $folder 'joined.tar'
            Set-Content -LiteralPath $out -Value 'an archive written earlier'

            $one, $two | Join-MlfArchive -DestinationPath $out -Force

            @(New-MlfModule -Path $out | ForEach-Object Name | Sort-Object) | Should -Be @('one', 'two')
            (@(Get-ChildItem -LiteralPath $folder -Force | ForEach-Object Name) -join ',') | Should -Be 'joined.tar'
        }

        It 'refuses an existing file without -Force and leaves it untouched' {
            $folder = New-TestFolder
            $out = Join-Path $folder 'joined.tar'
            Set-Content -LiteralPath $out -Value 'an archive written earlier'
            $before = Get-FolderSnapshot -Folder $folder

            { $one, $two | Join-MlfArchive -DestinationPath $out } | Should -Throw -ErrorId "DestinationExists,$commandName"

            Get-FolderSnapshot -Folder $folder | Should -Be $before
            (Get-Content -LiteralPath $out) | Should -Be 'an archive written earlier'
        }
    }

    Context 'gzip output' {
        BeforeAll {
            $inputs = New-TestFolder -Name inputs
            $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'one.tar') -Name one)
            $two = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'two.tar') -Name two)
        }

        It 'writes <_> as gzip (1F 8B) that New-MlfModule reads back' -ForEach @('joined.tgz', 'joined.tar.gz') {
            $out = Join-Path (New-TestFolder) $_

            $one, $two | Join-MlfArchive -DestinationPath $out

            $bytes = [System.IO.File]::ReadAllBytes($out)
            $bytes[0] | Should -Be 0x1F
            $bytes[1] | Should -Be 0x8B
            @(New-MlfModule -Path $out | ForEach-Object Name | Sort-Object) | Should -Be @('one', 'two')
        }

        It 'writes .tar uncompressed, starting with the member ./' {
            $out = Join-Path (New-TestFolder) 'joined.tar'

            $one, $two | Join-MlfArchive -DestinationPath $out

            $bytes = [System.IO.File]::ReadAllBytes($out)
            [System.Text.Encoding]::ASCII.GetString($bytes, 0, 2) | Should -Be './'
        }
    }

    Context '-Layout PerModule' {
        It 'puts each module in a folder of its own (kws/..., vww/...) beside a top-level metadata.json' -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'per-module.tar'
            $kws = New-MlfModule -Path $sine -Name kws
            $vww = New-MlfModule -Path $magicwand -Name vww

            $kws, $vww | Join-MlfArchive -DestinationPath $out -Layout PerModule

            $modules = @(New-MlfModule -Path $out)
            @($modules | ForEach-Object Name | Sort-Object) | Should -Be @('kws', 'vww')
            ($modules | Where-Object Name -EQ 'kws').Parameters.Path | Should -Be 'kws/parameters/kws.params'
            ($modules | Where-Object Name -EQ 'vww').GraphConfig.Path | Should -Be 'vww/executor-config/graph/vww.graph'
            foreach ($module in $modules) {
                $module.Files.Path | Should -Contain 'metadata.json'
                $module.Files.Path | Should -Contain "$($module.Name)/metadata.json"
                foreach ($file in @($module.Files | Where-Object Path -NE 'metadata.json')) {
                    $file.Path | Should -BeLike "$($module.Name)/*"
                }
            }

            if ($null -ne (Get-TarCommand)) {
                $members = @(Get-TarMember -Archive $out)
                $members | Should -Contain './metadata.json'
                $members | Should -Contain './kws/'
                $members | Should -Contain './kws/metadata.json'
                $members | Should -Contain './kws/codegen/host/src/kws_lib0.c'
                $members | Should -Contain './vww/executor-config/graph/vww.graph'
                $members | Should -Not -Contain './codegen/'
            }
        }
    }

    Context '-ExcludePath' {
        It "leaves out the extra files of v7-aot-crt-mlp.tar that match 'samples/*'" -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'joined.tar'
            $original = New-MlfModule -Path $mlp
            @($original.Files | Where-Object Path -Like 'samples/*').Count | Should -Be 2 -Because 'the sample ships samples/dummy_input.h and samples/expected_output.h'

            Join-MlfArchive -Path $mlp -DestinationPath $out -ExcludePath 'samples/*'

            $joined = New-MlfModule -Path $out
            @($joined.Files | Where-Object Path -Like 'samples/*').Count | Should -Be 0
            @($joined.Files | Where-Object Kind -EQ 'runtime').Count | Should -Be @($original.Files | Where-Object Kind -EQ 'runtime').Count
            $joined.Parameters.TotalBytes | Should -Be $original.Parameters.TotalBytes
        }

        It 'settles a PathConflict by leaving the differing extra files out' {
            $folder = New-TestFolder
            $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one -Entries @{ './samples/input.h' = "1`n" }
            $two = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'two.tar') -Name two -Entries @{ './samples/input.h' = "2`n" }
            $out = Join-Path $folder 'joined.tar'

            Join-MlfArchive -Path $one, $two -DestinationPath $out -ExcludePath 'samples/*'

            $modules = @(New-MlfModule -Path $out)
            @($modules | ForEach-Object Name | Sort-Object) | Should -Be @('one', 'two')
            foreach ($module in $modules) {
                @($module.Files | Where-Object Path -Like 'samples/*').Count | Should -Be 0
            }
        }

        It 'keeps a file of the MLF layout that a pattern matches, with a warning' {
            $folder = New-TestFolder
            $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one
            $out = Join-Path $folder 'joined.tar'
            $wv = $null

            Join-MlfArchive -Path $one -DestinationPath $out -ExcludePath 'codegen/*' -WarningVariable wv -WarningAction SilentlyContinue

            @($wv).Count | Should -Be 1
            $wv[0].Message | Should -BeLike "*codegen/host/src/one_lib0.c*"
            (New-MlfModule -Path $out).Files.Path | Should -Contain 'codegen/host/src/one_lib0.c'
        }
    }

    Context '-Timestamp and reproducible bytes' {
        BeforeAll {
            $inputs = New-TestFolder -Name inputs
            $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'one.tar') -Name one)
            $two = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'two.tar') -Name two)
            $utc = [datetime]::new(2024, 1, 2, 3, 4, 5, [System.DateTimeKind]::Utc)
            # 2024-01-02 03:04:05 UTC in seconds since 1970.
            $utcSeconds = 1704164645
        }

        It 'gives byte-identical archives for two runs with the same -Timestamp' {
            $folder = New-TestFolder

            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'first.tar') -Timestamp $utc
            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'second.tar') -Timestamp $utc

            (Get-FileHash -LiteralPath (Join-Path $folder 'second.tar')).Hash | Should -Be (Get-FileHash -LiteralPath (Join-Path $folder 'first.tar')).Hash
        }

        It 'gives byte-identical archives for two runs without -Timestamp (the newest input time is used)' {
            $folder = New-TestFolder

            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'first.tgz')
            Start-Sleep -Milliseconds 1100
            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'second.tgz')

            (Get-FileHash -LiteralPath (Join-Path $folder 'second.tgz')).Hash | Should -Be (Get-FileHash -LiteralPath (Join-Path $folder 'first.tgz')).Hash
        }

        It 'stamps every member and the gzip header with the -Timestamp' {
            $folder = New-TestFolder
            $tar = Join-Path $folder 'joined.tar'
            $tgz = Join-Path $folder 'joined.tgz'

            $one, $two | Join-MlfArchive -DestinationPath $tar -Timestamp $utc
            $one, $two | Join-MlfArchive -DestinationPath $tgz -Timestamp $utc

            # The first member's ustar mtime field: octal digits at offset 136.
            $tarBytes = [System.IO.File]::ReadAllBytes($tar)
            $mtime = [System.Text.Encoding]::ASCII.GetString($tarBytes, 136, 12).Trim([char]0, [char]32)
            [System.Convert]::ToInt64($mtime, 8) | Should -Be $utcSeconds
            # The gzip header's MTIME: little-endian seconds at offset 4.
            [System.BitConverter]::ToUInt32([System.IO.File]::ReadAllBytes($tgz), 4) | Should -Be $utcSeconds
        }

        It 'takes a local DateTime at its UTC instant and one of kind Unspecified as UTC' {
            $folder = New-TestFolder
            $unspecified = [datetime]::new(2024, 1, 2, 3, 4, 5)

            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'utc.tar') -Timestamp $utc
            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'local.tar') -Timestamp $utc.ToLocalTime()
            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'unspecified.tar') -Timestamp $unspecified

            $expected = (Get-FileHash -LiteralPath (Join-Path $folder 'utc.tar')).Hash
            (Get-FileHash -LiteralPath (Join-Path $folder 'local.tar')).Hash | Should -Be $expected
            (Get-FileHash -LiteralPath (Join-Path $folder 'unspecified.tar')).Hash | Should -Be $expected
        }

        It 'gives different bytes for a different -Timestamp' {
            $folder = New-TestFolder

            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'first.tar') -Timestamp $utc
            $one, $two | Join-MlfArchive -DestinationPath (Join-Path $folder 'second.tar') -Timestamp $utc.AddSeconds(1)

            (Get-FileHash -LiteralPath (Join-Path $folder 'second.tar')).Hash | Should -Not -Be (Get-FileHash -LiteralPath (Join-Path $folder 'first.tar')).Hash
        }
    }
}
