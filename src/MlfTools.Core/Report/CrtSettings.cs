using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MlfTools.Report
{
    /// <summary>
    /// The values of the generated crt_config.h that the C runtime's structures and requests depend on (the others do
    /// not change a model's arena). <see cref="ForGraphs"/> gives the values the firmware helpers write.
    /// </summary>
    internal sealed class CrtSettings
    {
        public int MaxNdim { get; set; } = 6;
        public int MaxArgs { get; set; } = 10;
        public int MaxStrlenDltype { get; set; } = 10;
        public int MaxStrlenFunctionName { get; set; } = 120;
        public int MaxStrlenParamName { get; set; } = 80;
        public int GlobalFuncRegistrySizeBytes { get; set; } = 512;
        public int MaxRegisteredModules { get; set; } = 2;

        /// <summary>
        /// Whether TVMNDArray counts references (uint32_t reference_count after its DLTensor): TVM 0.10 and later. The
        /// TVM 0.9.dev runtime's arrays have no count, so its NDArray and storage entries are 8 bytes smaller; the
        /// default, the newest layout, is then an upper bound.
        /// </summary>
        public bool NdArrayReferenceCount { get; set; } = true;

        /// <summary>
        /// The settings for firmware that runs these graph models (their graph JSON texts and parameter names):
        /// MAX_NDIM = max(6, largest ndim), MAX_ARGS = max(10, largest node inputs + outputs + 1) (the executor refuses
        /// a node whose argument count is not below MAX_ARGS), MAX_STRLEN_FUNCTION_NAME = max(120, longest func_name or
        /// node name + 2) (node names are read into a buffer of that size), MAX_STRLEN_PARAM_NAME = max(80, longest
        /// parameter or input name + 2), MAX_REGISTERED_MODULES = 2 + the number of models.
        /// </summary>
        public static CrtSettings ForGraphs(IEnumerable<string> graphJsons, IEnumerable<string> parameterNames)
        {
            var settings = new CrtSettings();
            int models = 0;
            foreach (string json in graphJsons)
            {
                models++;
                var graph = GraphExecutorArena.ParseGraph(json);
                foreach (var shape in graph.Shapes) settings.MaxNdim = Math.Max(settings.MaxNdim, shape.Count);
                foreach (var node in graph.Nodes)
                {
                    settings.MaxArgs = Math.Max(settings.MaxArgs, node.InputCount + node.OutputCount + 1);
                    settings.MaxStrlenFunctionName = Math.Max(settings.MaxStrlenFunctionName, NameBuffer(node.FunctionName));
                    settings.MaxStrlenFunctionName = Math.Max(settings.MaxStrlenFunctionName, NameBuffer(node.Name));
                    if (node.Op == "null") settings.MaxStrlenParamName = Math.Max(settings.MaxStrlenParamName, NameBuffer(node.Name));
                }
            }
            foreach (string name in parameterNames ?? Enumerable.Empty<string>()) settings.MaxStrlenParamName = Math.Max(settings.MaxStrlenParamName, NameBuffer(name));
            settings.MaxRegisteredModules = 2 + models;
            return settings;
        }

        /// <summary>
        /// The buffer a name needs in the C runtime: its UTF-8 length + 2, since the CRT's JSON reader stops one
        /// character short of its buffer and then misreads the rest of the graph.
        /// </summary>
        public static int NameBuffer(string name) => name == null ? 0 : Encoding.UTF8.GetByteCount(name) + 2;

        /// <summary>Settings a crt_config.h gives (#define NAME number), the template's values for the others.</summary>
        public static CrtSettings FromDefines(IReadOnlyDictionary<string, long> defines)
        {
            var settings = new CrtSettings();
            int Value(string name, int otherwise) => defines.TryGetValue(name, out long v) && v > 0 && v <= int.MaxValue ? (int)v : otherwise;
            settings.MaxNdim = Value("TVM_CRT_MAX_NDIM", settings.MaxNdim);
            settings.MaxArgs = Value("TVM_CRT_MAX_ARGS", settings.MaxArgs);
            settings.MaxStrlenDltype = Value("TVM_CRT_MAX_STRLEN_DLTYPE", settings.MaxStrlenDltype);
            settings.MaxStrlenFunctionName = Value("TVM_CRT_MAX_STRLEN_FUNCTION_NAME", settings.MaxStrlenFunctionName);
            settings.MaxStrlenParamName = Value("TVM_CRT_MAX_STRLEN_PARAM_NAME", settings.MaxStrlenParamName);
            settings.GlobalFuncRegistrySizeBytes = Value("TVM_CRT_GLOBAL_FUNC_REGISTRY_SIZE_BYTES", settings.GlobalFuncRegistrySizeBytes);
            settings.MaxRegisteredModules = Value("TVM_CRT_MAX_REGISTERED_MODULES", settings.MaxRegisteredModules);
            return settings;
        }
    }
}
