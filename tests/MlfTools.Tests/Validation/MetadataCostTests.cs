using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using MlfTools.Json;
using MlfTools.Tests.Support;
using MlfTools.Validation;
using Newtonsoft.Json.Linq;
using Xunit;

namespace MlfTools.Tests.Validation
{
    /// <summary>
    /// What one metadata.json can cost: keys TVM never writes give one finding per place with a count, not one per key;
    /// duplicate keys (the last wins, as in Python) parse in linear time; a file of more JSON values than any real
    /// archive holds is ArchiveTooLarge before it is parsed; and a cancelled check stops.
    /// </summary>
    public class MetadataCostTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>A version-7 AOT module whose entry holds <paramref name="count"/> keys TVM never writes (each twice with <paramref name="twice"/>).</summary>
        private static string Metadata(int count, bool twice = false, int start = 0)
        {
            string metadata = MlfTree.Version7().MetadataText();
            const string EntryStart = "{\"modules\":{\"default\":{";
            Assert.StartsWith(EntryStart, metadata);
            var keys = new StringBuilder(EntryStart, count * 40);
            for (int round = 0; round < (twice ? 2 : 1); round++)
            {
                for (int i = start; i < start + count; i++) keys.Append("\"extra_").Append(i).Append("\": ").Append(round).Append(", ");
            }
            return keys.Append(metadata, EntryStart.Length, metadata.Length - EntryStart.Length).ToString();
        }

        private string Archive(string metadata)
        {
            var tree = MlfTree.Version7().RawMetadata(metadata);
            return tree.WriteTar(_temp.File(Guid.NewGuid().ToString("N") + ".tar"));
        }

        [Fact]
        public void Three_hundred_thousand_unknown_keys_are_one_finding_with_their_count_and_the_first_ten()
        {
            var watch = Stopwatch.StartNew();
            var findings = MlfArchiveValidator.Validate(Archive(Metadata(300_000)));
            watch.Stop();
            var finding = Assert.Single(findings);
            Assert.Equal((ArchiveFindingIds.UnknownMetadataKey, FindingSeverity.Information, "default", "metadata.json"), (finding.Id, finding.Level, finding.Module, finding.Member));
            Assert.Contains("300,000 keys", finding.Message);
            Assert.Contains("'extra_0', 'extra_1', 'extra_2', 'extra_3', 'extra_4', 'extra_5', 'extra_6', 'extra_7', 'extra_8', 'extra_9' (the first 10)", finding.Message);
            Assert.DoesNotContain("extra_10'", finding.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        }

        [Fact]
        public void One_unknown_key_is_named_alone()
        {
            var finding = Assert.Single(MlfArchiveValidator.Validate(Archive(Metadata(1))));
            Assert.Contains("has the key 'extra_0' for module 'default' in its entry, which TVM never writes there", finding.Message);
        }

        [Fact]
        public void Metadata_errors_repeated_over_a_list_are_one_finding_with_their_count()
        {
            // 50,000 sids without a storage_id: one MetadataInvalid naming how many and the first ones.
            var tree = MlfTree.Version7(("default", "graph"));
            var metadata = JObject.Parse(tree.MetadataText());
            metadata["modules"]!["default"]!["memory"]!["sids"] = new JArray(Enumerable.Range(0, 50_000).Select(i => new JObject { ["size_bytes"] = i }));
            var findings = MlfArchiveValidator.Validate(tree.RawMetadata(metadata.ToString()).WriteTar(_temp.File("sids.tar")));
            var invalid = Assert.Single(findings, f => f.Id == ArchiveFindingIds.MetadataInvalid);
            Assert.Contains("50,000", invalid.Message);
            Assert.Contains("memory.sids[0]", invalid.Message);
            Assert.True(findings.Count < 10, string.Join("\n", findings.Take(20)));
        }

        [Fact]
        public void Findings_of_one_kind_are_listed_up_to_a_hundred_and_the_rest_counted()
        {
            // 2,000 empty module entries: six MetadataInvalid each (no model_name, export_datetime, style, executors, target, memory).
            string metadata = "{\"modules\": {" + string.Join(", ", Enumerable.Range(0, 2_000).Select(i => $"\"m{i}\": {{}}")) + "}, \"version\": 7}";
            var findings = MlfArchiveValidator.Validate(Archive(metadata));
            Assert.Equal(Findings.ListedPerId + 1, findings.Count(f => f.Id == ArchiveFindingIds.MetadataInvalid));
            var summary = Assert.Single(findings, f => f.Id == ArchiveFindingIds.MetadataInvalid && f.Module == null);
            Assert.Equal(FindingSeverity.Error, summary.Level);
            Assert.StartsWith("11,900 more MetadataInvalid findings are not listed", summary.Message);
            Assert.True(findings.Count <= 2 * (Findings.ListedPerId + 1), $"{findings.Count} findings");
        }

        [Fact]
        public void Duplicate_keys_keep_the_last_value_in_the_first_place_and_parse_in_linear_time()
        {
            var parsed = (JObject)JsonParser.Parse(Encoding.UTF8.GetBytes("{\"a\": 1, \"b\": 2, \"a\": 3, \"c\": {\"x\": 1, \"x\": [4]}}"), "archive.tar", "metadata.json");
            Assert.Equal("{\"a\":3,\"b\":2,\"c\":{\"x\":[4]}}", parsed.ToString(Newtonsoft.Json.Formatting.None));

            // Newtonsoft's own duplicate handling searched the object for every duplicate, so 60,000 keys written twice took
            // 7.6 times as long as 120,000 distinct keys (and more, the more keys); built linearly they take no longer.
            double Seconds(string metadata)
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(metadata);
                var best = double.MaxValue;
                for (int run = 0; run < 2; run++)
                {
                    var watch = Stopwatch.StartNew();
                    JsonParser.Parse(utf8, "archive.tar", "metadata.json");
                    best = Math.Min(best, watch.Elapsed.TotalSeconds);
                }
                return best;
            }
            Seconds(Metadata(1_000, twice: true)); // warm up
            double distinct = Seconds(Metadata(120_000)), duplicated = Seconds(Metadata(60_000, twice: true));
            Assert.True(duplicated < 3 * distinct, $"120,000 distinct keys took {distinct:F3} s, 60,000 keys written twice {duplicated:F3} s");
        }

        [Fact]
        public void A_metadata_file_of_more_values_than_any_real_archive_is_ArchiveTooLarge_before_it_is_parsed()
        {
            int count = JsonParser.MaximumValues; // with the entry's own values, over the limit
            string archive = Archive(Metadata(count));
            var finding = Assert.Single(MlfArchiveValidator.Validate(archive));
            Assert.Equal((MlfErrorIds.ArchiveTooLarge, FindingSeverity.Error), (finding.Id, finding.Level));
            Assert.Contains("metadata.json", finding.Message);
            Assert.Contains("more than 1,048,576 JSON values", finding.Message);
            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
        }

        [Fact]
        public void A_cancelled_check_of_a_large_metadata_file_stops()
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(Metadata(300_000));
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => JsonParser.Parse(utf8, "archive.tar", "metadata.json", cancelled.Token));
            Assert.ThrowsAny<OperationCanceledException>(() => MetadataSchema.Check(utf8, new Findings("archive.tar"), cancelled.Token));
        }
    }
}
