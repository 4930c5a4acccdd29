using System;
using System.Collections.Generic;

namespace MlfTools.Linking
{
    /// <summary>
    /// What a GNU linker (ld of binutils, as arm-none-eabi-ld and x86-64 ld 2.40 write it) says it kept, read from the map
    /// file of <c>-Wl,-Map=&lt;file&gt;</c>: the output sections it placed, the input sections in each (with the file or
    /// static library member each came from) and the padding between them. The "Discarded input sections" (what
    /// <c>--gc-sections</c> dropped), "Memory Configuration" and "Allocating common symbols" parts are skipped; the
    /// "Archive member included to satisfy reference by file (symbol)" table is kept as <see cref="ArchiveMembers"/>.
    /// </summary>
    /// <remarks>
    /// The text is read line by line, each line once, in time linear in its length: symbol lines (an address and a
    /// name), assignments, input section patterns (<c>*(.text .text.*)</c>), LOAD and group lines and anything malformed
    /// are skipped, never an error. A name too long for its column stands alone on its line, its address and size on
    /// the next. Lines may end with CRLF.
    /// </remarks>
    internal sealed class LinkMap
    {
        private const string ArchiveHeader = "Archive member included to satisfy reference by file (symbol)";
        private const string MapHeader = "Linker script and memory map";
        private static readonly string[] SkippedHeaders =
        {
            "Allocating common symbols", "Discarded input sections", "Memory Configuration", "Cross Reference Table",
        };

        private LinkMap(List<LinkOutputSection> outputSections, List<LinkedInput> inputs, List<LinkFill> fills, List<ArchiveMemberReference> archiveMembers)
        {
            OutputSections = outputSections;
            Inputs = inputs;
            Fills = fills;
            ArchiveMembers = archiveMembers;
        }

        /// <summary>The output sections with an address, in map order (one the script names but that got no address is left out).</summary>
        public IReadOnlyList<LinkOutputSection> OutputSections { get; }

        /// <summary>Every input section placed in an output section, in map order.</summary>
        public IReadOnlyList<LinkedInput> Inputs { get; }

        /// <summary>Every "*fill*" entry, in map order (<see cref="LinkOutputSection.Fills"/> has each section's).</summary>
        public IReadOnlyList<LinkFill> Fills { get; }

        /// <summary>Why each static library member was taken, from the table at the top of the map.</summary>
        public IReadOnlyList<ArchiveMemberReference> ArchiveMembers { get; }

        private enum Part
        {
            Map,
            ArchiveMembers,
            Skipped,
        }

        /// <summary>Reads a map file's text; never throws for odd content (what it cannot read is skipped).</summary>
        public static LinkMap Parse(string mapText)
        {
            var outputs = new List<LinkOutputSection>();
            var inputs = new List<LinkedInput>();
            var fills = new List<LinkFill>();
            var members = new List<ArchiveMemberReference>();
            if (string.IsNullOrEmpty(mapText)) return new LinkMap(outputs, inputs, fills, members);

            // A map begins with the archive member table; text without any header is read as the memory map.
            var part = Part.Map;
            LinkOutputSection output = null;
            string pendingOutput = null, pendingInput = null, pendingMember = null;
            var tokens = new Token[6];
            int position = 0;
            while (position < mapText.Length)
            {
                int newline = mapText.IndexOf('\n', position);
                int end = newline < 0 ? mapText.Length : newline;
                var line = new Line(mapText, position, end);
                position = end + 1;

                if (line.IsBlank)
                {
                    pendingOutput = pendingInput = pendingMember = null;
                    continue;
                }
                if (!line.Indented)
                {
                    var header = HeaderOf(line);
                    if (header != null)
                    {
                        part = header.Value;
                        output = null;
                        pendingOutput = pendingInput = pendingMember = null;
                        continue;
                    }
                }
                int count = line.Split(tokens);
                switch (part)
                {
                    case Part.ArchiveMembers:
                        ReadArchiveMemberLine(line, tokens, count, ref pendingMember, members);
                        break;
                    case Part.Map:
                        if (!line.Indented)
                        {
                            pendingInput = null;
                            pendingOutput = null;
                            output = null;
                            if (count == 1) pendingOutput = tokens[0].Text(mapText);
                            else if (TryOutputSection(mapText, tokens[0].Text(mapText), tokens, 1, count, out var placed)) output = Add(outputs, placed);
                            break;
                        }
                        if (pendingOutput != null)
                        {
                            string name = pendingOutput;
                            pendingOutput = null;
                            if (TryOutputSection(mapText, name, tokens, 0, count, out var placed))
                            {
                                output = Add(outputs, placed);
                                break;
                            }
                        }
                        ReadMapLine(mapText, line, tokens, count, output, ref pendingInput, inputs, fills);
                        break;
                }
            }
            return new LinkMap(outputs, inputs, fills, members);
        }

        private static LinkOutputSection Add(List<LinkOutputSection> outputs, LinkOutputSection section)
        {
            outputs.Add(section);
            return section;
        }

        private static Part? HeaderOf(Line line)
        {
            if (line.Is(MapHeader)) return Part.Map;
            if (line.Is(ArchiveHeader)) return Part.ArchiveMembers;
            foreach (string header in SkippedHeaders)
            {
                if (line.Is(header)) return Part.Skipped;
            }
            return null;
        }

        /// <summary>"address size [load address lma]" from token <paramref name="first"/> on.</summary>
        private static bool TryOutputSection(string text, string name, Token[] tokens, int first, int count, out LinkOutputSection section)
        {
            section = null;
            if (count < first + 2 || !TryHex(text, tokens[first], out ulong address) || !TrySize(text, tokens[first + 1], out long size)) return false;
            ulong? load = null;
            if (count >= first + 5 && tokens[first + 2].Is(text, "load") && tokens[first + 3].Is(text, "address") && TryHex(text, tokens[first + 4], out ulong lma))
            {
                load = lma;
            }
            section = new LinkOutputSection(name, address, size, load);
            return true;
        }

        /// <summary>An indented line of the memory map: an input section, its wrapped second half, fill, or something skipped.</summary>
        private static void ReadMapLine(string text, Line line, Token[] tokens, int count, LinkOutputSection output, ref string pendingInput, List<LinkedInput> inputs, List<LinkFill> fills)
        {
            string wrapped = pendingInput;
            pendingInput = null;
            char first = text[tokens[0].Start];
            if (first == '0' && count >= 2 && TryHex(text, tokens[0], out ulong address))
            {
                // The address and size of a name on the line before; else a symbol, an assignment or "(size before relaxing)".
                if (wrapped != null && count >= 3 && TrySize(text, tokens[1], out long size)) AddInput(text, wrapped, address, size, line, tokens[2], output, inputs);
                return;
            }
            if (first == '*')
            {
                if (count >= 3 && tokens[0].Is(text, "*fill*") && output != null && TryHex(text, tokens[1], out ulong at) && TrySize(text, tokens[2], out long size))
                {
                    var fill = new LinkFill(output.Name, at, size);
                    output.FillList.Add(fill);
                    fills.Add(fill);
                }
                return; // an input section pattern: *(.text .text.*), *crtbegin.o(.ctors)
            }
            if (first == '[') return; // [!provide]
            string name = tokens[0].Text(text);
            if (count == 1)
            {
                pendingInput = name;
                return;
            }
            if (count >= 4 && TryHex(text, tokens[1], out ulong inputAddress) && TrySize(text, tokens[2], out long inputSize))
            {
                AddInput(text, name, inputAddress, inputSize, line, tokens[3], output, inputs);
            }
        }

        private static void AddInput(string text, string name, ulong address, long size, Line line, Token fileStart, LinkOutputSection output, List<LinkedInput> inputs)
        {
            if (output == null) return;
            // The file is the rest of the line: a path may hold spaces, and "linker stubs" does.
            string file = text.Substring(fileStart.Start, line.End - fileStart.Start);
            var input = new LinkedInput(output.Name, name, address, size, file);
            output.InputList.Add(input);
            inputs.Add(input);
        }

        /// <summary>"member  file (symbol)", the member alone on its line when its name is long.</summary>
        private static void ReadArchiveMemberLine(Line line, Token[] tokens, int count, ref string pendingMember, List<ArchiveMemberReference> members)
        {
            string text = line.Text;
            if (!line.Indented)
            {
                pendingMember = null;
                if (count == 1) pendingMember = tokens[0].Text(text);
                else AddMember(tokens[0].Text(text), text, tokens[1].Start, line.End, members);
                return;
            }
            if (pendingMember != null) AddMember(pendingMember, text, tokens[0].Start, line.End, members);
            pendingMember = null;
        }

        private static void AddMember(string member, string text, int start, int end, List<ArchiveMemberReference> members)
        {
            if (end - start < 4 || text[end - 1] != ')') return;
            int open = text.LastIndexOf(" (", end - 1, end - start, StringComparison.Ordinal);
            if (open <= start) return;
            string referencedBy = text.Substring(start, open - start).TrimEnd();
            string symbol = text.Substring(open + 2, end - 1 - (open + 2));
            if (referencedBy.Length > 0 && symbol.Length > 0) members.Add(new ArchiveMemberReference(member, referencedBy, symbol));
        }

        /// <summary>"0x" and 1 to 16 hex digits.</summary>
        private static bool TryHex(string text, Token token, out ulong value)
        {
            value = 0;
            int digits = token.Length - 2;
            if (digits < 1 || digits > 16 || text[token.Start] != '0' || (text[token.Start + 1] != 'x' && text[token.Start + 1] != 'X')) return false;
            for (int i = token.Start + 2; i < token.End; i++)
            {
                int digit = HexDigit(text[i]);
                if (digit < 0) return false;
                value = (value << 4) | (uint)digit;
            }
            return true;
        }

        private static bool TrySize(string text, Token token, out long size)
        {
            size = 0;
            if (!TryHex(text, token, out ulong value) || value > long.MaxValue) return false;
            size = (long)value;
            return true;
        }

        private static int HexDigit(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        /// <summary>A whitespace-separated word of a line, by position.</summary>
        private readonly struct Token
        {
            public Token(int start, int end)
            {
                Start = start;
                End = end;
            }

            public int Start { get; }

            public int End { get; }

            public int Length => End - Start;

            public string Text(string text) => text.Substring(Start, Length);

            public bool Is(string text, string word) => Length == word.Length && string.CompareOrdinal(text, Start, word, 0, word.Length) == 0;
        }

        /// <summary>One line of the text, without its line end and trailing white space.</summary>
        private readonly struct Line
        {
            public Line(string text, int start, int end)
            {
                while (end > start && IsSpace(text[end - 1])) end--;
                Text = text;
                Start = start;
                End = end;
            }

            public string Text { get; }

            public int Start { get; }

            public int End { get; }

            public bool IsBlank => End == Start || FirstWord() == End;

            /// <summary>Starts with white space: not an output section, a header or a LOAD line.</summary>
            public bool Indented => End > Start && IsSpace(Text[Start]);

            public bool Is(string words) => End - Start == words.Length && string.CompareOrdinal(Text, Start, words, 0, words.Length) == 0;

            /// <summary>Fills <paramref name="tokens"/> with the first words (the last one may be followed by more); returns how many.</summary>
            public int Split(Token[] tokens)
            {
                int count = 0, i = FirstWord();
                while (i < End && count < tokens.Length)
                {
                    int start = i;
                    while (i < End && !IsSpace(Text[i])) i++;
                    tokens[count++] = new Token(start, i);
                    while (i < End && IsSpace(Text[i])) i++;
                }
                return count;
            }

            private int FirstWord()
            {
                int i = Start;
                while (i < End && IsSpace(Text[i])) i++;
                return i;
            }

            private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
        }
    }
}
