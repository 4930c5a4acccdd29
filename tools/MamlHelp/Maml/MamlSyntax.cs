using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.MamlHelp.Help;

namespace MlfTools.MamlHelp.Maml
{
    /// <summary>One syntax item of the MAML: the parameters of one parameter set with their facts in that set.</summary>
    public sealed class MamlSyntaxItem
    {
        public MamlSyntaxItem(string parameterSetName, IReadOnlyList<(ParameterHelp Parameter, ParameterFacts Facts)> parameters)
        {
            ParameterSetName = parameterSetName;
            Parameters = parameters;
        }

        public string ParameterSetName { get; }

        public IReadOnlyList<(ParameterHelp Parameter, ParameterFacts Facts)> Parameters { get; }
    }

    /// <summary>
    /// Rebuilds the syntax from the parameters' yaml blocks, as PlatyPS does (the SYNTAX section's code blocks are not
    /// read): one item per parameter set named anywhere, in order of first mention; a parameter of "(All)" sets belongs to
    /// every item; within an item the parameters keep their order, sorted (stably) by their Position text.
    /// </summary>
    public static class MamlSyntax
    {
        public static List<MamlSyntaxItem> Build(CommandHelp command)
        {
            var setsOf = command.Parameters
                .Select(p => (Parameter: p, BySet: FactsBySet(p)))
                .ToList();
            var setNames = new List<string>();
            foreach (var (_, bySet) in setsOf)
            {
                foreach (string set in bySet.Keys)
                {
                    if (!setNames.Contains(set, StringComparer.OrdinalIgnoreCase)) setNames.Add(set);
                }
            }

            var items = new List<MamlSyntaxItem>();
            if (setNames.Count == 0) items.Add(new MamlSyntaxItem(ParameterFacts.AllParameterSets, Array.Empty<(ParameterHelp, ParameterFacts)>()));
            foreach (string set in setNames)
            {
                if (set == ParameterFacts.AllParameterSets && setNames.Count > 1) continue;
                var members = new List<(ParameterHelp, ParameterFacts)>();
                foreach (var (parameter, bySet) in setsOf)
                {
                    if (bySet.TryGetValue(set, out var facts)) members.Add((parameter, facts));
                    else if (bySet.Count == 1 && bySet.ContainsKey(ParameterFacts.AllParameterSets)) members.Add((parameter, bySet[ParameterFacts.AllParameterSets]));
                }
                items.Add(new MamlSyntaxItem(set, members.OrderBy(m => m.Item2.Position, StringComparer.InvariantCulture).ToList()));
            }
            return items;
        }

        private static Dictionary<string, ParameterFacts> FactsBySet(ParameterHelp parameter)
        {
            var bySet = new Dictionary<string, ParameterFacts>(StringComparer.OrdinalIgnoreCase);
            foreach (var facts in parameter.Facts)
            {
                foreach (string set in facts.ParameterSets) bySet[set] = facts;
            }
            return bySet;
        }
    }
}
