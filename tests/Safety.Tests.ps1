#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Drives the BUILT module (out/MlfTools) through the unsafe inputs and interrupted runs that involve a cmdlet or a
# process: a destination that reaches an input through a link, an input changed between New-MlfModule and
# Join-MlfArchive, a NUL character in -DestinationPath, leftovers of killed runs, SIGTERM during a join or an extraction
# (Linux and macOS), and a FIFO given as the archive.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    $mkfifoPresent = [bool](Get-Command mkfifo -CommandType Application -ErrorAction SilentlyContinue)
}

Describe 'Safety of inputs and temporaries' {
    BeforeAll {
        $manifest = Import-BuiltModule

        $v5Metadata = New-MlfMetadata

        function Get-FileHashes {
            param([Parameter(Mandatory = $true)] [string] $Folder)
            @(Get-ChildItem -LiteralPath $Folder -Recurse -Force -File | Sort-Object FullName | ForEach-Object { '{0} {1}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName).Hash }) -join "`n"
        }

        function Start-PwshScript {
            # Starts a new PowerShell process (the same one that runs these tests) on a script; returns the Process.
            param([Parameter(Mandatory = $true)] [string] $Script)
            [System.Diagnostics.Process]::Start((New-PowerShellStartInfo -Arguments '-NoProfile', '-NonInteractive', '-Command', $Script))
        }

        function Wait-ForFile {
            # Waits until a file matching Pattern in Folder holds at least MinimumBytes; returns it, or $null after the timeout.
            param([string] $Folder, [string] $Pattern, [long] $MinimumBytes = 1, [int] $Seconds = 120)
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            while ([DateTime]::UtcNow -lt $deadline) {
                $found = Get-ChildItem -LiteralPath $Folder -Force -Filter $Pattern -ErrorAction SilentlyContinue |
                    Where-Object { $_.PSIsContainer -or $_.Length -ge $MinimumBytes } | Select-Object -First 1
                if ($found) { return $found }
                Start-Sleep -Milliseconds 20
            }
            $null
        }

        function New-BigModelFolder {
            # An extracted MLF folder with 96 MiB of incompressible data in Files files, so that writing it takes long
            # enough to be stopped in the middle (an extraction creates many files more slowly than one big one).
            param([Parameter(Mandatory = $true)] [string] $Folder, [int] $Files = 1)
            $null = New-Item -ItemType Directory -Path (Join-Path $Folder 'extra') -Force
            Set-Content -LiteralPath (Join-Path $Folder 'metadata.json') -Value $v5Metadata -NoNewline
            $random = New-Object System.Random 15
            $chunk = New-Object byte[] ([int](96MB / $Files))
            for ($f = 0; $f -lt $Files; $f++) {
                $random.NextBytes($chunk)
                [System.IO.File]::WriteAllBytes((Join-Path $Folder "extra/big$f.bin"), $chunk)
            }
            $Folder
        }
    }

    AfterAll {
        Remove-BuiltModule
    }

    Context 'a destination that reaches an input through a link' {
        It 'Join-MlfArchive -Force refuses r/link/in.tar when r/link is a link to r/real, and the input keeps its bytes' -Skip:$IsWindows {
            $folder = New-TestFolder
            $real = New-Item -ItemType Directory -Path (Join-Path $folder 'r/real')
            $input_ = New-MlfTestArchive -Path (Join-Path $real 'in.tar') -Note 'note'
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'r/link') -Target $real.FullName
            $before = Get-FileHashes $folder

            $failure = $null
            try { Join-MlfArchive -Path $input_ -DestinationPath (Join-Path $folder 'r/link/in.tar') -Force } catch { $failure = $_ }

            $failure.FullyQualifiedErrorId | Should -BeLike 'DestinationIsInput,*'
            Get-FileHashes $folder | Should -Be $before
        }

        It 'Expand-MlfArchive -Force refuses r/link/sub when the archive is r/real/sub/a.tar' -Skip:$IsWindows {
            $folder = New-TestFolder
            $sub = New-Item -ItemType Directory -Path (Join-Path $folder 'r/real/sub')
            $archive = New-MlfTestArchive -Path (Join-Path $sub 'a.tar') -Note 'note'
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'r/link') -Target (Join-Path $folder 'r/real')

            Expand-MlfArchive -Path $archive -DestinationPath (Join-Path $folder 'r/link/sub') -Force -ErrorVariable failures -ErrorAction SilentlyContinue

            (Get-ErrorRecord $failures[0]).FullyQualifiedErrorId | Should -BeLike 'DestinationIsInput,*'
            Test-Path -LiteralPath $archive | Should -BeTrue
        }

        It 'Join-MlfArchive refuses a destination inside a folder input' {
            $folder = New-TestFolder
            $model = Join-Path $folder 'model'
            $null = New-Item -ItemType Directory -Path $model
            Set-Content -LiteralPath (Join-Path $model 'metadata.json') -Value $v5Metadata -NoNewline

            $failure = $null
            try { Join-MlfArchive -Path $model -DestinationPath (Join-Path $model 'joined.tar') } catch { $failure = $_ }

            $failure.FullyQualifiedErrorId | Should -BeLike 'DestinationIsInput,*'
            Test-Path -LiteralPath (Join-Path $model 'joined.tar') | Should -BeFalse
        }
    }

    Context 'an input that changed after New-MlfModule read it' {
        It 'Join-MlfArchive stops with InputChanged and writes nothing' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'in.tar') -Note 'first'
            $module = New-MlfModule -Path $archive
            $null = New-MlfTestArchive -Path $archive -Note ('a much longer note ' * 100)

            $failure = $null
            try { $module | Join-MlfArchive -DestinationPath (Join-Path $folder 'joined.tar') } catch { $failure = $_ }

            $failure.FullyQualifiedErrorId | Should -BeLike 'InputChanged,*'
            @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be @('in.tar')
        }
    }

    Context 'a NUL character in -DestinationPath' {
        It 'Join-MlfArchive gives PathNotFound, not an ArgumentException' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'in.tar') -Note 'note'
            $failure = $null
            try { Join-MlfArchive -Path $archive -DestinationPath (Join-Path $folder "out`0.tar") } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        }

        It 'Expand-MlfArchive gives PathNotFound, not an ArgumentException' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'in.tar') -Note 'note'
            $failure = $null
            try { Expand-MlfArchive -Path $archive -DestinationPath (Join-Path $folder "out`0") } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        }
    }

    Context 'leftovers of killed runs' {
        It 'Join-MlfArchive removes its own temporary files older than a day and says so' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'in.tar') -Note 'note'
            $stale = Join-Path $folder '.joined.tar.0123456789ab.tmp'
            $fresh = Join-Path $folder '.joined.tar.0123456789ac.tmp'
            Set-Content -LiteralPath $stale, $fresh -Value 'partial'
            (Get-Item -LiteralPath $stale -Force).LastWriteTimeUtc = [DateTime]::UtcNow.AddDays(-2)

            $verbose = Join-MlfArchive -Path $archive -DestinationPath (Join-Path $folder 'joined.tar') -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

            Test-Path -LiteralPath $stale | Should -BeFalse
            Test-Path -LiteralPath $fresh | Should -BeTrue
            ($verbose.Message -match [regex]::Escape($stale)) | Should -Not -BeNullOrEmpty
        }

        It 'Expand-MlfArchive removes its own temporary and replaced folders older than a day and says so' {
            $folder = New-TestFolder
            $archive = New-MlfTestArchive -Path (Join-Path $folder 'in.tar') -Note 'note'
            $stale = New-Item -ItemType Directory -Path (Join-Path $folder '.model.0123456789ab.old')
            $stale.LastWriteTimeUtc = [DateTime]::UtcNow.AddDays(-2)

            $verbose = Expand-MlfArchive -Path $archive -DestinationPath (Join-Path $folder 'model') -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

            Test-Path -LiteralPath $stale.FullName | Should -BeFalse
            ($verbose.Message -match [regex]::Escape($stale.FullName)) | Should -Not -BeNullOrEmpty
        }
    }

    Context 'a FIFO given as the archive' {
        It 'is refused at once by New-MlfModule, Get-MlfMemoryReport, Test-MlfArchive and Expand-MlfArchive' -Skip:(-not $mkfifoPresent) {
            # Opening a FIFO waits for a writer, and Ctrl+C does not interrupt that: the commands run in a child
            # PowerShell that is ended if it hangs.
            $folder = New-TestFolder
            $fifo = Join-Path $folder 'model.tar'
            & mkfifo $fifo
            $script = "Import-Module '$manifest'; " +
                "New-MlfModule -LiteralPath '$fifo' -ErrorAction SilentlyContinue -ErrorVariable +e; " +
                "Get-MlfMemoryReport -LiteralPath '$fifo' -ErrorAction SilentlyContinue -ErrorVariable +e; " +
                "Expand-MlfArchive -LiteralPath '$fifo' -DestinationPath '$(Join-Path $folder 'out')' -ErrorAction SilentlyContinue -ErrorVariable +e; " +
                "`$e | ForEach-Object { 'error ' + `$_.FullyQualifiedErrorId + ' ' + `$_.Exception.Message }; " +
                "Test-MlfArchive -LiteralPath '$fifo' | ForEach-Object { 'finding ' + `$_.Id + ' ' + `$_.Message }"
            $start = New-PowerShellStartInfo -Arguments '-NoProfile', '-NonInteractive', '-Command', $script
            $start.RedirectStandardOutput = $true
            $child = [System.Diagnostics.Process]::Start($start)
            try {
                $output = $child.StandardOutput.ReadToEndAsync()
                $child.WaitForExit(60000) | Should -BeTrue -Because 'no command may wait for a writer of the FIFO'
                $lines = @($output.Result -split "`n" | Where-Object { $_.Trim() })
            }
            finally {
                if (-not $child.HasExited) { $child.Kill() }
            }

            $lines | Should -HaveCount 4
            @($lines | Where-Object { $_ -like "error InvalidArchive,MlfTools.Commands.*'$fifo' is not a readable MLF archive: it is a FIFO (named pipe), not a file*" }) | Should -HaveCount 3
            @($lines | Where-Object { $_ -like "finding InvalidArchive *FIFO*" }) | Should -HaveCount 1
            @($lines | Where-Object { $_ -like '*NewMlfModule*' }) | Should -HaveCount 1
            @($lines | Where-Object { $_ -like '*GetMlfMemoryReport*' }) | Should -HaveCount 1
            @($lines | Where-Object { $_ -like '*ExpandMlfArchive*' }) | Should -HaveCount 1
            Test-Path -LiteralPath (Join-Path $folder 'out') | Should -BeFalse
        }
    }

    Context 'SIGTERM' {
        It 'a join stopped by SIGTERM leaves no temporary file' -Skip:$IsWindows {
            $folder = New-TestFolder
            $model = New-BigModelFolder -Folder (Join-Path $folder 'model')
            $destination = Join-Path $folder 'joined.tgz'
            $script = "Import-Module '$manifest'; Join-MlfArchive -Path '$model' -DestinationPath '$destination'"
            $child = Start-PwshScript -Script $script
            try {
                $temporary = Wait-ForFile -Folder $folder -Pattern '.joined.tgz.*.tmp' -MinimumBytes 1MB
                $temporary | Should -Not -BeNullOrEmpty -Because 'the join must have started writing before it is stopped'
                & kill -s TERM $child.Id
                $child.WaitForExit(60000) | Should -BeTrue
            }
            finally {
                if (-not $child.HasExited) { $child.Kill() }
            }
            $child.ExitCode | Should -Not -Be 0
            @(Get-ChildItem -LiteralPath $folder -Force -Filter '.joined.tgz.*') | Should -BeNullOrEmpty
            Test-Path -LiteralPath $destination | Should -BeFalse
        }

        It 'an extraction stopped by SIGTERM leaves no temporary folder' -Skip:$IsWindows {
            $folder = New-TestFolder
            $model = New-BigModelFolder -Folder (Join-Path $folder 'model') -Files 4000
            $archive = Join-Path $folder 'big.tar'
            Join-MlfArchive -Path $model -DestinationPath $archive
            Remove-Item -LiteralPath $model -Recurse -Force
            $destination = Join-Path $folder 'out'
            # Slow the write down enough to signal it in the middle: the data is written in 1 MiB pieces.
            $script = "Import-Module '$manifest'; Expand-MlfArchive -Path '$archive' -DestinationPath '$destination'"
            $child = Start-PwshScript -Script $script
            try {
                $temporary = Wait-ForFile -Folder $folder -Pattern '.out.*.tmp'
                $temporary | Should -Not -BeNullOrEmpty -Because 'the extraction must have started before it is stopped'
                & kill -s TERM $child.Id
                $child.WaitForExit(60000) | Should -BeTrue
            }
            finally {
                if (-not $child.HasExited) { $child.Kill() }
            }
            @(Get-ChildItem -LiteralPath $folder -Force -Filter '.out.*') | Should -BeNullOrEmpty
        }
    }
}
