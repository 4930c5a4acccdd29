#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Drives the real Join-MlfArchive cmdlet of the BUILT module (out/MlfTools, made by every `dotnet build`; run
# ./build.ps1 first): what a join makes of real models. The other scenarios are in JoinMlfArchive.<Scenario>.Tests.ps1:
# Binding (pipeline, paths, positions, -PassThru), Options (-WhatIf, -Force, gzip, -Layout, -ExcludePath, -Timestamp),
# Errors (every refusal), and JoinHelpers.Tests.ps1 (-IncludeHelpers). The real archives are read from
# ../shared/mlf-samples beside the repository; where that folder is absent the tests that need them are skipped and
# everything else still runs on small version-7 archives written into $TestDrive. Where a tar executable is on PATH
# (GNU tar, or the bsdtar Windows ships), the tests also list and extract the joined archives with it; without tar
# they check the same things through New-MlfModule alone.

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

    Context 'the README scenario: two builds called default, renamed and joined' {
        It 'joins kws (v5-aot-sine.tar) and vww (v7-graph-magicwand.tar) into one archive that New-MlfModule reads as kws and vww' -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'firmware-models.tar'

            $kws = New-MlfModule -Path $sine -Name kws
            $vww = New-MlfModule -Path $magicwand -Name vww
            $output = @($kws, $vww | Join-MlfArchive -DestinationPath $out)

            $output.Count | Should -Be 0 -Because 'nothing is emitted without -PassThru'
            $modules = @(New-MlfModule -Path $out)
            @($modules | ForEach-Object Name | Sort-Object) | Should -Be @('kws', 'vww')
            foreach ($module in $modules) {
                $module.FormatVersion | Should -Be 7
                $module.ArchiveModuleCount | Should -Be 2
                $module.IsRenamed | Should -BeFalse
            }
            $joinedKws = $modules | Where-Object Name -EQ 'kws'
            $joinedVww = $modules | Where-Object Name -EQ 'vww'
            $joinedKws.Executors -join ',' | Should -Be 'aot'
            $joinedVww.Executors -join ',' | Should -Be 'graph'
            $joinedKws.Parameters.TotalBytes | Should -Be $kws.Parameters.TotalBytes
            $joinedVww.Parameters.TotalBytes | Should -Be $vww.Parameters.TotalBytes
            $joinedVww.GraphConfig.Path | Should -Be 'executor-config/graph/vww.graph'
            # The flat layout of TVM's multi-module RFC: one tree, files told apart by the module prefix.
            $joinedKws.Files.Path | Should -Contain 'codegen/host/include/tvmgen_kws.h'
            $joinedKws.Files.Path | Should -Contain 'codegen/host/src/kws_lib0.c'
            $joinedKws.Files.Path | Should -Contain 'src/kws.relay'
            $joinedVww.Files.Path | Should -Contain 'codegen/host/src/vww_lib2.c'
            $joinedVww.Files.Path | Should -Contain 'parameters/vww.params'

            if ($null -ne (Get-TarCommand)) {
                $members = @(Get-TarMember -Archive $out)
                $members[0] | Should -Be './'
                $members | Should -Contain './metadata.json'
                $members | Should -Contain './codegen/host/src/kws_lib0.c'
                $members | Should -Contain './executor-config/graph/vww.graph'
                $members | Should -Not -Contain './codegen/host/src/default_lib0.c'
            }
        }
    }

    Context 'LLVM object code' {
        It 'joins v5-graph-llvm-conv1d.tar twice as conv_a and conv_b, renaming the objects; Test-MlfArchive finds each module''s kernels and no collision' -Skip:(-not $samplesPresent) {
            $conv = Join-Path $samplesRoot 'v5-graph-llvm-conv1d.tar'
            $out = Join-Path (New-TestFolder) 'convs.tar'
            (New-MlfModule -Path $conv -Name conv_a), (New-MlfModule -Path $conv -Name conv_b) | Join-MlfArchive -DestinationPath $out

            $modules = @(New-MlfModule -Path $out)
            @($modules | ForEach-Object Name | Sort-Object) | Should -Be @('conv_a', 'conv_b')
            foreach ($module in $modules) {
                $objects = @($module.Files | Where-Object Kind -EQ 'object')
                $objects.Path | Should -Be @("codegen/host/lib/$($module.Name)_lib0.o") -Because 'each object belongs to its own module only'
                $module.GraphConfig.Path | Should -Be "executor-config/graph/$($module.Name).graph"
            }
            # Test-MlfArchive reads the renamed objects' symbols: every kernel the graph configs call is defined
            # (no UndefinedFunction), the two copies share no global symbol (no SymbolCollision), and every global
            # carries its module's new prefix (no UnprefixedSymbols).
            $findings = @(Test-MlfArchive -Path $out)
            $findings | Should -BeNullOrEmpty -Because ($findings | Out-String)
        }
    }

    Context 'system-lib graph models' {
        It 'joins v7-graph-magicwand.tar and v4-graph-yesno.tar (both system-lib) with one entry point per model and a warning that names them' -Skip:(-not $samplesPresent) {
            $folder = New-TestFolder
            $out = Join-Path $folder 'graphs.tar'
            $wand = New-MlfModule -Path $magicwand -Name wand
            $yesNo = New-MlfModule -Path (Join-Path $samplesRoot 'v4-graph-yesno.tar') -Name yes_no

            $wand, $yesNo | Join-MlfArchive -DestinationPath $out -WarningVariable warnings -WarningAction SilentlyContinue

            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -BeLike "*'wand': tvmgen_wand_system_lib(), 'yes_no': tvmgen_yes_no_system_lib()*TVMModCreateFromCModule*"
            @(New-MlfModule -Path $out | ForEach-Object Name | Sort-Object) | Should -Be @('wand', 'yes_no')
            @(Test-MlfArchive -Path $out | Where-Object Severity -EQ 'Error') | Should -HaveCount 0

            $tree = Expand-MlfArchive -Path $out -DestinationPath (Join-Path $folder 'graphs') -PassThru
            $wandLib0 = Get-Content -Raw -LiteralPath (Join-Path $tree.FullName 'codegen/host/src/wand_lib0.c')
            $yesNoLib0 = Get-Content -Raw -LiteralPath (Join-Path $tree.FullName 'codegen/host/src/yes_no_lib0.c')
            $wandLib0 | Should -Match ([regex]::Escape('const TVMModule* tvmgen_wand_system_lib(void) {'))
            $yesNoLib0 | Should -Match ([regex]::Escape('const TVMModule* tvmgen_yes_no_system_lib(void) {'))
            $wandLib0 + $yesNoLib0 | Should -Not -Match 'TVMSystemLibEntryPoint'
            # TVM 0.8's one-byte registry count, widened for a TVM 0.9+ runtime; the link-params lookup renamed in C only.
            $yesNoLib0 | Should -Match ([regex]::Escape('"\007\000tvmgen_yes_no_fused_nn_softmax\000'))
            $yesNoLib0 | Should -Match ([regex]::Escape('(TVMBackendPackedCFunc)tvmgen_yes_no__lookup_linked_param,'))
            $yesNoLib0 | Should -Match ([regex]::Escape('\000_lookup_linked_param\000"'))
        }
    }

    Context 'models built with different TVM versions' {
        BeforeAll {
            $kwsTar = Join-Path $samplesRoot 'v6-aot-kws.tar'
            $kwsRuntime = '0.9.dev1406+g68950873a'
            $mlpRuntime = '0.13.dev0'
        }

        It 'refuses two C runtimes of different versions with a RuntimeConflict that names both versions and suggests -RuntimeFrom' -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'joined.tar'
            $modules = (New-MlfModule -Path $kwsTar -Name kws), (New-MlfModule -Path $mlp -Name mlp)
            $thrown = $null
            try { $modules | Join-MlfArchive -DestinationPath $out -ErrorAction Stop } catch { $thrown = $_ }

            $thrown.FullyQualifiedErrorId | Should -Be "RuntimeConflict,$commandName"
            $thrown.CategoryInfo.Category | Should -Be 'InvalidData'
            $thrown.Exception.Message | Should -BeLike "*module 'kws'*(TVM $kwsRuntime)*module 'mlp'*(TVM $mlpRuntime)*"
            $thrown.Exception.Message | Should -BeLike '*-RuntimeFrom kws (or -RuntimeFrom mlp)*'
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It '-RuntimeFrom keeps the named module''s C runtime for every module and warns naming the version left out' -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'joined.tar'
            $wv = $null
            (New-MlfModule -Path $kwsTar -Name kws), (New-MlfModule -Path $mlp -Name mlp) |
                Join-MlfArchive -DestinationPath $out -RuntimeFrom mlp -WarningVariable wv -WarningAction SilentlyContinue

            @($wv).Count | Should -Be 1
            $wv[0].Message | Should -Be "-RuntimeFrom mlp: the joined archive carries the C runtime of module 'mlp' (TVM $mlpRuntime) for every module; left out: the C runtime of module 'kws' (TVM $kwsRuntime)."
            $joined = @(New-MlfModule -Path $out)
            $original = New-MlfModule -Path $mlp
            foreach ($module in $joined) {
                $module.RuntimeVersion | Should -Be $mlpRuntime -Because "module $($module.Name) names the runtime the archive carries"
            }
            $kept = @($original.Files | Where-Object Kind -In 'runtime', 'template' | ForEach-Object Path | Sort-Object)
            @(($joined | Where-Object Name -EQ 'kws').Files | Where-Object Kind -In 'runtime', 'template' | ForEach-Object Path | Sort-Object) | Should -Be $kept
            @(Test-MlfArchive -Path $out | Where-Object Severity -EQ 'Error').Count | Should -Be 0
        }

        It '-RuntimeFrom that names a module without a runtime is RuntimeNotFound' -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'joined.tar'
            $thrown = $null
            try {
                (New-MlfModule -Path $sine -Name sine), (New-MlfModule -Path $mlp -Name mlp) | Join-MlfArchive -DestinationPath $out -RuntimeFrom sine -ErrorAction Stop
            }
            catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -Be "RuntimeNotFound,$commandName"
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $thrown.Exception.Message | Should -BeLike '*Name one that does: mlp.'
        }
    }

    Context 'output as TVM writes it' {
        It 'renames the module in the comments TVM writes into the C header, and in no other comment' -Skip:(-not $samplesPresent) {
            $folder = New-TestFolder
            $out = Join-Path $folder 'joined.tar'
            New-MlfModule -Path $mlp -Name kws | Join-MlfArchive -DestinationPath $out
            $tree = Join-Path $folder 'tree'
            Expand-MlfArchive -Path $out -DestinationPath $tree
            $original = Join-Path $folder 'original'
            Expand-MlfArchive -Path $mlp -DestinationPath $original

            $header = Get-Content -LiteralPath (Join-Path $tree 'codegen/host/include/tvmgen_kws.h')
            @($header | Select-String -SimpleMatch 'for TVM module "kws"').Count | Should -Be 6
            @($header | Select-String -SimpleMatch 'default"').Count | Should -Be 0
            $header[-1] | Should -Be '#endif // TVMGEN_KWS_H_'
            # Every other comment is as TVM wrote it: the sources' comments are unchanged line for line.
            $before = @(Get-Content -LiteralPath (Join-Path $original 'codegen/host/src/default_lib1.c') | Where-Object { $_ -match '//|/\*' } | ForEach-Object { $_ -replace '.*?(//|/\*)', '$1' })
            $after = @(Get-Content -LiteralPath (Join-Path $tree 'codegen/host/src/kws_lib1.c') | Where-Object { $_ -match '//|/\*' } | ForEach-Object { $_ -replace '.*?(//|/\*)', '$1' })
            $before.Count | Should -BeGreaterThan 5
            $after | Should -Be $before
        }

        It 'writes "style": "full-model" for a version 2 module, so that Test-MlfArchive finds no error in the join' -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'joined.tar'
            $v2 = Join-Path $samplesRoot 'v2-graph-kws-onefile.tar'
            (New-MlfModule -Path $v2).Metadata.Contains('style') | Should -BeFalse

            New-MlfModule -Path $v2 -Name kws | Join-MlfArchive -DestinationPath $out

            (New-MlfModule -Path $out).Metadata['style'] | Should -Be 'full-model'
            @(Test-MlfArchive -Path $out | Where-Object Severity -EQ 'Error') | Should -BeNullOrEmpty
        }
    }

    Context 'splitting a module out of a joined archive' {
        It 'writes kws alone with the same files it has in the joined archive' -Skip:(-not $samplesPresent) {
            $folder = New-TestFolder
            $joined = Join-Path $folder 'joined.tar'
            $split = Join-Path $folder 'split.tar'
            (New-MlfModule -Path $sine -Name kws), (New-MlfModule -Path $magicwand -Name vww) | Join-MlfArchive -DestinationPath $joined

            New-MlfModule -Path $joined -ModuleName kws | Join-MlfArchive -DestinationPath $split

            $alone = @(New-MlfModule -Path $split)
            $alone | Should -HaveCount 1
            $alone[0].Name | Should -Be 'kws'
            $alone[0].ArchiveModuleCount | Should -Be 1
            $inJoined = New-MlfModule -Path $joined -ModuleName kws
            $ownFiles = @($alone[0].Files | Where-Object Path -NE 'metadata.json')
            $ownFiles.Count | Should -BeGreaterThan 0
            foreach ($file in $ownFiles) {
                $twin = @($inJoined.Files | Where-Object Path -EQ $file.Path)
                $twin | Should -HaveCount 1 -Because "'$($file.Path)' comes from the joined archive"
                $twin[0].Size | Should -Be $file.Size -Because "'$($file.Path)' is copied as it is"
            }

            if ($null -ne (Get-TarCommand)) {
                $joinedFolder = Expand-TarArchive -Archive $joined
                $splitFolder = Expand-TarArchive -Archive $split
                $extracted = @(Get-ChildItem -LiteralPath $splitFolder -Recurse -File)
                $extracted.Count | Should -Be ($ownFiles.Count + 1)
                foreach ($file in $extracted) {
                    $relative = $file.FullName.Substring($splitFolder.Length)
                    if ($file.Name -eq 'metadata.json') {
                        continue
                    }
                    $file.Name | Should -Not -BeLike '*vww*'
                    $twin = Join-Path $joinedFolder $relative
                    (Get-FileHash -LiteralPath $file.FullName).Hash | Should -Be (Get-FileHash -LiteralPath $twin).Hash -Because "'$relative' is copied byte for byte"
                }
            }
        }
    }
}
