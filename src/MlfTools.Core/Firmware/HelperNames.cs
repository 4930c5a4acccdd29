namespace MlfTools.Firmware
{
    /// <summary>The names the helper sources give a model's functions, macros and data (lowercase, as TVM's symbols are).</summary>
    internal static class HelperNames
    {
        public static string Identifier(HelperModel model) => model.Name.ToLowerInvariant();

        public static string Macro(HelperModel model) => "MLF_" + model.Name.ToUpperInvariant();

        /// <summary>What every C name the helpers give the model starts with: mlf_&lt;m&gt; (mlf_&lt;m&gt;_run, mlf_&lt;m&gt;_graph_json, ...).</summary>
        public static string Symbol(HelperModel model) => Symbol(model.Name);

        /// <summary><see cref="Symbol(HelperModel)"/> of the model of that name.</summary>
        public static string Symbol(string modelName) => "mlf_" + modelName.ToLowerInvariant();

        public static string Run(HelperModel model) => Symbol(model) + "_run";

        /// <summary>The macro that leaves a model out of a build (the Makefile's MODELS sets it for the others).</summary>
        public static string Skip(HelperModel model) => "MLF_SKIP_" + model.Name.ToUpperInvariant();

        public static string DataFile(HelperModel model) => DataFile(model.Name);

        /// <summary>The data file (graph JSON and params) of the graph model of that name.</summary>
        public static string DataFile(string modelName) => Symbol(modelName) + "_data.c";
    }
}
