using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using MlfTools.Tests.Support;
using F = MlfTools.Tests.Support.TarImage.Field;

namespace MlfTools.Tests.Safety
{
    /// <summary>One mutated archive: its bytes, whether they are gzip, and the list of what was done to the sample.</summary>
    internal sealed class Mutant
    {
        public Mutant(string sample, byte[] bytes, bool gzip, List<string> steps)
        {
            Sample = sample;
            Bytes = bytes;
            IsGzip = gzip;
            Steps = steps;
        }

        public string Sample { get; }
        public byte[] Bytes { get; }
        public bool IsGzip { get; }
        public List<string> Steps { get; }
        public override string ToString() => $"{Sample}{(IsGzip ? " (gzipped)" : "")}: {string.Join("; then ", Steps)}";
    }

    /// <summary>
    /// Makes hostile variants of a real archive from a seeded <see cref="Random"/>: blind byte damage (bit flips, byte runs,
    /// truncation), tar header fields set to edge values (checksum usually recomputed so the header is believed), extended
    /// headers (PAX, GNU long names) inserted, members removed or repeated, the content of metadata.json, the graph config,
    /// the params file, C sources and object files edited with knowledge of their format, and gzip damage. The same
    /// random state always gives the same mutant.
    /// </summary>
    internal static class ArchiveMutator
    {
        private static readonly long[] EdgeNumbers =
        {
            0, 1, -1, 2, 7, 8, 63, 64, 65, 127, 128, 255, 256, 511, 512, 513, 1023, 1024, 4095, 4096, 65535, 65536,
            int.MaxValue, (long)int.MaxValue + 1, uint.MaxValue, (long)uint.MaxValue + 1, int.MinValue,
            1L << 33, 1L << 40, 1L << 53, (1L << 62) - 1, 1L << 62, long.MaxValue, long.MinValue, long.MaxValue / 2 + 1,
        };

        private static readonly string[] HostileNames =
        {
            "../escape.txt", "../../escape.txt", "/escape.txt", "./../escape.txt", "codegen/../../escape.txt", "a/./b/../../../escape.txt",
            "..", ".", "", "/", "./", "//", "C:/escape.txt", "C:escape.txt", "\\\\server\\share\\x", "..\\escape.txt", "codegen\\host\\src\\x.c",
            "CON", "nul.txt", "aux", "COM1", "LPT1.c", "name.", "name ", "a:b", "metadata.json", "./metadata.json", "METADATA.JSON",
            "parameters/default.params", "codegen/host/src/default_lib0.c", "codegen/host/src/Default_Lib0.c", "src/relay.txt",
            "executor-config/graph/default.graph", "runtime-config/graph/graph.json", "runtime/include/x.h", "templates/x",
            "x\u0000y", "\u00e9t\u00e9.c", "\ud83d\ude00.c", new string('a', 99), new string('b', 100), "dir/" + new string('c', 98),
            "codegen/host/src/", "metadata.json/", "parameters",
        };

        private static readonly string[] ModuleNames =
        {
            "", ".", "..", "../x", "a/b", "a\\b", "/abs", "C:x", "x\u0000y", "\ud800", "tab\there", "CON", "nul", "x.", "x ", " x", "A", "Default",
            "default_", "_x", "1x", "x-y", "x.y", "\u00e9", "tvmgen", "tvmgen_default", "runtime", "codegen", "metadata.json", new string('m', 200), "default", "a:b", "\u212A", "cafe\u0301",
        };

        private static readonly string[] ExtendedRecordKeys = { "path", "linkpath", "size", "mtime", "uid", "gid", "uname", "atime", "GNU.sparse.size", "GNU.sparse.major", "GNU.sparse.map", "comment", "SCHILY.xattr.user.x" };

        public static Mutant Mutate(Random random, string sample, byte[] tar, string? canaryFolder)
        {
            var steps = new List<string>();
            byte[] bytes = tar;
            int rounds = random.Next(10) < 7 ? 1 : random.Next(2, 4);
            for (int r = 0; r < rounds; r++) bytes = MutateTar(random, bytes, steps, canaryFolder);
            bool gzip = random.Next(4) == 0;
            if (gzip)
            {
                bytes = Gzip(bytes, random.Next(3) == 0 ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
                if (random.Next(2) == 0) bytes = MutateGzip(random, bytes, steps);
                else steps.Add("gzipped");
            }
            return new Mutant(sample, bytes, gzip, steps);
        }

        public static byte[] Gzip(byte[] data, CompressionLevel level)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, level, leaveOpen: true)) gzip.Write(data, 0, data.Length);
            return output.ToArray();
        }

        private static byte[] MutateTar(Random random, byte[] bytes, List<string> steps, string? canaryFolder)
        {
            TarImage image;
            try
            {
                image = TarImage.Parse(bytes);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is IndexOutOfRangeException || ex is OverflowException)
            {
                return BlindDamage(random, bytes, steps);
            }
            if (image.Members.Count == 0) return BlindDamage(random, bytes, steps);
            switch (random.Next(20))
            {
                case 0:
                case 1:
                case 2:
                    return BlindDamage(random, bytes, steps);
                case 3:
                case 4:
                case 5:
                    return EditHeaderField(random, image, steps, canaryFolder);
                case 6:
                    return InsertExtendedHeader(random, image, steps, canaryFolder);
                case 7:
                    return Restructure(random, image, steps, canaryFolder);
                case 8:
                case 9:
                case 10:
                case 11:
                    return EditMember(random, image, steps, m => m.Name.EndsWith("metadata.json", StringComparison.Ordinal), "metadata.json", EditJson);
                case 12:
                case 13:
                    return EditMember(random, image, steps, m => m.Name.EndsWith(".params", StringComparison.Ordinal), "params", EditParams);
                case 14:
                case 15:
                    return EditMember(random, image, steps, m => m.Name.EndsWith(".graph", StringComparison.Ordinal) || m.Name.EndsWith("graph.json", StringComparison.Ordinal), "graph", EditGraph);
                case 16:
                case 17:
                    return EditMember(random, image, steps, m => m.Name.EndsWith(".c", StringComparison.Ordinal) || m.Name.EndsWith(".h", StringComparison.Ordinal) || m.Name.EndsWith(".relay", StringComparison.Ordinal) || m.Name.EndsWith(".txt", StringComparison.Ordinal), "source", EditSource);
                case 18:
                    return EditMember(random, image, steps, m => m.Name.EndsWith(".o", StringComparison.Ordinal), "object", EditObject);
                default:
                    return EditMember(random, image, steps, m => m.IsFile, "member", (r, data, s) => BlindDamage(r, data, s));
            }
        }

        // ---- blind damage ----

        private static byte[] BlindDamage(Random random, byte[] bytes, List<string> steps)
        {
            bytes = (byte[])bytes.Clone();
            if (bytes.Length == 0)
            {
                steps.Add("left empty");
                return bytes;
            }
            switch (random.Next(6))
            {
                case 0:
                case 1:
                {
                    int flips = 1 + random.Next(8);
                    var at = new List<string>();
                    for (int i = 0; i < flips; i++)
                    {
                        int offset = random.Next(bytes.Length);
                        int bit = random.Next(8);
                        bytes[offset] ^= (byte)(1 << bit);
                        at.Add($"{offset}.{bit}");
                    }
                    steps.Add($"bit flips at {string.Join(", ", at)}");
                    return bytes;
                }
                case 2:
                case 3:
                {
                    int offset = random.Next(bytes.Length);
                    int length = Math.Min(bytes.Length - offset, 1 + random.Next(random.Next(2) == 0 ? 16 : 600));
                    int style = random.Next(4);
                    for (int i = 0; i < length; i++)
                    {
                        bytes[offset + i] = style switch { 0 => 0, 1 => 0xFF, 2 => (byte)random.Next(256), _ => (byte)"0123456789 7\0"[random.Next(13)] };
                    }
                    steps.Add($"{length} bytes at {offset} overwritten ({(style switch { 0 => "zeros", 1 => "0xFF", 2 => "random", _ => "digits, spaces, NULs" })})");
                    return bytes;
                }
                case 4:
                {
                    int cut = random.Next(2) == 0 ? random.Next(bytes.Length) : Math.Max(0, random.Next(bytes.Length / 512 + 1) * 512 + random.Next(-2, 3));
                    cut = Math.Min(cut, bytes.Length);
                    steps.Add($"truncated to {cut} of {bytes.Length} bytes");
                    return TarImage.Slice(bytes, 0, cut);
                }
                default:
                {
                    int length = 1 + random.Next(1024);
                    var extra = new byte[length];
                    if (random.Next(2) == 0) random.NextBytes(extra);
                    int offset = random.Next(bytes.Length + 1);
                    steps.Add($"{length} bytes inserted at {offset}");
                    return TarImage.Concat(TarImage.Slice(bytes, 0, offset), extra, TarImage.Slice(bytes, offset, bytes.Length - offset));
                }
            }
        }

        // ---- tar headers ----

        private static byte[] EditHeaderField(Random random, TarImage image, List<string> steps, string? canaryFolder)
        {
            var member = image.Members[random.Next(image.Members.Count)];
            byte[] bytes = (byte[])image.Bytes.Clone();
            int h = member.Header;
            string what;
            switch (random.Next(12))
            {
                case 0:
                case 1:
                    what = "size " + PutNumber(random, bytes, h + F.Size, F.SizeLength, member.Size);
                    break;
                case 2:
                {
                    char type = "0123456789xgLKSMVDAZ\0 "[random.Next(22)];
                    bytes[h + F.TypeFlag] = (byte)type;
                    what = $"typeflag '{Printable(type.ToString())}'";
                    break;
                }
                case 3:
                case 4:
                {
                    string name = HostileName(random, canaryFolder);
                    PutText(bytes, h + F.Name, F.NameLength, name);
                    if (random.Next(2) == 0) Array.Clear(bytes, h + F.Prefix, F.PrefixLength);
                    what = $"name '{Printable(name)}'";
                    break;
                }
                case 5:
                    what = "mode " + PutNumber(random, bytes, h + F.Mode, F.ModeLength, 0x1A4);
                    break;
                case 6:
                    what = "mtime " + PutNumber(random, bytes, h + F.Mtime, F.MtimeLength, 1700000000);
                    break;
                case 7:
                {
                    string link = HostileName(random, canaryFolder);
                    PutText(bytes, h + F.LinkName, F.LinkNameLength, link);
                    if (random.Next(2) == 0) bytes[h + F.TypeFlag] = (byte)(random.Next(2) == 0 ? '1' : '2');
                    what = $"linkname '{Printable(link)}', typeflag '{(char)bytes[h + F.TypeFlag]}'";
                    break;
                }
                case 8:
                {
                    string prefix = random.Next(2) == 0 ? HostileName(random, canaryFolder) : new string('p', random.Next(1, 156));
                    PutText(bytes, h + F.Prefix, F.PrefixLength, prefix);
                    if (random.Next(2) == 0) PutText(bytes, h + F.Magic, 8, "ustar\000");
                    what = $"prefix '{Printable(prefix)}'";
                    break;
                }
                case 9:
                {
                    string[] magics = { "ustar\000", "ustar  \0", "\0\0\0\0\0\0\0\0", "USTAR\000", "ustar\0xx" };
                    string magic = magics[random.Next(magics.Length)];
                    PutText(bytes, h + F.Magic, 8, magic);
                    what = $"magic '{Printable(magic)}'";
                    break;
                }
                case 10:
                {
                    int field = new[] { F.Uid, F.Gid, F.DevMajor, F.DevMinor }[random.Next(4)];
                    what = $"field at {field} " + PutNumber(random, bytes, h + field, 8, 0);
                    break;
                }
                default:
                {
                    string[] sums = { "", "0", "7777777", "       ", "abcdefg", "-1", "\u0080\u0080" };
                    string sum = sums[random.Next(sums.Length)];
                    PutText(bytes, h + F.Checksum, F.ChecksumLength, sum);
                    steps.Add($"header of '{member.Name}': checksum '{Printable(sum)}'");
                    return bytes;
                }
            }
            bool fix = random.Next(8) != 0;
            if (fix) TarImage.FixChecksum(bytes, h);
            steps.Add($"header of '{member.Name}': {what}{(fix ? "" : ", checksum left stale")}");
            return bytes;
        }

        /// <summary>An edge value into a numeric header field: octal, GNU base-256 (positive or negative), or garbage.</summary>
        private static string PutNumber(Random random, byte[] bytes, int offset, int length, long current)
        {
            Array.Clear(bytes, offset, length);
            switch (random.Next(5))
            {
                case 0:
                case 1:
                {
                    long value = random.Next(3) == 0 ? current + random.Next(-1025, 1026) : Math.Abs(EdgeNumbers[random.Next(EdgeNumbers.Length)] % (1L << (3 * (length - 1))));
                    if (value < 0) value = 0;
                    TarImage.WriteOctal(bytes, offset, length, value);
                    return $"octal {value}";
                }
                case 2:
                {
                    long value = EdgeNumbers[random.Next(EdgeNumbers.Length)];
                    bytes[offset] = 0x80;
                    for (int i = length - 1; i > 0 && i >= length - 8; i--)
                    {
                        bytes[offset + i] = (byte)value;
                        value >>= 8;
                    }
                    if (random.Next(3) == 0) bytes[offset + 1] = 0xFF;
                    return $"base-256 {Convert.ToHexString(bytes, offset, length)}";
                }
                case 3:
                {
                    bytes[offset] = 0xFF;
                    for (int i = 1; i < length; i++) bytes[offset + i] = (byte)(random.Next(2) == 0 ? 0xFF : random.Next(256));
                    return $"negative base-256 {Convert.ToHexString(bytes, offset, length)}";
                }
                default:
                {
                    string[] texts = { "", " ", "8", "9999", "-1", "+1", "0x10", "1e3", "0 1", "  17  ", "\u00ff", "7777777777777777" };
                    string text = texts[random.Next(texts.Length)];
                    PutText(bytes, offset, length, text);
                    return $"text '{Printable(text)}'";
                }
            }
        }

        private static byte[] InsertExtendedHeader(Random random, TarImage image, List<string> steps, string? canaryFolder)
        {
            var member = image.Members[random.Next(image.Members.Count)];
            char type = "xxxgLK"[random.Next(6)];
            byte[] payload;
            string what;
            if (type == 'L' || type == 'K')
            {
                string name = random.Next(3) == 0 ? new string('n', random.Next(100, 5000)) : HostileName(random, canaryFolder);
                payload = Encoding.UTF8.GetBytes(name + (random.Next(4) == 0 ? "" : "\0"));
                what = $"GNU '{type}' header '{Printable(Shorten(name))}'";
            }
            else
            {
                var records = new StringBuilder();
                var shown = new List<string>();
                int count = 1 + random.Next(3);
                for (int i = 0; i < count; i++)
                {
                    string key = ExtendedRecordKeys[random.Next(ExtendedRecordKeys.Length)];
                    string value = key switch
                    {
                        "path" or "linkpath" => HostileName(random, canaryFolder),
                        "size" or "uid" or "gid" => new[] { "0", "1", "-1", "999999999999999999999", "9223372036854775807", "abc", "", "1.5", "512", member.Size.ToString(CultureInfo.InvariantCulture) }[random.Next(10)],
                        "mtime" or "atime" => new[] { "0", "-1", "1e10", "nan", "99999999999999999999999.5", "-99999999999999999999999", "1700000000.123456789", "" }[random.Next(8)],
                        _ => new string('v', random.Next(0, 300)),
                    };
                    shown.Add($"{key}={Printable(Shorten(value))}");
                    records.Append(PaxRecord(random, key, value));
                }
                payload = Encoding.UTF8.GetBytes(records.ToString());
                what = $"PAX '{type}' header {string.Join(" ", shown)}";
            }
            byte[] entry = TarImage.Entry(type == 'x' || type == 'g' ? "././@PaxHeader" : "././@LongLink", type, payload);
            steps.Add($"{what} before '{member.Name}'");
            return image.Inserting(member.Start, entry);
        }

        /// <summary>A PAX record, sometimes with a length that lies.</summary>
        private static string PaxRecord(Random random, string key, string value)
        {
            string body = " " + key + "=" + value + "\n";
            int length = Encoding.UTF8.GetByteCount(body);
            int digits = length.ToString(CultureInfo.InvariantCulture).Length;
            int total = length + digits;
            if (total.ToString(CultureInfo.InvariantCulture).Length != digits) total++;
            switch (random.Next(8))
            {
                case 0: return (total + random.Next(1, 5)).ToString(CultureInfo.InvariantCulture) + body;
                case 1: return (total - random.Next(1, 5)).ToString(CultureInfo.InvariantCulture) + body;
                case 2: return "99999999999" + body;
                case 3: return "x" + body;
                default: return total.ToString(CultureInfo.InvariantCulture) + body;
            }
        }

        private static byte[] Restructure(Random random, TarImage image, List<string> steps, string? canaryFolder)
        {
            var member = image.Members[random.Next(image.Members.Count)];
            switch (random.Next(5))
            {
                case 0:
                    steps.Add($"'{member.Name}' removed");
                    return image.Without(member);
                case 1:
                {
                    var other = image.Members[random.Next(image.Members.Count)];
                    byte[] copy = TarImage.Slice(image.Bytes, member.Start, member.End - member.Start);
                    steps.Add($"'{member.Name}' repeated before '{other.Name}'");
                    return image.Inserting(other.Start, copy);
                }
                case 2:
                {
                    string name = HostileName(random, canaryFolder);
                    char type = "0055123467"[random.Next(10)];
                    string link = type == '1' || type == '2' ? HostileName(random, canaryFolder) : "";
                    // A directory with data: GNU tar and Python read the data as further members, so it must be refused.
                    byte[] data = type == '0' ? Encoding.UTF8.GetBytes("extra member")
                        : type == '5' && random.Next(2) == 0 ? TarImage.Entry("./metadata.json", '0', Encoding.UTF8.GetBytes("{}"))
                        : Array.Empty<byte>();
                    steps.Add($"member '{Printable(name)}' of type '{type}'{(link.Length > 0 ? $" linking to '{Printable(link)}'" : "")} added before '{member.Name}'");
                    return image.Inserting(member.Start, TarImage.Entry(name, type, data, link));
                }
                case 3:
                {
                    steps.Add($"end-of-archive blocks inserted before '{member.Name}'");
                    return image.Inserting(member.Start, new byte[1024]);
                }
                default:
                {
                    var bytes = (byte[])image.Bytes.Clone();
                    int end = image.EndOfMembers;
                    int garbage = Math.Min(bytes.Length - end, 512 * (1 + random.Next(4)));
                    for (int i = 0; i < garbage; i++) bytes[end + i] = (byte)random.Next(256);
                    steps.Add($"{garbage} random bytes where the end-of-archive blocks were");
                    return bytes;
                }
            }
        }

        // ---- member content ----

        private static byte[] EditMember(Random random, TarImage image, List<string> steps, Func<TarImage.Member, bool> select, string kind,
            Func<Random, byte[], List<string>, byte[]> edit)
        {
            var candidates = image.Members.Where(m => m.IsFile && select(m)).ToList();
            if (candidates.Count == 0) return BlindDamage(random, image.Bytes, steps);
            var member = candidates[random.Next(candidates.Count)];
            var edits = new List<string>();
            byte[] data;
            try
            {
                data = edit(random, image.Data(member), edits);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is FormatException || ex is System.Text.Json.JsonException)
            {
                // The content no longer has the shape the edit expects (an earlier round changed it): damage it blindly.
                edits.Clear();
                data = BlindDamage(random, image.Data(member), edits);
            }
            steps.Add($"{kind} '{member.Name}': {string.Join(", ", edits)}");
            return image.WithData(member, data);
        }

        private static byte[] EditJson(Random random, byte[] data, List<string> edits)
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(data);
            }
            catch (System.Text.Json.JsonException)
            {
                return BlindDamage(random, data, edits);
            }
            if (root == null) return BlindDamage(random, data, edits);
            var raws = new Dictionary<string, string>();
            switch (random.Next(10))
            {
                case 9:
                {
                    // The module's own name, which ends up in member paths and symbols.
                    string name = ModuleNames[random.Next(ModuleNames.Length)];
                    if (root["modules"] is JsonObject modules && modules.Count > 0)
                    {
                        string old = modules.First().Key;
                        var entry = modules[old];
                        modules.Remove(old);
                        modules[name] = entry;
                        edits.Add($"module '{old}' renamed '{Printable(Shorten(name))}'");
                    }
                    else if (root is JsonObject flat)
                    {
                        flat["model_name"] = name;
                        edits.Add($"model_name '{Printable(Shorten(name))}'");
                    }
                    break;
                }
                case 0:
                {
                    string text = Encoding.UTF8.GetString(data);
                    int at = random.Next(text.Length + 1);
                    switch (random.Next(4))
                    {
                        case 0:
                            edits.Add($"text cut at {at}");
                            return Encoding.UTF8.GetBytes(text.Substring(0, at));
                        case 1:
                        {
                            string junk = new[] { "{", "}", "[", "]", "\"", ",", ":", "\\", "\u0000", "\ufffd", "/*", "//", "NaN", "\ud800", "'", "\ufeff" }[random.Next(16)];
                            edits.Add($"'{Printable(junk)}' inserted at {at}");
                            return Encoding.UTF8.GetBytes(text.Insert(at, junk));
                        }
                        case 2:
                            edits.Add("invalid UTF-8 inserted");
                            return TarImage.Concat(TarImage.Slice(data, 0, Math.Min(at, data.Length)), new byte[] { 0xC3, 0x28, 0xFF }, TarImage.Slice(data, Math.Min(at, data.Length), data.Length - Math.Min(at, data.Length)));
                        default:
                            edits.Add("second JSON value appended");
                            return Encoding.UTF8.GetBytes(text + " {}");
                    }
                }
                case 1:
                {
                    var version = new JsonNode?[] { 0, -1, 1, 2, 3, 4, 5, 6, 8, 99, "7", 7.5, null, true, JsonValue.Create(int.MaxValue), JsonValue.Create(long.MaxValue) }[random.Next(16)];
                    string raw = new[] { "", "1e400", "99999999999999999999999999", "-9223372036854775809", "7.0", "0x7" }[random.Next(6)];
                    if (root is JsonObject top)
                    {
                        if (raw.Length > 0) top["version"] = Raw(raws, raw);
                        else top["version"] = version?.DeepClone();
                        edits.Add($"version {(raw.Length > 0 ? raw : version?.ToJsonString() ?? "null")}");
                    }
                    break;
                }
                default:
                {
                    var nodes = new List<(JsonNode? Parent, object Key, JsonNode? Node)>();
                    Walk(root, null, "", nodes);
                    if (nodes.Count == 0) return BlindDamage(random, data, edits);
                    int changes = 1 + random.Next(3);
                    for (int c = 0; c < changes; c++)
                    {
                        var (parent, key, node) = nodes[random.Next(nodes.Count)];
                        EditNode(random, root, parent, key, node, raws, edits);
                    }
                    break;
                }
            }
            string json = root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = random.Next(2) == 0 });
            foreach (var raw in raws) json = json.Replace("\"" + raw.Key + "\"", raw.Value, StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(json);
        }

        private static void Walk(JsonNode? node, JsonNode? parent, object key, List<(JsonNode?, object, JsonNode?)> nodes)
        {
            if (parent != null) nodes.Add((parent, key, node));
            if (node is JsonObject obj)
            {
                foreach (var property in obj.ToList()) Walk(property.Value, obj, property.Key, nodes);
            }
            else if (node is JsonArray array)
            {
                for (int i = 0; i < array.Count; i++) Walk(array[i], array, i, nodes);
            }
        }

        private static void EditNode(Random random, JsonNode root, JsonNode? parent, object key, JsonNode? node, Dictionary<string, string> raws, List<string> edits)
        {
            if (parent == null || (node != null && node.Root != root) || (parent.Root != root)) return;
            string where = node?.GetPath() ?? $"{parent.GetPath()}[{key}]";
            JsonNode? replacement;
            string what;
            switch (random.Next(6))
            {
                case 0:
                    if (parent is JsonObject o) o.Remove((string)key);
                    else if (parent is JsonArray a && (int)key < a.Count) a.RemoveAt((int)key);
                    edits.Add($"{where} removed");
                    return;
                case 1:
                {
                    string raw = new[] { "1e400", "-1e400", "99999999999999999999999999999", "-9223372036854775809", "18446744073709551616", "1.7976931348623157e308", "4294967296", "2147483648", "-2147483649", "-1", "0", "1e-400", "-0" }[random.Next(13)];
                    replacement = Raw(raws, raw);
                    what = raw;
                    break;
                }
                case 2:
                {
                    var values = new JsonNode?[] { null, true, "", "x", "../x", 0, -1, 3.5, new JsonArray(), new JsonObject(), new JsonArray(1, 2), new JsonObject { ["a"] = 1 }, "\u0000", new string('s', 5000) };
                    replacement = values[random.Next(values.Length)]?.DeepClone();
                    what = replacement?.ToJsonString() is string s && s.Length > 40 ? s.Substring(0, 40) + "..." : replacement?.ToJsonString() ?? "null";
                    break;
                }
                case 3:
                {
                    int depth = random.Next(2) == 0 ? random.Next(100, 140) : random.Next(1000, 20000);
                    string raw = new string('[', depth) + new string(']', depth);
                    replacement = Raw(raws, raw);
                    what = $"arrays nested {depth} deep";
                    break;
                }
                case 4:
                    if (parent is JsonObject renamedIn && node != null)
                    {
                        string name = random.Next(2) == 0 ? ModuleNames[random.Next(ModuleNames.Length)] : new[] { "DEFAULT", "x y", "1", "default_lib0", "memory", "main" }[random.Next(6)];
                        renamedIn.Remove((string)key);
                        if (!renamedIn.ContainsKey(name)) renamedIn[name] = node;
                        edits.Add($"{where} renamed '{Printable(Shorten(name))}'");
                        return;
                    }
                    goto default;
                default:
                    if (node is JsonValue value && value.TryGetValue(out long number))
                    {
                        long edge = EdgeNumbers[random.Next(EdgeNumbers.Length)];
                        replacement = random.Next(2) == 0 ? JsonValue.Create(edge) : JsonValue.Create(number + random.Next(-3, 4));
                        what = replacement!.ToJsonString();
                    }
                    else if (node is JsonValue text && text.TryGetValue(out string? s))
                    {
                        replacement = new[] { "", s + "x", s.ToUpperInvariant(), "../" + s, s + "\u0000", "2021-13-45 99:99:99Z", "int64", "float0", "uint8x0", "custom[x]32" }[random.Next(10)];
                        what = replacement.ToJsonString();
                    }
                    else if (node is JsonArray list && list.Count > 0)
                    {
                        list.Add(list[random.Next(list.Count)]?.DeepClone());
                        edits.Add($"{where} grown by a copy of an item");
                        return;
                    }
                    else
                    {
                        replacement = JsonValue.Create(EdgeNumbers[random.Next(EdgeNumbers.Length)]);
                        what = replacement.ToJsonString();
                    }
                    break;
            }
            if (parent is JsonObject obj) obj[(string)key] = replacement;
            else if (parent is JsonArray arr && (int)key < arr.Count) arr[(int)key] = replacement;
            edits.Add($"{where} = {Printable(what)}");
        }

        private static JsonNode Raw(Dictionary<string, string> raws, string raw)
        {
            string placeholder = "@raw" + raws.Count + "@" + Guid.NewGuid().ToString("N");
            raws[placeholder] = raw;
            return JsonValue.Create(placeholder)!;
        }

        private static byte[] EditGraph(Random random, byte[] data, List<string> edits)
        {
            if (random.Next(3) != 0) return EditJson(random, data, edits);
            var root = JsonNode.Parse(data) as JsonObject;
            if (root == null) return EditJson(random, data, edits);
            var raws = new Dictionary<string, string>();
            switch (random.Next(5))
            {
                case 0 when AttrsList(root, "storage_id") is JsonArray ids && ids.Count > 0:
                {
                    int i = random.Next(ids.Count);
                    string raw = new[] { "-1", "2147483647", "2147483648", "100000000", "1000000", "99999999999999999999" }[random.Next(6)];
                    ids[i] = Raw(raws, raw);
                    edits.Add($"storage_id[{i}] = {raw}");
                    break;
                }
                case 1 when AttrsList(root, "shape") is JsonArray shapes && shapes.Count > 0 && shapes[random.Next(shapes.Count)] is JsonArray shape:
                {
                    long value = EdgeNumbers[random.Next(EdgeNumbers.Length)];
                    if (shape.Count == 0 || random.Next(4) == 0) shape.Add(value);
                    else shape[random.Next(shape.Count)] = value;
                    edits.Add($"a shape gets {value}");
                    break;
                }
                case 2 when AttrsList(root, "dltype") is JsonArray types && types.Count > 0:
                {
                    int i = random.Next(types.Count);
                    string type = new[] { "", "float", "float0", "float32x0", "int99999999999", "uint1", "bool", "handle", "custom[q]8", "e4m3_float8", "float32x65536", "int-8" }[random.Next(12)];
                    types[i] = type;
                    edits.Add($"dltype[{i}] = '{type}'");
                    break;
                }
                case 3 when root["node_row_ptr"] is JsonArray rows && rows.Count > 0:
                {
                    int i = random.Next(rows.Count);
                    long value = EdgeNumbers[random.Next(EdgeNumbers.Length)];
                    rows[i] = value;
                    edits.Add($"node_row_ptr[{i}] = {value}");
                    break;
                }
                default:
                    if (root["nodes"] is JsonArray nodes && nodes.Count > 0 && nodes[random.Next(nodes.Count)] is JsonObject node)
                    {
                        var attrs = node["attrs"] as JsonObject ?? new JsonObject();
                        node["attrs"] = attrs;
                        string outputs = new[] { "-1", "0", "99999999999", "2147483647", "1e3", "", "x" }[random.Next(7)];
                        attrs["num_outputs"] = outputs;
                        edits.Add($"node '{node["name"]}' num_outputs '{outputs}'");
                    }
                    break;
            }
            string json = root.ToJsonString();
            foreach (var raw in raws) json = json.Replace("\"" + raw.Key + "\"", raw.Value, StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(json);
        }

        /// <summary>The list of a graph's attrs entry ["list_int", [...]], when it has that shape.</summary>
        private static JsonArray? AttrsList(JsonObject graph, string key) =>
            graph["attrs"] is JsonObject attrs && attrs[key] is JsonArray pair && pair.Count == 2 ? pair[1] as JsonArray : null;

        /// <summary>Sets a header field of the params file (found by walking its layout) to an edge value, or damages it blindly.</summary>
        private static byte[] EditParams(Random random, byte[] data, List<string> edits)
        {
            var fields = ParamsFields(data);
            if (fields.Count == 0 || random.Next(5) == 0)
            {
                if (random.Next(2) == 0)
                {
                    int cut = random.Next(data.Length + 1);
                    edits.Add($"cut to {cut} of {data.Length} bytes");
                    return TarImage.Slice(data, 0, cut);
                }
                return BlindDamage(random, data, edits);
            }
            data = (byte[])data.Clone();
            var (name, offset, width) = fields[random.Next(fields.Count)];
            long value = random.Next(4) == 0 ? ReadLittle(data, offset, width) + random.Next(-2, 3) : EdgeNumbers[random.Next(EdgeNumbers.Length)];
            for (int i = 0; i < width; i++) data[offset + i] = (byte)(value >> (8 * i));
            edits.Add($"{name} at {offset} = {value} ({width} bytes)");
            return data;
        }

        /// <summary>(name, offset, width) of each header field of a .params file, as far as its layout can be followed.</summary>
        private static List<(string, int, int)> ParamsFields(byte[] data)
        {
            var fields = new List<(string, int, int)>();
            int at = 0;
            bool Add(string name, int width)
            {
                if (at + width > data.Length) return false;
                fields.Add((name, at, width));
                at += width;
                return true;
            }
            if (!Add("file magic", 8) || !Add("reserved", 8) || !Add("name count", 8)) return fields;
            long names = ReadLittle(data, 16, 8);
            for (long i = 0; i < names && i < 10000; i++)
            {
                int lengthAt = at;
                if (!Add($"name {i} length", 8)) return fields;
                long length = ReadLittle(data, lengthAt, 8);
                if (length < 0 || at + length > data.Length) return fields;
                at += (int)length;
            }
            if (!Add("array count", 8)) return fields;
            for (long i = 0; i < names && i < 10000; i++)
            {
                if (!Add($"tensor {i} magic", 8) || !Add($"tensor {i} reserved", 8) || !Add($"tensor {i} device type", 4) || !Add($"tensor {i} device id", 4)) return fields;
                int ndimAt = at;
                if (!Add($"tensor {i} ndim", 4) || !Add($"tensor {i} dtype code", 1) || !Add($"tensor {i} dtype bits", 1) || !Add($"tensor {i} dtype lanes", 2)) return fields;
                long ndim = ReadLittle(data, ndimAt, 4);
                for (long d = 0; d < ndim && d < 64; d++)
                {
                    if (!Add($"tensor {i} dim {d}", 8)) return fields;
                }
                int sizeAt = at;
                if (!Add($"tensor {i} data size", 8)) return fields;
                long size = ReadLittle(data, sizeAt, 8);
                if (size < 0 || at + size > data.Length) return fields;
                at += (int)size;
            }
            return fields;
        }

        private static long ReadLittle(byte[] data, int offset, int width)
        {
            long value = 0;
            for (int i = width - 1; i >= 0; i--) value = (value << 8) | data[offset + i];
            if (width < 8 && (value & (1L << (8 * width - 1))) != 0) value -= 1L << (8 * width);
            return value;
        }

        /// <summary>C source or text damage that lexers meet: unterminated comments, strings and conditionals, NULs, invalid UTF-8, huge tokens.</summary>
        private static byte[] EditSource(Random random, byte[] data, List<string> edits)
        {
            if (random.Next(4) == 0) return BlindDamage(random, data, edits);
            string[] snippets =
            {
                "/*", "*/", "\"", "'", "\\", "#if 0\n", "#endif\n", "#else\n", "#elif\n", "#if\n", "#ifdef\n", "#define X(", "\0", "\r", "??/\n",
                "{", "}", "(", ")", "int tvmgen_default_run(", "TVM_DLL int32_t default___tvm_main__(void* a) {", "static", "extern \"C\" {",
                "R\"(", "L'", "u8\"", "0x", "1e", ".", "...", "#include <", "#pragma ", "__attribute__((", new string('x', 70000), new string('(', 5000), new string('{', 5000),
                "\n#if " + new string('(', 100000) + "\n", "\n#if " + new string('!', 100000) + "1\n", new string('(', 300000),
            };
            int count = 1 + random.Next(4);
            var text = new List<byte>(data);
            for (int i = 0; i < count; i++)
            {
                string snippet = snippets[random.Next(snippets.Length)];
                int at = random.Next(text.Count + 1);
                byte[] bytes = random.Next(10) == 0 ? new byte[] { 0xC3, 0x28, 0xFE } : Encoding.UTF8.GetBytes(snippet);
                text.InsertRange(at, bytes);
                edits.Add($"'{Printable(Shorten(snippet))}' inserted at {at}");
            }
            if (random.Next(4) == 0)
            {
                int cut = random.Next(text.Count + 1);
                text.RemoveRange(cut, text.Count - cut);
                edits.Add($"cut to {cut} bytes");
            }
            return text.ToArray();
        }

        /// <summary>ELF header and section table fields set to edge values.</summary>
        private static byte[] EditObject(Random random, byte[] data, List<string> edits)
        {
            if (data.Length < 64 || random.Next(4) == 0) return BlindDamage(random, data, edits);
            data = (byte[])data.Clone();
            bool is64 = data[4] == 2;
            var fields = is64
                ? new[] { ("EI_CLASS", 4, 1), ("EI_DATA", 5, 1), ("e_type", 16, 2), ("e_shoff", 0x28, 8), ("e_shentsize", 0x3A, 2), ("e_shnum", 0x3C, 2), ("e_shstrndx", 0x3E, 2) }
                : new[] { ("EI_CLASS", 4, 1), ("EI_DATA", 5, 1), ("e_type", 16, 2), ("e_shoff", 0x20, 4), ("e_shentsize", 0x2E, 2), ("e_shnum", 0x30, 2), ("e_shstrndx", 0x32, 2) };
            var (name, offset, width) = fields[random.Next(fields.Length)];
            if (random.Next(3) == 0)
            {
                // A field of a section header: offset, size, link or entry size of the section table entries.
                long shoff = ReadLittle(data, is64 ? 0x28 : 0x20, is64 ? 8 : 4);
                int shnum = (int)ReadLittle(data, is64 ? 0x3C : 0x30, 2) & 0xFFFF;
                int entry = is64 ? 64 : 40;
                if (shoff > 0 && shnum > 0 && shoff + (long)shnum * entry <= data.Length)
                {
                    int section = random.Next(shnum);
                    var sectionFields = is64
                        ? new[] { ("sh_type", 4, 4), ("sh_offset", 24, 8), ("sh_size", 32, 8), ("sh_link", 40, 4), ("sh_entsize", 56, 8), ("sh_name", 0, 4) }
                        : new[] { ("sh_type", 4, 4), ("sh_offset", 16, 4), ("sh_size", 20, 4), ("sh_link", 24, 4), ("sh_entsize", 36, 4), ("sh_name", 0, 4) };
                    var (sname, soffset, swidth) = sectionFields[random.Next(sectionFields.Length)];
                    name = $"section {section} {sname}";
                    offset = (int)shoff + section * entry + soffset;
                    width = swidth;
                }
            }
            long value = EdgeNumbers[random.Next(EdgeNumbers.Length)];
            for (int i = 0; i < width; i++) data[offset + i] = (byte)(value >> (8 * i));
            edits.Add($"{name} = {value}");
            return data;
        }

        // ---- gzip ----

        private static byte[] MutateGzip(Random random, byte[] gzip, List<string> steps)
        {
            gzip = (byte[])gzip.Clone();
            switch (random.Next(8))
            {
                case 0:
                {
                    int at = random.Next(10);
                    byte value = (byte)random.Next(256);
                    gzip[at] = value;
                    steps.Add($"gzipped, header byte {at} = 0x{value:X2}");
                    return gzip;
                }
                case 1:
                {
                    byte flags = (byte)(new[] { 0x02, 0x04, 0x08, 0x10, 0x1E, 0xE0, 0xFF }[random.Next(7)]);
                    gzip[3] = flags;
                    steps.Add($"gzipped, header flags 0x{flags:X2} without the fields they announce");
                    return gzip;
                }
                case 2:
                {
                    int at = gzip.Length - 8 + random.Next(8);
                    gzip[at] ^= (byte)(1 << random.Next(8));
                    steps.Add($"gzipped, trailer byte {at - (gzip.Length - 8)} ({(at - (gzip.Length - 8) < 4 ? "CRC" : "ISIZE")}) flipped");
                    return gzip;
                }
                case 3:
                {
                    int cut = random.Next(gzip.Length);
                    steps.Add($"gzipped, cut to {cut} of {gzip.Length} bytes");
                    return TarImage.Slice(gzip, 0, cut);
                }
                case 4:
                {
                    int flips = 1 + random.Next(4);
                    var at = new List<string>();
                    for (int i = 0; i < flips; i++)
                    {
                        int offset = 10 + random.Next(Math.Max(1, gzip.Length - 18));
                        int bit = random.Next(8);
                        gzip[offset] ^= (byte)(1 << bit);
                        at.Add($"{offset}.{bit}");
                    }
                    steps.Add($"gzipped, deflate bits flipped at {string.Join(", ", at)}");
                    return gzip;
                }
                case 5:
                {
                    var garbage = new byte[1 + random.Next(100)];
                    random.NextBytes(garbage);
                    if (random.Next(2) == 0) { garbage[0] = 0x1F; if (garbage.Length > 1) garbage[1] = 0x8B; }
                    steps.Add($"gzipped, {garbage.Length} bytes of garbage appended");
                    return TarImage.Concat(gzip, garbage);
                }
                case 6:
                {
                    steps.Add("gzipped, a second gzip member (an empty tar block) appended");
                    return TarImage.Concat(gzip, Gzip(new byte[512], CompressionLevel.Fastest));
                }
                default:
                {
                    steps.Add("gzipped, FEXTRA announced with a length past the end");
                    gzip[3] = 0x04;
                    return TarImage.Concat(TarImage.Slice(gzip, 0, 10), new byte[] { 0xFF, 0xFF }, TarImage.Slice(gzip, 10, gzip.Length - 10));
                }
            }
        }

        // ---- helpers ----

        private static string HostileName(Random random, string? canaryFolder)
        {
            if (canaryFolder != null && random.Next(8) == 0)
            {
                return canaryFolder.Replace('\\', '/').TrimEnd('/') + "/absolute-" + random.Next(1000) + ".txt";
            }
            return HostileNames[random.Next(HostileNames.Length)];
        }

        private static void PutText(byte[] bytes, int offset, int length, string text)
        {
            Array.Clear(bytes, offset, length);
            byte[] value = Encoding.UTF8.GetBytes(text);
            Buffer.BlockCopy(value, 0, bytes, offset, Math.Min(value.Length, length));
        }

        private static string Shorten(string text) => text.Length > 60 ? text.Substring(0, 30) + $"...({text.Length} chars)" : text;

        private static string Printable(string text)
        {
            var builder = new StringBuilder();
            foreach (char c in text) builder.Append(c < 32 || c == 127 ? $"\\x{(int)c:X2}" : c.ToString());
            return builder.ToString();
        }
    }
}
