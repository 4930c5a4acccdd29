using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Validation
{
    /// <summary>
    /// Small archives laid out as TVM writes them (packed by Python's tarfile), each broken in one way: the validator
    /// must report exactly that finding, with its severity, module and member, and nothing else. The unbroken archives
    /// must give no finding at all.
    /// </summary>
    public class ValidatorFindingTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private int _count;

        public void Dispose() => _temp.Dispose();

        private string Pack(MlfTree tree, string extension = ".tar") => tree.Pack(_temp, _temp.File($"archive{++_count}{extension}"));

        private IReadOnlyList<ArchiveFinding> Validate(MlfTree tree, params string[] moduleNames) =>
            MlfArchiveValidator.Validate(Pack(tree), moduleNames.Length == 0 ? null : moduleNames);

        /// <summary>Exactly these ids (in any order); returns the findings for closer checks.</summary>
        private static IReadOnlyList<ArchiveFinding> AssertIds(IReadOnlyList<ArchiveFinding> findings, params string[] ids)
        {
            Assert.True(ids.OrderBy(i => i, StringComparer.Ordinal).SequenceEqual(findings.Select(f => f.Id).OrderBy(i => i, StringComparer.Ordinal)),
                $"expected [{string.Join(", ", ids)}], found:\n{string.Join("\n", findings)}");
            return findings;
        }

        private static ArchiveFinding Single(IReadOnlyList<ArchiveFinding> findings, string id, FindingSeverity severity, string? module, string? member)
        {
            var finding = Assert.Single(AssertIds(findings, id));
            Assert.Equal(severity, finding.Level);
            Assert.Equal(severity.ToString(), finding.Severity);
            Assert.Equal(module, finding.Module);
            Assert.Equal(member, finding.Member);
            Assert.False(string.IsNullOrWhiteSpace(finding.Message));
            return finding;
        }

        public static IEnumerable<object[]> CleanTrees() => new[]
        {
            new object[] { "v7 graph" }, new object[] { "v7 aot" }, new object[] { "v7 graph and aot" },
            new object[] { "v5 graph" }, new object[] { "v5 aot" }, new object[] { "operator" },
        };

        private static MlfTree CleanTree(string name) => name switch
        {
            "v7 graph" => MlfTree.Version7(),
            "v7 aot" => MlfTree.Version7(("default", "aot")),
            "v7 graph and aot" => MlfTree.Version7(("kws", "graph"), ("vww", "aot")),
            "v5 graph" => MlfTree.Version5(),
            "v5 aot" => MlfTree.Version5("aot"),
            _ => MlfTree.Operator(),
        };

        // ------------------------------------------------------------------ clean archives, in every form

        [ToolTheory("python3")]
        [MemberData(nameof(CleanTrees))]
        public void An_archive_as_TVM_writes_it_gives_no_finding(string name)
        {
            AssertIds(Validate(CleanTree(name)));
        }

        [ToolFact("python3")]
        public void A_gzip_archive_and_an_extracted_folder_are_checked_alike()
        {
            var tree = MlfTree.Version7(("kws", "graph"), ("vww", "aot"));
            string tar = Pack(tree);
            string gz = _temp.File("clean.tgz");
            using (var input = File.OpenRead(tar))
            using (var output = new System.IO.Compression.GZipStream(File.Create(gz), System.IO.Compression.CompressionLevel.Fastest))
            {
                input.CopyTo(output);
            }
            AssertIds(MlfArchiveValidator.Validate(gz));
            AssertIds(MlfArchiveValidator.Validate(tree.WriteFolder(_temp.File("clean-folder"))));

            tree.Edit("codegen/host/src/vww_lib1.c", c => c + "TVM_DLL int32_t tvmgen_vww_fused_add(void* args, int32_t* arg_type_ids, int32_t num_args, void* out_ret_value, int32_t* out_ret_tcode, void* resource_handle) { return 1; }\n");
            string brokenTar = Pack(tree);
            string brokenGz = _temp.File("broken.tgz");
            using (var input = File.OpenRead(brokenTar))
            using (var output = new System.IO.Compression.GZipStream(File.Create(brokenGz), System.IO.Compression.CompressionLevel.Fastest))
            {
                input.CopyTo(output);
            }
            Single(MlfArchiveValidator.Validate(brokenGz), ArchiveFindingIds.DuplicateFunction, FindingSeverity.Error, "vww", "codegen/host/src/vww_lib1.c");
            Single(MlfArchiveValidator.Validate(tree.WriteFolder(_temp.File("broken-folder"))), ArchiveFindingIds.DuplicateFunction, FindingSeverity.Error, "vww", "codegen/host/src/vww_lib1.c");
        }

        [ToolFact("python3")]
        public void Validating_writes_nothing_and_leaves_the_archive_as_it_was()
        {
            var tree = MlfTree.Version7();
            tree.Remove("parameters/default.params");
            string tar = Pack(tree);
            byte[] before = File.ReadAllBytes(tar);
            var stamp = File.GetLastWriteTimeUtc(tar);
            var listing = Directory.GetFileSystemEntries(_temp.Path, "*", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal).ToList();

            Assert.NotEmpty(MlfArchiveValidator.Validate(tar));

            Assert.Equal(before, File.ReadAllBytes(tar));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(tar));
            Assert.Equal(listing, Directory.GetFileSystemEntries(_temp.Path, "*", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal));
        }

        // ------------------------------------------------------------------ archives that cannot be read: one finding with the reader's id

        [Fact]
        public void A_file_that_is_not_an_archive_is_one_InvalidArchive_finding()
        {
            string path = _temp.File("notes.tar");
            File.WriteAllText(path, "these are notes, not a tar archive; long enough to fill a first header block? not quite.");
            var finding = Single(MlfArchiveValidator.Validate(path), ArchiveFindingIds.InvalidArchive, FindingSeverity.Error, null, null);
            Assert.Equal(path, finding.Path);
        }

        [ToolFact("python3")]
        public void A_truncated_archive_is_one_InvalidArchive_finding()
        {
            // default_lib0.c and then a 64 KiB default_lib1.c come first in the archive: the cut falls inside lib1.c's data.
            var tree = MlfTree.Version7();
            tree.Edit("codegen/host/src/default_lib1.c", c => c + "/*" + new string('x', 65536) + "*/\n");
            string tar = Pack(tree);
            byte[] bytes = File.ReadAllBytes(tar);
            File.WriteAllBytes(tar, bytes.Take(20000).ToArray());
            Single(MlfArchiveValidator.Validate(tar), ArchiveFindingIds.InvalidArchive, FindingSeverity.Error, null, null);
        }

        [ToolFact("python3")]
        public void A_member_that_climbs_out_of_the_archive_is_one_UnsafeArchiveEntry_finding()
        {
            string folder = MlfTree.Version7().WriteFolder(_temp.File("tree"));
            string tar = _temp.File("unsafe.tar");
            ExternalTool.Python(@"
import sys, tarfile, io
src, out = sys.argv[1], sys.argv[2]
with tarfile.open(out, 'w') as tar:
    tar.add(src, arcname='.')
    data = b'int evil;\n'
    info = tarfile.TarInfo('./codegen/host/src/../../../../evil.c')
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))
", folder, tar);
            var finding = Single(MlfArchiveValidator.Validate(tar), ArchiveFindingIds.UnsafeArchiveEntry, FindingSeverity.Error, null, null);
            Assert.Contains("evil.c", finding.Message);
        }

        [ToolFact("python3")]
        public void A_folder_whose_metadata_is_a_socket_is_one_UnsafeArchiveEntry_finding()
        {
            // A socket where metadata.json should be: .NET lists it like a file (opening it fails with ENXIO even for root),
            // but it is no regular file, like a FIFO or a device, so it is refused before anything opens it.
            string folder = MlfTree.Version7().WithoutMetadata().WriteFolder(_temp.File("tree"));
            ExternalTool.Python("import socket, sys\ns = socket.socket(socket.AF_UNIX)\ns.bind(sys.argv[1])", Path.Combine(folder, "metadata.json"));
            Single(MlfArchiveValidator.Validate(folder), ArchiveFindingIds.UnsafeArchiveEntry, FindingSeverity.Error, null, null);
        }

        [ToolFact("python3")]
        public void No_metadata_json_is_MetadataMissing()
        {
            Single(Validate(MlfTree.Version7().WithoutMetadata()), ArchiveFindingIds.MetadataMissing, FindingSeverity.Error, null, null);
        }

        [Fact]
        public void A_path_that_does_not_exist_is_a_PathNotFound_error_not_a_finding()
        {
            var error = Assert.Throws<MlfException>(() => MlfArchiveValidator.Validate(_temp.File("nowhere.tar")));
            Assert.Equal(MlfErrorIds.PathNotFound, error.ErrorId);
        }

        // ------------------------------------------------------------------ metadata.json

        [ToolFact("python3")]
        public void Metadata_that_is_not_JSON_is_MetadataInvalid()
        {
            Single(Validate(MlfTree.Version7().RawMetadata("{\"version\": 7, \"modules\": ")), ArchiveFindingIds.MetadataInvalid, FindingSeverity.Error, null, "metadata.json");
        }

        [ToolTheory("python3")]
        [InlineData(8, "newer")]
        [InlineData(0, "never")]
        public void A_version_MlfTools_does_not_know_is_UnsupportedMlfVersion_not_a_crash(int version, string word)
        {
            var tree = MlfTree.Version7();
            var finding = Single(Validate(tree.RawMetadata(tree.MetadataText().Replace("\"version\":7", $"\"version\":{version}"))),
                ArchiveFindingIds.UnsupportedMlfVersion, FindingSeverity.Error, null, "metadata.json");
            Assert.Contains(word, finding.Message);
        }

        public static IEnumerable<object[]> SchemaBreaks() => new[]
        {
            new object[] { "v7 entry without model_name", "model_name" },
            new object[] { "v7 entry without export_datetime", "export_datetime" },
            new object[] { "export_datetime in another form", "export_datetime" },
            new object[] { "v7 target as an object", "target" },
            new object[] { "v5 target as a list", "target" },
            new object[] { "v5 with runtimes", "runtimes" },
            new object[] { "two executors", "executors" },
            new object[] { "style unknown", "style" },
            new object[] { "graph module without sids", "sids" },
            new object[] { "main without io_size_bytes", "io_size_bytes" },
            new object[] { "v7 full-model flat", "modules" },
            new object[] { "dependency without version_spec", "version_spec" },
        };

        [ToolTheory("python3")]
        [MemberData(nameof(SchemaBreaks))]
        public void Metadata_that_breaks_its_versions_schema_is_MetadataInvalid_naming_the_key(string how, string key)
        {
            MlfTree tree = how.StartsWith("v5", StringComparison.Ordinal) ? MlfTree.Version5() : MlfTree.Version7();
            var entry = tree.Entry();
            switch (how)
            {
                case "v7 entry without model_name": entry.Remove("model_name"); break;
                case "v7 entry without export_datetime": entry.Remove("export_datetime"); break;
                case "export_datetime in another form": entry["export_datetime"] = "2023-01-25T21:07:31"; break;
                case "v7 target as an object": entry["target"] = new JsonObject { ["1"] = "c -keys=cpu" }; break;
                case "v5 target as a list": entry["target"] = new JsonArray("c -keys=cpu"); break;
                case "v5 with runtimes":
                    entry["runtimes"] = entry["executors"]!.DeepClone();
                    entry.Remove("executors");
                    break;
                case "two executors": entry["executors"] = new JsonArray("graph", "aot"); break;
                case "style unknown": entry["style"] = "whole-model"; break;
                case "graph module without sids": entry["memory"]!.AsObject().Remove("sids"); break;
                case "main without io_size_bytes": entry["memory"]!["functions"]!["main"]![0]!.AsObject().Remove("io_size_bytes"); break;
                case "v7 full-model flat":
                    var flat = entry.DeepClone().AsObject();
                    flat["version"] = 7;
                    tree.RawMetadata(flat.ToJsonString());
                    break;
                case "dependency without version_spec":
                    entry["external_dependencies"] = JsonNode.Parse("[{\"short_name\": \"tvm_standalone_crt\", \"url\": \"./runtime\", \"url_type\": \"mlf_path\"}]");
                    tree.Text("runtime/include/tvm/runtime/c_runtime_api.h", "/* runtime */\n");
                    break;
            }
            var findings = Validate(tree);
            var finding = Assert.Single(findings, f => f.Id == ArchiveFindingIds.MetadataInvalid);
            Assert.All(findings, f => Assert.Contains(f.Id, new[] { ArchiveFindingIds.MetadataInvalid, ArchiveFindingIds.UnknownMetadataKey }));
            Assert.Equal(FindingSeverity.Error, finding.Level);
            Assert.Equal("metadata.json", finding.Member);
            Assert.Equal("default", finding.Module);
            Assert.Contains(key, finding.Message);
        }

        [ToolFact("python3")]
        public void A_key_TVM_never_writes_is_UnknownMetadataKey_information()
        {
            var tree = MlfTree.Version7();
            tree.Entry()["build_host"] = "ci-runner-3";
            var finding = Single(Validate(tree), ArchiveFindingIds.UnknownMetadataKey, FindingSeverity.Information, "default", "metadata.json");
            Assert.Contains("build_host", finding.Message);
        }

        [ToolFact("python3")]
        public void A_module_key_that_differs_from_its_model_name_is_ModuleNameMismatch()
        {
            var tree = MlfTree.Version7();
            tree.Entry()["model_name"] = "kws";
            var finding = Single(Validate(tree), ArchiveFindingIds.ModuleNameMismatch, FindingSeverity.Warning, "default", "metadata.json");
            Assert.Contains("'kws'", finding.Message);
        }

        // ------------------------------------------------------------------ files the metadata implies

        [ToolTheory("python3")]
        [InlineData("parameters/default.params")]
        [InlineData("executor-config/graph/default.graph")]
        [InlineData("codegen/host/src/default_lib0.c")]
        public void A_missing_params_file_graph_config_or_first_code_file_is_MissingFile(string path)
        {
            var tree = MlfTree.Version7();
            tree.Remove(path);
            var findings = Validate(tree);
            // Without lib0.c, lib1.c is a gap; without the graph nothing can be compared with it.
            Single(findings, ArchiveFindingIds.MissingFile, FindingSeverity.Error, "default", path);
        }

        [ToolFact("python3")]
        public void Version_5_paths_are_expected_in_a_version_5_archive()
        {
            var tree = MlfTree.Version5();
            tree.Remove("executor-config/graph/graph.json");
            Single(Validate(tree), ArchiveFindingIds.MissingFile, FindingSeverity.Error, "default", "executor-config/graph/graph.json");
        }

        [ToolFact("python3")]
        public void A_gap_in_the_numbering_of_code_files_is_MissingFile()
        {
            var tree = MlfTree.Version7();
            tree.Rename("codegen/host/src/default_lib1.c", "codegen/host/src/default_lib2.c");
            var finding = Single(Validate(tree), ArchiveFindingIds.MissingFile, FindingSeverity.Error, "default", "codegen/host/src/default_lib1.c");
            Assert.Contains("default_lib0, default_lib2", finding.Message);
        }

        [ToolFact("python3")]
        public void An_llvm_target_without_object_files_is_MissingFile()
        {
            var tree = MlfTree.Version7(("default", "aot"));
            tree.Entry()["target"] = new JsonArray("llvm -keys=cpu -mtriple=aarch64-linux-gnu");
            Single(Validate(tree), ArchiveFindingIds.MissingFile, FindingSeverity.Error, "default", "codegen/host/lib/default_lib0.o");
        }

        [ToolFact("python3")]
        public void The_C_interface_header_is_expected_when_the_target_asks_for_it()
        {
            var tree = MlfTree.Version5("aot");
            tree.Entry()["target"]!["1"] = "c -keys=cpu -executor=aot -interface-api=c -unpacked-api=1";
            Single(Validate(tree), ArchiveFindingIds.MissingFile, FindingSeverity.Error, "default", "codegen/host/include/tvmgen_default.h");

            tree.Text("codegen/host/include/tvmgen_default.h", "#ifndef TVMGEN_DEFAULT_H_\n#define TVMGEN_DEFAULT_H_\n#endif\n");
            AssertIds(Validate(tree));
        }

        [ToolFact("python3")]
        public void A_module_that_depends_on_the_C_runtime_needs_runtime()
        {
            var tree = MlfTree.Version7(("default", "aot"));
            tree.Entry()["external_dependencies"] = JsonNode.Parse("[{\"short_name\": \"tvm_standalone_crt\", \"url\": \"./runtime\", \"url_type\": \"mlf_path\", \"version_spec\": \"0.13.0\"}]");
            Single(Validate(tree), ArchiveFindingIds.MissingFile, FindingSeverity.Error, "default", "runtime/");

            tree.Text("runtime/include/tvm/runtime/c_runtime_api.h", "/* runtime */\n");
            AssertIds(Validate(tree));
        }

        [ToolFact("python3")]
        public void A_missing_Relay_or_TIR_text_is_MissingIrText()
        {
            var model = MlfTree.Version7();
            model.Remove("src/default.relay");
            Single(Validate(model), ArchiveFindingIds.MissingIrText, FindingSeverity.Warning, "default", "src/default.relay");

            var op = MlfTree.Operator();
            op.Remove("src/tir-1.txt");
            Single(Validate(op), ArchiveFindingIds.MissingIrText, FindingSeverity.Warning, "add", "src/");
        }

        [ToolFact("python3")]
        public void A_file_not_where_its_version_puts_it_is_UnexpectedFilePath()
        {
            var tree = MlfTree.Version7();
            tree.Rename("executor-config/graph/default.graph", "executor-config/graph/graph.json");
            var finding = Single(Validate(tree), ArchiveFindingIds.UnexpectedFilePath, FindingSeverity.Warning, "default", "executor-config/graph/graph.json");
            Assert.Contains("executor-config/graph/default.graph", finding.Message);
        }

        [ToolFact("python3")]
        public void A_params_file_that_lies_about_its_sizes_is_ParamsInvalid_and_the_rest_is_still_checked()
        {
            var tree = MlfTree.Version7();
            tree.Bytes("parameters/default.params", ParamsWriter.Write(new[] { new ParamsWriter.Tensor("p0", 2, 32, new long[] { 1, 4 }, DeclaredBytes: 4096) }));
            tree.Edit("codegen/host/src/default_lib0.c", c => c + "int32_t tvmgen_default_get_c_metadata(void* v, int* c) { return 1; }\n");
            AssertIds(Validate(tree), ArchiveFindingIds.ParamsInvalid, ArchiveFindingIds.DuplicateFunction);
            Assert.Equal("parameters/default.params", Validate(tree).Single(f => f.Id == ArchiveFindingIds.ParamsInvalid).Member);
        }

        [ToolFact("python3")]
        public void A_graph_config_that_is_not_JSON_is_GraphConfigInvalid()
        {
            var tree = MlfTree.Version7();
            tree.Text("executor-config/graph/default.graph", "{\"nodes\": [");
            Single(Validate(tree), ArchiveFindingIds.GraphConfigInvalid, FindingSeverity.Error, "default", "executor-config/graph/default.graph");
        }

        // ------------------------------------------------------------------ files against each other

        [ToolTheory("python3")]
        [InlineData("shape", "float32[1,8]")]
        [InlineData("dtype", "int32[1,4]")]
        [InlineData("extra tensor", "'p9'")]
        [InlineData("no tensor for a graph input", "graph input 'p0'")]
        public void Params_that_do_not_fit_the_graph_are_ParamsMismatch(string how, string expected)
        {
            var tree = MlfTree.Version7();
            var tensors = how switch
            {
                "shape" => new[] { new ParamsWriter.Tensor("p0", 2, 32, new long[] { 1, 8 }) },
                "dtype" => new[] { new ParamsWriter.Tensor("p0", 0, 32, new long[] { 1, 4 }) },
                "extra tensor" => new[] { new ParamsWriter.Tensor("p0", 2, 32, new long[] { 1, 4 }), new ParamsWriter.Tensor("p9", 2, 32, new long[] { 2 }) },
                _ => Array.Empty<ParamsWriter.Tensor>(),
            };
            tree.Bytes("parameters/default.params", ParamsWriter.Write(tensors));
            var finding = Single(Validate(tree), ArchiveFindingIds.ParamsMismatch, FindingSeverity.Error, "default", "parameters/default.params");
            Assert.Contains(expected, finding.Message);
        }

        [ToolTheory("python3")]
        [InlineData("sid size", "size_bytes 32")]
        [InlineData("sid count", "2 storage ids")]
        [InlineData("sid binding", "input_binding 'y'")]
        [InlineData("input size", "size 64")]
        [InlineData("input name", "input 'image'")]
        public void Memory_figures_that_disagree_with_the_graph_are_MetadataMismatch(string how, string expected)
        {
            var tree = MlfTree.Version7();
            var memory = tree.Entry()["memory"]!;
            var main = memory["functions"]!["main"]![0]!;
            switch (how)
            {
                case "sid size": memory["sids"]![2]!["size_bytes"] = 32; break;
                case "sid count": memory["sids"]!.AsArray().RemoveAt(2); break;
                case "sid binding": memory["sids"]![0]!["input_binding"] = "y"; break;
                case "input size": main["inputs"]!["x"]!["size"] = 64; break;
                case "input name":
                    main["inputs"] = JsonNode.Parse("{\"x\": {\"dtype\": \"float32\", \"size\": 16}, \"image\": {\"dtype\": \"float32\", \"size\": 16}}");
                    break;
            }
            var finding = Single(Validate(tree), ArchiveFindingIds.MetadataMismatch, FindingSeverity.Warning, "default", "metadata.json");
            Assert.Contains(expected, finding.Message);
        }

        [ToolFact("python3")]
        public void A_kernel_the_graph_calls_that_no_code_defines_is_UndefinedFunction()
        {
            var tree = MlfTree.Version7();
            tree.EditGraph("default", graph => graph["nodes"]![2]!["attrs"]!["func_name"] = "tvmgen_default_fused_multiply");
            var finding = Single(Validate(tree), ArchiveFindingIds.UndefinedFunction, FindingSeverity.Error, "default", "executor-config/graph/default.graph");
            Assert.Contains("tvmgen_default_fused_multiply", finding.Message);
        }

        [ToolFact("python3")]
        public void The_graph_executors_built_in_no_op_needs_no_definition()
        {
            var tree = MlfTree.Version7();
            tree.EditGraph("default", graph => graph["nodes"]![2]!["attrs"]!["func_name"] = "__nop");
            AssertIds(Validate(tree));
        }

        // ------------------------------------------------------------------ names and C symbols

        [ToolFact("python3")]
        public void A_module_name_no_C_identifier_can_hold_is_InvalidModuleName()
        {
            var tree = MlfTree.Version7(("kws-v2", "aot"));
            Single(Validate(tree), ArchiveFindingIds.InvalidModuleName, FindingSeverity.Error, "kws-v2", "metadata.json");
        }

        [ToolFact("python3")]
        public void Module_names_equal_ignoring_case_are_DuplicateModuleName()
        {
            // Files of the two modules would differ only in case, which the reader refuses as unsafe before any
            // module check: that is what such an archive yields.
            var tree = MlfTree.Version7(("kws", "aot"), ("KWS", "aot"));
            var unsafeFinding = Assert.Single(MlfArchiveValidator.Validate(tree.WriteTar(_temp.File("case.tar"))));
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, unsafeFinding.Id);

            // With the second module's files gone, only the names clash (its missing files are findings of their own).
            foreach (string path in tree.Paths.Where(p => p.Contains("KWS")).ToList()) tree.Remove(path);
            var findings = MlfArchiveValidator.Validate(tree.WriteTar(_temp.File("names-only.tar")));
            var finding = Assert.Single(findings, f => f.Id == ArchiveFindingIds.DuplicateModuleName);
            Assert.Equal(FindingSeverity.Error, finding.Level);
            Assert.Equal("KWS", finding.Module);
            Assert.Equal("metadata.json", finding.Member);
            Assert.Contains("tvmgen_kws.h", finding.Message);
        }

        [ToolFact("python3")]
        public void An_operator_module_beside_a_full_model_one_is_OperatorModuleMix()
        {
            var tree = MlfTree.Version7(("kws", "aot"));
            var op = MlfTree.Operator();
            tree.SetEntry("add", op.Entry("add").DeepClone().AsObject());
            tree.Text("src/tir-1.txt", op.ReadText("src/tir-1.txt"));
            tree.Text("codegen/host/src/lib0.c", op.ReadText("codegen/host/src/lib0.c"));
            var findings = Validate(tree);
            var finding = findings.Single(f => f.Id == ArchiveFindingIds.OperatorModuleMix);
            Assert.Equal((FindingSeverity.Error, null, null), (finding.Level, finding.Module, finding.Member));
            Assert.Contains("'add'", finding.Message);
            // The unprefixed lib0.c names no module, so in a shared tree it goes with every module: kws defines 'add' too.
            AssertIds(findings, ArchiveFindingIds.OperatorModuleMix, ArchiveFindingIds.UnprefixedSymbols);
        }

        [ToolFact("python3")]
        public void An_unprefixed_symbol_two_modules_define_is_SymbolCollision_as_the_join_reports_it()
        {
            var tree = MlfTree.Version7(("kws", "graph"), ("vww", "graph"));
            const string SystemLib = "const void* TVMSystemLibEntryPoint(void) { return 0; }\n";
            tree.Edit("codegen/host/src/kws_lib0.c", c => c + SystemLib);
            tree.Edit("codegen/host/src/vww_lib0.c", c => c + SystemLib);
            var findings = Validate(tree);
            var finding = findings.Single(f => f.Id == ArchiveFindingIds.SymbolCollision);
            Assert.Equal((FindingSeverity.Error, "vww", "codegen/host/src/vww_lib0.c"), (finding.Level, finding.Module, finding.Member));
            Assert.Contains("TVMSystemLibEntryPoint", finding.Message);
            Assert.Contains("codegen/host/src/kws_lib0.c", finding.Message);
            // Joined again, the join renames each one's entry point itself: no UnprefixedSymbols information beside the collision.
            AssertIds(findings, ArchiveFindingIds.SymbolCollision);
        }

        [ToolFact("python3")]
        public void A_function_defined_twice_in_one_file_is_DuplicateFunction()
        {
            var tree = MlfTree.Version7(("default", "aot"));
            tree.Edit("codegen/host/src/default_lib0.c", c => c
                + "int32_t tvmgen_default_run(void* input, void* output) { return 0; }\n"
                + "int32_t tvmgen_default_run(void* input, void* output) { return 1; }\n");
            var finding = Single(Validate(tree), ArchiveFindingIds.DuplicateFunction, FindingSeverity.Error, "default", "codegen/host/src/default_lib0.c");
            Assert.Contains("'tvmgen_default_run' twice (lines 6 and 7)", finding.Message);
        }

        [ToolFact("python3")]
        public void A_global_function_defined_in_two_files_of_one_module_is_DuplicateFunction_but_static_ones_are_not()
        {
            var tree = MlfTree.Version7(("default", "aot"));
            tree.Edit("codegen/host/src/default_lib1.c", c => c + "static int32_t tvmgen_default_check(void) { return 1; }\n");
            AssertIds(Validate(tree));

            tree.Edit("codegen/host/src/default_lib1.c", c => c + "int32_t tvmgen_default_get_c_metadata(void* values, int* codes) { return 2; }\n");
            var finding = Single(Validate(tree), ArchiveFindingIds.DuplicateFunction, FindingSeverity.Error, "default", "codegen/host/src/default_lib1.c");
            Assert.Contains("'codegen/host/src/default_lib0.c' and 'codegen/host/src/default_lib1.c'", finding.Message);
        }

        [ToolFact("python3")]
        public void Definitions_in_two_files_under_conditions_no_file_decides_are_not_DuplicateFunction()
        {
            var tree = MlfTree.Version7(("default", "aot"));
            tree.Edit("codegen/host/src/default_lib0.c", c => c + "#ifdef __ARM_FEATURE_DSP\nint32_t tvmgen_default_dot(int32_t a) { return a; }\n#endif\n");
            tree.Edit("codegen/host/src/default_lib1.c", c => c + "#ifndef __ARM_FEATURE_DSP\nint32_t tvmgen_default_dot(int32_t a) { return -a; }\n#endif\n");
            AssertIds(Validate(tree));
        }

        [ToolFact("python3")]
        public void TVMs_lib0_for_AOT_with_the_C_interface_and_system_lib_is_ConflictingFunctionTypes()
        {
            var tree = MlfTree.Version7(("default", "aot"));
            tree.Text("codegen/host/src/default_lib0.c", "#include <tvm/runtime/crt/module.h>\n" + FunctionClashTests.AotSystemLibCInterfaceLib0);
            var findings = Validate(tree);
            var clashes = findings.Where(f => f.Id == ArchiveFindingIds.ConflictingFunctionTypes).ToList();
            Assert.Equal(new[] { "tvmgen_default___tvm_main__", "tvmgen_default_run" },
                clashes.Select(f => new[] { "tvmgen_default___tvm_main__", "tvmgen_default_run" }.Single(n => f.Message.Contains($"'{n}'"))).OrderBy(n => n, StringComparer.Ordinal));
            Assert.All(clashes, f => Assert.Equal((FindingSeverity.Error, "default", "codegen/host/src/default_lib0.c"), (f.Level, f.Module, f.Member)));
            Assert.Contains(clashes, f => f.Message.Contains("6 parameters") && f.Message.Contains("2 parameters") && f.Message.Contains("system-lib"));
            // The system-lib registry also defines TVMSystemLibEntryPoint, which the join renames itself: no finding.
            AssertIds(findings, ArchiveFindingIds.ConflictingFunctionTypes, ArchiveFindingIds.ConflictingFunctionTypes);

            tree.Text("codegen/host/src/default_lib0.c", FunctionClashTests.AotCInterfaceLib0);
            AssertIds(Validate(tree));
        }

        [ToolFact("python3")]
        public void Global_symbols_without_the_module_prefix_are_UnprefixedSymbols_information()
        {
            var tree = MlfTree.Version7();
            tree.Edit("codegen/host/src/default_lib1.c", c => c + "int32_t __ror(int32_t a, int32_t b) { return a >> b; }\nint lookup_table[4];\n");
            var finding = Single(Validate(tree), ArchiveFindingIds.UnprefixedSymbols, FindingSeverity.Information, "default", null);
            Assert.Contains("__ror, lookup_table", finding.Message);
        }

        // ------------------------------------------------------------------ selecting modules

        [ToolFact("python3")]
        public void ModuleName_checks_only_the_named_modules()
        {
            // vww's graph executor loads its params file at run time, so the file is required (an AOT module needs none).
            var tree = MlfTree.Version7(("kws", "aot"), ("vww", "graph"));
            tree.Remove("parameters/vww.params");
            tree.Entry("kws")["build_host"] = "ci";

            AssertIds(Validate(tree), ArchiveFindingIds.MissingFile, ArchiveFindingIds.UnknownMetadataKey);
            Single(Validate(tree, "kws"), ArchiveFindingIds.UnknownMetadataKey, FindingSeverity.Information, "kws", "metadata.json");
            Single(Validate(tree, "v*"), ArchiveFindingIds.MissingFile, FindingSeverity.Error, "vww", "parameters/vww.params");
            AssertIds(Validate(tree, "z*"));
            var error = Assert.Throws<MlfException>(() => Validate(tree, "asr"));
            Assert.Equal(MlfErrorIds.ModuleNotFound, error.ErrorId);
        }

        [ToolFact("python3")]
        public void Checks_between_modules_consider_only_the_named_ones()
        {
            var tree = MlfTree.Version7(("kws", "aot"), ("vww", "aot"), ("asr", "aot"));
            tree.Edit("codegen/host/src/kws_lib1.c", c => c + "const int shared_table[2] = { 1, 2 };\n");
            tree.Edit("codegen/host/src/vww_lib1.c", c => c + "const int shared_table[2] = { 1, 2 };\n");
            AssertIds(Validate(tree), ArchiveFindingIds.SymbolCollision, ArchiveFindingIds.UnprefixedSymbols, ArchiveFindingIds.UnprefixedSymbols);
            Single(Validate(tree, "kws", "asr"), ArchiveFindingIds.UnprefixedSymbols, FindingSeverity.Information, "kws", null);
        }
    }
}
