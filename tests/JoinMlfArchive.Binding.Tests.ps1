#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Join-MlfArchive of the BUILT module (out/MlfTools; run ./build.ps1 first): how it takes its inputs and its
# destination: pipeline and path binding, -PassThru, positional arguments. Tests that need the real archives in
# ../shared/mlf-samples are skipped where that folder is absent; the others write small archives into $TestDrive.

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
    }

    AfterAll {
        Remove-BuiltModule
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
}
