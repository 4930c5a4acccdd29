using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// The compiler -Compiler names is an untrusted child, and so is whatever an archive's sources make it do: every
    /// compile is bounded in time and output, ends with its whole process tree (also processes that outlive it), and
    /// the temporary folder with the model's sources is always removed. Fake compilers are shell scripts that do what
    /// a hanging compiler, a wrapper script or an include loop does; each records the ids of the processes it starts.
    /// </summary>
    public sealed class UntrustedCompilerTests : IDisposable
    {
        private const string Kws = "v6-aot-kws.tar";
        private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(30);

        private readonly TempFolder _temp = new TempFolder();
        private readonly string _pids;
        private readonly string _root;

        public UntrustedCompilerTests()
        {
            _pids = Directory.CreateDirectory(_temp.File("pids")).FullName;
            _root = Directory.CreateDirectory(_temp.File("tmp")).FullName;
        }

        public void Dispose()
        {
            // Whatever a failed test left running is ended here, so that no test leaves a process behind.
            foreach (int pid in RecordedPids()) ExternalTool.RunAllowingFailure("kill", _temp.Path, "-9", pid.ToString());
            _temp.Dispose();
        }

        /// <summary>An executable shell script; "$PIDS" in its body is the folder where it records process ids (one per line, in "all").</summary>
        private string Script(string name, string body)
        {
            string path = _temp.File(name);
            File.WriteAllText(path, "#!/bin/sh\nPIDS='" + _pids + "'\n" + body);
            ExternalTool.Run("chmod", _temp.Path, "+x", path);
            return path;
        }

        private CodeSizeOptions Options(string compiler, params string[] arguments) =>
            new CodeSizeOptions { Compiler = compiler, Arguments = arguments.ToList(), TemporaryRoot = _root };

        private List<int> RecordedPids()
        {
            string file = Path.Combine(_pids, "all");
            return File.Exists(file)
                ? File.ReadAllLines(file).Where(l => l.Trim().Length > 0).Select(l => int.Parse(l.Trim())).ToList()
                : new List<int>();
        }

        /// <summary>Alive: ps lists it and it is no zombie (an orphan's zombie waits for an init that may never reap it).</summary>
        private bool IsAlive(int pid)
        {
            var (exitCode, _) = ExternalTool.RunAllowingFailure("ps", _temp.Path, "-p", pid.ToString());
            if (exitCode != 0) return false;
            string state = ExternalTool.Run("ps", _temp.Path, "-o", "stat=", "-p", pid.ToString()).Trim();
            return state.Length > 0 && state[0] != 'Z';
        }

        /// <summary>Waits a little for killed processes to go: a SIGKILL is delivered at once, but the exit takes a moment.</summary>
        private void AssertAllGone(IReadOnlyCollection<int> pids)
        {
            Assert.NotEmpty(pids);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (pids.Any(IsAlive) && DateTime.UtcNow < deadline) Thread.Sleep(100);
            Assert.True(!pids.Any(IsAlive), "still running: " + string.Join(", ", pids.Where(IsAlive)));
        }

        private void AssertNothingLeftBehind() => Assert.Empty(Directory.GetFileSystemEntries(_root));

        private static MlfModule KwsModule() => MlfReader.ReadModules(TestPaths.Sample(Kws)).Single();

        /// <summary>A folder archive of one AOT module whose only source is <paramref name="source"/>.</summary>
        private MlfModule ModuleWithSource(string source)
        {
            string folder = _temp.File("model-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(Path.Combine(folder, "codegen", "host", "src"));
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(7, "default", "aot"));
            File.WriteAllText(Path.Combine(folder, "codegen", "host", "src", "default_lib0.c"), source);
            return MlfReader.ReadModules(folder).Single();
        }

        [SampleToolFact("sh", "sleep")]
        public void A_compiler_that_hangs_is_stopped_at_the_timeout_with_CompilerFailed_naming_the_file()
        {
            string compiler = Script("hangs.sh", "echo $$ >> \"$PIDS/all\"\nexec sleep 90\n");
            var options = Options(compiler);
            options.Timeout = TimeSpan.FromSeconds(2);
            var watch = Stopwatch.StartNew();

            var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(KwsModule(), options, CancellationToken.None));

            Assert.True(watch.Elapsed < Quickly, $"took {watch.Elapsed}");
            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Matches("^'" + System.Text.RegularExpressions.Regex.Escape(compiler) + "' did not finish compiling 'codegen/host/src/default_lib[01]\\.c' of module 'default' in '" +
                System.Text.RegularExpressions.Regex.Escape(TestPaths.Sample(Kws)) + "' within 2 seconds", error.Message);
            Assert.Contains("-CompilerTimeout", error.Message);
            AssertAllGone(RecordedPids());
            AssertNothingLeftBehind();
        }

        [SampleToolFact("sh", "sleep", "ps")]
        public void Cancelling_ends_the_compiler_s_whole_process_tree_and_removes_the_folder_its_orphans_write_into()
        {
            // A wrapper script, as a compiler driver is: its children (a loop that writes into the compile folder, and a
            // sleep standing for cc1) hold its output pipes open after the script itself is killed.
            string compiler = Script("wrapper.sh",
                "echo $$ >> \"$PIDS/all\"\n" +
                "( while :; do echo x >> orphan.txt; sleep 0.1; done ) &\n" +
                "echo $! >> \"$PIDS/all\"\n" +
                "sleep 90 &\n" +
                "echo $! >> \"$PIDS/all\"\n" +
                "wait\n");
            using var cancel = new CancellationTokenSource();
            var measuring = Task.Run(() => ModuleMemoryReports.ForModule(KwsModule(), Options(compiler), cancel.Token));
            var deadline = DateTime.UtcNow + Quickly;
            while (!(RecordedPids().Count >= 3 && Directory.GetFiles(_root, "orphan.txt", SearchOption.AllDirectories).Length > 0) && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.True(Directory.GetFiles(_root, "orphan.txt", SearchOption.AllDirectories).Length > 0, "the fake compiler's orphan never wrote into the compile folder");
            var watch = Stopwatch.StartNew();

            cancel.Cancel();

            var ended = Assert.ThrowsAny<AggregateException>(() => measuring.Wait(TimeSpan.FromSeconds(60)));
            Assert.IsAssignableFrom<OperationCanceledException>(ended.InnerException);
            Assert.True(watch.Elapsed < Quickly, $"the cancelled measurement took {watch.Elapsed} to end");
            AssertAllGone(RecordedPids());
            AssertNothingLeftBehind();
            Thread.Sleep(500); // an orphan still alive would write orphan.txt again
            AssertNothingLeftBehind();
        }

        [SampleToolFact("sh", "sleep", "ps", "gcc")]
        public void A_compiler_that_leaves_a_process_holding_its_output_is_done_when_it_exits_and_the_process_is_ended()
        {
            string compiler = Script("leaves-one-behind.sh",
                "gcc \"$@\"\nstatus=$?\n" +
                "sleep 90 &\n" +
                "echo $! >> \"$PIDS/all\"\n" +
                "exit $status\n");
            var watch = Stopwatch.StartNew();

            var report = ModuleMemoryReports.ForModule(KwsModule(), Options(compiler, "-Os"), CancellationToken.None).Single();

            Assert.True(watch.Elapsed < Quickly, $"took {watch.Elapsed}: the report waited for the output pipes of a process the compiler left behind");
            Assert.True(report.CodeBytes > 0);
            AssertAllGone(RecordedPids());
            AssertNothingLeftBehind();
        }

        [SampleToolFact("sh", "yes")]
        public void A_compiler_that_writes_without_end_is_stopped_with_CompilerFailed_quoting_its_first_lines()
        {
            // What gcc does with an include loop that includes a header twice (2^200 expansions): diagnostics without end.
            string compiler = Script("floods.sh", "echo $$ >> \"$PIDS/all\"\nexec yes 'codegen/host/src/default_lib0.c:1:10: error: #include nested depth 200 exceeds maximum of 200'\n");
            var watch = Stopwatch.StartNew();

            var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(KwsModule(), Options(compiler), CancellationToken.None));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Contains("error: #include nested depth 200 exceeds maximum of 200", error.Message);
            Assert.Contains("more than 32 MiB", error.Message);
            Assert.True(error.Message.Length < 4000, $"a message of {error.Message.Length} characters");
            AssertAllGone(RecordedPids());
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void A_failed_compile_quotes_the_compiler_s_diagnostic_lines_never_the_text_of_an_included_file()
        {
            // An archive's source includes a file of the machine (as #include "/etc/passwd" would): gcc echoes the line
            // it stopped at under its diagnostic. That line must not reach the error, nor the CI log.
            string secret = _temp.File("passwd");
            File.WriteAllText(secret, "root:x:0:0:first-line-secret:/root:/bin/bash\ndaemon:x:1:1:second-line-secret:/usr/sbin:/usr/sbin/nologin\n");
            var module = ModuleWithSource("#include \"" + secret + "\"\nint f(void) { return 0; }\n");

            var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(module, Options("gcc"), CancellationToken.None));

            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Contains("In file included from codegen/host/src/default_lib0.c:1", error.Message);
            Assert.Contains(secret + ":1:5: error: expected", error.Message);
            Assert.DoesNotContain("secret:/root", error.Message);
            Assert.DoesNotContain("second-line-secret", error.Message);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void A_compile_with_many_errors_quotes_its_first_twenty_diagnostic_lines()
        {
            var source = new StringBuilder();
            for (int i = 0; i < 200; i++) source.Append("int f").Append(i).Append("(void) { return undeclared_name_").Append(i).Append("; }\n");
            var module = ModuleWithSource(source.ToString());

            var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(module, Options("gcc"), CancellationToken.None));

            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Contains("'undeclared_name_0' undeclared", error.Message.Replace('\u2018', '\'').Replace('\u2019', '\''));
            Assert.DoesNotContain("undeclared_name_150", error.Message);
            Assert.DoesNotContain("return undeclared_name_0;", error.Message); // the echoed source line
            int quoted = error.Message.Split('\n').Count(l => l.Contains("default_lib0.c:"));
            Assert.InRange(quoted, 1, 20);
            Assert.True(error.Message.Length < 4000, $"a message of {error.Message.Length} characters");
        }

        [SampleToolFact("gcc", "size")]
        public void Each_compiler_command_line_is_told_before_it_runs_and_reproduces_the_figure_by_hand()
        {
            var lines = new List<string>();
            var options = Options("gcc", "-Os");
            options.Verbose = lines.Add;

            var report = ModuleMemoryReports.ForModule(KwsModule(), options, CancellationToken.None).Single();

            Assert.Equal(2, lines.Count);
            // Each line names the file and gives the command, run in a folder that holds the archive's files.
            string folder = Directory.CreateDirectory(_temp.File("by-hand")).FullName;
            foreach (var file in IndependentArchive.Read(TestPaths.Sample(Kws)).Files)
            {
                string path = Path.Combine(folder, file.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Value);
            }
            var objects = new List<string>();
            foreach (string line in lines)
            {
                Assert.Matches("^Compiling 'codegen/host/src/default_lib[01]\\.c' of module 'default' in '" + System.Text.RegularExpressions.Regex.Escape(TestPaths.Sample(Kws)) +
                    "' \\(in a folder holding the archive's files\\): ", line);
                string[] words = line.Substring(line.IndexOf("): ", StringComparison.Ordinal) + 3).Split(' ');
                Assert.Equal("-Os", words[1]);
                ExternalTool.Run(words[0], folder, words.Skip(1).ToArray());
                objects.Add(Path.Combine(folder, words[words.Length - 1]));
            }
            Assert.Equal(SizeA.Total(SizeA.Sections("size", objects.ToArray()), ".text"), report.CodeBytes);
        }

        [SampleToolFact("gcc")]
        public void The_compile_folder_a_killed_run_left_a_day_ago_is_removed_by_the_next_measurement()
        {
            // SIGKILL (or a power cut) leaves the folder with the model's sources; nothing of ours can run then.
            string stale = Directory.CreateDirectory(Path.Combine(_root, "mlftools-size-" + Guid.NewGuid().ToString("N"))).FullName;
            File.WriteAllText(Path.Combine(stale, "default_lib0.c"), "int weights[] = { 1 };\n");
            Directory.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));
            string recent = Directory.CreateDirectory(Path.Combine(_root, "mlftools-size-" + Guid.NewGuid().ToString("N"))).FullName;
            string other = Directory.CreateDirectory(Path.Combine(_root, "mlftools-size-of-someone-else")).FullName;
            Directory.SetLastWriteTimeUtc(other, DateTime.UtcNow.AddDays(-2));

            ModuleMemoryReports.ForModule(KwsModule(), Options("gcc", "-Os"), CancellationToken.None);

            Assert.False(Directory.Exists(stale));
            Assert.True(Directory.Exists(recent)); // another run's, perhaps still compiling
            Assert.True(Directory.Exists(other));
            Directory.Delete(recent);
            Directory.Delete(other);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("sh")]
        public void A_compiler_file_that_cannot_be_run_is_CompilerNotFound()
        {
            string notExecutable = _temp.File("not-executable.sh");
            File.WriteAllText(notExecutable, "#!/bin/sh\nexec gcc \"$@\"\n");

            var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(KwsModule(), Options(notExecutable), CancellationToken.None));

            Assert.Equal(MlfErrorIds.CompilerNotFound, error.ErrorId);
            Assert.StartsWith($"The compiler '{notExecutable}' could not be started (", error.Message);
            Assert.Contains("Permission denied", error.Message);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("sh")]
        public void A_compiler_given_by_a_bare_name_is_looked_up_on_PATH_only_never_in_the_current_folder()
        {
            string name = "mlftools-cc-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            string inCurrentFolder = Path.Combine(Directory.GetCurrentDirectory(), name);
            File.WriteAllText(inCurrentFolder, "#!/bin/sh\nexec gcc \"$@\"\n");
            try
            {
                ExternalTool.Run("chmod", _temp.Path, "+x", inCurrentFolder);

                var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(KwsModule(), Options(name), CancellationToken.None));

                Assert.Equal(MlfErrorIds.CompilerNotFound, error.ErrorId);
                Assert.Contains($"'{name}'", error.Message);
                Assert.Contains("PATH", error.Message);
                AssertNothingLeftBehind();
            }
            finally
            {
                File.Delete(inCurrentFolder);
            }
        }
    }
}
