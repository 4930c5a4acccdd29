using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Format;
using MlfTools.Json;
using MlfTools.Report;
using MlfTools.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MlfTools.Validation
{
    /// <summary>
    /// metadata.json against what TVM's exporter writes for its version: the keys of each version (1-3: runtimes, target
    /// object, no style; 4: style; 5: executors; 6: target list; 7: everything but "version" under "modules"), their
    /// types and values, and the memory section's shape for the style and executor.
    /// </summary>
    internal static class MetadataSchema
    {
        public const string Member = MetadataReader.Member;

        /// <summary>How many keys or places one finding names; it counts the rest.</summary>
        private const int ListedAtMost = 10;

        private static readonly string[] CommonKeys = { "model_name", "export_datetime", "memory", "target", "style", "external_dependencies" };
        private static readonly string[] DependencyKeys = { "short_name", "url", "url_type", "version_spec" };

        /// <summary>
        /// Reports every way the file breaks its version's schema; returns the parsed file, or null when nothing more can
        /// be checked (not JSON, no usable version).
        /// </summary>
        public static JToken Check(byte[] utf8, Findings findings, CancellationToken cancellationToken = default)
        {
            JToken root;
            try
            {
                root = JsonParser.Parse(utf8, findings.ArchivePath, Member, cancellationToken);
            }
            catch (Exception ex) when (ex is JsonException || ex is System.Text.DecoderFallbackException)
            {
                findings.Add(ArchiveFindingIds.MetadataInvalid, null, Member, $"metadata.json is not valid JSON ({ex.Message}). Re-export the model with TVM.");
                return null;
            }
            if (!(root is JObject top))
            {
                findings.Add(ArchiveFindingIds.MetadataInvalid, null, Member, "metadata.json does not hold a JSON object. Re-export the model with TVM.");
                return null;
            }
            int? version = Version(top, findings);
            if (version == null) return null;
            new Checker(findings, version.Value, cancellationToken).CheckTop(top);
            return top;
        }

        private static int? Version(JObject top, Findings findings)
        {
            var token = top["version"];
            if (token == null || token.Type != JTokenType.Integer)
            {
                findings.Add(ArchiveFindingIds.MetadataInvalid, null, Member,
                    token == null ? "metadata.json has no 'version', so its layout cannot be told. Re-export the model with TVM." : "metadata.json has a 'version' that is not an integer. Re-export the model with TVM.");
                return null;
            }
            long version = ((JValue)token).Value is long number ? number : long.MaxValue;
            if (version < 1 || version > MetadataReader.NewestVersion)
            {
                findings.Add(ArchiveFindingIds.UnsupportedMlfVersion, null, Member,
                    $"metadata.json says MLF version {token}; MlfTools knows versions 1 to {MetadataReader.NewestVersion}. " +
                    (version > MetadataReader.NewestVersion ? "A TVM newer than MlfTools made it: update MlfTools." : "TVM never wrote such a version: re-export the model with TVM."));
                return null;
            }
            return (int)version;
        }

        private sealed class Checker
        {
            private readonly Findings _findings;
            private readonly int _version;
            private readonly CancellationToken _cancellationToken;

            public Checker(Findings findings, int version, CancellationToken cancellationToken)
            {
                _findings = findings;
                _version = version;
                _cancellationToken = cancellationToken;
            }

            private string ExecutorsKey => _version >= 5 ? "executors" : "runtimes";
            private string OtherExecutorsKey => _version >= 5 ? "runtimes" : "executors";

            public void CheckTop(JObject top)
            {
                if (top["modules"] is JToken modules)
                {
                    if (_version < JoinVersion) Invalid(null, $"has 'modules', which only version {JoinVersion} has; version {_version} holds one model at the top level");
                    Unknown(null, top.Properties().Select(p => p.Name).Where(k => k != "version" && k != "modules"), "at the top level, beside 'modules'");
                    if (!(modules is JObject byName) || byName.Count == 0)
                    {
                        Invalid(null, "has 'modules' that is not an object naming at least one module");
                        return;
                    }
                    foreach (var property in byName.Properties())
                    {
                        _cancellationToken.ThrowIfCancellationRequested();
                        if (property.Name.Length == 0) Invalid(null, "names a module with an empty name under 'modules'");
                        else if (!(property.Value is JObject entry)) Invalid(property.Name, "is not a JSON object");
                        else CheckEntry(property.Name, entry, inModules: true);
                    }
                    return;
                }
                var flat = top; // its "version" is no unknown key: CheckEntry knows it outside "modules"
                string name = flat["model_name"]?.Type == JTokenType.String && ((string)flat["model_name"]).Length > 0 ? (string)flat["model_name"] : null;
                if (_version >= JoinVersion && (flat["style"]?.Type != JTokenType.String || (string)flat["style"] != MetadataReader.OperatorStyle))
                {
                    Invalid(name, $"is at the top level, but version {JoinVersion} keeps a full-model module under 'modules' (only operator style stays flat)");
                }
                CheckEntry(name, flat, inModules: false);
            }

            private const int JoinVersion = 7;

            private void CheckEntry(string module, JObject entry, bool inModules)
            {
                var nameToken = entry["model_name"];
                if (nameToken == null) Invalid(module, "has no 'model_name'");
                else if (nameToken.Type != JTokenType.String || ((string)nameToken).Length == 0) Invalid(module, "has a 'model_name' that is not a non-empty string");
                else if (inModules && (string)nameToken != module)
                {
                    _findings.Add(ArchiveFindingIds.ModuleNameMismatch, module, Member,
                        $"Module '{module}' has model_name '{(string)nameToken}'; TVM writes each module under its own model_name. Tools that read one or the other disagree on the module's name: make them equal.");
                }

                var stamp = entry["export_datetime"];
                if (stamp == null) Invalid(module, "has no 'export_datetime'");
                else if (stamp.Type != JTokenType.String || !ExportTimestamp.TryParse((string)stamp, out _)) Invalid(module, "has an 'export_datetime' not in TVM's form 'YYYY-MM-DD HH:MM:SSZ'");

                string style = CheckStyle(module, entry);
                bool operatorStyle = style == MetadataReader.OperatorStyle;
                string executor = CheckExecutors(module, entry, operatorStyle);
                CheckTarget(module, entry);
                CheckMemory(module, entry, operatorStyle, executor);
                CheckDependencies(module, entry);

                var known = new HashSet<string>(CommonKeys, StringComparer.Ordinal) { ExecutorsKey, OtherExecutorsKey };
                if (!inModules) known.Add("version");
                Unknown(module, entry.Properties().Select(p => p.Name).Where(k => !known.Contains(k)), inModules ? "in its entry" : "");
            }

            private string CheckStyle(string module, JObject entry)
            {
                var token = entry["style"];
                if (token == null)
                {
                    if (_version >= 4) Invalid(module, "has no 'style' (\"full-model\" or \"operator\"), which every version from 4 has");
                    return MetadataReader.FullModelStyle;
                }
                string style = token.Type == JTokenType.String ? (string)token : null;
                if (style != MetadataReader.FullModelStyle && style != MetadataReader.OperatorStyle)
                {
                    Invalid(module, "has a 'style' that is neither \"full-model\" nor \"operator\"");
                    return MetadataReader.FullModelStyle;
                }
                return style;
            }

            /// <summary>The executor ("graph", "aot"), or null when there is no single valid one.</summary>
            private string CheckExecutors(string module, JObject entry, bool operatorStyle)
            {
                var token = entry[ExecutorsKey];
                if (token == null)
                {
                    Invalid(module, entry[OtherExecutorsKey] != null
                        ? $"has '{OtherExecutorsKey}' where version {_version} has '{ExecutorsKey}' (versions 1 to 4 say 'runtimes', 5 and later 'executors')"
                        : $"has no '{ExecutorsKey}'");
                    return null;
                }
                if (!(token is JArray list) || list.Any(item => item.Type != JTokenType.String))
                {
                    Invalid(module, $"has '{ExecutorsKey}' that is not a list of strings");
                    return null;
                }
                var values = list.Select(item => (string)item).ToList();
                if (operatorStyle)
                {
                    if (values.Count > 0) Invalid(module, $"is operator style but lists executors in '{ExecutorsKey}'; TVM writes an empty list for tvm.build output");
                    return null;
                }
                if (values.Count != 1 || (values[0] != "graph" && values[0] != "aot"))
                {
                    Invalid(module, $"has '{ExecutorsKey}' [{string.Join(", ", values.Select(v => "\"" + v + "\""))}]; a full-model module names exactly one executor, \"graph\" or \"aot\"");
                    return null;
                }
                return values[0];
            }

            private void CheckTarget(string module, JObject entry)
            {
                var token = entry["target"];
                if (token == null)
                {
                    Invalid(module, "has no 'target'");
                    return;
                }
                if (_version <= 5)
                {
                    if (!(token is JObject byDevice) || byDevice.Count == 0)
                    {
                        Invalid(module, $"has a 'target' that is not an object keyed by device type (version {_version} writes {{\"1\": \"c ...\"}}; the list form is version 6 and later)");
                        return;
                    }
                    var properties = byDevice.Properties().ToList();
                    InvalidEach(module, "has a 'target' key that is not a DLPack device type number", properties.Where(p => !p.Name.All(char.IsDigit) || p.Name.Length == 0).Select(p => p.Name));
                    InvalidEach(module, "has a 'target' that is not a string, for device", properties.Where(p => p.Value.Type != JTokenType.String).Select(p => p.Name));
                    return;
                }
                if (!(token is JArray list) || list.Count == 0 || list.Any(item => item.Type != JTokenType.String))
                {
                    Invalid(module, $"has a 'target' that is not a non-empty list of strings (version {_version} writes [\"c ...\"]; the object form is version 5 and earlier)");
                }
            }

            private void CheckMemory(string module, JObject entry, bool operatorStyle, string executor)
            {
                var memory = entry["memory"];
                if (memory == null)
                {
                    Invalid(module, "has no 'memory'");
                    return;
                }
                try
                {
                    MemorySection.Parse(memory, operatorStyle, module ?? "?", _findings.ArchivePath);
                }
                catch (MlfException ex)
                {
                    _findings.Add(ArchiveFindingIds.MetadataInvalid, module, Member, ex.Message);
                    return;
                }
                if (operatorStyle)
                {
                    if (!(memory is JObject)) Invalid(module, "is operator style but its 'memory' is not an object keyed by primfunc");
                    return;
                }
                if (_version == 1)
                {
                    if (!(memory is JArray)) Invalid(module, "has a 'memory' that is not a list of storage ids, as version 1 writes it");
                    return;
                }
                if (!(memory is JObject sections))
                {
                    Invalid(module, $"has a 'memory' that is not an object with 'functions'{(executor == "graph" ? " and 'sids'" : "")}, as version {_version} writes it");
                    return;
                }
                if (executor == "graph") CheckSids(module, sections["sids"]);
                if (!(sections["functions"] is JObject functions))
                {
                    Invalid(module, "has no 'memory.functions'");
                    return;
                }
                if (!(functions["main"] is JArray main)) Invalid(module, "has no 'memory.functions.main'");
                else
                {
                    foreach (string key in new[] { "workspace_size_bytes", "constants_size_bytes", "io_size_bytes" })
                    {
                        InvalidEach(module, $"has no '{key}' in an entry of 'memory.functions.main'", Indices(main, "memory.functions.main", item => item[key] == null));
                    }
                }
                if (!(functions["operator_functions"] is JArray)) Invalid(module, "has no 'memory.functions.operator_functions'");
            }

            private void CheckSids(string module, JToken sids)
            {
                if (!(sids is JArray list))
                {
                    Invalid(module, "is a graph executor module without 'memory.sids'");
                    return;
                }
                InvalidEach(module, "has no non-negative integer 'storage_id' in a sid", Indices(list, "memory.sids", sid =>
                    !(sid["storage_id"] is JValue id) || id.Type != JTokenType.Integer || !(id.Value is long number) || number < 0));
                InvalidEach(module, "has an 'input_binding' that is not a string in a sid", Indices(list, "memory.sids", sid =>
                    sid["input_binding"] is JToken binding && binding.Type != JTokenType.String));
            }

            private void CheckDependencies(string module, JObject entry)
            {
                var token = entry["external_dependencies"];
                if (token == null) return;
                if (!(token is JArray list))
                {
                    Invalid(module, "has 'external_dependencies' that is not a list");
                    return;
                }
                InvalidEach(module, "has an item that is not an object in 'external_dependencies'", Indices(list, "external_dependencies", item => !(item is JObject)));
                foreach (string key in DependencyKeys)
                {
                    InvalidEach(module, $"has no string '{key}' in an item of 'external_dependencies'", Indices(list, "external_dependencies", item => item is JObject dependency && dependency[key]?.Type != JTokenType.String));
                }
            }

            private void Invalid(string module, string what) =>
                _findings.Add(ArchiveFindingIds.MetadataInvalid, module, Member,
                    $"metadata.json (MLF version {_version}): {(module == null ? "the file" : $"module '{module}'")} {what}. Re-export the model with TVM, or correct metadata.json.");

            /// <summary>One finding for every key TVM never writes in one place: the key itself, or how many and the first ones.</summary>
            private void Unknown(string module, IEnumerable<string> keys, string where)
            {
                var list = Collect(keys);
                if (list.Count == 0) return;
                string forModule = (module == null ? "" : $" for module '{module}'") + (where.Length > 0 ? " " + where : "");
                _findings.Add(ArchiveFindingIds.UnknownMetadataKey, module, Member, list.Count == 1
                    ? $"metadata.json (MLF version {_version}) has the key '{list[0]}'{forModule}, which TVM never writes there. MlfTools keeps it when joining; nothing reads it."
                    : $"metadata.json (MLF version {_version}) has {ByteCount.Number(list.Count)} keys{forModule} that TVM never writes there: {Listing.FirstQuoted(list, ListedAtMost)}. MlfTools keeps them when joining; nothing reads them.");
            }

            /// <summary>One MetadataInvalid for a problem found in several places (list items, keys): the place, or how many and the first ones.</summary>
            private void InvalidEach(string module, string what, IEnumerable<string> places)
            {
                var list = Collect(places);
                if (list.Count == 0) return;
                Invalid(module, list.Count == 1 ? $"{what}: '{list[0]}'" : $"{what}, {ByteCount.Number(list.Count)} times: {Listing.FirstQuoted(list, ListedAtMost)}");
            }

            /// <summary>"where[i]" for every item of <paramref name="list"/> that <paramref name="fails"/>.</summary>
            private static IEnumerable<string> Indices(JArray list, string where, Func<JToken, bool> fails) =>
                list.Select((item, i) => (item, i)).Where(x => fails(x.item)).Select(x => $"{where}[{x.i}]");

            private List<string> Collect(IEnumerable<string> items)
            {
                var list = new List<string>();
                foreach (string item in items)
                {
                    if ((list.Count & 0xFFFF) == 0xFFFF) _cancellationToken.ThrowIfCancellationRequested();
                    list.Add(item);
                }
                return list;
            }
        }
    }
}
