#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Drives the real Get-MlfMemoryReport cmdlet of the BUILT module (out/MlfTools, made by every `dotnet build`; run
# ./build.ps1 first). The real archives are read from ../shared/mlf-samples beside the repository (or MLFTOOLS_SAMPLES); where that folder
# is absent the tests that need them are skipped. Expected figures come from each archive's own metadata (as
# New-MlfModule exposes it, unchanged) or are the numbers written in the archives, quoted in the tests.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    Write-SamplesMissingWarning -Skipped 'read real MLF archives'

    # -Compiler tests run the real compilers, where they are installed (.ci/run installs them).
    $gccPresent = [bool](Get-Command gcc -CommandType Application -ErrorAction SilentlyContinue)
    $armGccPresent = [bool](Get-Command arm-none-eabi-gcc -CommandType Application -ErrorAction SilentlyContinue)
    $arPresent = [bool](Get-Command ar -CommandType Application -ErrorAction SilentlyContinue)
    # Fake compilers are shell scripts, and processes are looked at with ps and signalled with kill.
    $onUnix = $PSVersionTable.Platform -eq 'Unix'

    # v<MLF version>-<executor>-<model>.tar
    $sampleCases = foreach ($sample in @('v4-graph-yesno.tar', 'v5-aot-sine.tar', 'v5-graph-llvm-conv1d.tar', 'v7-aot-crt-mlp.tar', 'v7-graph-magicwand.tar')) {
        $null = $sample -match '^v(\d+)-(graph|aot)-'
        @{ Sample = $sample; Executor = $Matches[2] }
    }
}

Describe 'Get-MlfMemoryReport' {
    BeforeAll {
        $manifest = Import-BuiltModule

        $commandName = 'MlfTools.Commands.GetMlfMemoryReportCommand'
        $magicwand = Join-Path $samplesRoot 'v7-graph-magicwand.tar'
        $sine = Join-Path $samplesRoot 'v5-aot-sine.tar'
        $mlp = Join-Path $samplesRoot 'v7-aot-crt-mlp.tar'
        $aww = Join-Path $samplesRoot 'v7-aot-muriscvnn-aww.tar'
        $kws = Join-Path $samplesRoot 'v6-aot-kws.tar'

    }

    AfterAll {
        Remove-BuiltModule
    }

    Context 'reports of the real sample archives' {
        It 'reports <Sample> as one CPU report whose metadata figures are the archive''s own' -ForEach $sampleCases -Skip:(-not $samplesPresent) {
            $archive = Join-Path $samplesRoot $Sample
            $main = (New-MlfModule -LiteralPath $archive).Metadata['memory']['functions']['main'][0]

            $reports = @(Get-MlfMemoryReport -LiteralPath $archive)

            $reports | Should -HaveCount 1
            $report = $reports[0]
            $report | Should -BeOfType 'MlfTools.MemoryReport'
            $report.Module | Should -Be 'default'
            $report.Archive | Should -Be $archive
            $report.Executor | Should -Be $Executor
            $report.DeviceType | Should -Be 1
            $report.Device | Should -Be 'CPU'
            $report.IsTotal | Should -BeFalse
            $report.WorkspaceBytes | Should -Be $main['workspace_size_bytes']
            $report.ConstantsBytes | Should -Be $main['constants_size_bytes']
            $report.IoBytes | Should -Be $main['io_size_bytes']
            $report.WorkspaceBytes | Should -BeOfType ([long])
            if ($Executor -eq 'graph') {
                $report.SidsBytes | Should -BeGreaterThan 0
                $report.GraphStorageBytes | Should -BeGreaterThan 0
            }
            else {
                $report.SidsBytes | Should -BeNullOrEmpty
                $report.GraphStorageBytes | Should -BeNullOrEmpty
            }
        }

        It 'gives magicwand''s figures in bytes, the computed ones beside the metadata''s' -Skip:(-not $samplesPresent) {
            $report = Get-MlfMemoryReport -Path $magicwand

            $report.WorkspaceBytes | Should -Be 28128
            $report.ConstantsBytes | Should -Be 17200
            $report.IoBytes | Should -Be 1552
            $report.SidsBytes | Should -Be 36640
            $report.GraphStorageBytes | Should -Be 32448
            $report.ParametersBytes | Should -Be 17200
            $report.ParameterCount | Should -Be 8
            @($report.Inputs) | Should -HaveCount 1
            $report.Inputs[0].Name | Should -Be 'conv2d_input'
            $report.Inputs[0].DType | Should -Be 'float32'
            $report.Inputs[0].Bytes | Should -Be 1536
            $report.Outputs[0].Name | Should -Be 'Identity'
            @($report.Functions) | Should -HaveCount 9
        }

        It 'reports a module from a folder whose memory section is malformed as MetadataInvalid and goes on' -Skip:(-not $samplesPresent) {
            $bad = New-MlfTestArchive -AsFolder -Path (Join-Path $TestDrive 'bad-memory') -Memory '{"functions":{"main":[{"device":"cpu"}]}}'
            $ev = $null

            $reports = @(Get-MlfMemoryReport -LiteralPath $bad, $sine -ErrorAction SilentlyContinue -ErrorVariable ev)

            $reports | Should -HaveCount 1
            $reports[0].Archive | Should -Be $sine
            @($ev) | Should -HaveCount 1
            $ev[0].FullyQualifiedErrorId | Should -Be "MetadataInvalid,$commandName"
            $ev[0].TargetObject | Should -Be $bad
        }

        It 'keeps reading the other inputs after one cannot be read' -Skip:(-not $samplesPresent) {
            $notAnArchive = Join-Path $TestDrive 'not-an-archive.tar'
            [System.IO.File]::WriteAllText($notAnArchive, ('x' * 2000))
            $ev = $null

            $reports = @(Get-MlfMemoryReport -LiteralPath $notAnArchive, $sine -ErrorAction SilentlyContinue -ErrorVariable ev)

            $reports | Should -HaveCount 1
            @($ev) | Should -HaveCount 1
            $ev[0].FullyQualifiedErrorId | Should -Be "InvalidArchive,$commandName"
        }

        It 'reports an operator-style module with no parameters' {
            $operator = New-MlfTestArchive -AsFolder -Path (Join-Path $TestDrive 'operator') -Style 'operator' -Executors '[]' `
                -Memory '{"add":[{"size_bytes":8,"shape":[2],"dtype":"float32","input_binding":"A"},{"size_bytes":8,"shape":[2],"dtype":"float32","input_binding":"B"}]}'

            $reports = @(Get-MlfMemoryReport -LiteralPath $operator)

            $reports | Should -HaveCount 1
            $reports[0].ParametersBytes | Should -BeNullOrEmpty
            $reports[0].IoBytes | Should -Be 16
            $reports[0].WorkspaceBytes | Should -BeNullOrEmpty
        }
    }

    Context 'views' {
        It 'shows KiB columns in the default table view' -Skip:(-not $samplesPresent) {
            $text = Get-MlfMemoryReport -Path $magicwand | Format-Table | Out-String -Width 200

            $text | Should -Match 'KiB'
            $text | Should -Match '27\.5 KiB'
            foreach ($column in @('Module', 'RAM', 'Flash', 'Code', 'Workspace', 'Used%')) {
                $text | Should -Match $column
            }
        }

        It 'is the default view: plain output is the table' -Skip:(-not $samplesPresent) {
            $text = Get-MlfMemoryReport -Path $magicwand | Out-String

            $text | Should -Match 'Flash'
            $text | Should -Match '27\.5 KiB'
        }

        It 'shows every property in the list view, bytes with their size' -Skip:(-not $samplesPresent) {
            $text = Get-MlfMemoryReport -Path $magicwand | Format-List | Out-String

            foreach ($property in @('Module', 'Archive', 'Executor', 'DeviceType', 'Device', 'WorkspaceBytes', 'ConstantsBytes', 'CodeConstantsBytes', 'IoBytes', 'InputBytes',
                    'OutputBytes', 'WeightsIn', 'ArenaBytes', 'RamBytes', 'FlashBytes', 'CodeBytes', 'ReadOnlyDataBytes', 'DataBytes', 'ZeroInitBytes', 'SidsBytes',
                    'Inputs', 'Outputs', 'Functions', 'ParametersBytes', 'ParameterCount', 'GraphStorageBytes', 'IsTotal', 'Budgets', 'UsedPercent', 'Status')) {
                $text | Should -Match "$property\s*:"
            }
            $text | Should -Match '28128 \(27\.5 KiB\)'
            $text | Should -Match 'conv2d_input float32'
        }

        It 'shows function reports as a table with KiB' -Skip:(-not $samplesPresent) {
            $text = Get-MlfMemoryReport -Path $magicwand -ByFunction | Format-Table | Out-String

            $text | Should -Match '14\.0 KiB'
            $text | Should -Match 'tvmgen_default_fused_nn_dense_add_nn_relu'
        }
    }

    Context '-ByFunction' {
        It 'emits one FunctionMemoryReport per operator function, largest first, ties by name' -Skip:(-not $samplesPresent) {
            $functions = @(Get-MlfMemoryReport -Path $magicwand -ByFunction)

            $functions | Should -HaveCount 9
            $functions | Should -BeOfType 'MlfTools.FunctionMemoryReport'
            @($functions | ForEach-Object Function) | Should -Be @(
                'tvmgen_default_fused_nn_dense_add_nn_relu'
                'tvmgen_default_fused_nn_conv2d_add_nn_relu'
                'tvmgen_default_fused_nn_conv2d_add_nn_relu_1'
                'tvmgen_default_fused_nn_dense_add'
                'tvmgen_default_fused_nn_softmax'
                'tvmgen_default_fused_nn_max_pool2d'
                'tvmgen_default_fused_nn_max_pool2d_1'
                'tvmgen_default_fused_reshape'
                'tvmgen_default_fused_reshape_1'
            )
            @($functions | ForEach-Object WorkspaceBytes) | Should -Be @(14368, 2640, 1456, 272, 48, 0, 0, 0, 0)
            foreach ($function in $functions) {
                $function.Module | Should -Be 'default'
                $function.DeviceType | Should -Be 1
                $function.Device | Should -Be 'CPU'
            }
        }
    }

    Context '-Total' {
        It 'adds one total per device over every module of every archive, after them' -Skip:(-not $samplesPresent) {
            $reports = @(Get-MlfMemoryReport -Path $magicwand, $sine -Total)

            $reports | Should -HaveCount 3
            @($reports | ForEach-Object Module) | Should -Be @('default', 'default', '(total)')
            @($reports | ForEach-Object IsTotal) | Should -Be @($false, $false, $true)
            $reports[2].Archive | Should -BeNullOrEmpty
            $reports[2].Device | Should -Be 'CPU'
            $reports[2].WorkspaceBytes | Should -Be (28128 + 1184)
            $reports[2].ConstantsBytes | Should -Be ($reports[0].ConstantsBytes + $reports[1].ConstantsBytes)
            $reports[2].FlashBytes | Should -Be ($reports[0].FlashBytes + $reports[1].FlashBytes)
            # sine (TVM 0.8 AOT) states no input or output sizes in metadata: they come from its header and Relay text.
            $reports[1].RamBytes | Should -Be (1184 + 4 + 4)
            $reports[2].RamBytes | Should -Be (94144 + 1192)
        }

        It 'totals modules from New-MlfModule in the order they arrive, one archive per command for per-archive totals' -Skip:(-not $samplesPresent) {
            $modules = @(New-MlfModule -Path $magicwand, $sine, $magicwand)

            $reports = @($modules | Get-MlfMemoryReport -Total)

            @($reports | ForEach-Object { '{0}:{1}' -f [System.IO.Path]::GetFileName($_.Archive), $_.Module }) | Should -Be @(
                'v7-graph-magicwand.tar:default'
                'v5-aot-sine.tar:default'
                'v7-graph-magicwand.tar:default'
                ':(total)'
            )
            $reports[3].WorkspaceBytes | Should -Be (2 * 28128 + 1184)

            $perArchive = @($magicwand, $sine | ForEach-Object { Get-MlfMemoryReport -LiteralPath $_ -Total } | Where-Object IsTotal)
            @($perArchive | ForEach-Object Archive) | Should -Be @($magicwand, $sine)
        }

        It 'with -Compiler, compiles the C runtime once, shows it as a (runtime) row just before the total and counts it there once' -Skip:(-not ($samplesPresent -and $gccPresent)) {
            # magicwand (graph executor) carries no runtime/, and its code needs the C runtime's headers: taken from mlp.
            $null = Expand-MlfArchive -LiteralPath $mlp -DestinationPath (Join-Path $TestDrive 'mlp')
            $headers = Join-Path $TestDrive 'mlp/runtime/include'

            $reports = @(Get-MlfMemoryReport -LiteralPath $kws, $magicwand, $kws -Total -Compiler gcc -CompilerArgument '-Os' -IncludePath $headers -WarningVariable warnings)

            @($reports | ForEach-Object Module) | Should -Be @('default', 'default', 'default', '(runtime)', '(total)')
            @($reports | ForEach-Object IsRuntime) | Should -Be @($false, $false, $false, $true, $false)
            $runtime = $reports[3]
            $runtime.Archive | Should -Be $kws
            $runtime.Device | Should -Be 'CPU'
            $runtime.FlashBytes | Should -Be ($runtime.CodeBytes + $runtime.ReadOnlyDataBytes + $runtime.DataBytes)
            $runtime.RamBytes | Should -Be ($runtime.DataBytes + $runtime.ZeroInitBytes)
            $reports[4].CodeBytes | Should -Be (($reports[0..3] | Measure-Object -Property CodeBytes -Sum).Sum)
            $warnings | Should -BeNullOrEmpty
            ($reports | Format-Table | Out-String -Width 200) | Should -Match '\(runtime\)'
        }

        It 'warns when the archives carry different C runtimes, naming them and the one the total counts' -Skip:(-not ($samplesPresent -and $armGccPresent)) {
            # Debian's arm-none-eabi-gcc needs -D__int64_t_defined=1 for the runtime's PRIu64 (see the help of -CompilerArgument).
            $reports = @(Get-MlfMemoryReport -LiteralPath $kws, $mlp -Total -Compiler arm-none-eabi-gcc -CompilerArgument '-mcpu=cortex-m7', '-mthumb', '-Os', '-D__int64_t_defined=1' -WarningVariable warnings -WarningAction SilentlyContinue)

            @($reports | ForEach-Object Module) | Should -Be @('default', 'default', '(runtime)', '(runtime)', '(total)')
            $runtimes = @($reports | Where-Object IsRuntime)
            @($runtimes | ForEach-Object Archive) | Should -Be @($kws, $mlp)
            $larger = $runtimes | Sort-Object -Property FlashBytes -Descending | Select-Object -First 1
            $reports[4].FlashBytes | Should -Be ($reports[0].FlashBytes + $reports[1].FlashBytes + $larger.FlashBytes)
            $warnings | Should -HaveCount 1
            $text = "$($warnings[0])"
            $text | Should -BeLike "*'$kws' (TVM 0.9.dev*"
            $text | Should -BeLike "*'$mlp' (TVM 0.13.dev0)*"
            $text | Should -BeLike "*counts the largest: the C runtime of '$($larger.Archive)'*"
        }

        It 'warns that the total leaves the C runtime out when no archive carries one' -Skip:(-not ($samplesPresent -and $gccPresent)) {
            $null = Expand-MlfArchive -LiteralPath $mlp -DestinationPath (Join-Path $TestDrive 'mlp-headers')

            $reports = @(Get-MlfMemoryReport -LiteralPath $magicwand -Total -Compiler gcc -IncludePath (Join-Path $TestDrive 'mlp-headers/runtime/include') -WarningVariable warnings -WarningAction SilentlyContinue)

            @($reports | ForEach-Object Module) | Should -Be @('default', '(total)')
            $reports[1].CodeBytes | Should -Be $reports[0].CodeBytes
            $warnings | Should -HaveCount 1
            "$($warnings[0])" | Should -BeLike '*leaves it out*No -Compiler or -IncludePath can add it*'
        }
    }

    Context 'an untrusted compiler' {
        BeforeAll {
            function New-CompilerScript {
                # An executable shell script; "$PIDS" in Body is the folder where it records process ids, one per line, in 'all'.
                param([Parameter(Mandatory = $true)] [string] $Path, [Parameter(Mandatory = $true)] [string] $Body, [string] $Pids = $TestDrive)
                [System.IO.File]::WriteAllText($Path, "#!/bin/sh`nPIDS='$Pids'`n$Body")
                & chmod +x $Path
                $Path
            }

            function Get-RecordedPid {
                param([Parameter(Mandatory = $true)] [string] $Folder)
                $file = Join-Path $Folder 'all'
                if (Test-Path -LiteralPath $file) { @(Get-Content -LiteralPath $file | Where-Object { $_.Trim() } | ForEach-Object { [int]$_ }) } else { @() }
            }

            function Get-LiveProcess {
                # The ids of those processes that still run (ps lists them and they are no zombies), after up to 10 seconds for a kill to land.
                param([int[]] $Id)
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                do {
                    $alive = @($Id | Where-Object { $state = & ps -o stat= -p $_ 2>$null; $state -and -not "$state".Trim().StartsWith('Z') })
                    if ($alive.Count -eq 0) { return @() }
                    Start-Sleep -Milliseconds 100
                } while ([DateTime]::UtcNow -lt $deadline)
                $alive
            }
        }

        AfterEach {
            # Whatever a failed test left running is ended, so that no test leaves a process behind.
            foreach ($file in @(Get-ChildItem -LiteralPath $TestDrive -Recurse -File -Filter 'all')) {
                foreach ($id in @(Get-Content -LiteralPath $file.FullName)) { & kill -9 $id 2>$null }
                Remove-Item -LiteralPath $file.FullName
            }
        }

        It 'runs a relative -Compiler from the PowerShell location, not from the process''s current folder' -Skip:(-not ($onUnix -and $samplesPresent -and $gccPresent)) {
            $location = New-TestFolder 'location'
            $processFolder = New-TestFolder 'process-folder'
            $null = New-CompilerScript -Path (Join-Path $location 'cc.sh') -Body "exec gcc `"`$@`"`n"
            $null = New-CompilerScript -Path (Join-Path $processFolder 'cc.sh') -Body "echo 'the cc.sh of the process folder ran' >&2; exit 3`n"
            $saved = [System.Environment]::CurrentDirectory
            Push-Location -LiteralPath $location
            try {
                [System.Environment]::CurrentDirectory = $processFolder
                $report = Get-MlfMemoryReport -LiteralPath $kws -Compiler ./cc.sh -CompilerArgument '-Os' -ErrorVariable failures -ErrorAction SilentlyContinue
                $bare = Get-MlfMemoryReport -LiteralPath $kws -Compiler cc.sh -ErrorVariable bareFailures -ErrorAction SilentlyContinue
            }
            finally {
                [System.Environment]::CurrentDirectory = $saved
                Pop-Location
            }

            $failures | Should -BeNullOrEmpty
            $report.CodeBytes | Should -BeGreaterThan 0
            # A bare name is looked up on PATH, where there is no cc.sh, never in either folder.
            $bare | Should -BeNullOrEmpty
            $bareFailures | Should -HaveCount 1
            $bareFailures[0].FullyQualifiedErrorId | Should -BeLike 'CompilerNotFound,*'
            $bareFailures[0].Exception.Message | Should -BeLike "*'cc.sh' is not on PATH*"
        }

        It 'shows each compiler command line with -Verbose, the C runtime''s too' -Skip:(-not ($samplesPresent -and $gccPresent)) {
            $verbose = @(Get-MlfMemoryReport -LiteralPath $kws -Total -Compiler gcc -CompilerArgument '-Os' -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message | Where-Object { $_ -like 'Compiling *' })

            $gcc = (Get-Command gcc -CommandType Application | Select-Object -First 1).Source
            $modules = @($verbose | Where-Object { $_ -like "Compiling 'codegen/host/src/*" })
            $modules | Should -HaveCount 2
            $modules[0] | Should -BeLike "Compiling 'codegen/host/src/default_lib0.c' of module 'default' in '$kws' (in a folder holding the archive's files): $gcc -Os -Icodegen/host/include -Iruntime/include -c codegen/host/src/default_lib0.c -o obj0.o"
            $runtime = @($verbose | Where-Object { $_ -like "Compiling 'runtime/src/runtime/crt/*" })
            $runtime.Count | Should -BeGreaterOrEqual 7
            $runtime[0] | Should -BeLike "*of the C runtime in '$kws' (in a folder holding the archive's files, mlftools-crt-config/crt_config.h a copy of runtime/template/crt_config-template.h): $gcc -Os -Imlftools-crt-config -Iruntime/include -c runtime/src/runtime/crt/*"
        }

        It 'stops a compiler that hangs after -CompilerTimeout seconds with CompilerFailed naming the file' -Skip:(-not ($onUnix -and $samplesPresent)) {
            $pids = New-TestFolder 'pids'
            $compiler = New-CompilerScript -Path (Join-Path $TestDrive 'hangs.sh') -Pids $pids -Body "echo `$`$ >> `"`$PIDS/all`"`nexec sleep 120`n"
            $watch = [System.Diagnostics.Stopwatch]::StartNew()

            $report = Get-MlfMemoryReport -LiteralPath $kws -Compiler $compiler -CompilerTimeout 2 -ErrorVariable failures -ErrorAction SilentlyContinue

            $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
            $report | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'CompilerFailed,*'
            $failures[0].Exception.Message | Should -BeLike "'$compiler' did not finish compiling 'codegen/host/src/default_lib?.c' of module 'default' in '$kws' within 2 seconds and was stopped.*-CompilerTimeout*"
            Get-LiveProcess -Id (Get-RecordedPid -Folder $pids) | Should -BeNullOrEmpty
        }

        It 'ends the compiler''s whole process tree and removes the folder of sources when the command is stopped (Ctrl+C)' -Skip:(-not ($onUnix -and $samplesPresent)) {
            # The wrapper script records its folder (the compile folder) too. PowerShell.Stop() is what Ctrl+C does.
            $pids = New-TestFolder 'pids'
            $compiler = New-CompilerScript -Path (Join-Path $TestDrive 'stopped-wrapper.sh') -Pids $pids -Body (
                "pwd >> `"`$PIDS/folders`"`necho `$`$ >> `"`$PIDS/all`"`n" +
                "( while :; do echo x >> orphan.txt; sleep 0.1; done ) &`necho `$! >> `"`$PIDS/all`"`n" +
                "sleep 120 &`necho `$! >> `"`$PIDS/all`"`n" +
                "wait`n")
            $powershell = [powershell]::Create()
            try {
                $null = $powershell.AddScript("Import-Module '$manifest'; Get-MlfMemoryReport -LiteralPath '$kws' -Compiler '$compiler'")
                $null = $powershell.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ((Get-RecordedPid -Folder $pids).Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                (Get-RecordedPid -Folder $pids).Count | Should -BeGreaterOrEqual 3 -Because 'the compiler must have started before the command is stopped'

                $stopped = $powershell.BeginStop($null, $null).AsyncWaitHandle.WaitOne(30000)
            }
            finally {
                # A command that does not stop waits for the pipes the compiler's children hold: end them, so that the test fails instead of hanging.
                if (-not $stopped) { Get-RecordedPid -Folder $pids | ForEach-Object { & kill -9 $_ 2>$null } }
                $powershell.Dispose()
            }
            $stopped | Should -BeTrue -Because 'the command must stop within 30 seconds'
            Get-LiveProcess -Id (Get-RecordedPid -Folder $pids) | Should -BeNullOrEmpty
            $folders = @(Get-Content -LiteralPath (Join-Path $pids 'folders'))
            $folders | Should -Not -BeNullOrEmpty
            $folders | ForEach-Object { $_ | Should -BeLike '*mlftools-size-*'; Test-Path -LiteralPath $_ | Should -BeFalse }
        }

        It 'ends the compiler''s whole process tree and removes the folder of sources when PowerShell gets SIGTERM' -Skip:(-not ($onUnix -and $samplesPresent)) {
            # A wrapper script as compiler: it starts a loop that writes into the compile folder and a sleep (standing
            # for cc1), and waits. PowerShell runs in a child process with a temporary folder of its own, and is sent SIGTERM.
            $pids = New-TestFolder 'pids'
            $temporary = New-TestFolder 'tmp'
            $compiler = New-CompilerScript -Path (Join-Path $TestDrive 'wrapper.sh') -Pids $pids -Body (
                "echo `$`$ >> `"`$PIDS/all`"`n" +
                "( while :; do echo x >> orphan.txt; sleep 0.1; done ) &`necho `$! >> `"`$PIDS/all`"`n" +
                "sleep 120 &`necho `$! >> `"`$PIDS/all`"`n" +
                "wait`n")
            $start = New-PowerShellStartInfo -Arguments '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$manifest'; Get-MlfMemoryReport -LiteralPath '$kws' -Compiler '$compiler'"
            $start.Environment['TMPDIR'] = $temporary
            $child = [System.Diagnostics.Process]::Start($start)
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (-not (Get-ChildItem -LiteralPath $temporary -Recurse -Filter 'orphan.txt' -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 100
                }
                @(Get-ChildItem -LiteralPath $temporary -Recurse -Filter 'orphan.txt') | Should -Not -BeNullOrEmpty -Because 'the compiler''s orphan must write into the compile folder before the signal'
                & kill -s TERM $child.Id
                $child.WaitForExit(60000) | Should -BeTrue
            }
            finally {
                if (-not $child.HasExited) { $child.Kill() }
                $recorded = Get-RecordedPid -Folder $pids
            }

            $recorded.Count | Should -BeGreaterOrEqual 3
            Get-LiveProcess -Id $recorded | Should -BeNullOrEmpty
            Start-Sleep -Milliseconds 500 # an orphan still alive would write orphan.txt again
            # (The .NET runtime leaves its own diagnostic pipes there.)
            @(Get-ChildItem -LiteralPath $temporary -Force -Filter 'mlftools-size-*') | Should -BeNullOrEmpty
        }
    }

    Context 'budgets' {
        It 'accepts 256KB literals and reports nothing when every figure fits' -Skip:(-not $samplesPresent) {
            $ev = $null

            $reports = @(Get-MlfMemoryReport -Path $magicwand -Total -WorkspaceBudget 256KB -ConstantsBudget 1MB -IoBudget 2KB -RamBudget 512KB -FlashBudget 1MB -ErrorVariable ev)

            $reports | Should -HaveCount 2
            @($ev) | Should -HaveCount 0
            foreach ($report in $reports) {
                $report.Status | Should -Be 'OK'
                @($report.Budgets | ForEach-Object Figure) | Should -Be @('RamBytes', 'FlashBytes', 'WorkspaceBytes', 'ConstantsBytes', 'IoBytes')
                @($report.Budgets | ForEach-Object Budget) | Should -Be @(512KB, 1MB, 256KB, 1MB, 2KB)
            }
            $reports[0].UsedPercent | Should -Be ([Math]::Round([Math]::Max(100.0 * 94144 / 512KB, 100.0 * 1552 / 2KB), 1))
        }

        It 'stops under -ErrorAction Stop with MemoryBudgetExceeded, the reports shown on the host rather than written' -Skip:(-not $samplesPresent) {
            $out = $null
            $thrown = $null

            try {
                Get-MlfMemoryReport -Path $magicwand -WorkspaceBudget 16KB -ErrorAction Stop -OutVariable out | Out-Null
            }
            catch {
                $thrown = $_
            }

            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -Be "MemoryBudgetExceeded,$commandName"
            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::LimitsExceeded)
            $thrown.TargetObject | Should -BeOfType 'MlfTools.MemoryReport'
            $thrown.TargetObject.Module | Should -Be 'default'
            $thrown.Exception.Message | Should -Match '28128 bytes'
            $thrown.Exception.Message | Should -Match '16384 bytes'
            @($out) | Should -HaveCount 0
        }

        It 'writes the report objects under -ErrorAction Stop when every budget holds' -Skip:(-not $samplesPresent) {
            $reports = @(Get-MlfMemoryReport -Path $magicwand -WorkspaceBudget 64KB -ErrorAction Stop)
            $reports | Should -HaveCount 1
            $reports[0].Status | Should -Be 'OK'
        }

        It 'collects every MemoryBudgetExceeded through -ErrorVariable, module and total, with the objects still emitted' -Skip:(-not $samplesPresent) {
            $ev = $null

            $reports = @(Get-MlfMemoryReport -Path $magicwand, $sine -Total -WorkspaceBudget 2KB -ErrorAction SilentlyContinue -ErrorVariable ev)

            $reports | Should -HaveCount 3
            @($ev) | Should -HaveCount 2
            foreach ($record in $ev) {
                $record.FullyQualifiedErrorId | Should -Be "MemoryBudgetExceeded,$commandName"
                $record.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::LimitsExceeded)
            }
            $ev[0].TargetObject.Archive | Should -Be $magicwand
            $ev[0].TargetObject.IsTotal | Should -BeFalse
            $ev[1].TargetObject.IsTotal | Should -BeTrue
            $ev[1].TargetObject.Module | Should -Be '(total)'
            $ev[1].Exception.Message | Should -Match '^All the modules together need'
            @($reports | ForEach-Object Status) | Should -Be @('OVER', 'OK', 'OVER')
        }

        It 'writes the budget errors after every report object' -Skip:(-not $samplesPresent) {
            $all = @(Get-MlfMemoryReport -Path $magicwand, $sine -IoBudget 1 -ErrorAction Continue 2>&1)

            $all | Should -HaveCount 4
            $all[0] | Should -BeOfType 'MlfTools.MemoryReport'
            $all[1] | Should -BeOfType 'MlfTools.MemoryReport'
            $all[2] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $all[3] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $all[2].TargetObject.Archive | Should -Be $magicwand
            $all[3].TargetObject.Archive | Should -Be $sine
        }
    }

    Context 'budgets as people write sizes' {
        # magicwand needs 28128 bytes of workspace: 27 KiB (27648) is too little, 28 KiB (28672) enough.
        It 'takes <Value> (<Kind>) as <Bytes> bytes' -ForEach @(
            @{ Value = 27KB; Kind = "PowerShell's 27KB literal"; Bytes = 27648 }
            @{ Value = '27KB'; Kind = 'a string with KB'; Bytes = 27648 }
            @{ Value = '27KiB'; Kind = 'a string with KiB'; Bytes = 27648 }
            @{ Value = '27 kib'; Kind = 'a lowercase unit after a space'; Bytes = 27648 }
            @{ Value = '0.5KB'; Kind = 'a fraction of a KB'; Bytes = 512 }
            @{ Value = '27648'; Kind = 'a string of digits'; Bytes = 27648 }
            @{ Value = [int]27648; Kind = 'an Int32'; Bytes = 27648 }
            @{ Value = 27648.0; Kind = 'a whole Double'; Bytes = 27648 }
        ) -Skip:(-not $samplesPresent) {
            $ev = $null

            $null = Get-MlfMemoryReport -Path $magicwand -WorkspaceBudget $Value -ErrorAction SilentlyContinue -ErrorVariable ev

            @($ev) | Should -HaveCount 1
            $ev[0].FullyQualifiedErrorId | Should -Be "MemoryBudgetExceeded,$commandName"
            $ev[0].Exception.Message | Should -Match "\b$Bytes bytes"
        }

        It 'passes magicwand with 28KiB of workspace, 1.5MB of constants and 1.75 KiB of I/O given as strings' -Skip:(-not $samplesPresent) {
            $ev = $null

            $null = Get-MlfMemoryReport -Path $magicwand -WorkspaceBudget '28KiB' -ConstantsBudget '1.5MB' -IoBudget '1.75 KiB' -ErrorVariable ev

            @($ev) | Should -HaveCount 0
        }

        It 'takes budgets from a CSV file' -Skip:(-not $samplesPresent) {
            $csv = Join-Path (New-Item -Path (Join-Path $TestDrive ('csv-' + [guid]::NewGuid().ToString('N').Substring(0, 6))) -ItemType Directory).FullName 'budgets.csv'
            Set-Content -LiteralPath $csv -Value @('Board,Workspace,Io', 'small,27 KiB,1KB', 'large,256KiB,16KiB')
            $budgets = @(Import-Csv -LiteralPath $csv)

            $small = $null
            $null = Get-MlfMemoryReport -Path $magicwand -WorkspaceBudget $budgets[0].Workspace -IoBudget $budgets[0].Io -ErrorAction SilentlyContinue -ErrorVariable small
            $large = $null
            $null = Get-MlfMemoryReport -Path $magicwand -WorkspaceBudget $budgets[1].Workspace -IoBudget $budgets[1].Io -ErrorVariable large

            @($small) | Should -HaveCount 2
            @($small | ForEach-Object { $_.Exception.Message }) -join "`n" | Should -Match '27648 bytes'
            @($small | ForEach-Object { $_.Exception.Message }) -join "`n" | Should -Match '1024 bytes'
            @($large) | Should -HaveCount 0
        }

        It 'stops at binding on <Value>, saying what to write, before reading anything' -ForEach @(
            @{ Value = 'lots'; Says = "*'lots' is not a byte size*256KB, 256KiB, 1.5MB*" }
            @{ Value = '1.3KB'; Says = "*'1.3KB' is 1331.2 bytes*1331 or 1332*" }
            @{ Value = '256 KBytes'; Says = '*is not a byte size*' }
            @{ Value = ''; Says = '*No size was given*' }
        ) {
            $record = { Get-MlfMemoryReport -Path (Join-Path $TestDrive 'never-read.tar') -IoBudget $Value } |
                Should -Throw -ErrorId "ParameterArgumentTransformationError,$commandName" -PassThru

            $record.Exception.Message | Should -BeLike $Says
        }

        It 'refuses a negative budget' {
            $record = { Get-MlfMemoryReport -Path (Join-Path $TestDrive 'never-read.tar') -WorkspaceBudget -1 } |
                Should -Throw -ErrorId "ParameterArgumentTransformationError,$commandName" -PassThru
            $record.Exception.Message | Should -BeLike "*'-1' is negative*"
        }

        It 'puts one ByteSizeTransformation on every budget' {
            foreach ($name in @('WorkspaceBudget', 'ConstantsBudget', 'IoBudget')) {
                @((Get-Command -Name Get-MlfMemoryReport).Parameters[$name].Attributes | Where-Object { $_ -is [MlfTools.ByteSizeTransformationAttribute] }) | Should -HaveCount 1 -Because "-$name is a size"
            }
        }
    }

    Context 'a CI gate' {
        It 'shows every model''s row, the over-budget one marked, before the run fails (<Mode>)' -Skip:(-not $samplesPresent) -TestCases @(
            @{ Mode = '-ErrorAction Stop'; Call = 'Get-MlfMemoryReport -LiteralPath $paths -RamBudget 48KB -ErrorAction Stop' }
            @{ Mode = '$ErrorActionPreference'; Call = 'Get-MlfMemoryReport -LiteralPath $paths -RamBudget 48KB' }
        ) {
            param($Mode, $Call)
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$builtManifest'
`$paths = '$mlp', '$magicwand', '$aww'
$Call
'NOT REACHED'
"@
            $run = Invoke-ChildPowerShell -Script $script

            $run.ExitCode | Should -Not -Be 0
            $run.Output | Should -Not -Match 'NOT REACHED'
            $errorAt = $run.Output.IndexOf('MemoryBudgetExceeded')
            if ($errorAt -lt 0) { $errorAt = $run.Output.IndexOf('of RAM on CPU') }
            $errorAt | Should -BeGreaterThan 0
            $table = $run.Output.Substring(0, $errorAt)
            foreach ($archive in @($mlp, $magicwand, $aww)) {
                # one table: each row, all of them called default, names its archive's file
                $table | Should -Match ([regex]::Escape('default ({0})' -f (Split-Path -Leaf $archive)))
            }
            # magicwand needs 91.9 KiB of RAM (its arena): its figure carries the mark; the two that fit do not.
            $table | Should -Match '91\.9 KiB OVER'
            $table | Should -Match '3\.0 KiB'
            $table | Should -Match '16\.1 KiB'
            $table | Should -Match '192% OVER'
            $table | Should -Not -Match '3\.0 KiB OVER'
            $table | Should -Not -Match '16\.1 KiB OVER'
            # The table is shown once, not again by a formatter that had rows left.
            ([regex]::Matches($run.Output, '91\.9 KiB OVER')).Count | Should -Be 1
        }

        It 'stops a gate with one error that lists every violation, after the table shown once' -Skip:(-not $samplesPresent) {
            $run = Invoke-ChildPowerShell -Script @"
Import-Module '$builtManifest'
try { Get-MlfMemoryReport -LiteralPath '$mlp', '$magicwand' -Total -RamBudget 48KB -FlashBudget 1KB -ErrorAction Stop }
catch { 'ID ' + `$_.FullyQualifiedErrorId; 'MESSAGE ' + `$_.Exception.Message }
"@
            $run.ExitCode | Should -Be 0
            $run.Output | Should -Match 'ID MemoryBudgetExceeded,MlfTools.Commands.GetMlfMemoryReportCommand'
            $message = $run.Output.Substring($run.Output.IndexOf('MESSAGE '))
            $message | Should -Match 'memory budget checks failed'
            ([regex]::Matches($message, '(?m)^- ')).Count | Should -BeGreaterOrEqual 4
            $message | Should -Match "Module 'default' of '[^']*magicwand[^']*' needs [^\n]* of RAM"
            $message | Should -Match 'together need [^\n]* of flash'
            ([regex]::Matches($run.Output.Substring(0, $run.Output.IndexOf('ID ')), '\(total\)')).Count | Should -Be 1
        }

        It 'never passes a model whose RAM no file gives: OVER by its workspace alone, else UNKNOWN and failed unless -AllowUnknown' -Skip:(-not $samplesPresent) {
            # sine without its C header and its Relay text: an AOT build that no file gives the input and output sizes of.
            $headerless = Join-Path $TestDrive 'sine-headerless'
            $null = New-Item -ItemType Directory -Path $headerless -Force
            Copy-Item -LiteralPath $sine -Destination (Join-Path $headerless 'sine.tar')
            Invoke-Tar -ArgumentList '-xf', 'sine.tar' -WorkingFolder $headerless | Out-Null
            Remove-Item -LiteralPath (Join-Path $headerless 'sine.tar'), (Join-Path $headerless 'codegen/host/include'), (Join-Path $headerless 'src/relay.txt') -Recurse -Force  # the copy of a read-only sample is read-only
            $report = Get-MlfMemoryReport -LiteralPath $headerless -AllowUnknown
            $report.RamBytes | Should -BeNullOrEmpty
            $report.RamAtLeastBytes | Should -BeGreaterThan 1024

            $over = Invoke-ChildPowerShell -Script "Import-Module '$builtManifest'; Get-MlfMemoryReport -LiteralPath '$headerless' -Total -RamBudget 1KB -ErrorAction Stop; 'NOT REACHED'"
            $over.ExitCode | Should -Not -Be 0
            $over.Output | Should -Not -Match 'NOT REACHED'
            ($over.Output -replace '[\s|]+', ' ') | Should -Match 'more than the budget of 1\.0 KiB \(1024 bytes\) of RAM on CPU: its known part alone is 1\.2 KiB \(1184 bytes\)'
            $over.Output | Should -Match '>=1\.\d KiB OVER'

            $unknown = Invoke-ChildPowerShell -Script "Import-Module '$builtManifest'; Get-MlfMemoryReport -LiteralPath '$headerless' -Total -RamBudget 1MB -ErrorAction Stop; 'NOT REACHED'"
            $unknown.ExitCode | Should -Not -Be 0
            $unknown.Output | Should -Not -Match 'NOT REACHED'
            ($unknown.Output -replace '[\s|]+', ' ') | Should -Match 'the input and output sizes, which no file of the archive gives\), so -RamBudget 1\.0 MiB cannot be checked'

            $allowed = Invoke-ChildPowerShell -Script "Import-Module '$builtManifest'; `$r = Get-MlfMemoryReport -LiteralPath '$headerless' -Total -RamBudget 1MB -AllowUnknown -ErrorAction Stop; 'status ' + `$r[0].Status"
            $allowed.ExitCode | Should -Be 0
            $allowed.Output | Should -Match 'status UNKNOWN'
        }

        It 'fails a gate whose -Path matches no archive, where a report without budgets says nothing' {
            $empty = Join-Path $TestDrive 'no-archives'
            $null = New-Item -ItemType Directory -Path $empty -Force
            $gate = Invoke-ChildPowerShell -Script "Import-Module '$builtManifest'; Get-MlfMemoryReport -Path '$empty/*.tgz' -RamBudget 512KB -FlashBudget 1MB -ErrorAction Stop; 'NOT REACHED'"
            $gate.ExitCode | Should -Not -Be 0
            $gate.Output | Should -Match 'No module was received'

            { Get-MlfMemoryReport -Path (Join-Path $empty '*.tgz') -Total -ErrorAction Stop } | Should -Throw -ErrorId 'NoModules,MlfTools.Commands.GetMlfMemoryReportCommand'
            @(Get-MlfMemoryReport -Path (Join-Path $empty '*.tgz') -ErrorAction Stop).Count | Should -Be 0
        }

        It 'shows every function row of -ByFunction before the run fails' -Skip:(-not $samplesPresent) {
            $run = Invoke-ChildPowerShell -Script @"
Import-Module '$builtManifest'
Get-MlfMemoryReport -LiteralPath '$magicwand' -ByFunction -WorkspaceBudget 1KB -ErrorAction Stop
"@
            $run.ExitCode | Should -Not -Be 0
            foreach ($function in @('tvmgen_default_fused_nn_dense_add_nn_relu', 'tvmgen_default_fused_nn_softmax', 'tvmgen_default_fused_reshape_1')) {
                $run.Output | Should -Match $function
            }
        }

        It 'the example gate script shows the table, then fails' -Skip:(-not $samplesPresent) {
            $models = Join-Path $TestDrive 'gate-models'
            $null = New-Item -ItemType Directory -Path $models -Force
            Copy-Item -LiteralPath $magicwand -Destination (Join-Path $models 'wand.tar')
            Copy-Item -LiteralPath $mlp -Destination (Join-Path $models 'mlp.tar')
            $gate = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../examples/Invoke-MlfFirmwareGate.ps1')).Path

            # As Azure DevOps' PowerShell task runs it: errorActionPreference stop.
            $run = Invoke-ChildPowerShell -Script "`$ErrorActionPreference = 'Stop'; & '$gate' -Path '$models/*.tar' -DestinationFolder '$TestDrive/gate-out' -ModulePath '$builtManifest' -RamBudget 48KB -FlashBudget 1MB"

            $run.ExitCode | Should -Not -Be 0
            $errorAt = $run.Output.IndexOf('Over budget:')
            $errorAt | Should -BeGreaterThan 0
            $table = $run.Output.Substring(0, $errorAt)
            $table | Should -Match 'wand'
            $table | Should -Match 'mlp'
            $table | Should -Match 'OVER'
        }
    }

    Context 'budgets in the default view' {
        It 'marks the figure that is over with OVER and shows Used%' -Skip:(-not $samplesPresent) {
            $text = Get-MlfMemoryReport -Path $magicwand -RamBudget 48KB -FlashBudget 1MB -ErrorAction SilentlyContinue | Out-String -Width 200

            $text | Should -Match 'Used%'
            $text | Should -Match '91\.9 KiB OVER'
            $text | Should -Match '192% OVER'
            $text | Should -Not -Match '17\.3 KiB OVER'
        }

        It 'fits an 80-column console with three archives, their total and OVER marks' -Skip:(-not $samplesPresent) {
            $text = Get-Item -LiteralPath $sine, $kws, $magicwand | Get-MlfMemoryReport -Total -RamBudget 56KB -FlashBudget 64KB -ErrorAction SilentlyContinue |
                Out-String -Width 80
            $lines = $text -split '\r?\n'

            # The columns are sized to their content within the width given; the Module column, last, wraps. (The console
            # host itself lays tables out one column short of its width, so its last column stays free.)
            @($lines | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
            # sine: 1184 workspace + 4 + 4 bytes of I/O; kws: its 55544 bytes of weights in flash; the total is over both budgets.
            $text | Should -Match '1\.2 KiB\s+1\.3 KiB'
            $text | Should -Match '47\.4 KiB\s+54\.2 KiB'
            $text | Should -Match '91\.9 KiB OVER'
            $text | Should -Match '140\.5 KiB OVER\s+72\.8 KiB OVER.*\(total\)'
        }
    }

    Context '-ModuleName' {
        It 'reports only the named modules of a joined archive, and a name that matches none is ModuleNotFound' -Skip:(-not $samplesPresent) {
            $both = Join-Path $TestDrive 'both.tar'
            @((New-MlfModule -LiteralPath $sine -Name sine), (New-MlfModule -LiteralPath $magicwand -Name wand)) |
                Join-MlfArchive -DestinationPath $both -Force -WarningAction SilentlyContinue

            @(Get-MlfMemoryReport -LiteralPath $both).Module | Should -Be @('sine', 'wand')
            @(Get-MlfMemoryReport -LiteralPath $both -ModuleName wand).Module | Should -Be @('wand')
            @(Get-MlfMemoryReport -LiteralPath $both -ModuleName 's*' -Total).Module | Should -Be @('sine', '(total)')
            { Get-MlfMemoryReport -LiteralPath $both -ModuleName kws -ErrorAction Stop } | Should -Throw -ErrorId "ModuleNotFound,$commandName"
        }
    }

    Context 'pipeline input' {
        It 'reports modules piped from New-MlfModule under their new name' -Skip:(-not $samplesPresent) {
            $reports = @(New-MlfModule -Path $sine -Name kws | Get-MlfMemoryReport)

            $reports | Should -HaveCount 1
            $reports[0].Module | Should -Be 'kws'
            $reports[0].Archive | Should -Be $sine
        }

        It 'reports every FileInfo piped from Get-ChildItem (bound by PSPath to -LiteralPath)' -Skip:(-not $samplesPresent) {
            $files = @(Get-ChildItem -Path (Join-Path $samplesRoot '*.tar'))

            $reports = @($files | Get-MlfMemoryReport)

            $reports | Should -HaveCount $files.Count
            @($reports | ForEach-Object Archive) | Should -Be @($files | ForEach-Object FullName)
        }

        It 'feeds a Get-ChildItem | New-MlfModule pipeline and checks a budget' -Skip:(-not $samplesPresent) {
            $ev = $null

            $files = @(Get-ChildItem -Path (Join-Path $samplesRoot '*.tar'))
            $reports = @($files | New-MlfModule | Get-MlfMemoryReport -WorkspaceBudget 256KB -ErrorVariable ev)

            $reports | Should -HaveCount $files.Count
            @($ev) | Should -HaveCount 0
        }
    }

    Context 'LLVM code shipped as a static library' {
        It 'counts the code of a .a as the same code shipped as a .o: both are OVER a flash budget it exceeds' -Skip:(-not ($gccPresent -and $arPresent)) {
            $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'library-code')
            Set-Content -LiteralPath (Join-Path $folder 'k.c') -Value 'const char tvmgen_default_weights[9000] = {1}; int tvmgen_default_run(int x) { return tvmgen_default_weights[x & 1023] + x; }'
            & gcc -c -O1 -o (Join-Path $folder 'k.o') (Join-Path $folder 'k.c')
            & ar rcs (Join-Path $folder 'k.a') (Join-Path $folder 'k.o')
            $metadata = '{"modules": {"default": {"export_datetime": "2022-03-04 05:06:07Z", "memory": {"functions": {"main": [], "operator_functions": []}}, "model_name": "default", "style": "full-model", "target": ["llvm -keys=cpu"], "executors": ["aot"]}}, "version": 7}'
            $asObject = New-TestTar -Path (Join-Path $TestDrive 'as-object.tar') -Entries ([ordered]@{
                    'metadata.json' = $metadata; 'codegen/host/lib/default_lib0.o' = [System.IO.File]::ReadAllBytes((Join-Path $folder 'k.o')) })
            $asLibrary = New-TestTar -Path (Join-Path $TestDrive 'as-library.tar') -Entries ([ordered]@{
                    'metadata.json' = $metadata; 'codegen/host/lib/default_lib0.a' = [System.IO.File]::ReadAllBytes((Join-Path $folder 'k.a')) })

            $reports = @(Get-MlfMemoryReport -LiteralPath $asObject, $asLibrary -FlashBudget 8KB -ErrorAction SilentlyContinue -ErrorVariable ev)

            $reports | Should -HaveCount 2
            $reports[1].CodeBytes | Should -BeGreaterThan 0
            $reports[1].CodeBytes | Should -Be $reports[0].CodeBytes
            $reports[1].FlashBytes | Should -Be $reports[0].FlashBytes
            $reports.Status | Should -Be @('OVER', 'OVER')
            @($ev | Where-Object { $_.FullyQualifiedErrorId -like 'MemoryBudgetExceeded,*' }) | Should -HaveCount 2
        }
    }

    Context 'machine output' {
        It 'converts to JSON with the figures as numbers of bytes' -Skip:(-not $samplesPresent) {
            $json = Get-MlfMemoryReport -Path $magicwand | ConvertTo-Json -Depth 4

            $json | Should -Match '"WorkspaceBytes":\s*28128\b'
            $json | Should -Match '"SidsBytes":\s*36640\b'
            $json | Should -Match '"GraphStorageBytes":\s*32448\b'
            $json | Should -Match '"ParametersBytes":\s*17200\b'
            $back = $json | ConvertFrom-Json
            $back.WorkspaceBytes | Should -Be 28128
            $back.Device | Should -Be 'CPU'
            $back.IsTotal | Should -BeFalse
        }

        It 'converts a figure the module does not have to JSON null' -Skip:(-not $samplesPresent) {
            $json = Get-MlfMemoryReport -Path $sine | ConvertTo-Json -Depth 4

            $json | Should -Match '"SidsBytes":\s*null'
            $json | Should -Match '"GraphStorageBytes":\s*null'
        }
    }
}
