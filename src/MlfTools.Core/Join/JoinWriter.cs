using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.IO;
using MlfTools.Tar;
using MlfTools.Join;

namespace MlfTools
{
    /// <summary>
    /// Writes a planned join atomically: into a temporary file beside the destination, renamed over it only
    /// when everything was written. On any failure or cancellation the temporary file is removed and the
    /// destination is untouched.
    /// </summary>
    public static class JoinWriter
    {
        private const int BufferSize = 1 << 20;
        private const long ProgressStep = 4L << 20;

        /// <summary>
        /// Removes what earlier joins into <paramref name="destination"/> left behind when they were killed (SIGKILL, a power
        /// cut): temporary files ".&lt;name&gt;.&lt;id&gt;.tmp" beside it that are more than a day old. Returns their paths.
        /// </summary>
        public static IReadOnlyList<string> RemoveStaleTemporaries(string destination) =>
            Temporaries.RemoveStale(MlfReader.FullPath(destination), folders: false, ".tmp");

        /// <summary>True for .tar.gz and .tgz destinations, false for .tar; anything else is refused.</summary>
        public static bool IsCompressedDestination(string path)
        {
            string name = Path.GetFileName(path) ?? string.Empty;
            if (name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)) return true;
            if (name.EndsWith(".tar", StringComparison.OrdinalIgnoreCase)) return false;
            throw new MlfException(MlfErrorIds.UnsupportedDestinationType,
                $"'{path}' does not end in .tar, .tar.gz or .tgz. MLF archives are tar files; choose one of those extensions.", path);
        }

        /// <summary>Refuses a destination that exists (unless overwriting) or that is one of the inputs.</summary>
        public static void CheckDestination(string destination, IEnumerable<string> inputPaths, bool overwrite)
        {
            destination = MlfReader.FullPath(destination);
            IsCompressedDestination(destination);
            CheckNotInput(destination, inputPaths);
            if (Directory.Exists(destination))
            {
                throw new MlfException(MlfErrorIds.DestinationExists, $"'{destination}' is a folder. Give the path of the archive file to write.", destination);
            }
            if (File.Exists(destination) && !overwrite)
            {
                throw new MlfException(MlfErrorIds.DestinationExists, $"'{destination}' already exists. Use -Force to replace it.", destination);
            }
        }

        /// <summary>Refuses a destination that is an input, or that lies inside a folder input, however the paths are spelt.</summary>
        private static void CheckNotInput(string destination, IEnumerable<string> inputPaths)
        {
            foreach (string input in inputPaths)
            {
                if (PathIdentity.Same(input, destination))
                {
                    throw new MlfException(MlfErrorIds.DestinationIsInput,
                        $"'{destination}' is one of the inputs of the join{Through(input, destination)}. Write the joined archive to another path.", destination);
                }
                if (Directory.Exists(input) && PathIdentity.IsSameOrInside(destination, input))
                {
                    throw new MlfException(MlfErrorIds.DestinationIsInput,
                        $"'{destination}' lies inside the folder '{input}', an input of the join: the next join of that folder would read the archive as one of its files. Write the joined archive outside the folder.", destination);
                }
            }
        }

        private static string Through(string input, string destination) =>
            string.Equals(Path.GetFullPath(input), Path.GetFullPath(destination), StringComparison.Ordinal)
                ? string.Empty
                : $" '{input}', reached through a link or another spelling of its path";

        /// <summary>
        /// Writes the archive to a temporary file beside <paramref name="destination"/> and renames it into place when
        /// complete. Checks of the plan still pending run meanwhile on another thread (they read and scan, the write
        /// mostly waits on the disk); when one fails, the write stops, the temporary file is deleted and the check's
        /// error is thrown: nothing is published.
        /// </summary>
        public static void Write(MlfJoinPlan plan, string destination, bool overwrite, Action<MlfJoinProgress> progress = null,
            CancellationToken cancellationToken = default) =>
            Write(plan, destination, overwrite, progress, cancellationToken, OutputFiles.Real);

        internal static void Write(MlfJoinPlan plan, string destination, bool overwrite, Action<MlfJoinProgress> progress,
            CancellationToken cancellationToken, OutputFiles files)
        {
            destination = MlfReader.FullPath(destination);
            bool compress = IsCompressedDestination(destination);
            CheckNotInput(destination, plan.Modules.Select(m => m.SourcePath).Distinct());
            string temporary = Temporaries.NameBeside(destination, ".tmp");
            bool moved = false;
            using (var tracked = Temporaries.Track(temporary, isFolder: false))
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Temporaries.Exiting))
            {
                Task check = plan.IsChecked ? null : StartCheck(plan, stop);
                try
                {
                    try
                    {
                        WriteTemporary(plan, files, temporary, compress, progress, stop.Token);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        throw new MlfException(MlfErrorIds.WriteFailed, $"Cannot write '{destination}': {ex.Message}", destination, ex);
                    }
                    catch (Exception) when (check != null)
                    {
                        var checkFailure = StopCheck(check, stop);
                        if (checkFailure != null) ExceptionDispatchInfo.Capture(checkFailure).Throw();
                        throw;
                    }
                    check?.GetAwaiter().GetResult();
                    stop.Token.ThrowIfCancellationRequested();
                    try
                    {
                        Temporaries.Publish(tracked, () => Publish(files, temporary, destination, overwrite));
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        throw new MlfException(MlfErrorIds.WriteFailed, $"Cannot write '{destination}': {ex.Message}", destination, ex);
                    }
                    moved = true;
                }
                catch (MlfException) when (check != null && !check.IsCompleted)
                {
                    StopCheck(check, stop);
                    throw;
                }
                finally
                {
                    if (!moved) TryDelete(files, temporary);
                }
            }
        }

        private static void WriteTemporary(MlfJoinPlan plan, OutputFiles files, string temporary, bool compress, Action<MlfJoinProgress> progress,
            CancellationToken cancellationToken)
        {
            files.CreateDirectory(Path.GetDirectoryName(temporary));
            using (var file = files.CreateNew(temporary, BufferSize))
            {
                Stream output = compress ? (Stream)new GzipOutputStream(file, CompressionLevel.Optimal, plan.Timestamp, leaveOpen: true) : file;
                try
                {
                    WriteMembers(plan, output, progress, cancellationToken);
                }
                finally
                {
                    if (compress) output.Dispose();
                }
                files.FlushToDisk(file);
            }
        }

        /// <summary>
        /// Stops the checks and waits for them. Returns what to throw: when a check failed (which is what stopped the
        /// write), its error; otherwise null, and the write's own failure stands.
        /// </summary>
        private static Exception StopCheck(Task check, CancellationTokenSource stop)
        {
            stop.Cancel();
            try
            {
                check.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception failure)
            {
                return failure;
            }
            return null;
        }

        /// <summary>Runs the plan's pending checks on the thread pool; a failure stops the write at once.</summary>
        private static Task StartCheck(MlfJoinPlan plan, CancellationTokenSource stop) =>
            Task.Run(() =>
            {
                try
                {
                    plan.Check(stop.Token);
                }
                catch (Exception)
                {
                    stop.Cancel();
                    throw;
                }
            });

        private static void WriteMembers(MlfJoinPlan plan, Stream output, Action<MlfJoinProgress> progress, CancellationToken cancellationToken)
        {
            var files = new Dictionary<string, PlannedFile>(StringComparer.Ordinal);
            foreach (var file in plan.Files) files[file.OutputPath] = file;
            var contents = new Dictionary<ArchiveIndex, ArchiveContent>();
            long done = 0;
            long total = plan.TotalBytes;
            long reported = 0;
            try
            {
                using (var tar = new TarArchiveWriter(output, leaveOpen: true))
                {
                    foreach (string path in plan.MemberOrder)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (path.Length == 0 || path.EndsWith("/", StringComparison.Ordinal))
                        {
                            tar.WriteDirectory(path.Length == 0 ? "." : "./" + path.TrimEnd('/'), plan.Timestamp);
                            continue;
                        }
                        var planned = files[path];
                        progress?.Invoke(new MlfJoinProgress(done, total, path));
                        using (var data = OpenContent(planned, contents, cancellationToken))
                        {
                            var source = planned.Member == null ? null : contents[planned.Module.Archive];
                            var counting = new ProgressStream(data, source, planned.Member, cancellationToken, read =>
                            {
                                done += read;
                                if (progress != null && done - reported >= ProgressStep)
                                {
                                    reported = done;
                                    progress(new MlfJoinProgress(done, total, path));
                                }
                            });
                            tar.WriteFile("./" + path, data.Length, plan.Timestamp, counting);
                        }
                    }
                    // The gzip trailers after the last member copied are checked too, before anything is published.
                    foreach (var content in contents.Values) content.VerifyToEnd(cancellationToken);
                    foreach (var archive in plan.Modules.Select(m => m.Archive).Distinct()) ArchiveContent.VerifyUnchanged(archive);
                    tar.Finish();
                }
                progress?.Invoke(new MlfJoinProgress(total, total, null));
            }
            finally
            {
                foreach (var content in contents.Values) content.Dispose();
            }
        }

        /// <summary>The bytes to write for a planned file: made, copied as they are, or renamed.</summary>
        private static Stream OpenContent(PlannedFile planned, Dictionary<ArchiveIndex, ArchiveContent> contents, CancellationToken cancellationToken)
        {
            if (planned.Generated != null) return new MemoryStream(planned.Generated, writable: false);
            var archive = planned.Module.Archive;
            if (!contents.TryGetValue(archive, out var content)) contents[archive] = content = new ArchiveContent(archive);
            if (planned.Transform == ContentTransform.Copy)
            {
                return content.Guard(planned.Member, () => new LengthKnownStream(content.Open(planned.Member, cancellationToken), planned.Member.Size));
            }
            return new MemoryStream(planned.ReadTransformed(content, cancellationToken), writable: false);
        }

        private static void Publish(OutputFiles files, string temporary, string destination, bool overwrite)
        {
            if (files.FileExists(destination))
            {
                if (!overwrite) throw new MlfException(MlfErrorIds.DestinationExists, $"'{destination}' appeared while the join was written. Use -Force to replace it.", destination);
                files.Replace(temporary, destination);
            }
            else
            {
                files.Move(temporary, destination);
            }
        }

        private static void TryDelete(OutputFiles files, string path)
        {
            try
            {
                if (files.FileExists(path)) files.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        /// <summary>
        /// Reports bytes read, stops promptly on cancellation, and reports a failure to read an input as the
        /// input's fault (a failure to write the output surfaces elsewhere, as WriteFailed).
        /// </summary>
        private sealed class ProgressStream : ForwardReadStream
        {
            private readonly Stream _inner;
            private readonly ArchiveContent _source;
            private readonly ArchiveMember _member;
            private readonly CancellationToken _cancellation;
            private readonly Action<int> _onRead;

            public ProgressStream(Stream inner, ArchiveContent source, ArchiveMember member, CancellationToken cancellation, Action<int> onRead)
            {
                _inner = inner;
                _source = source;
                _member = member;
                _cancellation = cancellation;
                _onRead = onRead;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                _cancellation.ThrowIfCancellationRequested();
                int read = _source == null ? _inner.Read(buffer, offset, count) : _source.Guard(_member, () => _inner.Read(buffer, offset, count));
                _onRead(read);
                return read;
            }

            public override long Length => _inner.Length;
        }

        /// <summary>A forward-only member stream whose length is known from the index.</summary>
        private sealed class LengthKnownStream : ForwardReadStream
        {
            private readonly Stream _inner;
            private readonly long _length;

            public LengthKnownStream(Stream inner, long length)
            {
                _inner = inner;
                _length = length;
            }

            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
            public override long Length => _length;

            protected override void Dispose(bool disposing)
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
