using System.Collections.Generic;
using System.Linq;
using System.Text;
using MlfTools.Format;
using MlfTools.Json;
using MlfTools.Rename;
using Newtonsoft.Json.Linq;

namespace MlfTools.Join
{
    /// <summary>Writes metadata.json for a join: every module upgraded to a version-7 entry, renamed where asked.</summary>
    internal static class JoinMetadata
    {
        public const int Version = 7;

        /// <summary>
        /// The module's entry as version 7 holds it: every key but "version" kept (unknown ones too), v4's
        /// "runtimes" called "executors", a v5 target object turned into the list of its values, and the
        /// module's names rewritten when it is renamed. A full-model entry without "style" (versions 1 to 3) gets
        /// "style": "full-model", which version 7 requires. <paramref name="runtimeDependency"/>, when given, is the
        /// tvm_standalone_crt entry of the C runtime the joined archive keeps: it replaces the module's own, so that
        /// every module names the runtime that is there.
        /// </summary>
        public static JObject UpgradedEntry(MlfModule module, ModuleRenamer renamer, JObject runtimeDependency = null)
        {
            var entry = (JObject)module.MetadataEntry.DeepClone();
            if (entry["executors"] == null && entry.Property("runtimes") is JProperty runtimes)
            {
                runtimes.Replace(new JProperty("executors", runtimes.Value));
            }
            if (entry["target"] is JObject targets)
            {
                entry["target"] = new JArray(targets.Properties().Select(p => p.Value));
            }
            if (module.Style != MetadataReader.OperatorStyle)
            {
                entry["model_name"] = module.Name;
                if (entry["style"] == null) entry["style"] = MetadataReader.FullModelStyle;
            }
            if (runtimeDependency != null && entry["external_dependencies"] is JArray dependencies)
            {
                for (int i = 0; i < dependencies.Count; i++)
                {
                    if (IsRuntimeDependency(dependencies[i])) dependencies[i] = runtimeDependency.DeepClone();
                }
            }
            if (renamer != null)
            {
                RenameStrings(entry, renamer);
                entry["model_name"] = module.Name;
            }
            return entry;
        }

        /// <summary>The module's tvm_standalone_crt entry of "external_dependencies", or null.</summary>
        public static JObject RuntimeDependencyOf(MlfModule module) =>
            (module.MetadataEntry["external_dependencies"] as JArray)?.FirstOrDefault(IsRuntimeDependency) as JObject;

        private static bool IsRuntimeDependency(JToken dependency) =>
            dependency is JObject item && item["short_name"]?.Type == JTokenType.String && (string)item["short_name"] == "tvm_standalone_crt";

        /// <summary>{"modules": {...}, "version": 7}, serialized as TVM's json.dump(indent=2, sort_keys=True) does.</summary>
        public static byte[] ForModules(IEnumerable<(string Name, JObject Entry)> modules)
        {
            var all = new JObject();
            foreach (var (name, entry) in modules) all[name] = entry;
            var top = new JObject { ["modules"] = all, ["version"] = Version };
            return Encoding.UTF8.GetBytes(PythonJsonWriter.SerializeIndented(top));
        }

        /// <summary>Operator style stays flat: "version" first, then the module's keys in their order, on one line.</summary>
        public static byte[] ForOperatorModule(JObject entry)
        {
            var top = new JObject { ["version"] = Version };
            foreach (var property in entry.Properties()) top.Add(property.Name, property.Value.DeepClone());
            return Encoding.UTF8.GetBytes(PythonJsonWriter.SerializeCompact(top));
        }

        private static void RenameStrings(JToken token, ModuleRenamer renamer)
        {
            switch (token)
            {
                case JObject obj:
                    foreach (var property in obj.Properties()) RenameStrings(property.Value, renamer);
                    break;
                case JArray array:
                    foreach (var item in array) RenameStrings(item, renamer);
                    break;
                case JValue value when value.Type == JTokenType.String:
                    value.Value = renamer.RenameString((string)value.Value);
                    break;
            }
        }
    }
}
