# Dot-sourced by the example scripts: one way to put an error in the Azure DevOps run summary.

function Write-AzureDevOpsIssue {
    # Only when asked for, and only where Azure DevOps reads these lines ($env:TF_BUILD): elsewhere they would be noise.
    param([string] $Message, [switch] $Enabled)
    if ($Enabled -and $env:TF_BUILD) {
        # A line break would end the logging command early.
        Write-Host ('##vso[task.logissue type=error]' + ($Message -replace '\r?\n', ' '))
    }
}
