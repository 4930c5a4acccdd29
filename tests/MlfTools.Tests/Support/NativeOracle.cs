using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// The compiler as the oracle for symbol tests: gcc builds an object, binutils' nm lists what it defines.
    /// </summary>
    internal static class NativeOracle
    {
        public sealed record NmSymbol(string Name, char Type, int? Line, string Address)
        {
            /// <summary>nm's letter for code: T/t, and i for GNU indirect functions.</summary>
            public bool IsFunction => char.ToUpperInvariant(Type) == 'T' || Type == 'i';
        }

        private static readonly Regex NmLine = new Regex(@"^(?:(?<address>[0-9a-fA-F]+)\s+)?(?<type>\S)\s+(?<name>[^\s]+)(?:\t(?<file>.*):(?<line>\d+))?$", RegexOptions.Compiled);

        /// <summary>gcc -c -g, plus <paramref name="options"/>; returns the object's path.</summary>
        public static string Compile(string sourcePath, params string[] options) => CompileWith("gcc", sourcePath, options);

        public static string CompileWith(string compiler, string sourcePath, params string[] options)
        {
            string objectPath = Path.ChangeExtension(sourcePath, ".o");
            var arguments = new List<string> { "-c", "-g" };
            arguments.AddRange(options);
            arguments.AddRange(new[] { "-o", objectPath, sourcePath });
            ExternalTool.Run(compiler, Path.GetDirectoryName(sourcePath)!, arguments.ToArray());
            return objectPath;
        }

        /// <summary>
        /// <c>nm -g --defined-only -l</c>: the global definitions, less the weak ones (W, V, w, v), with the
        /// source line where the object carries debug information. <paramref name="dynamic"/> reads .dynsym (-D).
        /// </summary>
        public static List<NmSymbol> GlobalDefinitions(string objectPath, bool dynamic = false)
        {
            var arguments = new List<string> { "-g", "--defined-only", "-l" };
            if (dynamic) arguments.Add("-D");
            arguments.Add(objectPath);
            string output = ExternalTool.Run("nm", Path.GetDirectoryName(Path.GetFullPath(objectPath))!, arguments.ToArray());
            var result = new List<NmSymbol>();
            foreach (string raw in output.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.Length == 0) continue;
                var match = NmLine.Match(line);
                if (!match.Success) throw new InvalidOperationException($"unexpected nm line: '{line}'");
                char type = match.Groups["type"].Value[0];
                if ("WVwv".IndexOf(type) >= 0) continue;
                int? sourceLine = match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value) : null;
                result.Add(new NmSymbol(match.Groups["name"].Value, type, sourceLine, match.Groups["address"].Value));
            }
            return result;
        }

        public static IEnumerable<string> Sorted(IEnumerable<string> names) => names.OrderBy(n => n, StringComparer.Ordinal);
    }

    /// <summary>A fact that needs gcc able to build 32-bit x86 objects (gcc -m32 -c); skipped, with gcc's reason, where it cannot.</summary>
    public sealed class Gcc32FactAttribute : FactAttribute
    {
        private static readonly Lazy<string?> Problem = new Lazy<string?>(Probe);

        public Gcc32FactAttribute()
        {
            if (Problem.Value != null) Skip = Problem.Value;
        }

        private static string? Probe()
        {
            foreach (string tool in new[] { "gcc", "nm" })
            {
                if (!ExternalTool.IsOnPath(tool)) return $"'{tool}' is not on PATH";
            }
            using var folder = new TempFolder();
            File.WriteAllText(folder.File("probe.c"), "int probe = 1;\n");
            try
            {
                ExternalTool.Run("gcc", folder.Path, "-m32", "-c", "-o", "probe.o", "probe.c");
                return null;
            }
            catch (InvalidOperationException e)
            {
                return "gcc -m32 -c does not work here: " + e.Message;
            }
        }
    }
}
