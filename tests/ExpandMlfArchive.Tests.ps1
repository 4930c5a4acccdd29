#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Drives the real Expand-MlfArchive cmdlet of the BUILT module (out/MlfTools, made by every `dotnet build`; run
# ./build.ps1 first). The real archives are read from ../shared/mlf-samples beside the repository; where that
# folder is absent the tests that need them are skipped and everything else still runs on small archives this
# file writes into $TestDrive. Where a tar executable is on PATH (GNU tar, or the bsdtar Windows ships), the
# extracted samples are also compared byte for byte with what tar extracts.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    Write-SamplesMissingWarning -Skipped 'expand real MLF archives'
    $sampleNames = @('v4-graph-yesno.tar', 'v5-aot-sine.tar', 'v5-graph-llvm-conv1d.tar', 'v7-aot-crt-mlp.tar', 'v7-graph-magicwand.tar')

    # Unix permissions can be read back only on PowerShell 7 (.NET 7 and later) outside Windows.
    $unixModesReadable = ($PSVersionTable.PSEdition -eq 'Core') -and (-not $IsWindows) -and
        ($null -ne [System.IO.File].GetMethod('GetUnixFileMode', [type[]]@([string])))

    # Every refusal of an archive. Each is a non-terminating error (one archive, one error), so -ErrorAction
    # decides. Arrange writes the input into a new folder and returns that Folder (it must look the same
    # afterwards: no destination, no temporary folder, the input unchanged) and the Parameters to splat; the
    # destination is always '<Folder>/out/model', so even its parent must not appear. Target is a -like pattern
    # for the ErrorRecord's TargetObject.
    $errorCases = @(
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a member named ../../evil.txt'; Category = 'SecurityError'; Target = '*traversal.tar'; Reason = "*'..'*"
            Arrange = { New-Case -Name 'traversal.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; '../../evil.txt' = 'outside' }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'an absolute member path'; Category = 'SecurityError'; Target = '*absolute.tar'; Reason = '*absolute path*'
            Arrange = { New-Case -Name 'absolute.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; '/tmp/evil.txt' = 'outside' }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a symbolic link'; Category = 'SecurityError'; Target = '*symlink.tar'; Reason = '*link*'
            Arrange = { New-Case -Name 'symlink.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/passwd' = @{ Type = '2'; LinkName = '/etc/passwd' } }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a hard link'; Category = 'SecurityError'; Target = '*hardlink.tar'; Reason = '*link*'
            Arrange = { New-Case -Name 'hardlink.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/copy.json' = @{ Type = '1'; LinkName = './metadata.json' } }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a FIFO'; Category = 'SecurityError'; Target = '*fifo.tar'; Reason = '*FIFO*'
            Arrange = { New-Case -Name 'fifo.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/pipe' = @{ Type = '6' } }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a name with a backslash'; Category = 'SecurityError'; Target = '*backslash.tar'; Reason = '*folder separator*'
            Arrange = { New-Case -Name 'backslash.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/a\b.h' = 'x' }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a name with a colon'; Category = 'SecurityError'; Target = '*colon.tar'; Reason = "*':'*"
            Arrange = { New-Case -Name 'colon.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/a.h:stream' = 'x' }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'the device name NUL.txt'; Category = 'SecurityError'; Target = '*device.tar'; Reason = '*device name*'
            Arrange = { New-Case -Name 'device.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/NUL.txt' = 'x' }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'a name ending in a dot'; Category = 'SecurityError'; Target = '*trailing-dot.tar'; Reason = '*ends in a dot*'
            Arrange = { New-Case -Name 'trailing-dot.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/notes.' = 'x' }) }
        }
        @{
            Id = 'UnsafeArchiveEntry'; Case = 'samples/A.h and samples/a.h'; Category = 'SecurityError'; Target = '*case.tar'; Reason = '*differ only in case*'
            Arrange = {
                $entries = New-Object System.Collections.Specialized.OrderedDictionary ([System.StringComparer]::Ordinal)
                $entries['./metadata.json'] = $v5Metadata
                $entries['./samples/A.h'] = 'upper'
                $entries['./samples/a.h'] = 'lower'
                New-Case -Name 'case.tar' -Entries $entries
            }
        }
        @{
            Id = 'ArchiveTooLarge'; Case = 'a .tgz expanding past -MaximumExpandedSize 1MB'; Category = 'LimitsExceeded'; Target = '*bomb.tgz'; Reason = '*1 MiB*'
            Arrange = {
                # Not $case: Pester's variable for the case title, and PowerShell names ignore case.
                $bomb = New-Case -Name 'bomb.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/zeros.bin' = (New-Object byte[] (3MB)) })
                $tgz = ConvertTo-GzipFile -Path $bomb.Parameters.Path -DestinationPath (Join-Path $bomb.Folder 'bomb.tgz')
                Remove-Item -LiteralPath $bomb.Parameters.Path
                $bomb.Parameters.Path = $tgz
                $bomb.Parameters.MaximumExpandedSize = 1MB
                $bomb
            }
        }
        @{
            Id = 'MetadataMissing'; Case = 'a tar without metadata.json'; Category = 'InvalidData'; Target = '*plain.tar'; Reason = '*metadata.json*'
            Arrange = { New-Case -Name 'plain.tar' -Entries ([ordered]@{ './notes.txt' = 'not a model' }) }
        }
        @{
            Id = 'ParamsInvalid'; Case = 'an 8-byte default.params'; Category = 'InvalidData'; Target = '*params.tar'; Reason = '*parameters/default.params*'
            Arrange = { New-Case -Name 'params.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './parameters/default.params' = [byte[]](1..8) }) }
        }
        @{
            Id = 'InvalidArchive'; Case = 'a file of random text'; Category = 'InvalidData'; Target = '*random-text.tar'; Reason = '*not a readable MLF archive*'
            Arrange = {
                $folder = New-TestFolder
                @{ Folder = $folder; Parameters = @{ Path = (New-RandomTextFile -Path (Join-Path $folder 'random-text.tar')); DestinationPath = (Join-Path $folder 'out/model') } }
            }
        }
        @{
            Id = 'InvalidArchive'; Case = 'a folder given as the archive'; Category = 'InvalidData'; Target = '*extracted'; Reason = '*is a folder*'
            Arrange = {
                $folder = New-TestFolder
                $extracted = New-Item -Path (Join-Path $folder 'extracted') -ItemType Directory
                Set-Content -LiteralPath (Join-Path $extracted.FullName 'metadata.json') -Value $v5Metadata
                @{ Folder = $folder; Parameters = @{ LiteralPath = $extracted.FullName; DestinationPath = (Join-Path $folder 'out/model') } }
            }
        }
        @{
            Id = 'PathNotFound'; Case = '-Path that does not exist'; Category = 'ObjectNotFound'; Target = '*does-not-exist.tar'; Reason = '*does-not-exist.tar*'
            Arrange = {
                $folder = New-TestFolder
                @{ Folder = $folder; Parameters = @{ Path = (Join-Path $folder 'does-not-exist.tar'); DestinationPath = (Join-Path $folder 'out/model') } }
            }
        }
        @{
            Id = 'DestinationIsInput'; Case = '-Force with a destination that holds the archive'; Category = 'InvalidArgument'; Target = '*inputs'; Reason = '*could overwrite or delete*'
            Arrange = {
                $folder = New-TestFolder
                $inputs = New-Item -Path (Join-Path $folder 'inputs') -ItemType Directory
                $archive = New-TestTar -Path (Join-Path $inputs.FullName 'model.tar') -Entries ([ordered]@{ './metadata.json' = $v5Metadata })
                @{ Folder = $folder; Parameters = @{ Path = $archive; DestinationPath = $inputs.FullName; Force = $true } }
            }
        }
    )
}

Describe 'Expand-MlfArchive' {
    BeforeAll {
        $manifest = Import-BuiltModule

        $commandName = 'MlfTools.Commands.ExpandMlfArchiveCommand'

        # The smallest metadata.json New-MlfModule accepts: MLF version 5, one AOT module named 'default'.
        $v5Metadata = New-MlfMetadata

        function New-Case {
            # A new folder holding one archive of the given Entries; returns the Folder and the Parameters for it,
            # with the destination '<Folder>/out/model'.
            param([Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [System.Collections.IDictionary] $Entries)
            $folder = New-TestFolder
            $archive = New-TestTar -Path (Join-Path $folder $Name) -Entries $Entries
            @{ Folder = $folder; Parameters = @{ Path = $archive; DestinationPath = (Join-Path $folder 'out/model') } }
        }

        function ConvertTo-GzipFile {
            # Gzips Path into DestinationPath and returns DestinationPath.
            param([Parameter(Mandatory = $true)] [string] $Path, [Parameter(Mandatory = $true)] [string] $DestinationPath)
            $bytes = [System.IO.File]::ReadAllBytes($Path)
            $file = [System.IO.File]::Create($DestinationPath)
            try {
                $gzip = New-Object System.IO.Compression.GZipStream($file, [System.IO.Compression.CompressionMode]::Compress)
                try {
                    $gzip.Write($bytes, 0, $bytes.Length)
                }
                finally {
                    $gzip.Dispose()
                }
            }
            finally {
                $file.Dispose()
            }
            $DestinationPath
        }

        function Get-LeftOver {
            # Temporary or set-aside folders an extraction leaves beside its destination ('.<name>.<random>.tmp' or '.old').
            param([Parameter(Mandatory = $true)] [string] $Folder)
            @(Get-ChildItem -LiteralPath $Folder -Force | Where-Object { $_.Name -like '.*.tmp' -or $_.Name -like '.*.old' })
        }
    }

    AfterAll {
        Remove-BuiltModule
    }

    Context 'expanding the real samples' {
        It 'expands <_> into a new folder that New-MlfModule reads like the archive, and emits nothing' -ForEach $sampleNames -Skip:(-not $samplesPresent) {
            $archive = Join-Path $samplesRoot $_
            $destination = Join-Path (New-TestFolder) 'model'

            $output = @(Expand-MlfArchive -Path $archive -DestinationPath $destination)

            $output.Count | Should -Be 0 -Because 'nothing is emitted without -PassThru'
            Test-Path -LiteralPath $destination -PathType Container | Should -BeTrue
            $fromArchive = New-MlfModule -LiteralPath $archive
            $fromFolder = New-MlfModule -LiteralPath $destination
            @($fromFolder.Files | ForEach-Object Path | Sort-Object) | Should -Be @($fromArchive.Files | ForEach-Object Path | Sort-Object)
            $fromFolder.FormatVersion | Should -Be $fromArchive.FormatVersion
            if ($null -ne $fromArchive.Parameters) {
                $fromFolder.Parameters.TotalBytes | Should -Be $fromArchive.Parameters.TotalBytes
            }
            @(Get-LeftOver -Folder (Split-Path -Parent $destination)).Count | Should -Be 0
        }

        It 'writes the same files with the same bytes as tar does for <_>' -ForEach $sampleNames -Skip:(-not $samplesPresent) {
            if ($null -eq (Get-TarCommand)) {
                Set-ItResult -Skipped -Because 'no tar executable is on PATH'
            }
            $folder = New-TestFolder
            Copy-Item -LiteralPath (Join-Path $samplesRoot $_) -Destination (Join-Path $folder 'sample.tar')
            $byTar = New-Item -Path (Join-Path $folder 'by-tar') -ItemType Directory
            $null = Invoke-Tar -WorkingFolder $byTar.FullName -ArgumentList @('-xf', '../sample.tar')

            Expand-MlfArchive -LiteralPath (Join-Path $folder 'sample.tar') -DestinationPath (Join-Path $folder 'ours')

            Get-FolderSnapshot -Folder (Join-Path $folder 'ours') | Should -Be (Get-FolderSnapshot -Folder $byTar.FullName)
        }

        It 'expands a gzip-compressed sample (.tgz) to the same files as the .tar' -Skip:(-not $samplesPresent) {
            $folder = New-TestFolder
            $tgz = ConvertTo-GzipFile -Path (Join-Path $samplesRoot 'v7-graph-magicwand.tar') -DestinationPath (Join-Path $folder 'magicwand.tgz')

            Expand-MlfArchive -Path $tgz -DestinationPath (Join-Path $folder 'from-tgz')
            Expand-MlfArchive -Path (Join-Path $samplesRoot 'v7-graph-magicwand.tar') -DestinationPath (Join-Path $folder 'from-tar')

            Get-FolderSnapshot -Folder (Join-Path $folder 'from-tgz') | Should -Be (Get-FolderSnapshot -Folder (Join-Path $folder 'from-tar'))
        }
    }

    Context 'paths and the pipeline' {
        It 'takes a FileInfo from Get-Item through -LiteralPath, even when the name has brackets' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'model[1].tar') -Note 'new'

            Get-Item -LiteralPath $archive | Expand-MlfArchive -DestinationPath (Join-Path $folder 'out')

            Get-Content -LiteralPath (Join-Path $folder 'out/samples/note.txt') | Should -Be 'new'
        }

        It 'takes a path string from the pipeline by value, and -LP as -LiteralPath' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'model.tar') -Note 'new'

            $archive | Expand-MlfArchive -DestinationPath (Join-Path $folder 'by-value')
            Expand-MlfArchive -LP $archive -DestinationPath (Join-Path $folder 'by-alias')

            Test-Path -LiteralPath (Join-Path $folder 'by-value/metadata.json') | Should -BeTrue
            Test-Path -LiteralPath (Join-Path $folder 'by-alias/metadata.json') | Should -BeTrue
        }

        It 'resolves relative -Path and -DestinationPath against the PowerShell location, positionally' {
            $folder = New-TestFolder
            $null = New-MlfTestArchive -Path (Join-Path $folder 'model.tar') -Note 'new'
            Push-Location -LiteralPath $folder
            try {
                Expand-MlfArchive model.tar out/model
            }
            finally {
                Pop-Location
            }
            Test-Path -LiteralPath (Join-Path $folder 'out/model/samples/note.txt') | Should -BeTrue
        }

        It 'expands the one archive a wildcard matches' {
            $folder = New-TestFolder
            $null = New-MlfTestArchive -Path (Join-Path $folder 'model-a.tar') -Note 'new'

            Expand-MlfArchive -Path (Join-Path $folder 'model-*.tar') -DestinationPath (Join-Path $folder 'out')

            Test-Path -LiteralPath (Join-Path $folder 'out/metadata.json') | Should -BeTrue
        }

        It 'expands only the first of two archives into one destination and reports DestinationExists for the second' {
            $folder = New-TestFolder
            $null = New-MlfTestArchive -Path (Join-Path $folder 'model-a.tar') -Note 'a'
            $null = New-MlfTestArchive -Path (Join-Path $folder 'model-b.tar') -Note 'b'
            $destination = Join-Path $folder 'out'
            $ev = $null

            Expand-MlfArchive -Path (Join-Path $folder 'model-*.tar') -DestinationPath $destination -Force -ErrorAction SilentlyContinue -ErrorVariable ev

            @($ev) | Should -HaveCount 1
            (Get-ErrorRecord $ev[0]).FullyQualifiedErrorId | Should -Be "DestinationExists,$commandName"
            (Get-ErrorRecord $ev[0]).TargetObject | Should -Be (Get-Item -LiteralPath $destination).FullName
            Get-Content -LiteralPath (Join-Path $destination 'samples/note.txt') | Should -BeIn @('a', 'b')
        }

        It 'writes what it read and wrote with -Verbose' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'model.tar') -Note 'new'

            $verbose = @(Expand-MlfArchive -Path $archive -DestinationPath (Join-Path $folder 'out') -Verbose 4>&1)

            # PowerShell 7 also writes ShouldProcess's 'Performing the operation' line as a verbose record.
            $ours = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -notlike 'Performing the operation *' })
            $ours | Should -HaveCount 2
            $ours[0].Message | Should -BeLike "Reading '*model.tar'."
            $ours[1].Message | Should -BeLike 'Expanded 2 file(s) and 1 folder(s) of *'
        }
    }

    Context 'modules from New-MlfModule' {
        BeforeAll {
            $v7Module = '"executors":["aot"],"export_datetime":"2022-03-04 05:06:07Z","memory":{"functions":{"main":[],"operator_functions":[]}},"style":"full-model","target":["c"]'
            $twoModules = '{"modules":{"kws":{' + $v7Module + ',"model_name":"kws"},"vww":{' + $v7Module + ',"model_name":"vww"}},"version":7}'
        }

        It 'expands the archive a piped module was read from' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'model [1].tar') -Note 'from the module'

            $output = @(New-MlfModule -LiteralPath $archive | Expand-MlfArchive -DestinationPath (Join-Path $folder 'out') -PassThru)

            $output | Should -HaveCount 1
            $output[0].FullName | Should -Be (Join-Path $folder 'out')
            Get-Content -LiteralPath (Join-Path $folder 'out/samples/note.txt') | Should -Be 'from the module'
        }

        It 'expands a multi-module archive once for all its modules, without an error' {
            $folder = New-TestFolder
            $archive = New-TestTar -Path (Join-Path $folder 'two.tar') -Entries ([ordered]@{
                    './metadata.json'              = $twoModules
                    './codegen/host/src/kws_lib0.c' = "int tvmgen_kws_run(void) { return 0; }`n"
                    './codegen/host/src/vww_lib0.c' = "int tvmgen_vww_run(void) { return 0; }`n"
                })
            $modules = @(New-MlfModule -LiteralPath $archive)
            $modules | Should -HaveCount 2
            $ev = $null

            $output = @($modules | Expand-MlfArchive -DestinationPath (Join-Path $folder 'out') -PassThru -ErrorVariable ev)

            @($ev) | Should -HaveCount 0
            $output | Should -HaveCount 1
            @(New-MlfModule -LiteralPath (Join-Path $folder 'out') | ForEach-Object Name) | Should -Be @('kws', 'vww')
        }

        It 'reports DestinationExists for a module of a second archive, as for a second -Path' {
            $folder = New-TestFolder
            $first = New-MlfModule -LiteralPath (New-MlfTestArchive -Path (Join-Path $folder 'a.tar') -Note 'a')
            $second = New-MlfModule -LiteralPath (New-MlfTestArchive -Path (Join-Path $folder 'b.tar') -Note 'b')
            $destination = Join-Path $folder 'out'
            $ev = $null

            $first, $second | Expand-MlfArchive -DestinationPath $destination -ErrorAction SilentlyContinue -ErrorVariable ev

            @($ev) | Should -HaveCount 1
            (Get-ErrorRecord $ev[0]).FullyQualifiedErrorId | Should -Be "DestinationExists,$commandName"
            (Get-ErrorRecord $ev[0]).Exception.Message | Should -BeLike "*b.tar' was not expanded*"
            Get-Content -LiteralPath (Join-Path $destination 'samples/note.txt') | Should -Be 'a'
        }

        It 'expands a real sample through New-MlfModule to the same files as by path' -Skip:(-not $samplesPresent) {
            $folder = New-TestFolder
            $sample = Join-Path $samplesRoot 'v7-graph-magicwand.tar'

            New-MlfModule -LiteralPath $sample | Expand-MlfArchive -DestinationPath (Join-Path $folder 'piped')
            Expand-MlfArchive -LiteralPath $sample -DestinationPath (Join-Path $folder 'by-path')

            Get-FolderSnapshot -Folder (Join-Path $folder 'piped') | Should -Be (Get-FolderSnapshot -Folder (Join-Path $folder 'by-path'))
            Get-FolderSnapshot -Folder (Join-Path $folder 'piped') | Should -Not -BeNullOrEmpty
        }
    }

    Context '-MaximumExpandedSize as people write sizes' {
        BeforeAll {
            $sizeFolder = New-TestFolder -Name sizes
            $tar = New-TestTar -Path (Join-Path $sizeFolder 'model.tar') -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/big.txt' = ('x' * 8192) })
            $gz = ConvertTo-GzipFile -Path $tar -DestinationPath (Join-Path $sizeFolder 'model.tgz')
            # The tar data: three 512-byte headers, the two files' blocks and the two end blocks, about 10 KiB.
            $tarBytes = (Get-Item -LiteralPath $tar).Length
        }

        It 'takes <Value> (<Kind>) and expands an archive of about 10 KiB' -ForEach @(
            @{ Value = '1MiB'; Kind = 'a string with a binary unit' }
            @{ Value = '0.5 MB'; Kind = 'a string with a fraction and a space' }
            @{ Value = 1MB; Kind = "PowerShell's 1MB literal" }
            @{ Value = '1048576'; Kind = 'a string of digits, as from a CSV file' }
        ) {
            $destination = Join-Path $sizeFolder ('out-' + [guid]::NewGuid().ToString('N').Substring(0, 6))

            Expand-MlfArchive -LiteralPath $gz -DestinationPath $destination -MaximumExpandedSize $Value

            (Get-Item -LiteralPath (Join-Path $destination 'samples/big.txt')).Length | Should -Be 8192
        }

        It 'refuses the archive as ArchiveTooLarge with a limit of ''8KiB'', which the tar data exceeds' {
            $tarBytes | Should -BeGreaterThan 8192
            $destination = Join-Path $sizeFolder 'too-small'

            { Expand-MlfArchive -LiteralPath $gz -DestinationPath $destination -MaximumExpandedSize '8KiB' -ErrorAction Stop } |
                Should -Throw -ErrorId "ArchiveTooLarge,$commandName"
            Test-Path -LiteralPath $destination | Should -BeFalse
        }

        It 'stops at binding on <Value>, saying what to write' -ForEach @(
            @{ Value = 'lots'; Says = "*'lots' is not a byte size*256KB, 256KiB, 1.5MB*" }
            @{ Value = '1.3KB'; Says = "*'1.3KB' is 1331.2 bytes*" }
            @{ Value = '-1KB'; Says = '*negative*' }
        ) {
            $record = { Expand-MlfArchive -LiteralPath $gz -DestinationPath (Join-Path $sizeFolder 'never') -MaximumExpandedSize $Value } |
                Should -Throw -ErrorId "ParameterArgumentTransformationError,$commandName" -PassThru

            $record.Exception.Message | Should -BeLike $Says
            Test-Path -LiteralPath (Join-Path $sizeFolder 'never') | Should -BeFalse
        }

        It 'refuses a -MaximumExpandedSize of 0 at binding' {
            { Expand-MlfArchive -Path 'x.tar' -DestinationPath 'y' -MaximumExpandedSize 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,MlfTools.Commands.ExpandMlfArchiveCommand'
        }
    }

    Context '-PassThru' {
        It 'emits the destination as one DirectoryInfo with PSPath, which New-MlfModule reads' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'model.tar') -Note 'new'

            $output = @(Expand-MlfArchive -Path $archive -DestinationPath (Join-Path $folder 'out') -PassThru)

            $output | Should -HaveCount 1
            $output[0] | Should -BeOfType ([System.IO.DirectoryInfo])
            $output[0].FullName | Should -Be (Join-Path $folder 'out')
            $output[0].PSPath | Should -Not -BeNullOrEmpty
            (@($output[0] | New-MlfModule))[0].Name | Should -Be 'default'
        }
    }

    Context '-WhatIf' {
        It 'checks the archive and writes nothing' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'model.tar') -Note 'new'
            $before = Get-FolderSnapshot -Folder $folder

            $output = @(Expand-MlfArchive -Path $archive -DestinationPath (Join-Path $folder 'out/model') -PassThru -WhatIf)

            $output.Count | Should -Be 0
            Get-FolderSnapshot -Folder $folder | Should -Be $before
        }

        It 'still reports an unsafe archive' {
            $arranged = New-Case -Name 'traversal.tar' -Entries ([ordered]@{ './metadata.json' = $v5Metadata; '../evil.txt' = 'outside' })
            $parameters = $arranged.Parameters

            { Expand-MlfArchive @parameters -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId "UnsafeArchiveEntry,$commandName"
        }

        It 'refuses an existing destination without -Force, as a terminating error' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'model.tar') -Note 'new'
            $null = New-Item -Path (Join-Path $folder 'out') -ItemType Directory

            { Expand-MlfArchive -Path $archive -DestinationPath (Join-Path $folder 'out') -WhatIf -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId "DestinationExists,$commandName"
        }
    }

    Context 'an existing destination' {
        BeforeEach {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'model.tar') -Note 'new'
            $destination = Join-Path $folder 'out'
            $null = New-Item -Path (Join-Path $destination 'old') -ItemType Directory
            Set-Content -LiteralPath (Join-Path $destination 'old/kept.txt') -Value 'written earlier'
        }

        It 'is refused without -Force, before the archive is read, whatever -ErrorAction says, and left as it was' {
            $before = Get-FolderSnapshot -Folder $folder

            $record = { Expand-MlfArchive -Path (Join-Path $folder 'missing.tar') -DestinationPath $destination -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId "DestinationExists,$commandName" -PassThru

            $record.CategoryInfo.Category | Should -Be 'ResourceExists'
            $record.TargetObject | Should -Be $destination
            Get-FolderSnapshot -Folder $folder | Should -Be $before
        }

        It 'is written into with -Force: the files the archive holds are overwritten, the user''s other files are kept' {
            Set-Content -LiteralPath (Join-Path $destination 'main.c') -Value 'int main(void) { return 0; }'
            $null = New-Item -Path (Join-Path $destination 'samples') -ItemType Directory
            Set-Content -LiteralPath (Join-Path $destination 'samples/note.txt') -Value 'old'

            Expand-MlfArchive -Path $archive -DestinationPath $destination -Force

            Get-Content -LiteralPath (Join-Path $destination 'main.c') | Should -Be 'int main(void) { return 0; }'
            Get-Content -LiteralPath (Join-Path $destination 'old/kept.txt') | Should -Be 'written earlier'
            Get-Content -LiteralPath (Join-Path $destination 'samples/note.txt') | Should -Be 'new'
            Test-Path -LiteralPath (Join-Path $destination 'metadata.json') | Should -BeTrue
            @(Get-ChildItem -LiteralPath $folder -Force | ForEach-Object Name | Sort-Object) | Should -Be @('model.tar', 'out')
        }

        It '-Force -WhatIf says the folder is written into and the other files kept, and writes nothing' {
            $before = Get-FolderSnapshot -Folder $folder
            $module = (Resolve-Path -LiteralPath $manifest).Path
            $run = Invoke-ChildPowerShell -Script "Import-Module '$module'; Expand-MlfArchive -LiteralPath '$archive' -DestinationPath '$destination' -Force -WhatIf"
            ($run.Output -replace '\s+', ' ') | Should -BeLike '*keeping every other file*'
            Get-FolderSnapshot -Folder $folder | Should -Be $before
        }

        It '-Force refuses, before writing anything, a file of the archive where the folder holds a folder' {
            $null = New-Item -Path (Join-Path $destination 'metadata.json') -ItemType Directory
            $before = Get-FolderSnapshot -Folder $folder

            { Expand-MlfArchive -Path $archive -DestinationPath $destination -Force -ErrorAction Stop } | Should -Throw -ErrorId "DestinationExists,$commandName"

            Get-FolderSnapshot -Folder $folder | Should -Be $before
        }

        It 'is replaced as a whole only with -ReplaceFolder; -WhatIf says how many files would be deleted' {
            Set-Content -LiteralPath (Join-Path $destination 'main.c') -Value 'int main(void) { return 0; }'
            $before = Get-FolderSnapshot -Folder $folder

            $module = (Resolve-Path -LiteralPath $manifest).Path
            $run = Invoke-ChildPowerShell -Script "Import-Module '$module'; Expand-MlfArchive -LiteralPath '$archive' -DestinationPath '$destination' -ReplaceFolder -WhatIf"
            ($run.Output -replace '\s+', ' ') | Should -BeLike '*deleting 2 file(s)*'
            Get-FolderSnapshot -Folder $folder | Should -Be $before

            Expand-MlfArchive -Path $archive -DestinationPath $destination -ReplaceFolder -Force

            Test-Path -LiteralPath (Join-Path $destination 'old') | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $destination 'main.c') | Should -BeFalse
            Get-Content -LiteralPath (Join-Path $destination 'samples/note.txt') | Should -Be 'new'
            @(Get-ChildItem -LiteralPath $folder -Force | ForEach-Object Name | Sort-Object) | Should -Be @('model.tar', 'out')
        }

        It '-ReplaceFolder without -Force asks before deleting files, and a non-interactive session cannot say yes' {
            $before = Get-FolderSnapshot -Folder $folder
            $module = (Resolve-Path -LiteralPath $manifest).Path
            $run = Invoke-ChildPowerShell -Script "Import-Module '$module'; Expand-MlfArchive -LiteralPath '$archive' -DestinationPath '$destination' -ReplaceFolder; 'succeeded: ' + `$?"
            ($run.Output -replace '\s+', ' ') | Should -BeLike '*NonInteractive mode*'
            $run.Output | Should -BeLike '*succeeded: False*'
            Get-FolderSnapshot -Folder $folder | Should -Be $before
        }

        It 'is left as it was when the archive is refused, even with -Force' {
            $bad = New-TestTar -Path (Join-Path $folder 'bad.tar') -Entries ([ordered]@{ './metadata.json' = $v5Metadata; './samples/CON' = 'x' })
            $before = Get-FolderSnapshot -Folder $folder

            { Expand-MlfArchive -Path $bad -DestinationPath $destination -Force -ErrorAction Stop } | Should -Throw -ErrorId "UnsafeArchiveEntry,$commandName"

            Get-FolderSnapshot -Folder $folder | Should -Be $before
        }

        It 'is refused even with -Force when it is a file' {
            $file = Join-Path $folder 'a-file'
            Set-Content -LiteralPath $file -Value 'not a folder'

            { Expand-MlfArchive -Path $archive -DestinationPath $file -Force } | Should -Throw -ErrorId "DestinationExists,$commandName"

            Get-Content -LiteralPath $file | Should -Be 'not a folder'
        }

        It 'is refused when -DestinationPath is on another provider' {
            { Expand-MlfArchive -Path $archive -DestinationPath 'Variable:\out' } | Should -Throw -ErrorId "PathNotFound,$commandName"
        }
    }

    Context 'file modes on Linux and macOS' {
        It 'drops setuid, setgid, sticky and group/other write, and keeps the owner execute bit' -Skip:(-not $unixModesReadable) {
            $folder = New-TestFolder
            $archive = New-TestTar -Path (Join-Path $folder 'modes.tar') -Entries ([ordered]@{
                    './metadata.json'  = $v5Metadata
                    './bin/setuid'     = @{ Content = 'x'; Mode = '4755' }
                    './bin/sticky'     = @{ Content = 'x'; Mode = '1777' }
                    './bin/group-write' = @{ Content = 'x'; Mode = '0664' }
                    './bin/no-bits'    = @{ Content = 'x'; Mode = '0000' }
                })

            Expand-MlfArchive -Path $archive -DestinationPath (Join-Path $folder 'out')

            $mode = { param($name) [System.Convert]::ToString([int][System.IO.File]::GetUnixFileMode((Join-Path $folder "out/bin/$name")), 8) }
            & $mode 'setuid' | Should -Be '755'
            & $mode 'sticky' | Should -Be '755'
            & $mode 'group-write' | Should -Be '644'
            & $mode 'no-bits' | Should -Be '600'
        }
    }

    Context 'error <Id>: <Case>' -ForEach $errorCases {
        It 'stops the command under -ErrorAction Stop, naming the reason' {
            $arranged = & $Arrange
            $parameters = $arranged.Parameters

            $record = { Expand-MlfArchive @parameters -ErrorAction Stop } | Should -Throw -ErrorId "$Id,$commandName" -PassThru

            $record.TargetObject | Should -BeLike $Target
            $record.Exception.Message | Should -BeLike $Reason
        }

        It 'is collected by -ErrorVariable with its category and target, and leaves the folder as it was' {
            $arranged = & $Arrange
            $parameters = $arranged.Parameters
            $before = Get-FolderSnapshot -Folder $arranged.Folder
            $ev = $null

            $output = @(Expand-MlfArchive @parameters -PassThru -ErrorAction SilentlyContinue -ErrorVariable ev)

            $output.Count | Should -Be 0
            @($ev) | Should -HaveCount 1
            $record = Get-ErrorRecord $ev[0]
            $record.FullyQualifiedErrorId | Should -Be "$Id,$commandName"
            $record.CategoryInfo.Category | Should -Be $Category
            $record.TargetObject | Should -BeLike $Target
            Get-FolderSnapshot -Folder $arranged.Folder | Should -Be $before -Because 'a refused archive writes nothing, not even the destination''s parent'
            Test-Path -LiteralPath (Join-Path $arranged.Folder 'out') | Should -BeFalse
        }
    }
}
