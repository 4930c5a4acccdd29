#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Drives the real New-MlfModule cmdlet of the BUILT module (out/MlfTools, made by every `dotnet build`; run
# ./build.ps1 first). The five real archives are read from ../shared/mlf-samples beside the repository; where
# that folder is absent the tests that need them are skipped, everything else still runs on archives this
# file writes into $TestDrive.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    Write-SamplesMissingWarning -Skipped 'read real MLF archives'

    # Expectations come from the file names: v<MLF version>-<executor>-<model>.tar.
    $sampleCases = foreach ($sample in @('v4-graph-yesno.tar', 'v5-aot-sine.tar', 'v5-graph-llvm-conv1d.tar', 'v7-aot-crt-mlp.tar', 'v7-graph-magicwand.tar')) {
        $null = $sample -match '^v(\d+)-(graph|aot)-'
        @{ Sample = $sample; Version = [int]$Matches[1]; Executor = $Matches[2] }
    }

    # Every error id New-MlfModule reports. Arrange writes the input into $TestDrive and returns the parameters
    # to splat; Target is a -like pattern for the ErrorRecord's TargetObject: the input archive for every per-input
    # error (the message names the offending member), the argument for an invalid -Name.
    $errorCases = @(
        @{
            Id = 'PathNotFound'; Case = '-Path that does not exist'; Category = 'ObjectNotFound'; Target = '*does-not-exist.tar'
            Arrange = { @{ Path = (Join-Path $TestDrive 'does-not-exist.tar') } }
        }
        @{
            Id = 'PathNotFound'; Case = '-LiteralPath that does not exist'; Category = 'ObjectNotFound'; Target = '*does-not-exist.tar'
            Arrange = { @{ LiteralPath = (Join-Path $TestDrive 'does-not-exist.tar') } }
        }
        @{
            Id = 'InvalidArchive'; Case = 'a file of random text'; Category = 'InvalidData'; Target = '*random-text.tar'
            Arrange = { @{ Path = (New-RandomTextFile -Path (Join-Path $TestDrive 'random-text.tar')) } }
        }
        @{
            Id = 'InvalidArchive'; Case = 'the first 1000 bytes of v5-aot-sine.tar'; Category = 'InvalidData'; Target = '*truncated.tar'; NeedsSamples = $true
            Arrange = {
                $bytes = [System.IO.File]::ReadAllBytes((Join-Path $samplesRoot 'v5-aot-sine.tar'))
                $head = New-Object byte[] 1000
                [System.Array]::Copy($bytes, $head, $head.Length)
                $truncated = Join-Path $TestDrive 'truncated.tar'
                [System.IO.File]::WriteAllBytes($truncated, $head)
                @{ Path = $truncated }
            }
        }
        @{
            Id = 'MetadataMissing'; Case = 'a tar without metadata.json'; Category = 'InvalidData'; Target = '*metadata-missing.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'metadata-missing.tar') -Entries ([ordered]@{
                        './codegen/host/src/default_lib0.c' = "// generated code without metadata.json`n"
                    })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'MetadataInvalid'; Case = 'metadata.json that is not JSON'; Category = 'InvalidData'; Target = '*metadata-invalid.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'metadata-invalid.tar') -Entries ([ordered]@{ './metadata.json' = '{not json' })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'UnsupportedMlfVersion'; Case = 'metadata.json of version 99'; Category = 'NotImplemented'; Target = '*version-99.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'version-99.tar') -Entries ([ordered]@{ './metadata.json' = '{"version": 99}' })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'ParamsInvalid'; Case = 'an 8-byte default.params'; Category = 'InvalidData'; Target = '*params-invalid.tar'
            Arrange = {
                $params = New-Object byte[] 8
                (New-Object System.Random 8).NextBytes($params)
                $archive = New-TestTar -Path (Join-Path $TestDrive 'params-invalid.tar') -Entries ([ordered]@{
                        './metadata.json'            = $v5Metadata
                        './parameters/default.params' = $params
                    })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'GraphConfigInvalid'; Case = 'graph.json whose nodes is a number'; Category = 'InvalidData'; Target = '*graph-invalid.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'graph-invalid.tar') -Entries ([ordered]@{
                        './metadata.json'                   = $v5Metadata.Replace('"executors":["aot"]', '"executors":["graph"]')
                        './executor-config/graph/graph.json' = '{"nodes": 5}'
                    })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a member named ../evil.txt'; Category = 'SecurityError'; Target = '*traversal.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'traversal.tar') -Entries ([ordered]@{
                        './metadata.json' = $v5Metadata
                        '../evil.txt'     = "outside the archive root`n"
                    })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a symbolic link member'; Category = 'SecurityError'; Target = '*symlink.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'symlink.tar') -Entries ([ordered]@{
                        './metadata.json' = $v5Metadata
                        './model-link'    = @{ Type = '2'; LinkName = '/etc/passwd' }
                    })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a hard link member'; Category = 'SecurityError'; Target = '*hardlink.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'hardlink.tar') -Entries ([ordered]@{
                        './metadata.json'           = $v5Metadata
                        './codegen/host/src/copy.c' = @{ Type = '1'; LinkName = './metadata.json' }
                    })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a FIFO as a source file of a folder input'; Category = 'SecurityError'; Target = '*fifo-folder'
            NeedsTool = 'mkfifo'
            Arrange = {
                $folder = Join-Path $TestDrive 'fifo-folder'
                Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
                $null = New-Item -ItemType Directory -Path (Join-Path $folder 'codegen/host/src')
                Set-Content -LiteralPath (Join-Path $folder 'metadata.json') -Value $v5Metadata -NoNewline
                & mkfifo (Join-Path $folder 'codegen/host/src/default_lib0.c')
                @{ Path = $folder }
            }
        }
        @{
            Id = 'ModuleNotFound'; Case = '-ModuleName nosuch'; Category = 'ObjectNotFound'; Target = '*valid.tar'
            Arrange = { @{ Path = (New-MlfTestArchive -WithSource -Path (Join-Path $TestDrive 'valid.tar')); ModuleName = 'nosuch' } }
        }
        @{
            Id = 'InvalidModuleName'; Case = '-Name Bad-Name'; Category = 'InvalidArgument'; Target = 'Bad-Name'; Terminating = $true
            Arrange = { @{ Path = (New-MlfTestArchive -WithSource -Path (Join-Path $TestDrive 'valid.tar')); Name = 'Bad-Name' } }
        }
        @{
            Id = 'InvalidModuleName'; Case = '-Name for a module whose own name x.y is no identifier'; Category = 'InvalidArgument'; Target = '*dotted-name.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'dotted-name.tar') -Entries ([ordered]@{
                        './metadata.json' = $v5Metadata.Replace('"model_name":"default"', '"model_name":"x.y"')
                    })
                @{ Path = $archive; Name = 'renamed' }
            }
        }
        @{
            Id = 'MetadataInvalid'; Case = 'a module named ../x'; Category = 'InvalidData'; Target = '*module-name-traversal.tar'
            Arrange = {
                $archive = New-TestTar -Path (Join-Path $TestDrive 'module-name-traversal.tar') -Entries ([ordered]@{
                        './metadata.json' = $v5Metadata.Replace('"model_name":"default"', '"model_name":"../x"')
                    })
                @{ Path = $archive }
            }
        }
        @{
            Id = 'NameRequiresSingleModule'; Case = '-Name c for an archive of modules a and b'; Category = 'InvalidArgument'; Target = '*two-modules.tar'
            Arrange = {
                $modules = '{"version":7,"modules":{"a":' + $v5Metadata.Replace('{"version":5,', '{').Replace('"model_name":"default"', '"model_name":"a"') +
                    ',"b":' + $v5Metadata.Replace('{"version":5,', '{').Replace('"model_name":"default"', '"model_name":"b"') + '}}'
                $archive = New-TestTar -Path (Join-Path $TestDrive 'two-modules.tar') -Entries ([ordered]@{ './metadata.json' = $modules })
                @{ Path = $archive; Name = 'c' }
            }
        }
        @{
            Id = 'NameRequiresSingleModule'; Case = '-NameFromFile for an archive of modules a and b'; Category = 'InvalidArgument'; Target = '*two-modules-from-file.tar'
            Arrange = {
                $modules = '{"version":7,"modules":{"a":' + $v5Metadata.Replace('{"version":5,', '{').Replace('"model_name":"default"', '"model_name":"a"') +
                    ',"b":' + $v5Metadata.Replace('{"version":5,', '{').Replace('"model_name":"default"', '"model_name":"b"') + '}}'
                $archive = New-TestTar -Path (Join-Path $TestDrive 'two-modules-from-file.tar') -Entries ([ordered]@{ './metadata.json' = $modules })
                @{ Path = $archive; NameFromFile = $true }
            }
        }
        @{
            Id = 'NameRequiresSingleModule'; Case = '-Name x for two paths at once'; Category = 'InvalidArgument'; Target = '*first.tar'; Terminating = $true
            Arrange = {
                $first = New-MlfTestArchive -WithSource -Path (Join-Path $TestDrive 'first.tar')
                $second = New-MlfTestArchive -WithSource -Path (Join-Path $TestDrive 'second.tar')
                @{ Path = @($first, $second); Name = 'x' }
            }
        }
        @{
            Id = 'InvalidModuleName'; Case = '-NameFromFile for 2024-kws.tar'; Category = 'InvalidArgument'; Target = '*2024-kws.tar'
            Arrange = { @{ Path = (New-MlfTestArchive -WithSource -Path (Join-Path $TestDrive '2024-kws.tar')); NameFromFile = $true } }
        }
        @{
            Id = 'ConflictingParameters'; Case = '-Name x with -NameFromFile'; Category = 'InvalidArgument'; Target = 'x'; Terminating = $true
            Arrange = { @{ Path = (New-MlfTestArchive -WithSource -Path (Join-Path $TestDrive 'both.tar')); Name = 'x'; NameFromFile = $true } }
        }
    )
    foreach ($case in $errorCases) {
        foreach ($flag in @('NeedsSamples', 'Terminating')) {
            if (-not $case.ContainsKey($flag)) {
                $case[$flag] = $false
            }
        }
    }
}

Describe 'New-MlfModule' {
    BeforeAll {
        $manifest = Import-BuiltModule

        $commandName = 'MlfTools.Commands.NewMlfModuleCommand'
        $fileKinds = @('metadata', 'source', 'object', 'header', 'parameters', 'graph', 'relay', 'tir', 'runtime', 'template', 'other')

        # The smallest metadata.json New-MlfModule accepts: MLF version 5, one AOT module named 'default'.
        $v5Metadata = New-MlfMetadata

        function Get-ArchiveMetadataVersion {
            # The "version" of an archive's metadata.json as tar reads it, or $null when no usable tar is at hand.
            param([string] $Archive)
            $tar = Get-Command -Name tar -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            if ($null -eq $tar) {
                return $null
            }
            $ErrorActionPreference = 'Continue'
            try {
                $json = (& $tar.Path -xOf $Archive './metadata.json' 2>$null) -join "`n"
                if ($LASTEXITCODE -ne 0 -or [string]::IsNullOrWhiteSpace($json)) {
                    return $null
                }
                return ($json | ConvertFrom-Json).version
            }
            catch {
                return $null
            }
        }
    }

    AfterAll {
        Remove-BuiltModule
    }

    Context 'reading the real sample archives' {
        It 'reads <Sample> as one MLF v<Version> <Executor> module named default' -ForEach $sampleCases -Skip:(-not $samplesPresent) {
            $archive = Join-Path $samplesRoot $Sample
            $modules = @(New-MlfModule -LiteralPath $archive)

            $modules | Should -HaveCount 1
            $module = $modules[0]
            $module | Should -BeOfType 'MlfTools.MlfModule'
            $module.Name | Should -Be 'default'
            $module.OriginalName | Should -Be 'default'
            $module.IsRenamed | Should -BeFalse
            $module.FormatVersion | Should -Be $Version
            $archiveVersion = Get-ArchiveMetadataVersion -Archive $archive
            if ($null -ne $archiveVersion) {
                $module.FormatVersion | Should -Be $archiveVersion -Because 'tar reads that version from the metadata.json of the archive'
            }
            $module.Style | Should -Be 'full-model'
            $module.Executors -join ',' | Should -Be $Executor
            $module.ExportDateTime | Should -BeOfType ([datetime])
            $module.ExportDateTime.Kind | Should -Be ([System.DateTimeKind]::Unspecified)
        }

        It 'lists the files of <Sample> with known kinds and archive-relative paths' -ForEach $sampleCases -Skip:(-not $samplesPresent) {
            $module = New-MlfModule -LiteralPath (Join-Path $samplesRoot $Sample)

            $module.Files | Should -Not -BeNullOrEmpty
            $module.Files.Kind | Should -Contain 'metadata'
            foreach ($file in $module.Files) {
                $file.Kind | Should -BeIn $fileKinds -Because "'$($file.Path)' needs a known kind"
                $file.Path | Should -Not -BeLike './*'
                $file.Path | Should -Not -BeLike '/*'
            }
        }
    }

    Context 'pipeline and path binding' {
        It 'reads every FileInfo from Get-ChildItem (bound by PSPath to -LiteralPath)' -Skip:(-not $samplesPresent) {
            $files = @(Get-ChildItem -Path (Join-Path $samplesRoot '*.tar'))
            $files.Count | Should -BeGreaterThan 1

            $modules = @($files | New-MlfModule)

            $modules | Should -HaveCount $files.Count
            $modules | Should -BeOfType 'MlfTools.MlfModule'
            @($modules | ForEach-Object { [System.IO.Path]::GetFileName($_.SourcePath) }) | Should -Be @($files | ForEach-Object Name)
        }

        It 'reads path strings from the pipeline by value' -Skip:(-not $samplesPresent) {
            $modules = @((Join-Path $samplesRoot 'v5-aot-sine.tar'), (Join-Path $samplesRoot 'v4-graph-yesno.tar') | New-MlfModule)

            $modules | Should -HaveCount 2
            $modules[0].FormatVersion | Should -Be 5
            $modules[1].FormatVersion | Should -Be 4
        }

        It 'resolves a relative -Path against the PowerShell location' -Skip:(-not $samplesPresent) {
            Push-Location -LiteralPath $samplesRoot
            try {
                $modules = @(New-MlfModule -Path 'v5-aot-sine.tar')
            }
            finally {
                Pop-Location
            }

            $modules | Should -HaveCount 1
            [System.IO.Path]::GetFileName($modules[0].SourcePath) | Should -Be 'v5-aot-sine.tar'
            [System.IO.Path]::IsPathRooted($modules[0].SourcePath) | Should -BeTrue
        }

        It 'expands wildcards in -Path' -Skip:(-not $samplesPresent) {
            $expected = @(Get-ChildItem -Path (Join-Path $samplesRoot 'v7-*.tar'))
            $modules = @(New-MlfModule -Path (Join-Path $samplesRoot 'v7-*.tar'))

            $expected.Count | Should -BeGreaterThan 1
            $modules | Should -HaveCount $expected.Count
            foreach ($module in $modules) {
                $module.FormatVersion | Should -Be 7
            }
        }

        It 'keeps reading the other inputs after one of them fails' -Skip:(-not $samplesPresent) {
            $bad = New-RandomTextFile -Path (Join-Path $TestDrive 'not-an-archive.tar')
            $ev = $null

            $modules = @(New-MlfModule -Path $bad, (Join-Path $samplesRoot 'v5-aot-sine.tar') -ErrorAction SilentlyContinue -ErrorVariable ev)

            $modules | Should -HaveCount 1
            $modules[0].Name | Should -Be 'default'
            @($ev) | Should -HaveCount 1
            $ev[0].FullyQualifiedErrorId | Should -Be "InvalidArchive,$commandName"
        }
    }

    Context '-LiteralPath with wildcard characters in the file name' {
        BeforeAll {
            $bracketed = Join-Path $TestDrive 'model[1].tar'
        }

        BeforeEach {
            if ($samplesPresent) {
                Copy-Item -LiteralPath (Join-Path $samplesRoot 'v5-aot-sine.tar') -Destination $bracketed -Force
            }
        }

        It 'reads model[1].tar given to -LiteralPath (and its alias -LP)' -Skip:(-not $samplesPresent) {
            Test-Path -LiteralPath $bracketed | Should -BeTrue

            $modules = @(New-MlfModule -LiteralPath $bracketed)
            $modules | Should -HaveCount 1
            $modules[0].Name | Should -Be 'default'
            [System.IO.Path]::GetFileName($modules[0].SourcePath) | Should -Be 'model[1].tar'

            @(New-MlfModule -LP $bracketed) | Should -HaveCount 1
        }

        It 'reads model[1].tar piped from Get-Item -LiteralPath' -Skip:(-not $samplesPresent) {
            $modules = @(Get-Item -LiteralPath $bracketed | New-MlfModule)

            $modules | Should -HaveCount 1
            $modules[0].FormatVersion | Should -Be 5
        }
    }

    Context '-ModuleName' {
        BeforeAll {
            $sine = Join-Path $samplesRoot 'v5-aot-sine.tar'
        }

        It 'selects the module named default' -Skip:(-not $samplesPresent) {
            $modules = @(New-MlfModule -Path $sine -ModuleName default)

            $modules | Should -HaveCount 1
            $modules[0].Name | Should -Be 'default'
        }

        It 'selects by wildcard (def*)' -Skip:(-not $samplesPresent) {
            $modules = @(New-MlfModule -Path $sine -ModuleName 'def*')

            $modules | Should -HaveCount 1
            $modules[0].Name | Should -Be 'default'
        }

        It 'reports ModuleNotFound for a name without wildcards that matches nothing' -Skip:(-not $samplesPresent) {
            { New-MlfModule -Path $sine -ModuleName nosuch -ErrorAction Stop } | Should -Throw -ErrorId "ModuleNotFound,$commandName"

            $ev = $null
            $modules = @(New-MlfModule -Path $sine -ModuleName nosuch -ErrorAction SilentlyContinue -ErrorVariable ev)
            $modules.Count | Should -Be 0
            @($ev) | Should -HaveCount 1
            $ev[0].FullyQualifiedErrorId | Should -Be "ModuleNotFound,$commandName"
            $ev[0].TargetObject | Should -Be $sine
        }

        It 'returns nothing and reports nothing for a wildcard that matches nothing (no*)' -Skip:(-not $samplesPresent) {
            $ev = $null

            $modules = @(New-MlfModule -Path $sine -ModuleName 'no*' -ErrorVariable ev)

            $modules.Count | Should -Be 0
            @($ev).Count | Should -Be 0
        }
    }

    Context '-Name' {
        It 'gives the module a new name and keeps the original one' -Skip:(-not $samplesPresent) {
            $modules = @(New-MlfModule -Path (Join-Path $samplesRoot 'v5-aot-sine.tar') -Name kws)

            $modules | Should -HaveCount 1
            $modules[0].Name | Should -Be 'kws'
            $modules[0].OriginalName | Should -Be 'default'
            $modules[0].IsRenamed | Should -BeTrue
            $modules[0].FormatVersion | Should -Be 5
        }

        It 'stops the whole command on an invalid name, before reading any input, whatever -ErrorAction says' {
            # The path does not exist: the name is checked first, in BeginProcessing.
            $missing = Join-Path $TestDrive 'never-read.tar'

            $record = { New-MlfModule -Path $missing -Name 'Bad-Name' -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId "InvalidModuleName,$commandName" -PassThru

            $record.FullyQualifiedErrorId | Should -Be "InvalidModuleName,$commandName"
            $record.TargetObject | Should -Be 'Bad-Name'
            $record.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        }
    }

    Context '-Name for several inputs' {
        It 'refuses a list of paths before reading any: no module comes out' {
            $folder = New-TestFolder
            $a = New-MlfTestArchive -WithSource -Path (Join-Path $folder 'a.tar')
            $b = New-MlfTestArchive -WithSource -Path (Join-Path $folder 'b.tar')
            $emitted = $null
            $thrown = $null

            try { New-MlfModule -Path $a, $b -Name x -OutVariable emitted } catch { $thrown = $_ }

            $thrown.FullyQualifiedErrorId | Should -Be "NameRequiresSingleModule,$commandName"
            @($emitted).Count | Should -Be 0
            $thrown.Exception.Message | Should -BeLike "*2 inputs were given at once*a.tar*b.tar*-NameFromFile*"
        }

        It 'refuses a wildcard that matches two archives' {
            $folder = New-TestFolder
            $null = New-MlfTestArchive -WithSource -Path (Join-Path $folder 'a.tar')
            $null = New-MlfTestArchive -WithSource -Path (Join-Path $folder 'b.tar')

            { New-MlfModule -Path (Join-Path $folder '*.tar') -Name x } | Should -Throw -ErrorId "NameRequiresSingleModule,$commandName"
        }

        It 'still takes a wildcard that matches one archive' {
            $folder = New-TestFolder
            $null = New-MlfTestArchive -WithSource -Path (Join-Path $folder 'only.tar')

            (New-MlfModule -Path (Join-Path $folder '*.tar') -Name x).Name | Should -Be 'x'
        }

        It 'lets the first piped archive through and stops the pipeline at the second, so a join downstream writes nothing' {
            $folder = New-TestFolder
            $null = New-MlfTestArchive -WithSource -Path (Join-Path $folder 'a.tar')
            $null = New-MlfTestArchive -WithSource -Path (Join-Path $folder 'b.tar')
            $joined = Join-Path $folder 'joined.tar'
            $seen = [System.Collections.Generic.List[string]]::new()

            $record = { Get-ChildItem -LiteralPath $folder -Filter *.tar | New-MlfModule -Name x | ForEach-Object { $seen.Add($_.Name); $_ } | Join-MlfArchive -DestinationPath $joined } |
                Should -Throw -ErrorId "NameRequiresSingleModule,$commandName" -PassThru

            @($seen) | Should -Be @('x')
            $record.TargetObject | Should -BeLike '*b.tar'
            $record.Exception.Message | Should -BeLike "*a.tar' already; '*b.tar' would be a second module called 'x'*"
            Test-Path -LiteralPath $joined | Should -BeFalse
        }
    }

    Context '-NameFromFile' {
        BeforeAll {
            $named = New-TestFolder -Name named
            foreach ($file in @('aww-v2.tar', 'Person Detect.TAR', 'kws.v2.tar')) {
                $null = New-MlfTestArchive -WithSource -Path (Join-Path $named $file)
            }
            $tgz = Join-Path $named 'VWW.tgz'
            $bytes = [System.IO.File]::ReadAllBytes((New-MlfTestArchive -WithSource -Path (Join-Path $TestDrive 'vww-source.tar')))
            $stream = [System.IO.File]::Create($tgz)
            try {
                $gzip = New-Object System.IO.Compression.GZipStream($stream, [System.IO.Compression.CompressionMode]::Compress)
                $gzip.Write($bytes, 0, $bytes.Length)
                $gzip.Dispose()
            }
            finally {
                $stream.Dispose()
            }
        }

        It 'names each module after its file: <File> gives <Expected>' -ForEach @(
            @{ File = 'aww-v2.tar'; Expected = 'aww_v2' }
            @{ File = 'Person Detect.TAR'; Expected = 'person_detect' }
            @{ File = 'kws.v2.tar'; Expected = 'kws_v2' }
            @{ File = 'VWW.tgz'; Expected = 'vww' }
        ) {
            $module = New-MlfModule -LiteralPath (Join-Path $named $File) -NameFromFile

            $module.Name | Should -Be $Expected
            $module.OriginalName | Should -Be 'default'
            $module.IsRenamed | Should -BeTrue
        }

        It 'names every module of a Get-ChildItem pipeline, in one step' {
            $names = @(Get-ChildItem -LiteralPath $named | Sort-Object Name | New-MlfModule -NameFromFile | ForEach-Object Name)

            $names | Should -Be @('aww_v2', 'kws_v2', 'person_detect', 'vww')
        }

        It 'names a folder after the folder' {
            $folder = Join-Path (New-TestFolder) 'Magic-Wand'
            $null = New-Item -Path $folder -ItemType Directory
            Set-Content -LiteralPath (Join-Path $folder 'metadata.json') -Value $v5Metadata -NoNewline

            (Get-Item -LiteralPath $folder | New-MlfModule -NameFromFile).Name | Should -Be 'magic_wand'
        }

        It 'names a module picked with -ModuleName from a multi-module archive' {
            $modules = '{"version":7,"modules":{"a":' + $v5Metadata.Replace('{"version":5,', '{').Replace('"model_name":"default"', '"model_name":"a"') +
                ',"b":' + $v5Metadata.Replace('{"version":5,', '{').Replace('"model_name":"default"', '"model_name":"b"') + '}}'
            $archive = New-TestTar -Path (Join-Path (New-TestFolder) 'board-b.tar') -Entries ([ordered]@{ './metadata.json' = $modules })

            $module = New-MlfModule -LiteralPath $archive -ModuleName b -NameFromFile

            $module.Name | Should -Be 'board_b'
            $module.OriginalName | Should -Be 'b'
        }

        It 'reports a file name that stays invalid as InvalidModuleName for that file and reads the others' {
            $folder = New-TestFolder
            $null = New-MlfTestArchive -WithSource -Path (Join-Path $folder '2024-kws.tar')
            $null = New-MlfTestArchive -WithSource -Path (Join-Path $folder 'vww.tar')
            $ev = $null

            $modules = @(Get-ChildItem -LiteralPath $folder | Sort-Object Name | New-MlfModule -NameFromFile -ErrorAction SilentlyContinue -ErrorVariable ev)

            @($modules | ForEach-Object Name) | Should -Be @('vww')
            @($ev) | Should -HaveCount 1
            $record = Get-ErrorRecord $ev[0]
            $record.FullyQualifiedErrorId | Should -Be "InvalidModuleName,$commandName"
            $record.TargetObject | Should -BeLike '*2024-kws.tar'
            $record.Exception.Message | Should -BeLike "*'2024-kws.tar' gives '2024_kws'*starts with a digit*Rename the file*-Name instead of -NameFromFile*"
        }

        It 'is a switch that never binds from the pipeline' {
            $parameter = (Get-Command -Name New-MlfModule -Module MlfTools).Parameters['NameFromFile']
            $parameter.SwitchParameter | Should -BeTrue
            foreach ($set in $parameter.ParameterSets.Values) {
                $set.ValueFromPipeline | Should -BeFalse
                $set.ValueFromPipelineByPropertyName | Should -BeFalse
            }
        }

        It 'lets the joined archive hold each file''s module under its file''s name' -Skip:(-not $samplesPresent) {
            $folder = New-TestFolder
            Copy-Item -LiteralPath (Join-Path $samplesRoot 'v5-aot-sine.tar') -Destination (Join-Path $folder 'sine-v5.tar')
            Copy-Item -LiteralPath (Join-Path $samplesRoot 'v7-graph-magicwand.tar') -Destination (Join-Path $folder 'Magic Wand.tar')
            $joined = Join-Path (New-TestFolder) 'all.tar'

            Get-ChildItem -LiteralPath $folder -Filter *.tar | New-MlfModule -NameFromFile | Join-MlfArchive -DestinationPath $joined

            @(New-MlfModule -LiteralPath $joined | ForEach-Object Name | Sort-Object) | Should -Be @('magic_wand', 'sine_v5')
        }
    }

    Context 'error <Id>: <Case>' -ForEach $errorCases {
        It 'stops the command under -ErrorAction Stop' {
            if ($NeedsSamples -and -not $samplesPresent) {
                Set-ItResult -Skipped -Because $samplesSkipReason
            }
            if ($NeedsTool -and -not (Get-Command $NeedsTool -ErrorAction Ignore)) {
                Set-ItResult -Skipped -Because "$NeedsTool is not installed"
            }
            $parameters = & $Arrange

            $record = { New-MlfModule @parameters -ErrorAction Stop } | Should -Throw -ErrorId "$Id,$commandName" -PassThru

            $record.TargetObject | Should -Not -BeNullOrEmpty
            $record.TargetObject | Should -BeLike $Target
        }

        It 'is collected by -ErrorVariable with its category and target' {
            if ($NeedsSamples -and -not $samplesPresent) {
                Set-ItResult -Skipped -Because $samplesSkipReason
            }
            if ($NeedsTool -and -not (Get-Command $NeedsTool -ErrorAction Ignore)) {
                Set-ItResult -Skipped -Because "$NeedsTool is not installed"
            }
            $parameters = & $Arrange
            $ev = $null
            $modules = @()
            $thrown = $null

            try {
                $modules = @(New-MlfModule @parameters -ErrorAction SilentlyContinue -ErrorVariable ev)
            }
            catch {
                $thrown = $_
            }

            if ($Terminating) {
                $thrown | Should -Not -BeNullOrEmpty -Because "$Id is a terminating error, which -ErrorAction cannot silence"
            }
            else {
                $thrown | Should -BeNullOrEmpty -Because "$Id is a non-terminating error, which -ErrorAction SilentlyContinue silences"
            }
            $modules.Count | Should -Be 0
            @($ev) | Should -HaveCount 1
            $record = Get-ErrorRecord $ev[0]
            $record.FullyQualifiedErrorId | Should -Be "$Id,$commandName"
            $record.CategoryInfo.Category | Should -Be $Category
            $record.TargetObject | Should -Not -BeNullOrEmpty
            $record.TargetObject | Should -BeLike $Target
        }
    }
}
