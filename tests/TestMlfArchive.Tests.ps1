#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Drives the real Test-MlfArchive cmdlet of the BUILT module (out/MlfTools, made by every `dotnet build`; run
# ./build.ps1 first). The five real archives are read from ../shared/mlf-samples beside the repository; where that
# folder is absent the tests that need them are skipped, everything else runs on archives this file writes into
# $TestDrive (a version-5 AOT model as TVM 0.8 lays it out, broken one way at a time).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    Write-SamplesMissingWarning -Skipped 'read real MLF archives'

    # What each real archive yields, checked by hand: nothing wrong, and the global symbols without the
    # tvmgen_default_ prefix as Information (system-lib registries, linked params, an Arm DSP helper).
    $sampleCases = @(
        # TVMSystemLibEntryPoint and _lookup_linked_param are not listed: the join renames them itself.
        @{ Sample = 'v4-graph-yesno.tar'; Unprefixed = '' }
        @{ Sample = 'v5-aot-sine.tar'; Unprefixed = '' }
        @{ Sample = 'v5-graph-llvm-conv1d.tar'; Unprefixed = '' }
        @{ Sample = 'v7-aot-crt-mlp.tar'; Unprefixed = '__ror' }
        @{ Sample = 'v7-graph-magicwand.tar'; Unprefixed = '' }
    )

    # One broken archive per finding this file can write with New-TestTar. Change maps members to new content
    # ($null removes the member); Severity, Module and Member are what the single finding must carry.
    $findingCases = @(
        @{ Id = 'MetadataMissing'; Severity = 'Error'; Module = $null; Member = $null; Change = @{ './metadata.json' = $null } }
        @{ Id = 'MetadataInvalid'; Severity = 'Error'; Module = $null; Member = 'metadata.json'; Change = @{ './metadata.json' = '{"version": 5, "model_name": ' } }
        @{ Id = 'UnsupportedMlfVersion'; Severity = 'Error'; Module = $null; Member = 'metadata.json'; Change = @{ './metadata.json' = '{"version": 99, "modules": {}}' } }
        @{ Id = 'MissingFile'; Severity = 'Error'; Module = 'default'; Member = 'codegen/host/src/default_lib0.c'; Change = @{ './codegen/host/src/default_lib0.c' = $null } }
        @{ Id = 'MissingIrText'; Severity = 'Warning'; Module = 'default'; Member = 'src/relay.txt'; Change = @{ './src/relay.txt' = $null } }
        @{ Id = 'ParamsInvalid'; Severity = 'Error'; Module = 'default'; Member = 'parameters/default.params'; Change = @{ './parameters/default.params' = 'not a params file' } }
        @{
            Id = 'DuplicateFunction'; Severity = 'Error'; Module = 'default'; Member = 'codegen/host/src/default_lib0.c'
            Change = @{ './codegen/host/src/default_lib0.c' = "int tvmgen_default_run(void* in, void* out) { return 0; }`nint tvmgen_default_run(void* in, void* out) { return 1; }`n" }
        }
        @{
            Id = 'InvalidObjectCode'; Severity = 'Error'; Module = 'default'; Member = 'codegen/host/lib/default_lib0.o'
            Change = @{ './codegen/host/lib/default_lib0.o' = "int tvmgen_default_run(void* in, void* out) { return 0; }`n" }
        }
        @{
            Id = 'UnprefixedSymbols'; Severity = 'Information'; Module = 'default'; Member = $null
            Change = @{ './codegen/host/src/default_lib0.c' = "int tvmgen_default_run(void* in, void* out) { return 0; }`nint lookup_table[4];`n" }
        }
    )
}

Describe 'Test-MlfArchive' {
    BeforeAll {
        $manifest = Import-BuiltModule
        $commandName = 'MlfTools.Commands.TestMlfArchiveCommand'

        # A version-5 AOT model as TVM 0.8 writes it: every key its version has, a C source whose one function
        # carries the module prefix, an empty params file (TVM's 32 bytes) and the Relay text.
        $v5Metadata = '{"executors": ["aot"], "export_datetime": "2021-12-14 16:30:04Z", "memory": {"functions": {"main": [{"constants_size_bytes": 0, "device": 1, "io_size_bytes": 8, "workspace_size_bytes": 96}], "operator_functions": []}}, "model_name": "default", "style": "full-model", "target": {"1": "c -keys=cpu"}, "version": 5}'
        # Adding two byte[] in PowerShell gives an object[]: copy the magic into a byte[] of the full size instead.
        $emptyParams = New-Object byte[] 32
        ([byte[]](0xB7, 0x9C, 0x04, 0x05, 0x4F, 0x8D, 0xE5, 0xF7)).CopyTo($emptyParams, 0)

        function Get-ValidEntries {
            $entries = [ordered]@{}
            $entries['./codegen/host/src/default_lib0.c'] = "#include <stdint.h>`nint32_t tvmgen_default_run(void* input, void* output) { return 0; }`n"
            $entries['./metadata.json'] = $v5Metadata
            $entries['./parameters/default.params'] = $emptyParams
            $entries['./src/relay.txt'] = "def @main(%x: Tensor[(1, 1), float32]) { %x }`n"
            $entries
        }

        function New-ModelTar {
            # The valid model with Change applied (member => new content, or $null to leave the member out).
            param([Parameter(Mandatory = $true)] [string] $Path, [System.Collections.IDictionary] $Change = @{})
            $entries = Get-ValidEntries
            foreach ($member in @($Change.Keys)) {
                if ($null -eq $Change[$member]) {
                    $entries.Remove($member)
                }
                else {
                    $entries[$member] = $Change[$member]
                }
            }
            New-TestTar -Path $Path -Entries $entries
        }
    }

    AfterAll {
        Remove-BuiltModule
    }

    Context 'views' {
        It 'has a list view (the default) and a wrapped table view for ArchiveFinding, grouped by archive' {
            # Windows PowerShell 5.1 leaves out views with GroupBy unless -PowerShellVersion says the caller knows them.
            $format = Get-FormatData -TypeName MlfTools.ArchiveFinding -PowerShellVersion 5.1
            $format | Should -Not -BeNullOrEmpty
            $format.FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.ListControl])
            $table = @($format.FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })
            $table | Should -HaveCount 1
            @($table[0].Control.Headers | ForEach-Object Label) | Should -Be @('Severity', 'Id', 'Message')
            $table[0].Control.Rows[0].Wrap | Should -BeTrue
        }
    }

    Context 'the real sample archives' {
        It '<Sample> has nothing wrong, only its unprefixed symbols as information' -ForEach $sampleCases -Skip:(-not $samplesPresent) {
            $archive = Join-Path $samplesRoot $Sample
            $findings = @(Test-MlfArchive -LiteralPath $archive)

            if ($Unprefixed -eq '') {
                $findings | Should -HaveCount 0
            }
            else {
                $findings | Should -HaveCount 1
                $findings[0] | Should -BeOfType 'MlfTools.ArchiveFinding'
                $findings[0].Severity | Should -Be ([MlfTools.FindingSeverity]::Information)
                $findings[0].Id | Should -Be 'UnprefixedSymbols'
                $findings[0].Module | Should -Be 'default'
                $findings[0].Path | Should -Be $archive
                $findings[0].Message | Should -BeLike "*: $Unprefixed.*"
            }
            Test-MlfArchive -LiteralPath $archive -Quiet | Should -BeTrue
        }

        It 'checks every FileInfo from Get-ChildItem (bound by PSPath to -LiteralPath): one Boolean per archive with -Quiet' -Skip:(-not $samplesPresent) {
            $files = @(Get-ChildItem -Path (Join-Path $samplesRoot '*.tar'))
            $results = @($files | Test-MlfArchive -Quiet)

            $results | Should -HaveCount $files.Count
            foreach ($result in $results) {
                $result | Should -BeOfType ([bool])
                $result | Should -BeTrue
            }
        }

        It 'reads path strings from the pipeline by value, expands wildcards and follows the PowerShell location' -Skip:(-not $samplesPresent) {
            @((Join-Path $samplesRoot 'v7-aot-crt-mlp.tar'), (Join-Path $samplesRoot 'v7-aot-muriscvnn-aww.tar') | Test-MlfArchive) | Should -HaveCount 2
            # v7-*: mlp's unprefixed symbols, and aww's TVM 0.11 header size macros.
            $v7 = @(Test-MlfArchive -Path (Join-Path $samplesRoot 'v7-*.tar'))
            @($v7 | ForEach-Object { '{0}:{1}' -f (Split-Path -Leaf $_.Path), $_.Id } | Sort-Object) | Should -Be @(
                'v7-aot-crt-mlp.tar:UnprefixedSymbols'
                'v7-aot-muriscvnn-aww.tar:MetadataMismatch'
            )

            Push-Location -LiteralPath $samplesRoot
            try {
                $findings = @(Test-MlfArchive -Path 'v7-aot-crt-mlp.tar')
            }
            finally {
                Pop-Location
            }
            $findings | Should -HaveCount 1
            $findings[0].Path | Should -Be (Join-Path $samplesRoot 'v7-aot-crt-mlp.tar')
        }

        It '-MinimumSeverity leaves out the findings below it; -Quiet still answers for errors only' -Skip:(-not $samplesPresent) {
            $all = @(Get-ChildItem -Path (Join-Path $samplesRoot '*.tar') | Test-MlfArchive)
            @($all | Where-Object Severity -eq 'Information') | Should -Not -HaveCount 0
            $warnings = @(Get-ChildItem -Path (Join-Path $samplesRoot '*.tar') | Test-MlfArchive -MinimumSeverity Warning)
            @($warnings | ForEach-Object Id) | Should -Be @($all | Where-Object Severity -ne 'Information' | ForEach-Object Id)
            @($warnings | Where-Object Severity -eq 'Information') | Should -HaveCount 0
            @(Get-ChildItem -Path (Join-Path $samplesRoot '*.tar') | Test-MlfArchive -MinimumSeverity Error) | Should -HaveCount 0
            Test-MlfArchive -LiteralPath (Join-Path $samplesRoot 'v7-aot-muriscvnn-aww.tar') -MinimumSeverity Error -Quiet | Should -BeTrue
            { Test-MlfArchive -LiteralPath (Join-Path $samplesRoot 'v7-aot-crt-mlp.tar') -MinimumSeverity Fatal } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,MlfTools.Commands.TestMlfArchiveCommand'
        }
    }

    Context 'system-lib registries the C runtime would misread' {
        BeforeAll {
            function Expand-Magicwand {
                # v7-graph-magicwand.tar extracted, with its lib0.c (the function registry) edited by Edit.
                param([Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [scriptblock] $Edit)
                $tree = Expand-MlfArchive -Path (Join-Path $samplesRoot 'v7-graph-magicwand.tar') -DestinationPath (Join-Path $TestDrive $Name) -PassThru
                $lib0 = Join-Path $tree.FullName 'codegen/host/src/default_lib0.c'
                $text = [System.IO.File]::ReadAllText($lib0)
                $edited = & $Edit $text
                $edited | Should -Not -Be $text
                [System.IO.File]::WriteAllText($lib0, $edited)
                $tree.FullName
            }
        }

        It 'reports a one-byte registry count in a version 7 archive as RegistryCountMismatch' -Skip:(-not $samplesPresent) {
            $folder = Expand-Magicwand -Name 'one-byte-count' -Edit { param($c) $c.Replace('"\n\000tvmgen_default_', '"\ntvmgen_default_') }

            $findings = @(Test-MlfArchive -LiteralPath $folder | Where-Object Id -NE 'UnprefixedSymbols')

            $findings | Should -HaveCount 1
            $findings[0].Id | Should -Be 'RegistryCountMismatch'
            $findings[0].Severity | Should -Be ([MlfTools.FindingSeverity]::Error)
            $findings[0].Member | Should -Be 'codegen/host/src/default_lib0.c'
            $findings[0].Message | Should -BeLike '*one-byte function count*reads two-byte*'
            Test-MlfArchive -LiteralPath $folder -Quiet | Should -BeFalse
        }

        It 'reports a graph function missing from the registry as UnregisteredFunction' -Skip:(-not $samplesPresent) {
            $folder = Expand-Magicwand -Name 'unregistered' -Edit { param($c) $c.Replace('"\n\000tvmgen_', '"\t\000tvmgen_').Replace('\000tvmgen_default_fused_nn_softmax\000', '\000') }

            $findings = @(Test-MlfArchive -LiteralPath $folder | Where-Object Id -NE 'UnprefixedSymbols')

            $findings | Should -HaveCount 1
            $findings[0].Id | Should -Be 'UnregisteredFunction'
            $findings[0].Severity | Should -Be ([MlfTools.FindingSeverity]::Error)
            $findings[0].Message | Should -BeLike '*does not list: tvmgen_default_fused_nn_softmax.*'
        }

        It 'reports a registry whose count disagrees with its names as FunctionRegistryInvalid, and Join-MlfArchive refuses it' -Skip:(-not $samplesPresent) {
            # Ten names, count eleven: the runtime's index check lets it read past the function array.
            $folder = Expand-Magicwand -Name 'count-eleven' -Edit { param($c) $c.Replace('"\n\000tvmgen_default_', '"\013\000tvmgen_default_') }

            $findings = @(Test-MlfArchive -LiteralPath $folder | Where-Object Id -NE 'UnprefixedSymbols')

            $findings | Should -HaveCount 1
            $findings[0].Id | Should -Be 'FunctionRegistryInvalid'
            $findings[0].Severity | Should -Be ([MlfTools.FindingSeverity]::Error)
            $findings[0].Member | Should -Be 'codegen/host/src/default_lib0.c'
            $findings[0].Message | Should -BeLike '*count is 11 and 10 name(s) follow*'

            $out = Join-Path $TestDrive 'count-eleven-joined.tar'
            { Join-MlfArchive -LiteralPath $folder -DestinationPath $out } | Should -Throw -ErrorId 'FunctionRegistryInvalid,MlfTools.Commands.JoinMlfArchiveCommand'
            Test-Path -LiteralPath $out | Should -BeFalse
        }
    }

    Context 'what one metadata.json can cost' {
        It 'names 200,000 keys TVM never writes in one finding with their count' {
            $folder = Join-Path $TestDrive 'many-keys'
            $null = New-Item -ItemType Directory -Path $folder
            $keys = [System.Text.StringBuilder]::new()
            foreach ($i in 0..199999) { $null = $keys.Append('"extra_').Append($i).Append('": 0, ') }
            $metadata = '{"modules": {"default": {' + $keys.ToString() + '"executors": ["aot"], "export_datetime": "2022-01-01 00:00:00Z", "memory": {"functions": {"main": [], "operator_functions": []}}, "model_name": "default", "style": "full-model", "target": ["c"]}}, "version": 7}'
            [System.IO.File]::WriteAllText((Join-Path $folder 'metadata.json'), $metadata)

            $unknown = @(Test-MlfArchive -LiteralPath $folder | Where-Object Id -EQ 'UnknownMetadataKey')

            $unknown | Should -HaveCount 1
            $unknown[0].Message | Should -BeLike "*has 200,000 keys for module 'default' in its entry*'extra_9' (the first 10)*"
        }
    }

    Context 'archives broken one way' {
        It 'gives nothing for the unbroken archive, and $true with -Quiet' {
            $archive = New-ModelTar -Path (Join-Path $TestDrive 'valid.tar')

            @(Test-MlfArchive -Path $archive) | Should -HaveCount 0
            Test-MlfArchive -Path $archive -Quiet | Should -BeTrue
        }

        It 'reports <Id> (<Severity>) for its one defect, as an object and not as an error' -ForEach $findingCases {
            $archive = New-ModelTar -Path (Join-Path $TestDrive "$Id.tar") -Change $Change
            $ev = $null

            $findings = @(Test-MlfArchive -Path $archive -ErrorVariable ev)

            @($ev) | Should -HaveCount 0
            $findings | Should -HaveCount 1
            $findings[0] | Should -BeOfType 'MlfTools.ArchiveFinding'
            $findings[0].Id | Should -Be $Id
            $findings[0].Severity | Should -Be ([MlfTools.FindingSeverity]$Severity)
            $findings[0].Module | Should -Be $Module
            $findings[0].Member | Should -Be $Member
            $findings[0].Path | Should -Be $archive
            $findings[0].Message | Should -Not -BeNullOrEmpty
            Test-MlfArchive -Path $archive -Quiet | Should -Be ($Severity -ne 'Error')
        }

        It 'reports a file that is no archive as one InvalidArchive finding and goes on with the next archive' {
            $bad = New-RandomTextFile -Path (Join-Path $TestDrive 'random.tar')
            $good = New-ModelTar -Path (Join-Path $TestDrive 'good.tar')
            $ev = $null

            $findings = @(Test-MlfArchive -Path $bad, $good -ErrorVariable ev)

            @($ev) | Should -HaveCount 0
            $findings | Should -HaveCount 1
            $findings[0].Id | Should -Be 'InvalidArchive'
            $findings[0].Path | Should -Be $bad
            @(Test-MlfArchive -Path $bad, $good -Quiet) | Should -Be @($false, $true)
        }

        It 'reports a member that climbs out of the archive as UnsafeArchiveEntry' {
            $entries = Get-ValidEntries
            $entries['../evil.c'] = "int evil;`n"
            $archive = New-TestTar -Path (Join-Path $TestDrive 'unsafe.tar') -Entries $entries

            $findings = @(Test-MlfArchive -Path $archive)

            $findings | Should -HaveCount 1
            $findings[0].Id | Should -Be 'UnsafeArchiveEntry'
            $findings[0].Severity | Should -Be ([MlfTools.FindingSeverity]::Error)
        }

        It 'reports the lib0.c TVM writes for AOT with the C interface and system-lib as ConflictingFunctionTypes' {
            $lib0 = @'
#include <tvm/runtime/crt/module.h>
#ifdef __cplusplus
extern "C"
#endif
TVM_DLL int32_t tvmgen_default_run(TVMValue* args, int* type_code, int num_args, TVMValue* out_value, int* out_type_code, void* resource_handle);
static TVMBackendPackedCFunc _tvm_func_array[] = {
    (TVMBackendPackedCFunc)tvmgen_default_run,
};
static const TVMFuncRegistry _tvm_func_registry = {
    "\001\000tvmgen_default_run\000",    _tvm_func_array,
};
#include <tvmgen_default.h>
TVM_DLL int32_t tvmgen_default___tvm_main__(void* input,void* output0);
int32_t tvmgen_default_run(struct tvmgen_default_inputs* inputs,struct tvmgen_default_outputs* outputs) {return tvmgen_default___tvm_main__(inputs->input,outputs->output);
}
'@
            $archive = New-ModelTar -Path (Join-Path $TestDrive 'system-lib.tar') -Change @{ './codegen/host/src/default_lib0.c' = $lib0 }

            $findings = @(Test-MlfArchive -Path $archive)

            $findings | Should -HaveCount 1
            $findings[0].Id | Should -Be 'ConflictingFunctionTypes'
            $findings[0].Member | Should -Be 'codegen/host/src/default_lib0.c'
            $findings[0].Message | Should -BeLike "*'tvmgen_default_run' with 6 parameters (line 5) and with 2 parameters (line 14)*system-lib*"
        }

        It 'checks an extracted archive folder given to -LiteralPath' {
            $folder = Join-Path $TestDrive 'extracted'
            $entries = Get-ValidEntries
            foreach ($member in $entries.Keys) {
                $path = Join-Path $folder $member.Substring(2)
                $null = New-Item -Path (Split-Path -Parent $path) -ItemType Directory -Force
                $content = $entries[$member]
                if ($content -isnot [byte[]]) {
                    $content = [System.Text.Encoding]::UTF8.GetBytes([string]$content)
                }
                [System.IO.File]::WriteAllBytes($path, $content)
            }

            @(Test-MlfArchive -LiteralPath $folder) | Should -HaveCount 0

            Remove-Item -LiteralPath (Join-Path $folder 'src/relay.txt')
            $findings = @(Test-MlfArchive -LiteralPath $folder)
            $findings | Should -HaveCount 1
            $findings[0].Id | Should -Be 'MissingIrText'
        }

        It 'asks no params file of an AOT model: its weights are compiled into the code' {
            # TVM writes an empty params file for AOT builds; one without it still builds and runs.
            $archive = New-ModelTar -Path (Join-Path $TestDrive 'aot-no-params.tar') -Change @{ './parameters/default.params' = $null }

            @(Test-MlfArchive -Path $archive) | Should -HaveCount 0
            Test-MlfArchive -Path $archive -Quiet | Should -BeTrue
        }

        It 'takes a file name with wildcard characters literally (-LiteralPath, -LP, Get-Item)' {
            $archive = New-ModelTar -Path (Join-Path $TestDrive 'model[1].tar') -Change @{ './src/relay.txt' = $null }

            @(Test-MlfArchive -LiteralPath $archive).Id | Should -Be 'MissingIrText'
            @(Test-MlfArchive -LP $archive).Id | Should -Be 'MissingIrText'
            @(Get-Item -LiteralPath $archive | Test-MlfArchive).Id | Should -Be 'MissingIrText'
        }

        It 'writes nothing and leaves the archive byte for byte as it was' {
            $archive = New-ModelTar -Path (Join-Path $TestDrive 'untouched.tar') -Change @{ './parameters/default.params' = $null }
            $hash = (Get-FileHash -LiteralPath $archive).Hash
            $before = @(Get-ChildItem -LiteralPath $TestDrive -Recurse | ForEach-Object FullName)

            $null = Test-MlfArchive -Path $archive

            (Get-FileHash -LiteralPath $archive).Hash | Should -Be $hash
            @(Get-ChildItem -LiteralPath $TestDrive -Recurse | ForEach-Object FullName) | Should -Be $before
        }
    }

    Context 'errors' {
        It 'reports a path that does not exist as a non-terminating PathNotFound and checks the others' {
            $missing = Join-Path $TestDrive 'does-not-exist.tar'
            $good = New-ModelTar -Path (Join-Path $TestDrive 'present.tar')
            $ev = $null

            $results = @(Test-MlfArchive -Path $missing, $good -Quiet -ErrorAction SilentlyContinue -ErrorVariable ev)

            $results | Should -Be @($true)
            @($ev) | Should -HaveCount 1
            $record = Get-ErrorRecord $ev[0]
            $record.FullyQualifiedErrorId | Should -Be "PathNotFound,$commandName"
            $record.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $record.TargetObject | Should -BeLike '*does-not-exist.tar'

            { Test-MlfArchive -LiteralPath $missing -ErrorAction Stop } | Should -Throw -ErrorId "PathNotFound,$commandName"
        }

        It 'reports a -ModuleName that matches no module as a non-terminating ModuleNotFound, and a wildcard that matches none as nothing' {
            $archive = New-ModelTar -Path (Join-Path $TestDrive 'modules.tar')
            $ev = $null

            $findings = @(Test-MlfArchive -Path $archive -ModuleName nosuch -ErrorAction SilentlyContinue -ErrorVariable ev)

            $findings | Should -HaveCount 0
            @($ev) | Should -HaveCount 1
            $record = Get-ErrorRecord $ev[0]
            $record.FullyQualifiedErrorId | Should -Be "ModuleNotFound,$commandName"
            $record.TargetObject | Should -Be $archive

            $ev = $null
            @(Test-MlfArchive -Path $archive -ModuleName 'no*' -ErrorVariable ev) | Should -HaveCount 0
            @($ev) | Should -HaveCount 0
            @(Test-MlfArchive -Path $archive -ModuleName 'def*' -Quiet) | Should -Be @($true)
        }

        It 'reports only the named modules of a multi-module archive' {
            $modules = '{"version": 7, "modules": {' +
                '"kws": {"executors": ["aot"], "export_datetime": "2023-01-25 21:07:31Z", "memory": {"functions": {"main": [{"constants_size_bytes": 0, "device": 1, "io_size_bytes": 8, "workspace_size_bytes": 0}], "operator_functions": []}}, "model_name": "kws", "style": "full-model", "target": ["c -keys=cpu"]},' +
                '"vww": {"executors": ["aot"], "export_datetime": "2023-01-25 21:07:31Z", "memory": {"functions": {"main": [{"constants_size_bytes": 0, "device": 1, "io_size_bytes": 8, "workspace_size_bytes": 0}], "operator_functions": []}}, "model_name": "vww", "style": "full-model", "target": ["c -keys=cpu"]}}}'
            $archive = New-TestTar -Path (Join-Path $TestDrive 'two.tar') -Entries ([ordered]@{
                    './codegen/host/src/kws_lib0.c' = "int tvmgen_kws_run(void* i, void* o) { return 0; }`n"
                    './metadata.json'               = $modules
                    './parameters/kws.params'       = $emptyParams
                    './src/kws.relay'               = "def @main() { 0 }`n"
                    './src/vww.relay'               = "def @main() { 0 }`n"
                })

            $all = @(Test-MlfArchive -Path $archive)
            $all | Should -HaveCount 1
            $all[0].Module | Should -Be 'vww'
            $all[0].Member | Should -Be 'codegen/host/src/vww_lib0.c'

            @(Test-MlfArchive -Path $archive -ModuleName kws) | Should -HaveCount 0
            @(Test-MlfArchive -Path $archive -ModuleName kws -Quiet) | Should -Be @($true)
            @(Test-MlfArchive -Path $archive -ModuleName v* -Quiet) | Should -Be @($false)
        }
    }

    Context 'modules from New-MlfModule' {
        BeforeAll {
            # Two AOT modules (no params file needed); vww defines its run function twice, so only vww has a finding.
            $twoModules = '{"version": 7, "modules": {' +
                '"kws": {"executors": ["aot"], "export_datetime": "2023-01-25 21:07:31Z", "memory": {"functions": {"main": [{"constants_size_bytes": 0, "device": 1, "io_size_bytes": 8, "workspace_size_bytes": 0}], "operator_functions": []}}, "model_name": "kws", "style": "full-model", "target": ["c -keys=cpu"]},' +
                '"vww": {"executors": ["aot"], "export_datetime": "2023-01-25 21:07:31Z", "memory": {"functions": {"main": [{"constants_size_bytes": 0, "device": 1, "io_size_bytes": 8, "workspace_size_bytes": 0}], "operator_functions": []}}, "model_name": "vww", "style": "full-model", "target": ["c -keys=cpu"]}}}'
            $pipedFolder = New-TestFolder -Name piped
            $two = New-TestTar -Path (Join-Path $pipedFolder 'two [modules].tar') -Entries ([ordered]@{
                    './codegen/host/src/kws_lib0.c' = "int tvmgen_kws_run(void* i, void* o) { return 0; }`n"
                    './codegen/host/src/vww_lib0.c' = "int tvmgen_vww_run(void* i, void* o) { return 0; }`nint tvmgen_vww_run(void* i, void* o) { return 1; }`n"
                    './metadata.json'               = $twoModules
                    './parameters/kws.params'       = $emptyParams
                    './src/kws.relay'               = "def @main() { 0 }`n"
                    './src/vww.relay'               = "def @main() { 0 }`n"
                })
        }

        It 'checks a piped module''s archive for that module only, as -ModuleName does' {
            $kws = @(New-MlfModule -LiteralPath $two -ModuleName kws | Test-MlfArchive)
            $vww = @(New-MlfModule -LiteralPath $two -ModuleName vww | Test-MlfArchive)

            $kws | Should -HaveCount 0
            $vww | Should -HaveCount 1
            $vww[0].Module | Should -Be 'vww'
            $vww[0].Id | Should -Be 'DuplicateFunction'
            $vww[0].Member | Should -Be 'codegen/host/src/vww_lib0.c'
            $vww[0].Archive | Should -Be (@(Test-MlfArchive -LiteralPath $two -ModuleName vww))[0].Archive
        }

        It 'gives one Boolean per module with -Quiet, in pipeline order' {
            @(New-MlfModule -LiteralPath $two | Test-MlfArchive -Quiet) | Should -Be @($true, $false)
            @(New-MlfModule -LiteralPath $two -ModuleName vww, kws | Test-MlfArchive -Quiet) | Should -Be @($true, $false)
        }

        It 'checks the module under the name its archive gives it, not the new name from -Name' {
            $renamed = New-MlfModule -LiteralPath $two -ModuleName vww -Name camera

            $findings = @($renamed | Test-MlfArchive)

            $findings | Should -HaveCount 1
            $findings[0].Module | Should -Be 'vww'
        }

        It 'takes modules from several archives in one pipeline' {
            $single = New-ModelTar -Path (Join-Path $pipedFolder 'single.tar')

            $results = @(New-MlfModule -LiteralPath $single, $two | Test-MlfArchive -Quiet)

            $results | Should -Be @($true, $true, $false)
        }

        It 'checks the real samples through the pipeline as by path' -Skip:(-not $samplesPresent) {
            $samples = @(Get-ChildItem -LiteralPath $samplesRoot -Filter *.tar | Sort-Object Name)

            $piped = @($samples | New-MlfModule | Test-MlfArchive | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.Archive, $_.Id, $_.Module, $_.Member })
            $byPath = @($samples | Test-MlfArchive | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.Archive, $_.Id, $_.Module, $_.Member })

            $piped | Should -Be $byPath
        }

        It 'refuses -ModuleName together with a piped module: ConflictingParameters, terminating, naming the archive' {
            $module = New-MlfModule -LiteralPath $two -ModuleName kws

            $record = { $module | Test-MlfArchive -ModuleName kws -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId "ConflictingParameters,$commandName" -PassThru

            $record.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $record.TargetObject | Should -Be $module.SourcePath
            $record.Exception.Message | Should -BeLike '*New-MlfModule -ModuleName*'
        }
    }
}
