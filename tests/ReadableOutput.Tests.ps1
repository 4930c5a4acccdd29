#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# What people read, through the BUILT module (out/MlfTools; run ./build.ps1 first): views on an 80-column console,
# ConvertTo-Json and Export-Csv of our objects, Get-Help -Full, and the sizes and paths in messages, -WhatIf and
# progress. Tests that need the real archives in ../shared/mlf-samples are skipped where that folder is absent.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    $helpCases = @('New-MlfModule', 'Join-MlfArchive', 'Test-MlfArchive', 'Get-MlfMemoryReport', 'Expand-MlfArchive' | ForEach-Object { @{ Name = $_ } })
}

Describe 'What people read' {
    BeforeAll {
        $manifest = Import-BuiltModule
        $moduleFolder = Split-Path -Parent $manifest
        $cmdlets = @('New-MlfModule', 'Join-MlfArchive', 'Test-MlfArchive', 'Get-MlfMemoryReport', 'Expand-MlfArchive')
        # Get-Help <cmdlet> -Full | Out-String -Width 80, in lines: what each page reached when its background moved to
        # the about topics and each was cut to what the prompt needs (parameters and 4-6 examples), rounded up to 10.
        # Lower a limit when a page gets shorter; do not raise one without moving text out.
        $helpLineLimit = @{ 'New-MlfModule' = 230; 'Join-MlfArchive' = 250; 'Test-MlfArchive' = 230; 'Get-MlfMemoryReport' = 300; 'Expand-MlfArchive' = 240 }

        function Get-Squeezed([string] $Text) { $Text -replace '\s', '' }

        # The text of one Get-Help section (the lines between its heading and the next heading), as printed.
        function Get-HelpSection([string] $Text, [string] $Heading) {
            $lines = $Text -split '\r?\n'
            $start = [array]::IndexOf($lines, $Heading)
            $start | Should -BeGreaterOrEqual 0 -Because "Get-Help prints a $Heading section"
            $section = @()
            for ($i = $start + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^[A-Z]'; $i++) { $section += $lines[$i] }
            , $section
        }

        # Runs a script in a runspace of its own and returns the progress records it wrote.
        function Get-ProgressRecord([string] $Script) {
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$manifest'; `$ProgressPreference = 'Continue'; $Script")
                $null = $shell.Invoke()
                @($shell.Streams.Error) | Should -BeNullOrEmpty
                , @($shell.Streams.Progress)
            }
            finally {
                $shell.Dispose()
            }
        }
    }

    AfterAll {
        Remove-BuiltModule
    }

    Context 'findings' {
        BeforeAll {
            if ($samplesPresent) {
                # mlp: UnprefixedSymbols (Information); aww: MetadataMismatch (Warning).
                $findings = @(Test-MlfArchive -LiteralPath (Join-Path $samplesRoot 'v7-aot-crt-mlp.tar'), (Join-Path $samplesRoot 'v7-aot-muriscvnn-aww.tar'))
            }
        }

        It 'shows each whole message by default, grouped by archive, on an 80-column console' -Skip:(-not $samplesPresent) {
            $text = $findings | Out-String -Width 80

            $findings | Should -HaveCount 2
            foreach ($finding in $findings) {
                $finding.Message.Length | Should -BeGreaterThan 150 -Because 'the message must be longer than a line for this test to mean anything'
                (Get-Squeezed $text).Contains((Get-Squeezed $finding.Message)) | Should -BeTrue -Because "the view must show '$($finding.Message)'"
            }
            $text | Should -Match 'Archive: .*v7-aot-crt-mlp\.tar'
            $text | Should -Match 'Severity\s+:\s+Information'
            $text | Should -Not -Match ([char]0x2026)
        }

        It 'wraps each whole message in the table view' -Skip:(-not $samplesPresent) {
            $text = $findings | Format-Table | Out-String -Width 80

            foreach ($finding in $findings) {
                (Get-Squeezed $text).Contains((Get-Squeezed $finding.Message)) | Should -BeTrue
            }
            $text | Should -Match 'Severity\s+Id\s+Message'
            @($text -split '\r?\n' | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        }

        It 'writes Severity as its name in ConvertTo-Json and Export-Csv, and filters on it as text' -Skip:(-not $samplesPresent) {
            $json = $findings[0] | ConvertTo-Json
            $csvFile = Join-Path $TestDrive 'findings.csv'
            $findings | Export-Csv -LiteralPath $csvFile -NoTypeInformation

            $json | Should -Match '"Severity":\s*"Information"'
            ($json | ConvertFrom-Json).Severity | Should -Be 'Information'
            @(Import-Csv -LiteralPath $csvFile | ForEach-Object Severity) | Should -Be @('Information', 'Warning')
            @(Import-Csv -LiteralPath $csvFile | ForEach-Object Id) | Should -Be @('UnprefixedSymbols', 'MetadataMismatch')
            @($findings | Where-Object Severity -eq Information) | Should -HaveCount 1
            $findings[0].Severity | Should -BeOfType ([string])
        }
    }

    Context 'tables at 80 and 160 columns' {
        BeforeAll {
            if ($samplesPresent) {
                $archives = @(Get-ChildItem -LiteralPath $samplesRoot -Filter '*.tar' | Sort-Object Name)
            }

            # The lines of a table rendered at a width, none of them longer than the width.
            function Get-TableLine([object[]] $InputObject, [int] $Width) {
                $lines = @(($InputObject | Out-String -Width $Width) -split '\r?\n' | ForEach-Object { $_.TrimEnd() })
                @($lines | Where-Object { $_.Length -gt $Width }) | Should -BeNullOrEmpty -Because "the table must fit $Width columns"
                $lines | Should -Not -Match ([char]0x2026) -Because 'no cell is cut'
                , $lines
            }
        }

        It 'shows the reports of every archive in one table at <Width> columns, each default module with its archive''s file name' -Skip:(-not $samplesPresent) -TestCases @(@{ Width = 80 }, @{ Width = 160 }) {
            $reports = @($archives | Get-MlfMemoryReport -Total -RamBudget 56KB -FlashBudget 64KB -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            $lines = Get-TableLine $reports $Width
            $text = $lines -join "`n"

            @($lines | Where-Object { $_ -match '^\s*RAM\s+Flash\s+Code\s+Workspace\s+Used%\s+Module$' }) | Should -HaveCount 1 -Because 'every archive is in one table'
            $text | Should -Not -Match 'Archive:'
            $text | Should -Match '91\.9 KiB OVER'
            $text | Should -Match '1392% OVER\s+\(total\)'
            foreach ($archive in $archives) {
                $label = 'default ({0})' -f $archive.Name
                if ($Width -ge 160) {
                    @($lines | Where-Object { $_.EndsWith(" $label") }) | Should -HaveCount 1 -Because "'$label' fits one line at $Width columns"
                }
                else {
                    (Get-Squeezed $text).Contains((Get-Squeezed $label)) | Should -BeTrue -Because "'$label' is wrapped, not cut"
                }
            }
        }

        It 'names the archive of each total when one command per archive writes into one table, at <Width> columns' -Skip:(-not $samplesPresent) -TestCases @(@{ Width = 80 }, @{ Width = 160 }) {
            $two = $archives | Where-Object Name -in 'v5-aot-sine.tar', 'v6-aot-kws.tar'
            $reports = @($two | ForEach-Object { Get-MlfMemoryReport -LiteralPath $_.FullName -Total })
            $lines = Get-TableLine $reports $Width

            @($lines | Where-Object { $_ -match '\s\(total\) \(v5-aot-sine\.tar\)$' }) | Should -HaveCount 1
            @($lines | Where-Object { $_ -match '\s\(total\) \(v6-aot-kws\.tar\)$' }) | Should -HaveCount 1
        }

        It 'keeps each module name whole on its line at <Width> columns, with OVER marks' -Skip:(-not $samplesPresent) -TestCases @(@{ Width = 80 }, @{ Width = 160 }) {
            $modules = @($archives | New-MlfModule -NameFromFile) + @(New-MlfModule -LiteralPath (Join-Path $samplesRoot 'v5-aot-sine.tar') -Name person_detect)
            $reports = @($modules | Get-MlfMemoryReport -Total -RamBudget 56KB -FlashBudget 64KB -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            $lines = Get-TableLine $reports $Width

            foreach ($name in @($modules.Name) + '(total)') {
                @($lines | Where-Object { $_ -match "\s$([regex]::Escape($name))$" }) | Should -HaveCount 1 -Because "'$name' is one whole cell at $Width columns"
            }
            @($lines | Where-Object { $_ -match 'OVER' }).Count | Should -BeGreaterThan 2
        }

        It 'shows New-MlfModule''s Source whole at <Width> columns, beside the new name of a renamed module' -Skip:(-not $samplesPresent) -TestCases @(@{ Width = 80 }, @{ Width = 160 }) {
            $modules = @($archives | New-MlfModule) + @(New-MlfModule -LiteralPath (Join-Path $samplesRoot 'v4-graph-yesno.tar') -Name yesno)
            $lines = Get-TableLine $modules $Width

            @($lines -match '^Name\s+Source\s+Version\s+Style\s+Executor\s+Files\s+Params$') | Should -HaveCount 1
            foreach ($archive in $archives) {
                @($lines | Where-Object { $_ -match "^default\s+$([regex]::Escape($archive.Name))\s" }) | Should -HaveCount 1 -Because "$($archive.Name) is shown whole"
            }
            @($lines | Where-Object { $_ -match '^yesno\s+v4-graph-yesno\.tar\s' }) | Should -HaveCount 1
            @($lines | Where-Object { $_ -match '160\.3 KiB$' }) | Should -HaveCount 1 -Because 'the Params column fits too'
        }
    }

    Context 'memory reports in JSON and CSV' {
        It 'exports Functions as its functions and their workspaces in CSV, and as objects in JSON' -Skip:(-not $samplesPresent) {
            $report = Get-MlfMemoryReport -LiteralPath (Join-Path $samplesRoot 'v5-aot-sine.tar')
            $csvFile = Join-Path $TestDrive 'report.csv'
            $report | Export-Csv -LiteralPath $csvFile -NoTypeInformation
            $row = Import-Csv -LiteralPath $csvFile
            $fromJson = $report | ConvertTo-Json -Depth 4 | ConvertFrom-Json

            $report.Functions.Count | Should -BeGreaterThan 2
            $row.Functions | Should -Be (@($report.Functions | ForEach-Object { '{0} ({1} B on {2})' -f $_.Function, $_.WorkspaceBytes, $_.Device }) -join '; ')
            $row.Functions | Should -Match '^tvmgen_default_fused_nn_dense_add_nn_relu_1 \(1056 B on CPU\); '
            @($fromJson.Functions | ForEach-Object Function) | Should -Be @($report.Functions | ForEach-Object Function)
            $fromJson.Functions[0].WorkspaceBytes | Should -Be 1056
            foreach ($property in $row.PSObject.Properties) {
                $property.Value | Should -Not -Match 'System\.|`1\[' -Because "$($property.Name) must not export as a .NET type name"
            }
        }

        It 'exports Inputs and Outputs as name, dtype and bytes in CSV' -Skip:(-not $samplesPresent) {
            $row = Get-MlfMemoryReport -LiteralPath (Join-Path $samplesRoot 'v7-aot-crt-mlp.tar') | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv

            $row.Inputs | Should -Be 'serving_default_input_1:0 int8 (5 B)'
            $row.Outputs | Should -Be 'StatefulPartitionedCall_0 int8 (1 B)'
        }
    }

    Context 'modules, files, tensors and graph configs' {
        BeforeAll {
            if ($samplesPresent) {
                $sample = New-MlfModule -LiteralPath (Join-Path $samplesRoot 'v7-graph-magicwand.tar')
                $tensor = $sample.Parameters.Tensors | Where-Object Name -eq 'p0'
            }
        }

        It 'lists a file with its size in bytes and as people read it' -Skip:(-not $samplesPresent) {
            $file = $sample.Files | Where-Object Path -eq 'codegen/host/src/default_lib0.c'

            $text = $file | Format-List | Out-String -Width 80

            $file.Size | Should -Be 3354
            $text | Should -Match 'Size\s+:\s+3354 \(3\.3 KiB\)'
            $text | Should -Match 'Kind\s+:\s+source'
        }

        It 'shows a tensor shape as [4, 3, 1, 8] and its device by name, in the table and the list' -Skip:(-not $samplesPresent) {
            $table = $sample.Parameters.Tensors | Format-Table | Out-String -Width 80
            $list = $tensor | Format-List | Out-String -Width 80

            $table | Should -Match 'Name\s+DType\s+Shape\s+Size\s+Device'
            $table | Should -Match 'p0\s+float32\s+\[4, 3, 1, 8\]\s+384 B\s+CPU'
            $list | Should -Match 'Shape\s+:\s+\[4, 3, 1, 8\]'
            $list | Should -Match 'ByteSize\s+:\s+384 \(384 B\)'
            $list | Should -Match 'Device\s+:\s+CPU'
            $tensor.Device | Should -Be 'CPU'
            ($tensor | ConvertTo-Json | ConvertFrom-Json).Shape | Should -Be @(4, 3, 1, 8)
        }

        It "shows a graph config's shapes as [1, 128, 3, 1], not as .NET types or bare numbers" -Skip:(-not $samplesPresent) {
            $text = $sample.GraphConfig | Format-List | Out-String -Width 120
            $csv = $sample.GraphConfig | Select-Object Path, Shapes | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv

            $text | Should -Match 'Shapes\s+:\s+\{\[1, 128, 3, 1\], \[4, 3, 1, 8\], \[8\], \[1, 128, 3, 8\]'
            $csv.Shapes | Should -BeLike '[[]1, 128, 3, 1]; [[]4, 3, 1, 8]; [[]8]; *'
            "$($sample.GraphConfig)" | Should -Be "$($sample.GraphConfig.Nodes.Count) nodes, $($sample.GraphConfig.EntryCount) entries (executor-config/graph/default.graph)"
        }

        It 'exports a module to CSV without .NET type names' -Skip:(-not $samplesPresent) {
            $row = $sample | Select-Object Name, Executors, Targets, Files, Parameters, GraphConfig | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv

            foreach ($property in $row.PSObject.Properties) {
                $property.Value | Should -Not -Match 'System\.|MlfTools\.|`1\[' -Because "$($property.Name) must not export as a .NET type name"
            }
            $row.Executors | Should -Be 'graph'
            $row.Files | Should -Be (@($sample.Files | ForEach-Object Path) -join '; ')
        }
    }

    Context 'help at 80 columns' {
        It '<Name> links every other cmdlet, about_MlfTools and the about topics it points to' -ForEach $helpCases {
            $text = Get-Help -Name $Name -Full | Out-String -Width 80

            $links = @(Get-HelpSection $text 'RELATED LINKS' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
            $others = @($cmdlets | Where-Object { $_ -ne $Name }) + 'about_MlfTools'
            $links[0..($others.Count - 1)] | Should -Be $others
            foreach ($topic in @($links | Select-Object -Skip $others.Count)) {
                $topic | Should -BeLike 'about_MlfTools_*'
                Test-Path -LiteralPath (Join-Path (Join-Path $moduleFolder 'en-US') "$topic.help.txt") | Should -BeTrue -Because "$Name links $topic"
                $text | Should -Match "Get-Help $topic" -Because 'the description says what the topic holds'
            }
        }

        It "<Name>'s description comes out as the shipped lines, none cut at the console's edge" -ForEach $helpCases {
            $text = Get-Help -Name $Name -Full | Out-String -Width 80
            [xml] $maml = Get-Content -LiteralPath (Join-Path (Join-Path $moduleFolder 'en-US') 'MlfTools.dll-Help.xml') -Raw
            $shipped = @($maml.helpItems.command | Where-Object { $_.details.name -eq $Name }).description.para |
                ForEach-Object { $_ -split "`n" } | ForEach-Object { $_.Trim() }

            $printed = @(Get-HelpSection $text 'DESCRIPTION' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
            $printed.Count | Should -BeGreaterThan 5
            foreach ($line in $printed) {
                $line | Should -BeIn $shipped -Because 'Get-Help cuts a line longer than the console in the middle of a word'
            }
        }

        It "shows Test-MlfArchive's findings as one readable record per id in about_MlfTools_Format" {
            $savedPath = $env:PSModulePath
            try {
                $env:PSModulePath = (Split-Path -Parent $moduleFolder) + [System.IO.Path]::PathSeparator + $env:PSModulePath
                $text = Get-Help -Name about_MlfTools_Format | Out-String -Width 80
            }
            finally {
                $env:PSModulePath = $savedPath
            }
            $ids = [MlfTools.ArchiveFindingIds].GetFields() | Where-Object { $_.IsLiteral } | ForEach-Object { $_.GetValue($null) }

            $ids.Count | Should -BeGreaterThan 20
            foreach ($id in $ids) {
                $text | Should -Match ("(?m)^    - {0} \((Error|Warning|Information)\)\r?$" -f $id) -Because "the id $id heads its own record"
                Get-Help -Name Test-MlfArchive -Full | Out-String -Width 80 | Should -Match "\b$id\b" -Because 'the cmdlet page names every id'
            }
            $text | Should -Match '(?m)^    - UnknownMetadataKey \(Information\)\r?$'
            $text | Should -Match '(?m)^        Reported when: the file is not a tar or gzip archive, is truncated or corrupt; also an\r?$'
            $text | Should -Not -Match '\| Id \| Severity \|'
        }

        It "breaks Join-MlfArchive's description into paragraphs" {
            $section = Get-HelpSection (Get-Help -Name Join-MlfArchive -Full | Out-String -Width 80) 'DESCRIPTION'

            $paragraphs = @((($section | ForEach-Object { $_.Trim() }) -join "`n") -split "`n`n+" | Where-Object { $_.Trim() })
            $prose = @($paragraphs | Where-Object { $_ -notlike '- *' })
            $paragraphs.Count | Should -BeGreaterOrEqual 5
            foreach ($paragraph in $prose) {
                $paragraph.Length | Should -BeLessOrEqual 500 -Because "a paragraph should hold one topic: '$paragraph'"
            }
        }

        It "<Name>'s Get-Help -Full fits a screenful or so at 80 columns and shows no markdown backticks" -ForEach $helpCases {
            # The background is in the about topics; a cmdlet page keeps what is needed at the prompt.
            $help = Get-Help -Name $Name -Full
            $text = $help | Out-String -Width 80

            ($text -split '\r?\n').Count | Should -BeLessOrEqual $helpLineLimit[$Name] -Because 'the format background belongs in the about topics'
            # Example code may continue a line with a backtick, as PowerShell does; the prose never shows one.
            $prose = @($help.description.Text) + @($help.parameters.parameter | ForEach-Object { $_.description.Text }) +
                @($help.examples.example | ForEach-Object { $_.remarks.Text }) + @($help.alertSet.alert.Text) +
                @($help.inputTypes.inputType | ForEach-Object { $_.description.Text }) + @($help.returnValues.returnValue | ForEach-Object { $_.description.Text })
            ($prose -join "`n") | Should -Not -Match '`' -Because 'console help shows a code span as its text'
            $help.Synopsis | Should -Not -Match '`'
        }

        It '<_> is at most 270 lines at 80 columns and shows no markdown backticks' -ForEach @('about_MlfTools', 'about_MlfTools_CProgram', 'about_MlfTools_Format', 'about_MlfTools_Join', 'about_MlfTools_LinkedReport', 'about_MlfTools_MemoryReport', 'about_MlfTools_Safety') {
            $savedPath = $env:PSModulePath
            try {
                $env:PSModulePath = (Split-Path -Parent $moduleFolder) + [System.IO.Path]::PathSeparator + $env:PSModulePath
                $text = Get-Help -Name $_ | Out-String -Width 80
            }
            finally {
                $env:PSModulePath = $savedPath
            }

            $text | Should -Match ("(?m)^\s+{0}\r?$" -f $_)
            ($text -split '\r?\n').Count | Should -BeLessOrEqual 270
            # A PowerShell example may end a line with a backtick to continue it; no markdown code span shows.
            @($text -split '\r?\n' | Where-Object { $_ -match '`' -and $_ -notmatch '`\s*$' }) | Should -BeNullOrEmpty
        }

        It '-Online fails and says that no online address is set' {
            $command = Get-Command -Name Test-MlfArchive

            $command.HelpUri | Should -BeNullOrEmpty
            { Get-Help -Name Test-MlfArchive -Online -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOperation,Microsoft.PowerShell.Commands.GetHelpCommand' -ExpectedMessage '*online version*URI*not specified*'
        }
    }

    Context 'messages' {
        It '<Command> says once that a <Parameter> does not exist' -ForEach @(
            @{ Command = 'Test-MlfArchive'; Parameter = 'Path' }
            @{ Command = 'Test-MlfArchive'; Parameter = 'LiteralPath' }
            @{ Command = 'New-MlfModule'; Parameter = 'Path' }
            @{ Command = 'Get-MlfMemoryReport'; Parameter = 'LiteralPath' }
        ) {
            Push-Location -LiteralPath $TestDrive
            try {
                $arguments = @{ $Parameter = 'does-not-exist.tar'; ErrorAction = 'SilentlyContinue'; ErrorVariable = 'ev' }
                $null = & $Command @arguments
            }
            finally {
                Pop-Location
            }

            @($ev) | Should -HaveCount 1
            $record = Get-ErrorRecord $ev[0]
            $record.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
            $record.Exception.Message | Should -Be "Cannot find path 'does-not-exist.tar' because it does not exist."
        }

        It 'shows sizes in -WhatIf as the views do' -Skip:(-not $samplesPresent) {
            $transcript = Join-Path $TestDrive 'whatif.txt'
            $null = Start-Transcript -LiteralPath $transcript
            try {
                Expand-MlfArchive -LiteralPath (Join-Path $samplesRoot 'v7-graph-magicwand.tar') -DestinationPath (Join-Path $TestDrive 'whatif') -WhatIf
            }
            finally {
                $null = Stop-Transcript
            }

            $text = (Get-Content -LiteralPath $transcript -Raw) -replace '\s+', ' '
            $text | Should -Match 'What if: .*\(7 file\(s\), 52\.1 KiB, module\(s\) default\)'
            Test-Path -LiteralPath (Join-Path $TestDrive 'whatif') | Should -BeFalse
        }

        It 'says what Get-MlfMemoryReport -Compiler compiles, the C runtime with -Total, and completes' -Skip:(-not $samplesPresent -or -not (Get-Command gcc -ErrorAction SilentlyContinue)) {
            $records = Get-ProgressRecord ("Get-MlfMemoryReport -LiteralPath '{0}/v6-aot-kws.tar' -Total -Compiler gcc" -f $samplesRoot)

            @($records | ForEach-Object StatusDescription) | Should -Contain 'Compiling the modules of v6-aot-kws.tar'
            @($records | ForEach-Object StatusDescription) | Should -Contain 'Compiling the C runtime'
            $records[-1].RecordType | Should -Be 'Completed'
            @(Get-ProgressRecord ("Get-MlfMemoryReport -LiteralPath '{0}/v6-aot-kws.tar' -Total" -f $samplesRoot)) | Should -BeNullOrEmpty
        }

        It 'shows sizes in the progress of <Case> as the views do' -Skip:(-not $samplesPresent) -ForEach @(
            @{ Case = 'Expand-MlfArchive'; Script = "Expand-MlfArchive -LiteralPath '{0}/v7-graph-magicwand.tar' -DestinationPath '{1}/expanded'" }
            @{ Case = 'Join-MlfArchive'; Script = "New-MlfModule -LiteralPath '{0}/v5-aot-sine.tar' -Name sine | Join-MlfArchive -DestinationPath '{1}/joined.tar'" }
        ) {
            $records = Get-ProgressRecord ($Script -f $samplesRoot, $TestDrive)

            $writing = @($records | Where-Object { $_.StatusDescription -like 'Writing:*' })
            $writing | Should -Not -BeNullOrEmpty
            foreach ($record in $writing) {
                $record.StatusDescription | Should -Match '^Writing: \d+(\.\d)? (B|KiB|MiB|GiB) of \d+(\.\d)? (B|KiB|MiB|GiB)(, \d+ of \d+ file\(s\))?$'
            }
        }
    }
}
