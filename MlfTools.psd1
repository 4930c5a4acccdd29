@{
    RootModule           = 'MlfTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '22481e60-0bd9-4c3b-afd5-7e6916d9594d'
    Author               = 'MlfTools contributors'
    CompanyName          = 'MlfTools contributors'
    Copyright            = 'Copyright MlfTools contributors. Licensed under the Apache License 2.0.'
    Description          = 'Reads, joins and measures Apache TVM Model Library Format (MLF) archives, the tar files microTVM produces for each compiled model. New-MlfModule reads any real MLF version (4 to 7, graph or AOT, C or LLVM, .tar, .tar.gz or extracted folder) into pipeline objects; Join-MlfArchive joins them into one archive, so several models can be put into one firmware image; Get-MlfMemoryReport reports what each model needs per device and function and checks it against memory budgets; Expand-MlfArchive extracts an archive into a new folder, refusing unsafe members before anything is written; Test-MlfArchive reports what is wrong with an archive without writing anything.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    DotNetFrameworkVersion = '4.7.2'
    RequiredAssemblies   = @('MlfTools.Core.dll')
    FormatsToProcess     = @('MlfTools.format.ps1xml')
    CmdletsToExport      = @('New-MlfModule', 'Join-MlfArchive', 'Get-MlfMemoryReport', 'Expand-MlfArchive', 'Test-MlfArchive')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('TVM', 'microTVM', 'MLF', 'ModelLibraryFormat', 'EmbeddedML', 'TinyML', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
        }
    }
}
