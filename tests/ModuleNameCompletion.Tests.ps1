#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# Tab completion of -ModuleName through TabExpansion2, as the console and editors call it, against the BUILT module
# (out/MlfTools; run ./build.ps1 first). Archives are written into $TestDrive with New-MlfTestArchive: only their
# metadata.json matters to completion.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
}

Describe '-ModuleName tab completion' {
    BeforeAll {
        $manifest = Import-BuiltModule

        function Get-Completion {
            # What TabExpansion2 offers at the end of the line.
            param([string] $Line)
            $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
            @($result.CompletionMatches)
        }

        function Get-CompletionText {
            param([string] $Line)
            @(Get-Completion -Line $Line | Where-Object { $_.ResultType -eq [System.Management.Automation.CompletionResultType]::ParameterValue } |
                ForEach-Object { $_.CompletionText })
        }

        function ConvertTo-QuotedPath {
            param([string] $Path)
            "'" + $Path.Replace("'", "''") + "'"
        }

        $folder = New-TestFolder -Name 'completion'
        $twoModules = New-MlfTestArchive -Version 7 -Path (Join-Path $folder 'models.tar') -Name 'kws', 'vww'
        $bracketed = New-MlfTestArchive -Version 7 -Path (Join-Path $folder 'models[1].tar') -Name 'sine'
        $oddNames = New-MlfTestArchive -Version 7 -Path (Join-Path $folder 'odd.tar') -Name 'my model', 'a[1]', "it's"
        $notAnArchive = New-RandomTextFile -Path (Join-Path $folder 'random.tar')
    }

    AfterAll {
        Remove-BuiltModule
    }

    It 'declares the completer on -ModuleName of every MlfTools cmdlet that has one' {
        $withModuleName = @(Get-Command -Module MlfTools | Where-Object { $_.Parameters.ContainsKey('ModuleName') })

        $withModuleName | Should -Not -BeNullOrEmpty
        foreach ($command in $withModuleName) {
            $completers = @($command.Parameters['ModuleName'].Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] })
            $completers | Should -HaveCount 1 -Because "$($command.Name) -ModuleName should complete module names"
            $completers[0].Type.FullName | Should -Be 'MlfTools.Completion.ModuleNameCompleter'
        }
    }

    It 'offers the module names of the -Path archive in metadata order' {
        $texts = Get-CompletionText -Line "New-MlfModule -Path $(ConvertTo-QuotedPath $twoModules) -ModuleName "

        $texts | Should -Be @('kws', 'vww')
    }

    It 'completes Join-MlfArchive -RuntimeFrom and Get-MlfMemoryReport -ModuleName with the names inside the archive' {
        Get-CompletionText -Line "Join-MlfArchive -Path $(ConvertTo-QuotedPath $twoModules) -DestinationPath out.tar -RuntimeFrom " | Should -Be @('kws', 'vww')
        Get-CompletionText -Line "Get-MlfMemoryReport -Path $(ConvertTo-QuotedPath $twoModules) -ModuleName v" | Should -Be @('vww')
    }

    It 'offers only the names that start with what is typed, ignoring case' {
        Get-CompletionText -Line "New-MlfModule -Path $(ConvertTo-QuotedPath $twoModules) -ModuleName V" | Should -Be @('vww')
    }

    It 'reads the archive given positionally' {
        Get-CompletionText -Line "New-MlfModule $(ConvertTo-QuotedPath $twoModules) -ModuleName " | Should -Be @('kws', 'vww')
    }

    It 'takes -LiteralPath as written, brackets and all' {
        Get-CompletionText -Line "New-MlfModule -LiteralPath $(ConvertTo-QuotedPath $bracketed) -ModuleName " | Should -Be @('sine')
    }

    It 'resolves a relative -Path against the current PowerShell location' {
        Push-Location -LiteralPath $folder
        try {
            $texts = Get-CompletionText -Line 'New-MlfModule -Path models.tar -ModuleName '
        }
        finally {
            Pop-Location
        }

        $texts | Should -Be @('kws', 'vww')
    }

    It 'offers each name once across the archives a wildcard -Path matches, archive by archive' {
        $wild = New-TestFolder -Name 'wildcard'
        $null = New-MlfTestArchive -Version 7 -Path (Join-Path $wild 'a.tar') -Name 'kws', 'vww'
        $null = New-MlfTestArchive -Version 7 -Path (Join-Path $wild 'b.tar') -Name 'person_detect', 'kws'

        $texts = Get-CompletionText -Line "New-MlfModule -Path $(ConvertTo-QuotedPath (Join-Path $wild '*.tar')) -ModuleName "

        $texts | Should -Be @('kws', 'vww', 'person_detect')
    }

    It 'quotes names that are not one bare word and escapes wildcard characters' {
        $completions = @(Get-Completion -Line "New-MlfModule -Path $(ConvertTo-QuotedPath $oddNames) -ModuleName " |
                Where-Object { $_.ResultType -eq [System.Management.Automation.CompletionResultType]::ParameterValue })

        @($completions | ForEach-Object { $_.CompletionText }) | Should -Be @("'my model'", "'a``[1``]'", "'it''s'")
        @($completions | ForEach-Object { $_.ListItemText }) | Should -Be @('my model', 'a[1]', "it's")
    }

    It 'completes to text that selects exactly that module' {
        $text = @(Get-CompletionText -Line "New-MlfModule -Path $(ConvertTo-QuotedPath $oddNames) -ModuleName a")[0]

        $modules = @(& ([scriptblock]::Create("New-MlfModule -LiteralPath $(ConvertTo-QuotedPath $oddNames) -ModuleName $text")))

        $modules | Should -HaveCount 1
        $modules[0].Name | Should -Be 'a[1]'
    }

    It 'offers nothing of its own, and writes no error, for <Case>' -ForEach @(
        @{ Case = 'a path that does not exist'; MakeLine = { "New-MlfModule -Path $(ConvertTo-QuotedPath (Join-Path $folder 'missing.tar')) -ModuleName " } }
        @{ Case = 'a file that is not an archive'; MakeLine = { "New-MlfModule -Path $(ConvertTo-QuotedPath $notAnArchive) -ModuleName " } }
        @{ Case = 'no -Path or -LiteralPath yet'; MakeLine = { 'New-MlfModule -ModuleName ' } }
        @{ Case = 'a -Path on another provider'; MakeLine = { 'New-MlfModule -Path Variable:\PSHOME -ModuleName ' } }
    ) {
        $inputLine = & $MakeLine
        $errorsBefore = $Error.Count

        $texts = Get-CompletionText -Line $inputLine

        $texts.Count | Should -Be 0
        $Error.Count | Should -Be $errorsBefore
    }
}
