using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using MlfTools.IO;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// One atomic write under test: what it reads, where it writes, and how to run it with substituted file
    /// operations, a cancellation token and a hook called at each of its progress reports. The fault-injection
    /// sweeps in <see cref="AtomicWriteSweeps"/> take nothing else, so any writer that gets its files from
    /// <see cref="OutputFiles"/> can be swept.
    /// </summary>
    internal sealed class AtomicWriteCase
    {
        public AtomicWriteCase(string name, string destination, IReadOnlyList<string> inputs, Action<OutputFiles, CancellationToken, Action> run)
        {
            Name = name;
            Destination = destination;
            Inputs = inputs;
            Run = run;
        }

        public string Name { get; }

        /// <summary>The file (or folder) the write creates; its parent folder must hold nothing the write does not make.</summary>
        public string Destination { get; }

        public IReadOnlyList<string> Inputs { get; }

        /// <summary>Runs the write; the last argument is to be called at each progress report of the writer.</summary>
        public Action<OutputFiles, CancellationToken, Action> Run { get; }

        /// <summary>When set, puts an old destination in place (a file, or a folder tree for an extraction) that the write replaces (-Force).</summary>
        public Action<string>? PutExisting { get; set; }

        public string OutputFolder => Path.GetDirectoryName(Destination)!;

        public override string ToString() => Name;

        /// <summary>Puts the output folder back to its state before a write: empty, or holding just the old destination.</summary>
        public void ResetOutput()
        {
            if (Directory.Exists(OutputFolder)) Directory.Delete(OutputFolder, recursive: true);
            Directory.CreateDirectory(OutputFolder);
            PutExisting?.Invoke(Destination);
        }

        /// <summary>Every file and folder under <paramref name="root"/> with a hash of each file's bytes.</summary>
        public static SortedDictionary<string, string> Snapshot(string root)
        {
            var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (!Directory.Exists(root)) return snapshot;
            using var sha = SHA256.Create();
            foreach (string entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, entry);
                snapshot[relative] = Directory.Exists(entry) ? "<folder>" : Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(entry)));
            }
            return snapshot;
        }

        public Dictionary<string, string> HashInputs()
        {
            using var sha = SHA256.Create();
            return Inputs.ToDictionary(p => p, p => Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(p))));
        }

        /// <summary>Size and last write time of each input: checked after every attempt, the hashes once a sweep.</summary>
        public string InputStamps() =>
            string.Join("; ", Inputs.Select(p => new FileInfo(p)).Select(f => $"{f.Name} {f.Length} {f.LastWriteTimeUtc.Ticks}"));
    }
}
