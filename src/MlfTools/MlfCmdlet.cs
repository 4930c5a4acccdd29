using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;

namespace MlfTools
{
    /// <summary>What every MlfTools cmdlet shares: provider path resolution, cancellation on Ctrl+C, Core errors as ErrorRecords.</summary>
    public abstract class MlfCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        protected CancellationToken Cancellation => _stopping.Token;

        protected override void StopProcessing()
        {
            _stopping.Cancel();
        }

        /// <summary>
        /// File-system paths for -Path (wildcards expanded) or -LiteralPath (taken as written), relative to the
        /// current PowerShell location. A path that does not resolve is a PathNotFound error: non-terminating,
        /// or terminating when <paramref name="stopOnError"/> is set.
        /// </summary>
        protected IEnumerable<string> ResolveFileSystemPaths(IEnumerable<string> paths, bool literal, bool stopOnError = false)
        {
            Action<ErrorRecord> report = stopOnError ? (Action<ErrorRecord>)ThrowTerminatingError : WriteError;
            foreach (string path in paths)
            {
                var resolved = new List<string>();
                ProviderInfo provider = null;
                try
                {
                    if (literal)
                    {
                        resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _));
                    }
                    else
                    {
                        resolved.AddRange(GetResolvedProviderPathFromPSPath(path, out provider));
                    }
                }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is ArgumentException)
                {
                    // PowerShell's own message for a missing item already names the path: say it once, as written.
                    string message = ex is ItemNotFoundException ? NotFoundMessage(path) : $"Cannot find path '{path}': {ex.Message}";
                    report(MlfErrorRecords.Create(MlfErrorIds.PathNotFound, message, path));
                    continue;
                }
                if (provider != null && provider.Name != "FileSystem")
                {
                    report(MlfErrorRecords.Create(MlfErrorIds.PathNotFound, $"'{path}' is not a file-system path; MLF archives are read from files and folders.", path));
                    continue;
                }
                if (resolved.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(path))
                {
                    report(MlfErrorRecords.Create(MlfErrorIds.PathNotFound, NotFoundMessage(path), path));
                    continue;
                }
                foreach (string item in resolved)
                {
                    if (literal && !File.Exists(item) && !Directory.Exists(item))
                    {
                        report(MlfErrorRecords.Create(MlfErrorIds.PathNotFound, NotFoundMessage(path), path));
                        continue;
                    }
                    yield return item;
                }
            }
        }

        private static string NotFoundMessage(string path) => $"Cannot find path '{path}' because it does not exist.";

        /// <summary>
        /// The file-system path of a file or folder to write, relative to the current PowerShell location and taken as written
        /// (no wildcards); it need not exist yet. A path on another provider (Variable:, HKLM:, ...) or on a drive that
        /// does not exist stops the command with PathNotFound instead of landing somewhere unexpected.
        /// </summary>
        protected string ResolveOutputPath(string path, string whatIsWritten = "the archive is written to a file. Give a path such as out/models.tar")
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is ArgumentException || ex is NotSupportedException)
            {
                ThrowTerminatingError(MlfErrorRecords.Create(MlfErrorIds.PathNotFound, $"Cannot write to '{path}': {ex.Message}", path));
                throw; // not reached: ThrowTerminatingError always throws
            }
            if (provider != null && provider.Name != "FileSystem")
            {
                ThrowTerminatingError(MlfErrorRecords.Create(MlfErrorIds.PathNotFound,
                    $"'{path}' is not a file-system path; {whatIsWritten}.", path));
            }
            return resolved;
        }

        /// <summary>
        /// Runs a Core call; its MlfException stops the command (a terminating error). <paramref name="fallbackTarget"/>
        /// becomes the error's TargetObject when Core names none.
        /// </summary>
        protected T RunCoreOrStop<T>(Func<T> call, object fallbackTarget = null)
        {
            try
            {
                return call();
            }
            catch (MlfException ex)
            {
                ThrowTerminatingError(MlfErrorRecords.From(ex, fallbackTarget));
                throw; // not reached: ThrowTerminatingError always throws
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }

        protected void RunCoreOrStop(Action call, object fallbackTarget = null) => RunCoreOrStop(() => { call(); return true; }, fallbackTarget);

        /// <summary>Runs a Core call; its MlfException becomes a non-terminating error and null is returned.</summary>
        protected T TryCore<T>(Func<T> call, object target) where T : class
        {
            try
            {
                return call();
            }
            catch (MlfException ex)
            {
                WriteError(MlfErrorRecords.From(ex, target));
                return null;
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }
    }
}
