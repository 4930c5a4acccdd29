using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.MamlHelp.Help;
using MlfTools.Tests.Support;

namespace MlfTools.Tests.Help
{
    /// <summary>
    /// What the help of a cmdlet must say, worked out from the compiled cmdlet (its attributes, read as metadata), in
    /// the terms PlatyPS's markdown and MAML use.
    /// </summary>
    internal static class HelpExpectations
    {
        public static string DocsFolder => Path.Combine(TestPaths.RepositoryRoot, "docs");

        public static string CheckedInMaml => Path.Combine(TestPaths.RepositoryRoot, "module", "en-US", "MlfTools.dll-Help.xml");

        public static string RegenerateCommand => "dotnet run -c Release --project tools/MamlHelp -- docs module/en-US/MlfTools.dll-Help.xml (or ./build.ps1 -Task Docs)";

        public static IReadOnlyList<CmdletMetadata.CmdletClass> Cmdlets { get; } =
            CmdletMetadata.Read(Path.Combine(TestPaths.ModuleFolder, "MlfTools.dll"));

        public static IEnumerable<object[]> CommandNames() => Cmdlets.Select(c => new object[] { c.CommandName });

        public static CmdletMetadata.CmdletClass Cmdlet(string commandName) => Cmdlets.Single(c => c.CommandName == commandName);

        private static readonly Lazy<List<CommandHelp>> Docs = new Lazy<List<CommandHelp>>(() => HelpFolder.ReadCommands(DocsFolder));

        /// <summary>docs/ as read once per test run (the tests only look).</summary>
        public static IReadOnlyList<CommandHelp> ReadDocs() => Docs.Value;

        /// <summary>A parameter as help describes it in one parameter set.</summary>
        public sealed record Expected(string Name, string TypeName, bool IsSwitch, bool Required, string Position, string PipelineInput,
            bool Globbing, IReadOnlyList<string> Aliases, IReadOnlyList<string> AcceptedValues);

        /// <summary>The parameter sets as help names them: the cmdlet's named sets, or "(All)" for a cmdlet without any.</summary>
        public static IReadOnlyList<string> SetNames(CmdletMetadata.CmdletClass cmdlet) =>
            cmdlet.ParameterSetNames.Count > 0 ? cmdlet.ParameterSetNames : new[] { ParameterFacts.AllParameterSets };

        /// <summary>Every parameter help must describe: the cmdlet's own, plus -WhatIf and -Confirm when it supports ShouldProcess.</summary>
        public static IReadOnlyList<string> ParameterNames(CmdletMetadata.CmdletClass cmdlet)
        {
            var names = cmdlet.Parameters.Select(p => p.Name).ToList();
            if (cmdlet.SupportsShouldProcess) names.AddRange(new[] { "WhatIf", "Confirm" });
            return names;
        }

        /// <summary>The parameters of one set (or of the only, unnamed one) with their facts there.</summary>
        public static List<Expected> ParametersOf(CmdletMetadata.CmdletClass cmdlet, string setName)
        {
            var bound = setName == ParameterFacts.AllParameterSets
                ? cmdlet.Parameters.Select(p => (Parameter: p, Facts: p.Sets.First()))
                : cmdlet.ParametersOf(setName);
            var expected = bound.Select(b => new Expected(
                b.Parameter.Name,
                b.Parameter.TypeName,
                b.Parameter.TypeFullName == "System.Management.Automation.SwitchParameter",
                b.Facts.Mandatory,
                b.Facts.Position?.ToString() ?? "Named",
                PipelineInput(b.Facts),
                b.Parameter.SupportsWildcards,
                b.Parameter.Aliases,
                AcceptedValues(b.Parameter))).ToList();
            if (cmdlet.SupportsShouldProcess)
            {
                expected.Add(new Expected("WhatIf", "SwitchParameter", true, false, "Named", "False", false, new[] { "wi" }, Array.Empty<string>()));
                expected.Add(new Expected("Confirm", "SwitchParameter", true, false, "Named", "False", false, new[] { "cf" }, Array.Empty<string>()));
            }
            return expected;
        }

        /// <summary>The sets a parameter's yaml must name: "(All)" when it is declared for every set.</summary>
        public static IReadOnlyList<string> DocumentedSetsOf(CmdletMetadata.CmdletClass cmdlet, string parameterName)
        {
            var parameter = cmdlet.Parameters.FirstOrDefault(p => p.Name == parameterName);
            if (parameter == null || parameter.Sets.Any(s => s.SetName == CmdletMetadata.AllParameterSets)) return new[] { ParameterFacts.AllParameterSets };
            return parameter.Sets.Select(s => s.SetName).ToList();
        }

        public static string PipelineInput(CmdletMetadata.ParameterSetFacts facts) =>
            facts.ValueFromPipeline
                ? facts.ValueFromPipelineByPropertyName ? "True (ByPropertyName, ByValue)" : "True (ByValue)"
                : facts.ValueFromPipelineByPropertyName ? "True (ByPropertyName)" : "False";

        /// <summary>[ValidateSet] values, or the names of an enum type from MlfTools.Core.</summary>
        public static IReadOnlyList<string> AcceptedValues(CmdletMetadata.CmdletParameter parameter)
        {
            if (parameter.ValidateSet != null) return parameter.ValidateSet;
            var type = typeof(MlfModule).Assembly.GetType(parameter.TypeFullName.TrimEnd('[', ']'));
            return type != null && type.IsEnum ? Enum.GetNames(type) : Array.Empty<string>();
        }

        /// <summary>
        /// How the syntax line shows a parameter: "-Name &lt;T&gt;" mandatory, "[-Name &lt;T&gt;]" optional,
        /// "[-Name] &lt;T&gt;" / "[[-Name] &lt;T&gt;]" positional; a switch has no value.
        /// </summary>
        public static string SyntaxElement(Expected parameter)
        {
            bool positional = !parameter.Position.Equals("Named", StringComparison.OrdinalIgnoreCase);
            string name = positional ? $"[-{parameter.Name}]" : $"-{parameter.Name}";
            string element = parameter.IsSwitch ? name : $"{name} <{parameter.TypeName}>";
            return parameter.Required ? element : $"[{element}]";
        }

        /// <summary>A syntax line split into its top-level elements: "[...]" groups, "-Name &lt;T&gt;" pairs, single words.</summary>
        public static List<string> SyntaxElements(string code)
        {
            string line = string.Join(" ", code.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            var tokens = new List<string>();
            int i = 0;
            while (i < line.Length)
            {
                if (line[i] == ' ')
                {
                    i++;
                    continue;
                }
                int start = i;
                if (line[i] == '[')
                {
                    int depth = 0;
                    do
                    {
                        if (line[i] == '[') depth++;
                        else if (line[i] == ']') depth--;
                        i++;
                    } while (i < line.Length && depth > 0);
                }
                else
                {
                    while (i < line.Length && line[i] != ' ') i++;
                }
                tokens.Add(line.Substring(start, i - start));
            }
            var elements = new List<string>();
            foreach (string token in tokens)
            {
                // A value "<T>" belongs to the parameter name before it, bracketed or not.
                if (token.StartsWith("<", StringComparison.Ordinal) && elements.Count > 0 && elements[^1].StartsWith("-", StringComparison.Ordinal) ||
                    token.StartsWith("<", StringComparison.Ordinal) && elements.Count > 0 && elements[^1].StartsWith("[-", StringComparison.Ordinal) && !elements[^1].Contains(' '))
                {
                    elements[^1] += " " + token;
                }
                else
                {
                    elements.Add(token);
                }
            }
            return elements;
        }
    }
}
