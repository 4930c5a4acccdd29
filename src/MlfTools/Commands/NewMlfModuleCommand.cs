using System.Management.Automation;
using MlfTools.Completion;

namespace MlfTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads the modules of a Model Library Format archive or extracted folder into pipeline objects.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "MlfModule", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(MlfModule))]
    public sealed class NewMlfModuleCommand : MlfCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Archives (.tar, .tar.gz, .tgz) or extracted folders; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; }

        /// <summary>Archives or folders taken exactly as written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>Only the modules with these names (wildcards allowed); tab completion offers the names inside the -Path or -LiteralPath archives.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModuleNameCompleter))]
        public string[] ModuleName { get; set; }

        /// <summary>A new name for the module, carried out when it is joined.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        protected override void BeginProcessing()
        {
            if (Name != null && !MlfModuleNames.IsValidNewName(Name))
            {
                ThrowTerminatingError(MlfErrorRecords.From(new MlfException(MlfErrorIds.InvalidModuleName,
                    $"'{Name}' is not a valid module name. Use lowercase letters, digits and '_', starting with a letter and not ending in '_' (for example 'kws' or 'person_detect').",
                    Name)));
            }
        }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
            {
                WriteVerbose($"Reading '{path}'.");
                var modules = TryCore(() => MlfModuleSelection.Apply(MlfReader.ReadModules(path, Cancellation), ModuleName, Name), path);
                if (modules == null) continue;
                foreach (var module in modules)
                {
                    WriteObject(module);
                }
            }
        }
    }
}
