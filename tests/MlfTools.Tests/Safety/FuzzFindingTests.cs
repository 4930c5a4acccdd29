using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// What the fuzzer (<see cref="ArchiveFuzzTests"/>) found, each pinned by a small archive that does the same; the
    /// test names say which mutant (seed and iteration) found it.
    /// </summary>
    public class FuzzFindingTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private MlfException ReadFails(TestArchive archive) =>
            Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive.WriteTar(_temp.File("input.tar"))));

        private static string Graph(string storageIds, string shapes) =>
            "{\"nodes\": [{\"op\": \"null\", \"name\": \"x\"}], \"arg_nodes\": [0], \"node_row_ptr\": [0, 1], \"attrs\": {" +
            $"\"storage_id\": [\"list_int\", {storageIds}], \"shape\": [\"list_shape\", {shapes}], \"dltype\": [\"list_str\", [\"float32\"]]}}}}";

        /// <summary>
        /// Seed 20240611, iteration 165: a graph config whose shape holds 18446744073709551616 (2^64). Newtonsoft keeps such
        /// an integer as a BigInteger, and Value&lt;long&gt;() threw InvalidCastException instead of an overflow.
        /// </summary>
        [Theory]
        [InlineData("[0]", "[[18446744073709551616]]")]
        [InlineData("[0]", "[[-99999999999999999999999]]")]
        [InlineData("[99999999999999999999]", "[[1]]")]
        [InlineData("[2147483648]", "[[1]]")]
        public void Seed_20240611_iteration_165_graph_integers_beyond_64_bits_are_GraphConfigInvalid(string storageIds, string shapes)
        {
            var error = ReadFails(new TestArchive()
                .File("metadata.json", TestArchive.Metadata(7))
                .File("executor-config/graph/default.graph", Graph(storageIds, shapes)));
            Assert.Equal(MlfErrorIds.GraphConfigInvalid, error.ErrorId);
            Assert.Contains("out of range", error.Message);
        }

        /// <summary>
        /// Seed 1, iteration 1963: a version-5 metadata.json nested 127 levels deep (arrays in an operator function's name)
        /// was read, but the join moves the entry two levels down (modules, then the name), so the joined archive had
        /// metadata its own reader refuses. Such metadata is now refused when read; two levels less still joins and reads back.
        /// </summary>
        [Theory]
        [InlineData(125, true)]
        [InlineData(126, false)]
        [InlineData(127, false)]
        public void Seed_1_iteration_1963_flat_metadata_too_deep_to_join_is_refused_when_read(int arrays, bool readable)
        {
            string nested = new string('[', arrays) + new string(']', arrays);
            string input = new TestArchive().File("metadata.json", TestArchive.Metadata(5, extraKeys: ", \"extra\": " + nested)).WriteTar(_temp.File("input.tar"));
            if (!readable)
            {
                var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(input));
                Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
                Assert.Contains("nested more than", error.Message);
                return;
            }
            var module = Assert.Single(MlfReader.ReadModules(input)).WithName("renamed");
            string joined = JoinedArchive.Write(_temp.File("joined.tar"), null, module);
            Assert.Equal("renamed", Assert.Single(MlfReader.ReadModules(joined)).Name);
        }

        /// <summary>
        /// Seed 3, iteration 44: a module named '../x' in metadata.json, joined in the per-module layout, gave an archive
        /// with members './../x/...': our own output climbed out of the folder it is extracted into. A module name that
        /// is not one plain path component is now refused when read.
        /// </summary>
        [Theory]
        [InlineData(7, "../x")]
        [InlineData(7, "..")]
        [InlineData(7, ".")]
        [InlineData(7, "a/b")]
        [InlineData(7, "a\\\\b")]
        [InlineData(7, "x\\u0000y")]
        [InlineData(5, "../x")]
        [InlineData(5, "a/b")]
        public void Seed_3_iteration_44_module_names_that_are_not_one_path_component_are_MetadataInvalid(int version, string jsonName)
        {
            var error = ReadFails(new TestArchive().File("metadata.json", TestArchive.Metadata(version, name: jsonName)));
            Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
            Assert.Contains("cannot be used in member paths", error.Message);
        }

        /// <summary>
        /// Seed 3, iterations 597, 680, 848, 1107, 1146, 2316: renaming a module whose own name is not ASCII letters, digits
        /// and '_' (here 'x.y', 'x-y', 'x ') threw ArgumentException from the renamer while planning the join; New-MlfModule
        /// -Name now refuses it with InvalidModuleName, and the module can still be joined under its own name.
        /// </summary>
        [Theory]
        [InlineData("x.y")]
        [InlineData("x-y")]
        [InlineData("x y")] // 'x ' of the original finding cannot be a file name at all: now refused when the archive is read
        public void Seed_3_iteration_1107_renaming_a_module_whose_name_is_no_identifier_is_InvalidModuleName(string name)
        {
            string input = new TestArchive().File("metadata.json", TestArchive.Metadata(7, name: name)).WriteTar(_temp.File("input.tar"));
            var module = Assert.Single(MlfReader.ReadModules(input));
            var error = Assert.Throws<MlfException>(() => module.WithName("other"));
            Assert.Equal(MlfErrorIds.InvalidModuleName, error.ErrorId);
            Assert.Equal(input, error.Target);
            Assert.Contains($"'{name}'", error.Message);
            JoinedArchive.Write(_temp.File("joined.tar"), null, module);
        }

        /// <summary>
        /// Seed 3, iteration 2247: a PAX global header with size=9223372036854775807 before a member made the tar reader's
        /// offset arithmetic overflow (OverflowException). Also as a GNU base-256 size field and a 'V' (volume label) member.
        /// </summary>
        [Theory]
        [InlineData("pax")]
        [InlineData("base-256")]
        [InlineData("volume")]
        public void Seed_3_iteration_2247_a_size_near_the_largest_long_is_InvalidArchive(string how)
        {
            var image = TarImage.Parse(new TestArchive(System.Formats.Tar.TarEntryFormat.Ustar)
                .File("metadata.json", TestArchive.Metadata(7)).File("src/default.relay", "x").ToTarBytes());
            var member = image.Members[^1];
            byte[] bytes;
            switch (how)
            {
                case "pax":
                    bytes = image.Inserting(member.Start, TarImage.Entry("././@PaxHeader", 'g', System.Text.Encoding.ASCII.GetBytes("28 size=9223372036854775807\n")));
                    break;
                case "base-256":
                case "volume":
                    bytes = (byte[])image.Bytes.Clone();
                    bytes[member.Header + TarImage.Field.Size] = 0x80;
                    for (int i = 1; i < TarImage.Field.SizeLength; i++) bytes[member.Header + TarImage.Field.Size + i] = (byte)(i < 4 ? 0 : 0xFF);
                    bytes[member.Header + TarImage.Field.Size + 4] = 0x7F;
                    if (how == "volume") bytes[member.Header + TarImage.Field.TypeFlag] = (byte)'V';
                    TarImage.FixChecksum(bytes, member.Header);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(how));
            }
            foreach (bool gzip in new[] { false, true })
            {
                string path = _temp.File(gzip ? "input.tar.gz" : "input.tar");
                System.IO.File.WriteAllBytes(path, gzip ? ArchiveMutator.Gzip(bytes, System.IO.Compression.CompressionLevel.Fastest) : bytes);
                var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(path));
                Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
            }
        }

        /// <summary>
        /// Seed 5, iteration 710: a ',' inserted at the start of a list in metadata.json ("[ , {...}]"). Newtonsoft reads
        /// the empty item as an Undefined value, the archive was read, and the join's metadata writer threw
        /// ArgumentException on it. Such JSON (and Newtonsoft's other extensions that Python's json refuses, such as
        /// constructors) is now MetadataInvalid.
        /// </summary>
        [Theory]
        [InlineData(", \"extra\": [ , 1]")]
        [InlineData(", \"extra\": [1, , 2]")]
        [InlineData(", \"extra\": new Date(1)")]
        public void Seed_5_iteration_710_metadata_that_only_Newtonsoft_reads_is_MetadataInvalid(string extraKeys)
        {
            var error = ReadFails(new TestArchive().File("metadata.json", TestArchive.Metadata(5, extraKeys: extraKeys)));
            Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
            Assert.Contains("not valid JSON", error.Message);
        }

        /// <summary>
        /// Seed 20240611, iteration 688 (the 20000-mutant run): a module named 'runtime' joined with another in the
        /// per-module layout was written to runtime/, the folder of the shared C runtime. Reading that archive back threw
        /// KeyNotFoundException: the scan took runtime/parameters/runtime.params for a runtime file, the module for its own
        /// params. Such an archive is now InvalidArchive, and the join refuses the folder with PathConflict.
        /// </summary>
        [Fact]
        public void Seed_20240611_iteration_688_a_module_folder_named_runtime_is_InvalidArchive_when_read()
        {
            string flat = TestArchive.Metadata(5);
            string module = flat.Substring(0, flat.LastIndexOf(", \"version\"", StringComparison.Ordinal)) + "}";
            string metadata = $"{{\"modules\": {{\"runtime\": {module}, \"other\": {module}}}, \"version\": 7}}";
            byte[] params_ = ParamsWriter.Write(new[] { new ParamsWriter.Tensor("p0", 2, 32, new long[] { 2 }) });
            var error = ReadFails(new TestArchive()
                .File("metadata.json", metadata)
                .File("runtime/codegen/host/src/runtime_lib0.c", "int x;")
                .File("runtime/parameters/runtime.params", params_)
                .File("other/codegen/host/src/other_lib0.c", "int y;"));
            Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
            Assert.Contains("runtime/parameters/runtime.params", error.Message);
        }

        [Theory]
        [InlineData("runtime")]
        [InlineData("templates")]
        public void Seed_20240611_iteration_688_the_per_module_layout_refuses_a_module_folder_the_archive_shares(string name)
        {
            MlfModule Module(string file, string original)
            {
                string path = new TestArchive().File("metadata.json", TestArchive.Metadata(7, name: original))
                    .File($"codegen/host/src/{original}_lib0.c", $"int tvmgen_{original}_x;").WriteTar(_temp.File(file));
                return Assert.Single(MlfReader.ReadModules(path));
            }
            var modules = new[] { Module("a.tar", "default").WithName(name), Module("b.tar", "other") };

            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(modules, new MlfJoinOptions { Layout = MlfLayout.PerModule }));
            Assert.Equal(MlfErrorIds.PathConflict, error.ErrorId);
            Assert.Equal(name, error.Target);

            string flat = JoinedArchive.Write(_temp.File("flat.tar"), null, modules);
            Assert.Equal(new[] { name, "other" }.OrderBy(n => n, StringComparer.Ordinal), MlfReader.ReadModules(flat).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        /// <summary>
        /// Seed 777, iterations 13 and 101 (a 4000-mutant run): a module called 'nul' (renamed, or a version-5 model_name)
        /// was joined into nul/ or parameters/nul.params, device names on Windows, which the reader then refused as
        /// UnsafeArchiveEntry. Such a name is refused as a new name, and a model_name that cannot be a file name
        /// is refused when the archive is read, as test and join refuse it, so no join can reach it.
        /// </summary>
        [Theory]
        [InlineData("nul")]
        [InlineData("com1")]
        [InlineData("aux")]
        public void Seed_777_iterations_13_and_101_a_module_named_like_a_Windows_device_is_not_joined(string name)
        {
            Assert.False(MlfModuleNames.IsValidNewName(name));
            string flat5 = new TestArchive().File("metadata.json", TestArchive.Metadata(5, name: name))
                .File($"codegen/host/src/default_lib0.c", "int tvmgen_x;").WriteTar(_temp.File("v5.tar"));

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(flat5));
            Assert.Equal(MlfErrorIds.InvalidModuleName, error.ErrorId);
            Assert.Contains("device name", error.Message);
        }

        /// <summary>
        /// Seed 424242, iteration 4826: two runs of 5000 '{' inserted into the 2 MB C source of v7-aot-crt-mlp made the
        /// join's symbol check take a minute (30 s was the fuzzer's limit): the lexer tried to step over each unclosed
        /// group by scanning to the end of the file, then lexed it token by token anyway. Quadratic; now bounded.
        /// </summary>
        [Fact]
        public void Seed_424242_iteration_4826_a_run_of_unclosed_braces_is_scanned_in_linear_time()
        {
            string source = "int tvmgen_default_x = 1;\nint y = " + new string('{', 200_000) + ";\n";
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var skipping = MlfTools.CSource.CSymbolScanner.FindGlobalDefinitions(source);
            // 200 000 groups that never close took over a minute before; linear work takes a fraction of a second.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
            var full = MlfTools.CSource.CSymbolScanner.FindGlobalDefinitions(source, skipGroupInsides: false);
            Assert.Equal(full.Select(d => d.Name), skipping.Select(d => d.Name));
            Assert.Contains("tvmgen_default_x", skipping.Select(d => d.Name));
        }

        /// <summary>
        /// Found while looking into seed 424242, iteration 4826 (whose mutant held 5000 '(' in a row): the symbol scan read
        /// nested declarator groups, and #if expressions, by recursion, one call per level. A million '(' (or '!' or '-' in
        /// an #if) overflowed the stack, and a stack overflow ends the whole PowerShell process. Run here on a thread with
        /// a 1 MiB stack, as Windows gives one. Before the fix this crashed the test run.
        /// </summary>
        [Theory]
        [InlineData("declarator")]
        [InlineData("if-parentheses")]
        [InlineData("if-not")]
        [InlineData("if-minus")]
        public void Seed_424242_iteration_4826_deep_nesting_in_C_sources_does_not_overflow_the_stack(string shape)
        {
            const int n = 1_000_000;
            string source = shape switch
            {
                "declarator" => "int x" + new string('(', n) + ";\nint tvmgen_default_y;\n",
                "if-parentheses" => "#if " + new string('(', n) + "1" + new string(')', n) + "\nint tvmgen_default_y;\n#endif\n",
                "if-not" => "#if " + new string('!', n) + "1\nint tvmgen_default_y;\n#endif\n",
                _ => "#if " + string.Concat(Enumerable.Repeat("- ", n)) + "1\nint tvmgen_default_y;\n#endif\n",
            };
            IReadOnlyList<MlfTools.CSource.DefinedSymbol>? found = null;
            byte[]? renamed = null;
            var thread = new System.Threading.Thread(() =>
            {
                found = MlfTools.CSource.CSymbolScanner.FindGlobalDefinitions(source);
                renamed = new MlfTools.Rename.ModuleRenamer("default", "other").RenameCSource(System.Text.Encoding.UTF8.GetBytes(source));
            }, 1024 * 1024);
            thread.Start();
            thread.Join();
            Assert.NotNull(found);
            Assert.Contains("tvmgen_other_y", System.Text.Encoding.UTF8.GetString(renamed!));
        }
    }
}
