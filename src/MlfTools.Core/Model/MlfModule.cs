using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Archive;
using MlfTools.Format;
using MlfTools.Rename;
using MlfTools.Json;
using Newtonsoft.Json.Linq;

namespace MlfTools
{
    /// <summary>One model of an MLF archive: its identity, its metadata (kept losslessly) and its files.</summary>
    public sealed class MlfModule
    {
        private readonly ModuleMetadata _metadata;
        private readonly Lazy<IDictionary> _plainMetadata; // made when asked for: the join, the check and the report never ask

        internal MlfModule(ArchiveIndex archive, ModuleMetadata metadata, IReadOnlyList<MlfFile> files, MlfParameters parameters,
            MlfGraphConfig graphConfig, string relayPath, string moduleRoot, int archiveModuleCount, string name = null)
        {
            RelayPath = relayPath;
            ModuleRoot = moduleRoot;
            Archive = archive;
            _metadata = metadata;
            Files = ItemList.Of(files);
            Parameters = parameters;
            GraphConfig = graphConfig;
            ArchiveModuleCount = archiveModuleCount;
            Name = name ?? metadata.Name;
            Executors = ItemList.Of(metadata.Executors);
            Targets = ItemList.Of(metadata.Targets);
            _plainMetadata = new Lazy<IDictionary>(() => (IDictionary)PlainJson.ToPlain(metadata.Entry));
        }

        /// <summary>The name the module will carry when joined: its original name unless a new one was given.</summary>
        public string Name { get; }

        /// <summary>The name the archive gives the module (its key under "modules", or model_name).</summary>
        public string OriginalName => _metadata.Name;

        public bool IsRenamed => !string.Equals(Name, OriginalName, StringComparison.Ordinal);

        /// <summary>Full path of the archive or folder the module was read from.</summary>
        public string SourcePath => Archive.SourcePath;

        /// <summary>The MLF version of the archive the module was read from.</summary>
        public int FormatVersion => _metadata.FormatVersion;

        /// <summary>"full-model" (relay.build) or "operator" (tvm.build).</summary>
        public string Style => _metadata.Style;

        /// <summary>Lowercase executor names: "graph", "aot"; empty for operator style.</summary>
        public IReadOnlyList<string> Executors { get; }

        public IReadOnlyList<string> Targets { get; }

        /// <summary>export_datetime exactly as written: TVM's local time, kind Unspecified.</summary>
        public DateTime ExportDateTime => _metadata.ExportDateTime;

        public IReadOnlyList<MlfFile> Files { get; }

        /// <summary>True when the module's files include the standalone C runtime (runtime/).</summary>
        public bool HasRuntime => Files.Any(f => f.Kind == MlfFileKind.Runtime);

        /// <summary>The version_spec of the module's tvm_standalone_crt dependency, or null.</summary>
        public string RuntimeVersion => _metadata.RuntimeVersion;

        /// <summary>The module's .params directory, or null when the archive has none for it.</summary>
        public MlfParameters Parameters { get; }

        /// <summary>The graph executor config, or null (AOT, operator style).</summary>
        public MlfGraphConfig GraphConfig { get; }

        /// <summary>The module's metadata (every key but "version"), read-only, unknown keys included.</summary>
        public IDictionary Metadata => _plainMetadata.Value;

        /// <summary>How many modules the source archive holds.</summary>
        public int ArchiveModuleCount { get; }

        internal ArchiveIndex Archive { get; }

        internal JObject MetadataEntry => _metadata.Entry;

        internal bool DependsOnRuntime => _metadata.DependsOnRuntime;

        /// <summary>Member path of the module's own Relay text, or null.</summary>
        internal string RelayPath { get; }

        /// <summary>"name/" when the module sits in a folder of its own (per-module layout), else "".</summary>
        internal string ModuleRoot { get; }

        /// <summary>Where TVM writes the module's AOT C interface header, inside the module's tree.</summary>
        internal string InterfaceHeaderModulePath => Format.TvmNames.InterfaceHeaderPath(OriginalName);

        /// <summary>Member path of the module's AOT C interface header (<see cref="InterfaceHeaderModulePath"/>), or null when it has none.</summary>
        internal string InterfaceHeaderPath
        {
            get
            {
                string modulePath = InterfaceHeaderModulePath;
                return Files.FirstOrDefault(f => f.ModulePath == modulePath)?.Path;
            }
        }

        /// <summary>The text (UTF-8) of one of the module's JSON or Relay files, or null when the archive no longer has it; C goes through <see cref="ReadCText"/>.</summary>
        internal string ReadText(string path, System.Threading.CancellationToken cancellationToken)
        {
            byte[] bytes = ReadBytes(path, cancellationToken);
            return bytes == null ? null : System.Text.Encoding.UTF8.GetString(bytes);
        }

        /// <summary>The text of one of the module's C sources or headers, decoded as every reader of C decodes it (<see cref="MlfTools.Text.CText.Decode"/>), or null when the archive no longer has it.</summary>
        internal string ReadCText(string path, System.Threading.CancellationToken cancellationToken) =>
            MlfTools.Text.CText.Decode(ReadBytes(path, cancellationToken));

        /// <summary>The bytes of one of the module's files, or null when the archive no longer has it.</summary>
        internal byte[] ReadBytes(string path, System.Threading.CancellationToken cancellationToken)
        {
            var member = path == null ? null : Archive.Find(path);
            if (member == null) return null;
            using (var content = new ArchiveContent(Archive))
            {
                return content.ReadAll(member, cancellationToken);
            }
        }

        /// <summary>A copy of this module that the join will write under <paramref name="newName"/>.</summary>
        public MlfModule WithName(string newName)
        {
            if (!MlfModuleNames.IsValidNewName(newName)) throw MlfModuleNames.InvalidName(newName);
            if (Style == MetadataReader.OperatorStyle)
            {
                throw new MlfException(MlfErrorIds.InvalidModuleName,
                    $"Module '{OriginalName}' of '{SourcePath}' is operator style (tvm.build); its files carry no module prefix, so it cannot be renamed. Leave out -Name.",
                    SourcePath);
            }
            if (newName != OriginalName && !ModuleRenamer.CanRename(OriginalName))
            {
                throw new MlfException(MlfErrorIds.InvalidModuleName,
                    $"Module '{OriginalName}' of '{SourcePath}' has a name that is not made of ASCII letters, digits and '_', so its symbols cannot be told apart to rename them. Leave out -Name, or rebuild the model with TVM under another name (mod_name).",
                    SourcePath);
            }
            return new MlfModule(Archive, _metadata, Files, Parameters, GraphConfig, RelayPath, ModuleRoot, ArchiveModuleCount, newName);
        }

        public override string ToString() => Name;
    }
}
