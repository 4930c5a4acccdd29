#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Drives the real Join-MlfArchive cmdlet of the BUILT module (out/MlfTools, made by every `dotnet build`; run
# ./build.ps1 first). The real archives are read from ../shared/mlf-samples beside the repository; where that
# folder is absent the tests that need them are skipped and everything else still runs on small version-7
# archives this file writes into $TestDrive. Where a tar executable is on PATH (GNU tar, or the bsdtar Windows
# ships), the tests also list and extract the joined archives with it; without tar they check the same things
# through New-MlfModule alone.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    if (-not $samplesPresent) {
        Write-Warning "The sample archives folder '$samplesRoot' (../shared/mlf-samples from the repository root) is missing: the tests that join real MLF archives are skipped."
    }

    # Every way a join is refused. Each is a terminating error: the join writes one archive from all its inputs,
    # so there is nothing sensible to continue with. Arrange writes the inputs into a new folder under $TestDrive
    # and returns the Folder to watch (it must look the same after the refusal: nothing written, nothing replaced,
    # no temporary file left), the Parameters to splat and, when the inputs come through the pipeline, the
    # PipelineInput. Target is a -like pattern for the ErrorRecord's TargetObject.
    $errorCases = @(
        @{
            Id = 'DestinationExists'; Case = 'an existing file without -Force'; Category = 'ResourceExists'; Target = '*existing.tar'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one)
                $existing = Join-Path $folder 'existing.tar'
                Set-Content -LiteralPath $existing -Value 'an archive written earlier'
                @{ Folder = $folder; PipelineInput = $one; Parameters = @{ DestinationPath = $existing } }
            }
        }
        @{
            Id = 'DestinationExists'; Case = 'a folder at the destination, even with -Force'; Category = 'ResourceExists'; Target = '*folder.tar'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one)
                $destination = Join-Path $folder 'folder.tar'
                $null = New-Item -Path $destination -ItemType Directory
                @{ Folder = $folder; PipelineInput = $one; Parameters = @{ DestinationPath = $destination; Force = $true } }
            }
        }
        @{
            Id = 'DestinationIsInput'; Case = 'New-MlfModule -Path $copy | Join-MlfArchive -DestinationPath $copy -Force'; Category = 'InvalidArgument'; Target = '*copy.tar'
            Arrange = {
                $folder = New-TestFolder
                $copy = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'copy.tar') -Name one
                @{ Folder = $folder; PipelineInput = (New-MlfModule -Path $copy); Parameters = @{ DestinationPath = $copy; Force = $true } }
            }
        }
        @{
            Id = 'DestinationIsInput'; Case = '-Path naming the destination, with -Force'; Category = 'InvalidArgument'; Target = '*copy.tar'
            Arrange = {
                $folder = New-TestFolder
                $copy = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'copy.tar') -Name one
                @{ Folder = $folder; Parameters = @{ Path = $copy; DestinationPath = $copy; Force = $true } }
            }
        }
        @{
            Id = 'UnsupportedDestinationType'; Case = 'a .zip destination'; Category = 'InvalidArgument'; Target = '*joined.zip'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one)
                @{ Folder = $folder; PipelineInput = $one; Parameters = @{ DestinationPath = (Join-Path $folder 'joined.zip') } }
            }
        }
        @{
            Id = 'PathNotFound'; Case = 'a -DestinationPath on the Variable: drive'; Category = 'ObjectNotFound'; Target = 'Variable:*'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one)
                @{ Folder = $folder; PipelineInput = $one; Parameters = @{ DestinationPath = 'Variable:\joined.tar' } }
            }
        }
        @{
            Id = 'DuplicateModuleName'; Case = 'two archive paths piped whose modules are both called default'; Category = 'InvalidOperation'; Target = 'default'
            Arrange = {
                $folder = New-TestFolder
                $a = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'a.tar')
                $b = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'b.tar')
                @{ Folder = $folder; PipelineInput = @($a, $b); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'DuplicateModuleName'; Case = 'two modules given the same -Name'; Category = 'InvalidOperation'; Target = 'kws'
            Arrange = {
                $folder = New-TestFolder
                $a = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'a.tar')) -Name kws
                $b = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'b.tar')) -Name kws
                @{ Folder = $folder; PipelineInput = @($a, $b); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'SymbolCollision'; Case = 'two C modules that define the same unprefixed global function'; Category = 'InvalidData'; Target = 'shared_lookup'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one -Entries @{ './codegen/host/src/one_lib1.c' = "int shared_lookup(void) { return 1; }`n" }
                $two = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'two.tar') -Name two -Entries @{ './codegen/host/src/two_lib1.c' = "int shared_lookup(void) { return 2; }`n" }
                @{ Folder = $folder; PipelineInput = @($one, $two); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'SymbolCollision'; Case = 'v7-aot-crt-mlp.tar twice under two names (unprefixed Arm DSP helpers)'; Category = 'InvalidData'; Target = '__ror'; NeedsSamples = $true
            Arrange = {
                $folder = New-TestFolder
                $mlp = Join-Path $samplesRoot 'v7-aot-crt-mlp.tar'
                @{ Folder = $folder; PipelineInput = @((New-MlfModule -Path $mlp -Name mlp_a), (New-MlfModule -Path $mlp -Name mlp_b)); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'CannotRenameObjectCode'; Case = 'a module given a new name that carries an object file outside codegen/host/lib'; Category = 'InvalidOperation'; Target = '*stray.tar'
            Arrange = {
                $folder = New-TestFolder
                $stray = New-TestTar -Path (Join-Path $folder 'stray.tar') -Entries ([ordered]@{
                        './metadata.json'                   = (New-MlfMetadata -Version 7)
                        './codegen/host/src/default_lib0.c' = "int tvmgen_default_run(void) { return 0; }`n"
                        './codegen/host/src/default_lib0.o' = [byte[]](0x7F, 0x45, 0x4C, 0x46)
                    })
                @{ Folder = $folder; PipelineInput = (New-MlfModule -Path $stray -Name renamed); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'OperatorModuleMix'; Case = 'an operator-style module with a full-model one'; Category = 'InvalidOperation'; Target = '*operator.tar'
            Arrange = {
                $folder = New-TestFolder
                $operator = New-TestTar -Path (Join-Path $folder 'operator.tar') -Entries ([ordered]@{
                        './metadata.json'          = $operatorMetadata
                        './codegen/host/src/lib0.c' = "int add_kernel(void) { return 0; }`n"
                    })
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one
                @{ Folder = $folder; PipelineInput = @((New-MlfModule -Path $operator), (New-MlfModule -Path $one)); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'RuntimeConflict'; Case = 'two C-runtime builds whose runtime/include/x.h differ'; Category = 'InvalidData'; Target = 'runtime/include/x.h'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one -ExtraKeys $crtDependency -Entries @{ './runtime/include/x.h' = "// version 1`n" }
                $two = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'two.tar') -Name two -ExtraKeys $crtDependency -Entries @{ './runtime/include/x.h' = "// version 2`n" }
                @{ Folder = $folder; PipelineInput = @($one, $two); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'RuntimeNotFound'; Case = '-RuntimeFrom naming a module without a C runtime'; Category = 'ObjectNotFound'; Target = 'two'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one -ExtraKeys $crtDependency -Entries @{ './runtime/include/x.h' = "// version 1`n" }
                $two = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'two.tar') -Name two
                @{ Folder = $folder; PipelineInput = @($one, $two); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar'); RuntimeFrom = 'two' } }
            }
        }
        @{
            Id = 'RuntimeMissingDeclaration'; Case = 'code that calls a runtime function the kept runtime does not declare'; Category = 'InvalidData'; Target = 'TVMBackendAllocWorkspace'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one -ExtraKeys $crtDependency -Entries @{
                    './runtime/include/tvm/runtime/c_backend_api.h' = "int TVMBackendFreeWorkspace(int device_type, int device_id, void* ptr);`n"
                    './codegen/host/src/one_lib1.c' = "#include <tvm/runtime/c_backend_api.h>`nint one_f(void) { void* p = TVMBackendAllocWorkspace(1, 0, 8, 2, 32); return TVMBackendFreeWorkspace(1, 0, p); }`n"
                }
                @{ Folder = $folder; PipelineInput = @($one); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'PathConflict'; Case = 'two archives whose extra samples/input.h differ'; Category = 'InvalidData'; Target = 'samples/input.h'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one -Entries @{ './samples/input.h' = "1`n" }
                $two = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'two.tar') -Name two -Entries @{ './samples/input.h' = "2`n" }
                @{ Folder = $folder; Parameters = @{ Path = @($one, $two); DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'PathConflict'; Case = '-Layout PerModule with a module named runtime'; Category = 'InvalidData'; Target = 'runtime'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name runtime
                $two = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'two.tar') -Name two
                @{ Folder = $folder; Parameters = @{ Path = @($one, $two); DestinationPath = (Join-Path $folder 'joined.tar'); Layout = 'PerModule' } }
            }
        }
        @{
            Id = 'InvalidArchive'; Case = '-Path naming a good archive and a file of random text'; Category = 'InvalidData'; Target = '*random-text.tar'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one
                $random = New-RandomTextFile -Path (Join-Path $folder 'random-text.tar')
                @{ Folder = $folder; Parameters = @{ Path = @($one, $random); DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'InvalidArchive'; Case = 'a module, then the FileInfo of a file of random text, piped'; Category = 'InvalidData'; Target = '*random-text.tar'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one)
                $random = Get-Item -LiteralPath (New-RandomTextFile -Path (Join-Path $folder 'random-text.tar'))
                @{ Folder = $folder; PipelineInput = @($one, $random); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'PathNotFound'; Case = '-Path that does not exist'; Category = 'ObjectNotFound'; Target = '*does-not-exist.tar'
            Arrange = {
                $folder = New-TestFolder
                @{ Folder = $folder; Parameters = @{ Path = (Join-Path $folder 'does-not-exist.tar'); DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'PathNotFound'; Case = '-LiteralPath that does not exist'; Category = 'ObjectNotFound'; Target = '*does-not-exist.tar'
            Arrange = {
                $folder = New-TestFolder
                @{ Folder = $folder; Parameters = @{ LiteralPath = (Join-Path $folder 'does-not-exist.tar'); DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'NullInput'; Case = 'a null module piped before a good one (as after a failed New-MlfModule)'; Category = 'InvalidArgument'; Target = '*joined.tar'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one)
                @{ Folder = $folder; PipelineInput = @($null, $one); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'NullInput'; Case = 'an empty path string piped with a good one'; Category = 'InvalidArgument'; Target = '*joined.tar'
            Arrange = {
                $folder = New-TestFolder
                $one = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one
                @{ Folder = $folder; PipelineInput = @($one, ''); Parameters = @{ DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
        @{
            Id = 'NoModules'; Case = '-Path with a wildcard that matches nothing'; Category = 'InvalidArgument'; Target = '*joined.tar'
            Arrange = {
                $folder = New-TestFolder
                @{ Folder = $folder; Parameters = @{ Path = (Join-Path $folder 'nothing-*.tar'); DestinationPath = (Join-Path $folder 'joined.tar') } }
            }
        }
    )
    foreach ($case in $errorCases) {
        if (-not $case.ContainsKey('NeedsSamples')) {
            $case['NeedsSamples'] = $false
        }
    }
}

Describe 'Join-MlfArchive' {
    BeforeAll {
        $manifest = Import-BuiltModule

        $commandName = 'MlfTools.Commands.JoinMlfArchiveCommand'
        $sine = Join-Path $samplesRoot 'v5-aot-sine.tar'
        $magicwand = Join-Path $samplesRoot 'v7-graph-magicwand.tar'
        $mlp = Join-Path $samplesRoot 'v7-aot-crt-mlp.tar'

        # What TVM writes for an AOT + C runtime (CRT) build; with it, runtime/ files belong to the module.
        $crtDependency = ',"external_dependencies":[{"short_name":"tvm_standalone_crt","url":"./runtime","url_type":"mlf_path","version_spec":"0.13.0"}]'

        # An operator-style (tvm.build) module: flat even in version 7, on one line, in insertion order.
        $operatorMetadata = '{"version": 7, "model_name": "add", "export_datetime": "2023-01-02 03:04:05Z", "memory": {}, "target": ["c"], "executors": [], "style": "operator"}'

        function Get-TemporaryFile {
            # The join's temporary files ('.<name>.<random>.tmp', hidden) in Folder.
            param([Parameter(Mandatory = $true)] [string] $Folder)
            @(Get-ChildItem -LiteralPath $Folder -Force | Where-Object { $_.Name -like '.*.tmp' })
        }

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

    Context 'pipeline and path binding' {
        It 'binds path strings from the pipeline to -Path: two samples both called default are DuplicateModuleName' -Skip:(-not $samplesPresent) {
            $folder = New-TestFolder
            $out = Join-Path $folder 'joined.tar'

            $record = { $sine, $magicwand | Join-MlfArchive -DestinationPath $out } |
                Should -Throw -ErrorId "DuplicateModuleName,$commandName" -PassThru

            $record.TargetObject | Should -Be 'default'
            Test-Path -LiteralPath $out | Should -BeFalse
            @(Get-TemporaryFile -Folder $folder).Count | Should -Be 0
        }

        It 'joins one path string piped alone, upgraded to version 7' -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'joined.tar'

            $sine | Join-MlfArchive -DestinationPath $out

            $modules = @(New-MlfModule -Path $out)
            $modules | Should -HaveCount 1
            $modules[0].Name | Should -Be 'default'
            $modules[0].FormatVersion | Should -Be 7
            # v5's src/relay.txt gets the version-7 name.
            $modules[0].Files.Path | Should -Contain 'src/default.relay'
        }

        It 'binds a FileInfo from Get-Item to -LiteralPath' -Skip:(-not $samplesPresent) {
            $out = Join-Path (New-TestFolder) 'joined.tar'

            Get-Item -LiteralPath $sine | Join-MlfArchive -DestinationPath $out

            $modules = @(New-MlfModule -Path $out)
            $modules | Should -HaveCount 1
            $modules[0].Name | Should -Be 'default'
        }

        It 'reads model[1].tar piped from Get-Item -LiteralPath, and given to -LiteralPath and -LP' {
            $folder = New-TestFolder
            $bracketed = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'model[1].tar') -Name one

            Get-Item -LiteralPath $bracketed | Join-MlfArchive -DestinationPath (Join-Path $folder 'piped.tar')
            Join-MlfArchive -LiteralPath $bracketed -DestinationPath (Join-Path $folder 'literal.tar')
            Join-MlfArchive -LP $bracketed -DestinationPath (Join-Path $folder 'alias.tar')

            foreach ($name in @('piped.tar', 'literal.tar', 'alias.tar')) {
                (@(New-MlfModule -LiteralPath (Join-Path $folder $name) | ForEach-Object Name) -join ',') | Should -Be 'one' -Because "$name joins model[1].tar"
            }
        }

        It 'expands wildcards in -Path' {
            $folder = New-TestFolder
            $inputs = New-Item -Path (Join-Path $folder 'inputs') -ItemType Directory
            $null = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs.FullName 'one.tar') -Name one
            $null = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs.FullName 'two.tar') -Name two
            $out = Join-Path $folder 'joined.tar'

            Join-MlfArchive -Path (Join-Path $inputs.FullName '*.tar') -DestinationPath $out

            @(New-MlfModule -Path $out | ForEach-Object Name | Sort-Object) | Should -Be @('one', 'two')
        }

        It 'takes a module, a FileInfo and a path string in one pipeline (each object binds on its own)' {
            $folder = New-TestFolder
            $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one)
            $two = Get-Item -LiteralPath (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'two.tar') -Name two)
            $three = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'three.tar') -Name three
            $out = Join-Path $folder 'joined.tar'

            $one, $two, $three | Join-MlfArchive -DestinationPath $out

            @(New-MlfModule -Path $out | ForEach-Object Name | Sort-Object) | Should -Be @('one', 'three', 'two')
        }

        It 'resolves a relative -DestinationPath and -Path against the PowerShell location, creating missing folders' {
            $folder = New-TestFolder
            $null = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'one.tar') -Name one
            $null = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'two.tar') -Name two
            $name = 'relative-{0}.tar' -f [System.Guid]::NewGuid().ToString('N').Substring(0, 8)

            Push-Location -LiteralPath $folder
            try {
                Join-MlfArchive -Path 'one.tar', 'two.tar' -DestinationPath (Join-Path 'out' $name)
            }
            finally {
                Pop-Location
            }

            $written = Join-Path (Join-Path $folder 'out') $name
            Test-Path -LiteralPath $written -PathType Leaf | Should -BeTrue
            @(New-MlfModule -LiteralPath $written | ForEach-Object Name | Sort-Object) | Should -Be @('one', 'two')
            # Push-Location does not move the process's current directory, which a careless cmdlet would use.
            $processRelative = Join-Path (Join-Path ([System.IO.Directory]::GetCurrentDirectory()) 'out') $name
            Test-Path -LiteralPath $processRelative | Should -BeFalse
        }
    }

    Context '-PassThru' {
        BeforeAll {
            $inputs = New-TestFolder -Name inputs
            $one = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'one.tar') -Name one)
            $two = New-MlfModule -Path (New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $inputs 'two.tar') -Name two)
        }

        It 'emits nothing without -PassThru' {
            $out = Join-Path (New-TestFolder) 'joined.tar'

            $output = @($one, $two | Join-MlfArchive -DestinationPath $out)

            $output.Count | Should -Be 0
            Test-Path -LiteralPath $out -PathType Leaf | Should -BeTrue
        }

        It 'emits the FileInfo of the destination, with PSPath so that it pipes into New-MlfModule' {
            $out = Join-Path (New-TestFolder) 'joined.tar'

            $output = @($one, $two | Join-MlfArchive -DestinationPath $out -PassThru)

            $output | Should -HaveCount 1
            $output[0] | Should -BeOfType ([System.IO.FileInfo])
            $output[0].FullName | Should -Be (Get-Item -LiteralPath $out).FullName
            $output[0].Length | Should -Be (Get-Item -LiteralPath $out).Length
            $output[0].PSPath | Should -Not -BeNullOrEmpty
            @($output[0] | New-MlfModule | ForEach-Object Name | Sort-Object) | Should -Be @('one', 'two')
        }
    }

    Context 'positions' {
        BeforeAll {
            $positional = New-TestFolder -Name positional
            $p1 = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $positional 'p1.tar') -Name p1
            $p2 = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $positional 'p2.tar') -Name p2
        }

        It 'takes one archive and the destination by position: Join-MlfArchive a.tar out/j.tar' {
            $out = Join-Path (New-TestFolder) 'j.tar'

            Join-MlfArchive $p1 $out

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name) | Should -Be @('p1')
        }

        It 'takes a list or a wildcard of archives and the destination by position, relative to the location' {
            $folder = New-TestFolder
            Push-Location -LiteralPath $positional
            try {
                Join-MlfArchive p1.tar, p2.tar (Join-Path $folder 'list.tar')
                Join-MlfArchive p?.tar (Join-Path $folder 'wildcard.tar')
            }
            finally {
                Pop-Location
            }

            @(New-MlfModule -LiteralPath (Join-Path $folder 'list.tar') | ForEach-Object Name | Sort-Object) | Should -Be @('p1', 'p2')
            @(New-MlfModule -LiteralPath (Join-Path $folder 'wildcard.tar') | ForEach-Object Name | Sort-Object) | Should -Be @('p1', 'p2')
        }

        It 'takes -LiteralPath named and the destination by position' {
            $out = Join-Path (New-TestFolder) 'literal.tar'

            Join-MlfArchive -LiteralPath $p2 $out

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name) | Should -Be @('p2')
        }

        It 'takes modules from the pipeline with -DestinationPath named' {
            $out = Join-Path (New-TestFolder) 'piped.tar'

            New-MlfModule -LiteralPath $p1, $p2 | Join-MlfArchive -DestinationPath $out

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name | Sort-Object) | Should -Be @('p1', 'p2')
        }

        It 'takes -InputObject named and the destination by position' {
            $out = Join-Path (New-TestFolder) 'input-object.tar'

            Join-MlfArchive -InputObject (New-MlfModule -LiteralPath $p1) $out

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name) | Should -Be @('p1')
        }

        It 'takes named modules from the pipeline and the destination by position: ... | New-MlfModule -NameFromFile | Join-MlfArchive out/all.tar' {
            $folder = New-TestFolder
            $build = New-TestFolder -Name build
            New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $build 'Kws-V1.tar') -Name default | Out-Null
            New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $build 'aww.tar') -Name default | Out-Null
            $out = Join-Path $folder 'all.tar'

            Get-ChildItem -LiteralPath $build -Filter *.tar | New-MlfModule -NameFromFile | Join-MlfArchive $out

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name | Sort-Object) | Should -Be @('aww', 'kws_v1')
        }

        It 'takes FileInfo from the pipeline (by PSPath) and the destination by position, each archive once' {
            $out = Join-Path (New-TestFolder) 'files.tar'

            Get-ChildItem -LiteralPath $positional -Filter 'p?.tar' | Join-MlfArchive $out

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name | Sort-Object) | Should -Be @('p1', 'p2')
        }

        It 'takes path strings from the pipeline with -DestinationPath named' {
            $out = Join-Path (New-TestFolder) 'strings.tar'

            $p1, $p2 | Join-MlfArchive -DestinationPath $out

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name | Sort-Object) | Should -Be @('p1', 'p2')
        }

        It 'takes modules from the pipeline plus a path and the destination by position, each once' {
            $out = Join-Path (New-TestFolder) 'mixed.tar'

            New-MlfModule -LiteralPath $p1 | Join-MlfArchive $p2 $out

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name | Sort-Object) | Should -Be @('p1', 'p2')
        }

        It 'takes modules, strings and FileInfo mixed in one pipeline with -DestinationPath named, each once' {
            $folder = New-TestFolder
            $p3 = New-MlfTestArchive -Version 7 -WithSource -Path (Join-Path $folder 'p3.tar') -Name p3
            $out = Join-Path $folder 'all-kinds.tar'

            @((New-MlfModule -LiteralPath $p1), $p2, (Get-Item -LiteralPath $p3)) | Join-MlfArchive -DestinationPath $out -ErrorAction Stop

            @(New-MlfModule -LiteralPath $out | ForEach-Object Name | Sort-Object) | Should -Be @('p1', 'p2', 'p3')
        }

        It 'refuses a piped path string when the destination is positional: the one positional value is taken by -Path' {
            $out = Join-Path (New-TestFolder) 'refused.tar'

            { $p1 | Join-MlfArchive $out -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectNotBound,MlfTools.Commands.JoinMlfArchiveCommand'
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'asks for -DestinationPath at the console, as for a mandatory parameter, when there is none' {
            $folder = New-TestFolder
            $module = (Resolve-Path -LiteralPath $manifest).Path
            $start = New-PowerShellStartInfo -Arguments '-NoProfile', '-Command', "Set-Location -LiteralPath '$folder'; Import-Module '$module'; Get-Item -LiteralPath '$p1' | Join-MlfArchive; 'written: ' + (Test-Path -LiteralPath ./asked.tar)"
            $start.RedirectStandardInput = $true
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $process = [System.Diagnostics.Process]::Start($start)
            $process.StandardInput.WriteLine('asked.tar')
            $process.StandardInput.Close()
            $stderr = $process.StandardError.ReadToEndAsync()
            $stdout = $process.StandardOutput.ReadToEnd()
            $process.WaitForExit()

            $stdout | Should -Match 'cmdlet Join-MlfArchive at command pipeline position 2'
            $stdout | Should -Match 'DestinationPath:'
            $stdout | Should -Match 'written: True'
            @(New-MlfModule -LiteralPath (Join-Path $folder 'asked.tar')) | Should -HaveCount 1
        }

        It 'says the destination is required when there is none: <Case>' -ForEach @(
            @{ Case = 'one archive by position'; Run = { param($a) Join-MlfArchive $a } }
            @{ Case = 'two archives by position, no destination'; Run = { param($a) Join-MlfArchive $a, $a } }
            @{ Case = 'modules from the pipeline and no argument'; Run = { param($a) New-MlfModule -LiteralPath $a | Join-MlfArchive } }
            @{ Case = 'FileInfo from the pipeline and no argument'; Run = { param($a) Get-Item -LiteralPath $a | Join-MlfArchive } }
        ) {
            $err = $null
            try { & $Run $p1 } catch { $err = $_ }

            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'DestinationRequired,MlfTools.Commands.JoinMlfArchiveCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -BeLike '*Join-MlfArchive a.tar, b.tar out/joined.tar*'
        }

        It 'is NoModules for an empty pipeline with the destination by position' {
            $out = Join-Path (New-TestFolder) 'empty.tar'

            { @() | Join-MlfArchive $out } | Should -Throw -ErrorId 'NoModules,MlfTools.Commands.JoinMlfArchiveCommand'
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'is NullInput for a null piped with the destination by position' {
            $out = Join-Path (New-TestFolder) 'null.tar'

            { @((New-MlfModule -LiteralPath $p1), $null) | Join-MlfArchive $out } | Should -Throw -ErrorId 'NullInput,MlfTools.Commands.JoinMlfArchiveCommand'
            Test-Path -LiteralPath $out | Should -BeFalse
        }
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

    Context 'error <Id>: <Case>' -ForEach $errorCases {
        It 'stops the command whatever -ErrorAction says and leaves the folder as it was' {
            if ($NeedsSamples -and -not $samplesPresent) {
                Set-ItResult -Skipped -Because $samplesSkipReason
            }
            $arranged = & $Arrange
            $parameters = $arranged.Parameters
            $before = Get-FolderSnapshot -Folder $arranged.Folder

            if ($arranged.ContainsKey('PipelineInput')) {
                $record = { $arranged.PipelineInput | Join-MlfArchive @parameters -ErrorAction SilentlyContinue } |
                    Should -Throw -ErrorId "$Id,$commandName" -PassThru
            }
            else {
                $record = { Join-MlfArchive @parameters -ErrorAction SilentlyContinue } |
                    Should -Throw -ErrorId "$Id,$commandName" -PassThru
            }

            $record.FullyQualifiedErrorId | Should -Be "$Id,$commandName"
            $record.CategoryInfo.Category | Should -Be $Category
            $record.TargetObject | Should -Not -BeNullOrEmpty
            $record.TargetObject | Should -BeLike $Target
            Get-FolderSnapshot -Folder $arranged.Folder | Should -Be $before -Because 'a refused join writes nothing and changes no input'
            @(Get-TemporaryFile -Folder $arranged.Folder).Count | Should -Be 0
        }

        It 'is collected by -ErrorVariable as a terminating error with its category and target' {
            if ($NeedsSamples -and -not $samplesPresent) {
                Set-ItResult -Skipped -Because $samplesSkipReason
            }
            $arranged = & $Arrange
            $parameters = $arranged.Parameters
            $ev = $null
            $output = @()
            $thrown = $null

            try {
                if ($arranged.ContainsKey('PipelineInput')) {
                    $output = @($arranged.PipelineInput | Join-MlfArchive @parameters -PassThru -ErrorAction SilentlyContinue -ErrorVariable ev)
                }
                else {
                    $output = @(Join-MlfArchive @parameters -PassThru -ErrorAction SilentlyContinue -ErrorVariable ev)
                }
            }
            catch {
                $thrown = $_
            }

            $thrown | Should -Not -BeNullOrEmpty -Because "$Id is a terminating error, which -ErrorAction cannot silence"
            $thrown.FullyQualifiedErrorId | Should -Be "$Id,$commandName"
            $output.Count | Should -Be 0
            @($ev) | Should -HaveCount 1
            $record = Get-ErrorRecord $ev[0]
            $record.FullyQualifiedErrorId | Should -Be "$Id,$commandName"
            $record.CategoryInfo.Category | Should -Be $Category
            $record.TargetObject | Should -Not -BeNullOrEmpty
            $record.TargetObject | Should -BeLike $Target
            @(Get-TemporaryFile -Folder $arranged.Folder).Count | Should -Be 0
        }
    }
}
