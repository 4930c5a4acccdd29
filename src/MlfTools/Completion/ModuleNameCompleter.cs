using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace MlfTools.Completion
{
    /// <summary>
    /// Completes -ModuleName with the names of the modules inside the archives that -Path or -LiteralPath name on the
    /// same command line. Only each archive's metadata.json is read. Anything that goes wrong (no path yet, a path
    /// that does not resolve, an archive that cannot be read) completes nothing rather than disturbing the prompt.
    /// </summary>
    public sealed class ModuleNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                return Complete(wordToComplete, fakeBoundParameters);
            }
            catch (Exception)
            {
                // A completer must never throw into the user's prompt.
                return Enumerable.Empty<CompletionResult>();
            }
        }

        private static List<CompletionResult> Complete(string wordToComplete, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            if (fakeBoundParameters == null) return results;
            bool literal = fakeBoundParameters.Contains("LiteralPath");
            var paths = StringsOf(fakeBoundParameters[literal ? "LiteralPath" : "Path"]).ToArray();
            if (paths.Length == 0) return results;

            var typed = new WildcardPattern(Unquote(wordToComplete ?? string.Empty) + "*", WildcardOptions.IgnoreCase);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string archive in ResolveArchives(paths, literal))
            {
                IReadOnlyList<string> names;
                try
                {
                    names = MlfReader.ReadModuleNames(archive);
                }
                catch (MlfException)
                {
                    continue;
                }
                foreach (string name in names)
                {
                    if (!typed.IsMatch(name) || !seen.Add(name)) continue;
                    results.Add(new CompletionResult(CompletionTextFor(name), name, CompletionResultType.ParameterValue,
                        $"Module '{name}' of {archive}"));
                }
            }
            return results;
        }

        /// <summary>The archives a -Path (wildcards) or -LiteralPath value names, resolved like the cmdlet resolves them: against the current PowerShell location.</summary>
        private static IEnumerable<string> ResolveArchives(string[] paths, bool literal)
        {
            var resolved = new List<string>();
            using (var powerShell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                powerShell.AddCommand(@"Microsoft.PowerShell.Management\Resolve-Path")
                    .AddParameter(literal ? "LiteralPath" : "Path", paths)
                    .AddParameter("ErrorAction", ActionPreference.Ignore);
                foreach (var item in powerShell.Invoke())
                {
                    if (item?.BaseObject is PathInfo path && path.Provider != null && path.Provider.Name == "FileSystem")
                    {
                        resolved.Add(path.ProviderPath);
                    }
                }
            }
            return resolved;
        }

        /// <summary>Constant strings bound so far; anything the parser could not evaluate (variables, expressions) is skipped.</summary>
        private static IEnumerable<string> StringsOf(object value)
        {
            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (value is string text)
            {
                if (text.Length > 0) yield return text;
                yield break;
            }
            if (!(value is IEnumerable items)) yield break;
            foreach (object item in items)
            {
                object inner = item is PSObject wrappedItem ? wrappedItem.BaseObject : item;
                if (inner is string itemText && itemText.Length > 0) yield return itemText;
            }
        }

        private static string Unquote(string word)
        {
            if (word.Length > 0 && (word[0] == '\'' || word[0] == '"')) word = word.Substring(1);
            if (word.Length > 0 && (word[word.Length - 1] == '\'' || word[word.Length - 1] == '"')) word = word.Substring(0, word.Length - 1);
            return word;
        }

        /// <summary>
        /// -ModuleName takes wildcards, so wildcard characters in a name are escaped to match only that name; a name
        /// that PowerShell would not read as one bare word is single-quoted.
        /// </summary>
        internal static string CompletionTextFor(string name)
        {
            // Escaped here rather than with WildcardPattern.Escape, which leaves backticks alone in Windows PowerShell.
            var escaped = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (c == '`' || c == '*' || c == '?' || c == '[' || c == ']') escaped.Append('`');
                escaped.Append(c);
            }
            string text = escaped.ToString();
            bool bare = text.Length > 0 && text[0] != '-' && text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '-');
            return bare ? text : "'" + CodeGeneration.EscapeSingleQuotedStringContent(text) + "'";
        }
    }
}
