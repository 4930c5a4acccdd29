using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MlfTools.Format
{
    /// <summary>Reads metadata.json of any MLF version (1 to 7, full-model or operator style) into module entries.</summary>
    internal static class MetadataReader
    {
        public const int NewestVersion = 7;
        public const string FullModelStyle = "full-model";
        public const string OperatorStyle = "operator";
        public const string StandaloneCrtName = "tvm_standalone_crt";
        public const string Member = "metadata.json";

        public static IReadOnlyList<ModuleMetadata> Read(byte[] utf8, string archivePath, System.Threading.CancellationToken cancellationToken = default)
        {
            JToken root;
            try
            {
                root = JsonParser.Parse(utf8, archivePath, Member, cancellationToken);
            }
            catch (Exception ex) when (ex is JsonException || ex is System.Text.DecoderFallbackException)
            {
                throw Invalid(archivePath, "it is not valid JSON (" + ex.Message + ")", ex);
            }
            return Read(root, archivePath);
        }

        /// <summary>As <see cref="Read(byte[], string, System.Threading.CancellationToken)"/>, from the parsed file (which it does not change).</summary>
        public static IReadOnlyList<ModuleMetadata> Read(JToken root, string archivePath)
        {
            if (!(root is JObject top)) throw Invalid(archivePath, "its top level is not a JSON object");

            int version = ReadVersion(top, archivePath);
            var modules = new List<ModuleMetadata>();
            if (top.TryGetValue("modules", StringComparison.Ordinal, out JToken modulesToken))
            {
                if (!(modulesToken is JObject modulesObject) || modulesObject.Count == 0)
                {
                    throw Invalid(archivePath, "'modules' is not an object naming at least one module");
                }
                foreach (var property in modulesObject.Properties())
                {
                    if (property.Name.Length == 0) throw Invalid(archivePath, "'modules' holds a module with an empty name");
                    if (!(property.Value is JObject entry)) throw Invalid(archivePath, $"module '{property.Name}' is not a JSON object");
                    modules.Add(Describe(property.Name, entry, version, archivePath));
                }
            }
            else
            {
                // A join writes this entry inside "modules": {name: ...}, two levels deeper: refuse what could not be read back then.
                if (Nesting(top) > JsonParser.MaxDepth - 2) throw Invalid(archivePath, $"it is nested more than {JsonParser.MaxDepth - 2} levels deep");
                var entry = (JObject)top.DeepClone();
                entry.Remove("version");
                string name = RequiredString(entry, "model_name", null, archivePath);
                if (name.Length == 0) throw Invalid(archivePath, "'model_name' is empty");
                modules.Add(Describe(name, entry, version, archivePath));
            }
            foreach (var module in modules)
            {
                string why = MlfModuleNames.WhyNotAFileName(module.Name);
                if (why == null) continue;
                throw new MlfException(MlfErrorIds.InvalidModuleName,
                    $"'{archivePath}' names a module '{module.Name}' that cannot be part of a file name: {why}. TVM names the module's files after it (parameters/{module.Name}.params, src/{module.Name}.relay), so the archive cannot be extracted or joined everywhere. Export the model again under another name (relay.build mod_name, tvmc --module-name).",
                    archivePath);
            }
            return modules;
        }

        /// <summary>How many objects and arrays deep the token goes (1 for a flat object).</summary>
        private static int Nesting(JToken token)
        {
            switch (token)
            {
                case JObject obj:
                    return 1 + obj.Properties().Select(p => Nesting(p.Value)).DefaultIfEmpty(0).Max();
                case JArray array:
                    return 1 + array.Select(Nesting).DefaultIfEmpty(0).Max();
                default:
                    return 0;
            }
        }

        private static int ReadVersion(JObject top, string archivePath)
        {
            var token = top["version"];
            if (token == null) throw Invalid(archivePath, "it has no 'version'");
            if (token.Type != JTokenType.Integer) throw Invalid(archivePath, "'version' is not an integer");
            var raw = ((JValue)token).Value;
            long version = raw is long l ? l : long.MaxValue;
            if (version < 1 || version > NewestVersion)
            {
                throw new MlfException(MlfErrorIds.UnsupportedMlfVersion,
                    $"'{archivePath}' is MLF version {raw}; MlfTools reads versions 1 to {NewestVersion}. " +
                    (version > NewestVersion ? "It was made by a TVM newer than MlfTools knows; update MlfTools." : "It is not a version TVM ever wrote."),
                    archivePath);
            }
            return (int)version;
        }

        private static ModuleMetadata Describe(string name, JObject entry, int version, string archivePath)
        {
            CheckName(name, archivePath);
            string style = OptionalString(entry, "style", name, archivePath) ?? FullModelStyle;

            string executorsKey = entry.ContainsKey("executors") ? "executors" : "runtimes";
            var executorsToken = entry[executorsKey];
            if (executorsToken == null) throw Invalid(archivePath, $"module '{name}' has neither 'executors' nor 'runtimes'");
            var executors = StringList(executorsToken, executorsKey, name, archivePath).Select(e => e.ToLowerInvariant()).ToArray();

            var targetToken = entry["target"] ?? throw Invalid(archivePath, $"module '{name}' has no 'target'");
            string[] targets;
            if (targetToken is JObject targetObject)
            {
                targets = targetObject.Properties().Select(p => p.Value.Type == JTokenType.String
                    ? (string)p.Value
                    : throw Invalid(archivePath, $"module '{name}' has a target that is not a string")).ToArray();
            }
            else
            {
                targets = StringList(targetToken, "target", name, archivePath).ToArray();
            }

            if (entry["memory"] == null) throw Invalid(archivePath, $"module '{name}' has no 'memory'");

            string stamp = RequiredString(entry, "export_datetime", name, archivePath);
            if (!ExportTimestamp.TryParse(stamp, out DateTime exported))
            {
                throw Invalid(archivePath, $"module '{name}' has export_datetime '{stamp}', not in TVM's form 'YYYY-MM-DD HH:MM:SSZ'");
            }
            OptionalString(entry, "model_name", name, archivePath);

            var (dependsOnRuntime, runtimeVersion) = ReadRuntimeDependency(entry, name, archivePath);
            return new ModuleMetadata
            {
                Name = name,
                FormatVersion = version,
                Entry = entry,
                Style = style,
                Executors = Array.AsReadOnly(executors),
                Targets = Array.AsReadOnly(targets),
                ExportDateTime = exported,
                DependsOnRuntime = dependsOnRuntime,
                RuntimeVersion = runtimeVersion,
            };
        }

        /// <summary>
        /// A module's name goes into member paths (its header, parameters and graph config, its folder in the per-module
        /// layout), so it must be one path component that climbs nowhere and that a tar header can hold.
        /// </summary>
        private static void CheckName(string name, string archivePath)
        {
            string why = name == "." || name == ".." ? "it names a folder"
                : name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0 ? "it contains a path separator"
                : HasControlOrLoneSurrogate(name) ? "it contains a control character or invalid UTF-16"
                : null;
            if (why != null) throw Invalid(archivePath, $"the module name '{name}' cannot be used in member paths: {why}");
        }

        private static bool HasControlOrLoneSurrogate(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsControl(c)) return true;
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else if (char.IsSurrogate(c)) return true;
            }
            return false;
        }

        private static (bool, string) ReadRuntimeDependency(JObject entry, string name, string archivePath)
        {
            var token = entry["external_dependencies"];
            if (token == null) return (false, null);
            if (!(token is JArray dependencies)) throw Invalid(archivePath, $"module '{name}' has 'external_dependencies' that is not a list");
            foreach (var dependency in dependencies)
            {
                if (!(dependency is JObject item)) throw Invalid(archivePath, $"module '{name}' has an external dependency that is not an object");
                string shortName = item["short_name"]?.Type == JTokenType.String ? (string)item["short_name"] : null;
                string url = item["url"]?.Type == JTokenType.String ? (string)item["url"] : null;
                if (shortName == StandaloneCrtName || url == "./runtime")
                {
                    string versionSpec = item["version_spec"]?.Type == JTokenType.String ? (string)item["version_spec"] : null;
                    return (true, versionSpec);
                }
            }
            return (false, null);
        }

        private static IEnumerable<string> StringList(JToken token, string key, string module, string archivePath)
        {
            if (!(token is JArray array) || array.Any(item => item.Type != JTokenType.String))
            {
                throw Invalid(archivePath, $"module '{module}' has '{key}' that is not a list of strings");
            }
            return array.Select(item => (string)item);
        }

        private static string RequiredString(JObject entry, string key, string module, string archivePath) =>
            OptionalString(entry, key, module, archivePath) ?? throw Invalid(archivePath, module == null ? $"it has no '{key}'" : $"module '{module}' has no '{key}'");

        private static string OptionalString(JObject entry, string key, string module, string archivePath)
        {
            var token = entry[key];
            if (token == null) return null;
            if (token.Type != JTokenType.String) throw Invalid(archivePath, module == null ? $"'{key}' is not a string" : $"module '{module}' has '{key}' that is not a string");
            return (string)token;
        }

        private static MlfException Invalid(string archivePath, string why, Exception inner = null) =>
            new MlfException(MlfErrorIds.MetadataInvalid, $"The metadata.json of '{archivePath}' is not valid MLF metadata: {why}.", archivePath, inner);
    }
}
