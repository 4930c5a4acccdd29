using System.Collections.Generic;
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

        /// <summary>A new name for the module, carried out when it is joined. Names one module: several inputs are NameRequiresSingleModule.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Names each module after its file: the base name without .tar, .tar.gz or .tgz (a folder's name), lowercased, other characters than a-z, 0-9 and _ turned into _.</summary>
        [Parameter]
        public SwitchParameter NameFromFile { get; set; }

        private NewNameGuard _nameGuard;

        protected override void BeginProcessing()
        {
            if (Name != null && NameFromFile)
            {
                ThrowTerminatingError(MlfErrorRecords.Create(MlfErrorIds.ConflictingParameters,
                    $"-Name '{Name}' and -NameFromFile both name the module. Use -Name to give one module a name of your choice, or -NameFromFile to name each module after its file.",
                    Name));
            }
            if (Name != null && !MlfModuleNames.IsValidNewName(Name))
            {
                ThrowTerminatingError(MlfErrorRecords.From(MlfModuleNames.InvalidName(Name)));
            }
            if (Name != null) _nameGuard = new NewNameGuard(Name);
        }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            string[] given = literal ? LiteralPath : Path;
            var paths = new List<string>(ResolveFileSystemPaths(given, literal));
            // -Name for several inputs stops the command before any of them is read (see NewNameGuard).
            if (_nameGuard != null) RunCoreOrStop(() => _nameGuard.CheckInputs(given, paths));
            foreach (string path in paths)
            {
                WriteVerbose($"Reading '{path}'.");
                var modules = TryCore(() =>
                {
                    string newName = NameFromFile ? MlfModuleNames.FromPath(path) : Name;
                    return MlfModuleSelection.Apply(MlfReader.ReadModules(path, Cancellation), ModuleName, newName);
                }, path);
                if (modules == null) continue;
                foreach (var module in modules)
                {
                    if (_nameGuard != null) RunCoreOrStop(() => _nameGuard.Claim(path));
                    WriteObject(module);
                }
            }
        }
    }
}
