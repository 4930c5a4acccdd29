#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }

# The module as PowerShell users meet it, on the BUILT module (out/MlfTools; run ./build.ps1 first): the manifest,
# command shapes, help from the shipped MAML and about topic, format views, and where the dependencies load from.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'MlfTools.TestUtils.psm1') -Force
    $commandCases = @()
    if (Test-Path -LiteralPath $builtManifest) {
        $commandCases = @((Import-PowerShellDataFile -Path $builtManifest).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    }
}

Describe 'The MlfTools module' {
    BeforeAll {
        $manifest = Import-BuiltModule
        $module = Get-Module -Name MlfTools
        $moduleFolder = Split-Path -Parent $manifest
    }

    AfterAll {
        Remove-BuiltModule
    }

    Context 'manifest' {
        It 'passes Test-ModuleManifest' {
            $tested = Test-ModuleManifest -Path $manifest -ErrorAction Stop

            $tested.Name | Should -Be 'MlfTools'
            $tested.Version | Should -Be $module.Version
        }

        It 'exports exactly the cmdlets it lists, and no functions, aliases or variables' {
            $listed = @((Import-PowerShellDataFile -Path $manifest).CmdletsToExport)

            @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($listed | Sort-Object)
            $module.ExportedFunctions.Count | Should -Be 0
            $module.ExportedAliases.Count | Should -Be 0
            $module.ExportedVariables.Count | Should -Be 0
        }

        It 'states the editions, PowerShell version and .NET Framework it needs' {
            $data = Import-PowerShellDataFile -Path $manifest

            @($data.CompatiblePSEditions | Sort-Object) | Should -Be @('Core', 'Desktop')
            $data.PowerShellVersion | Should -Be '5.1'
            $data.DotNetFrameworkVersion | Should -Be '4.7.2'
        }

        It 'gives the Gallery its tags and invents no URL' {
            $psData = (Import-PowerShellDataFile -Path $manifest).PrivateData.PSData

            @($psData.Tags) | Should -Contain 'PSEdition_Core'
            @($psData.Tags) | Should -Contain 'PSEdition_Desktop'
            $psData.ContainsKey('ProjectUri') | Should -BeFalse
            $psData.ContainsKey('LicenseUri') | Should -BeFalse
            $psData.ContainsKey('IconUri') | Should -BeFalse
        }
    }

    Context 'command <Name>' -ForEach $commandCases {
        BeforeAll {
            $command = Get-Command -Name $Name -Module MlfTools
        }

        It 'declares its output types' {
            @($command.OutputType) | Should -Not -BeNullOrEmpty
        }

        It 'names its default parameter set when it has several' {
            if (@($command.ParameterSets).Count -gt 1) {
                $command.DefaultParameterSet | Should -Not -BeNullOrEmpty
                @($command.ParameterSets | Where-Object { $_.IsDefault }) | Should -HaveCount 1
            }
        }

        It 'shows one syntax line per parameter set' {
            $syntax = @((Get-Command -Name $Name -Syntax) -split "`r?`n" | Where-Object { $_.Trim() -ne '' })

            $syntax | Should -HaveCount @($command.ParameterSets).Count
            foreach ($line in $syntax) {
                $line | Should -BeLike "$Name *"
            }
        }

        It 'has help from the shipped MAML: synopsis, description, at least three examples, every parameter described' {
            $help = Get-Help -Name $Name -Full

            [xml] $maml = Get-Content -LiteralPath (Join-Path (Join-Path $moduleFolder 'en-US') 'MlfTools.dll-Help.xml') -Raw
            $shipped = @($maml.helpItems.command | Where-Object { $_.details.name -eq $Name })
            $shipped | Should -HaveCount 1
            $help.Synopsis.Trim() | Should -Be (@($shipped[0].details.description.para) -join ' ').Trim() -Because 'Get-Help reads the shipped MAML, not help made up from the syntax'
            $help.Synopsis | Should -Not -BeNullOrEmpty
            ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
            @($help.examples.example).Count | Should -BeGreaterOrEqual 3
            foreach ($parameter in @($help.parameters.parameter)) {
                ($parameter.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
            }
            $documented = @($help.parameters.parameter | ForEach-Object { $_.name })
            # The common parameters are documented by about_CommonParameters (-WhatIf and -Confirm are ours to describe).
            $common = @('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable',
                'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'UseTransaction')
            foreach ($parameterName in $command.Parameters.Keys) {
                if ($common -notcontains $parameterName) {
                    $documented | Should -Contain $parameterName
                }
            }
        }
    }

    Context 'about topic' {
        It 'is found by Get-Help about_MlfTools and covers versions, names, memory figures and consumers' {
            $savedPath = $env:PSModulePath
            try {
                $env:PSModulePath = (Split-Path -Parent $moduleFolder) + [System.IO.Path]::PathSeparator + $env:PSModulePath
                $text = (Get-Help -Name about_MlfTools | Out-String)
            }
            finally {
                $env:PSModulePath = $savedPath
            }

            $text | Should -Match 'Model Library Format'
            $text | Should -Match 'VERSIONS'
            $text | Should -Match 'tvmgen_'
            $text | Should -Match 'WorkspaceBytes'
            $text | Should -Match 'tvmc'
        }

        It 'ships as en-US/about_MlfTools.help.txt beside the MAML' {
            Test-Path -LiteralPath (Join-Path (Join-Path $moduleFolder 'en-US') 'about_MlfTools.help.txt') | Should -BeTrue
            Test-Path -LiteralPath (Join-Path (Join-Path $moduleFolder 'en-US') 'MlfTools.dll-Help.xml') | Should -BeTrue
        }
    }

    Context 'views' {
        It 'has a table view and a list view for <TypeName>' -ForEach @(
            @{ TypeName = 'MlfTools.MlfModule' }
            @{ TypeName = 'MlfTools.MemoryReport' }
            @{ TypeName = 'MlfTools.FunctionMemoryReport' }
        ) {
            # Windows PowerShell 5.1 leaves out views with GroupBy (MemoryReport's table) unless -PowerShellVersion is given.
            $controls = @(Get-FormatData -TypeName $TypeName -PowerShellVersion 5.1 | ForEach-Object { $_.FormatViewDefinition } | ForEach-Object { $_.Control.GetType().Name })

            $controls | Should -Contain 'TableControl'
            $controls | Should -Contain 'ListControl'
        }

        It 'shows a module as a table row with a human size, and in full as a list' -Skip:(-not $samplesPresent) {
            $sample = New-MlfModule -LiteralPath (Join-Path $samplesRoot 'v7-graph-magicwand.tar')

            $table = $sample | Format-Table | Out-String -Width 250
            $list = $sample | Format-List | Out-String -Width 250

            $table | Should -Match 'KiB'
            $table | Should -Match 'v7-graph-magicwand\.tar'
            $list | Should -Match 'OriginalName\s+:\s+default'
            $list | Should -Match 'Files\s+:\s+\d+ files, [\d.]+ KiB'
            $list | Should -Match 'Parameters\s+:\s+\d+ tensors'
            $sample.Parameters.TotalBytes | Should -BeOfType ([long]) -Because 'properties stay bytes; only the views format them'
        }

        It 'shows tensors with their shape and size' -Skip:(-not $samplesPresent) {
            $sample = New-MlfModule -LiteralPath (Join-Path $samplesRoot 'v7-graph-magicwand.tar')

            $text = $sample.Parameters.Tensors | Format-Table | Out-String -Width 250

            $text | Should -Match '\[\d+(,\d+)*\]'
            $text | Should -Match '\d+(\.\d)? (B|KiB)'
        }
    }

    Context 'dependency isolation' {
        It 'keeps third-party assemblies in dependencies/ only' {
            @(Get-ChildItem -LiteralPath $moduleFolder -Filter '*.dll' | ForEach-Object { $_.Name } | Sort-Object) | Should -Be @('MlfTools.Core.dll', 'MlfTools.dll')
            Test-Path -LiteralPath (Join-Path (Join-Path $moduleFolder 'dependencies') 'Newtonsoft.Json.dll') | Should -BeTrue
        }

        It 'loads Newtonsoft.Json for MlfTools from dependencies/ in Windows PowerShell' -Skip:($PSVersionTable.PSEdition -ne 'Desktop' -or -not $samplesPresent) {
            # PowerShell 7 ships Newtonsoft.Json itself and our reference binds to that copy; Windows PowerShell has
            # none, so the module's resolver answers, from its own folder.
            $null = New-MlfModule -LiteralPath (Join-Path $samplesRoot 'v5-aot-sine.tar')

            $loaded = @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Newtonsoft.Json' })
            $ours = Join-Path (Join-Path $moduleFolder 'dependencies') 'Newtonsoft.Json.dll'
            @($loaded | Where-Object { $_.Location -eq $ours }) | Should -HaveCount 1
        }
    }
}
