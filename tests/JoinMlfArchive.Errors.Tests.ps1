#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Join-MlfArchive of the BUILT module (out/MlfTools; run ./build.ps1 first): every way a join is refused, each checked
# for its error id, category and target, and for leaving the folder as it was. Cases that need the real archives in
# ../shared/mlf-samples are skipped where that folder is absent; the others write small archives into $TestDrive.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    Write-SamplesMissingWarning -Skipped 'join real MLF archives'

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
        $mlp = Join-Path $samplesRoot 'v7-aot-crt-mlp.tar'

        # What TVM writes for an AOT + C runtime (CRT) build; with it, runtime/ files belong to the module.
        $crtDependency = ',"external_dependencies":[{"short_name":"tvm_standalone_crt","url":"./runtime","url_type":"mlf_path","version_spec":"0.13.0"}]'

        # An operator-style (tvm.build) module: flat even in version 7, on one line, in insertion order.
        $operatorMetadata = '{"version": 7, "model_name": "add", "export_datetime": "2023-01-02 03:04:05Z", "memory": {}, "target": ["c"], "executors": [], "style": "operator"}'
    }

    AfterAll {
        Remove-BuiltModule
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
