using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace MlfTools.Tests.Support
{
    /// <summary>Compiles C sources to objects with one compiler, up to one compiler process per core at a time.</summary>
    internal static class CBuild
    {
        /// <summary>
        /// Compiles each source with <c>-c</c> into <paramref name="objectFolder"/> (objects named by position and
        /// file name, so two default_lib0.c do not clash); returns the object paths in source order.
        /// </summary>
        public static IReadOnlyList<string> Compile(string compiler, string objectFolder, IEnumerable<string> flags, IEnumerable<string> sources)
        {
            Directory.CreateDirectory(objectFolder);
            var flagList = flags.ToList();
            var jobs = sources.Select((source, i) => (Source: source, Object: Path.Combine(objectFolder, $"{i:D3}-{Path.GetFileNameWithoutExtension(source)}.o"))).ToList();
            Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, job =>
                ExternalTool.Run(compiler, objectFolder, flagList.Concat(new[] { "-c", "-o", job.Object, job.Source }).ToArray()));
            return jobs.Select(j => j.Object).ToList();
        }
    }
}
