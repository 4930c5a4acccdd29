using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace MlfTools.Tests.Support
{
    /// <summary>Runs python3, GNU tar and the C compiler the way a user would, and fails the test on a non-zero exit.</summary>
    internal static class ExternalTool
    {
        public static bool IsOnPath(string tool)
        {
            string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
            return path.Split(Path.PathSeparator).Any(folder => folder.Length > 0 && File.Exists(Path.Combine(folder, tool)));
        }

        public static string Run(string tool, string workingDirectory, params string[] arguments)
        {
            var (exitCode, stdout, stderr) = RunWithTimeout(tool, workingDirectory, System.Threading.Timeout.InfiniteTimeSpan, arguments);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"{tool} {string.Join(" ", arguments)} exited with {exitCode}: {stderr}");
            }
            return stdout;
        }

        /// <summary>Runs a tool that may fail on purpose; returns its exit code and standard error.</summary>
        public static (int ExitCode, string StandardError) RunAllowingFailure(string tool, string workingDirectory, params string[] arguments)
        {
            var (exitCode, _, stderr) = RunWithTimeout(tool, workingDirectory, System.Threading.Timeout.InfiniteTimeSpan, arguments);
            return (exitCode, stderr);
        }

        /// <summary>
        /// Runs a program that may fail or hang (a firmware under QEMU, a test program): returns its exit code and both
        /// outputs; kills it (and its children) and throws when it runs longer than the timeout.
        /// </summary>
        public static (int ExitCode, string StandardOutput, string StandardError) RunWithTimeout(string tool, string workingDirectory, TimeSpan timeout, params string[] arguments)
        {
            var start = new ProcessStartInfo(tool)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new InvalidOperationException($"{tool} {string.Join(" ", arguments)} did not finish within {timeout.TotalSeconds:0} s; output so far: {stdout.Result}{stderr.Result}");
            }
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }

        /// <summary>Runs a Python script given as text, with arguments.</summary>
        public static string Python(string script, params string[] arguments) =>
            Run("python3", Directory.GetCurrentDirectory(), new[] { "-c", script }.Concat(arguments).ToArray());
    }
}
