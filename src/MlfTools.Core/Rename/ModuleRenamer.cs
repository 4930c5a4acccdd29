using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.Format;

namespace MlfTools.Rename
{
    /// <summary>
    /// Rewrites a module's identity from old name O to new name N in the files TVM generated for it, and nothing else.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The identity is spelt three ways, each matched against a whole identifier (a maximal run of ASCII letters,
    /// digits, '_' and '$'), so that <c>my_tvmgen_default_x</c>, <c>tvmgen_defaultx</c>, <c>serving_default</c> and
    /// <c>default:</c> never change:
    /// </para>
    /// <list type="bullet">
    /// <item>an identifier starting <c>tvmgen_o_</c> (o = O lowercased, as TVM's ToCVariableStyle spells it) gets the
    /// prefix <c>tvmgen_n_</c>: kernels, <c>tvmgen_o_run</c>, <c>tvmgen_o_inputs</c>, ...;</item>
    /// <item>the identifier <c>tvmgen_o</c> itself becomes <c>tvmgen_n</c>: <c>#include &lt;tvmgen_o.h&gt;</c>, the metadata's
    /// mod_name string "tvmgen_o";</item>
    /// <item>an identifier starting <c>TVMGEN_O_</c> (O uppercased) gets the prefix <c>TVMGEN_N_</c>: the header guard
    /// <c>TVMGEN_O_H_</c> and the size macros (only the prefix changes: TVMGEN_DEFAULT_SERVING_DEFAULT_... keeps its
    /// inner _DEFAULT_).</item>
    /// </list>
    /// <para>
    /// The prefix rule cannot tell module <c>default</c>'s kernel <c>tvmgen_default_x_fused</c> from module
    /// <c>default_x</c>'s kernel <c>fused</c>. Callers therefore rename only a module's own files (its codegen sources,
    /// header, graph, Relay text and metadata entry), which hold its own prefix and no other module's.
    /// </para>
    /// <para>
    /// In C code (not in string literals) a rename also gives the link-params function <c>_lookup_linked_param</c> the
    /// name <c>tvmgen_n__lookup_linked_param</c>; its registry string stays "_lookup_linked_param", which the graph
    /// executor looks up. Two options serve system-lib builds joined with others: <see cref="SystemLibEntry"/> renames
    /// the C symbol <c>TVMSystemLibEntryPoint</c>, and <see cref="WidensRegistryCount"/> rewrites a registry's one-byte
    /// count (TVM 0.8 and older) as the two bytes a TVM 0.9+ C runtime reads. Both work with a renamer whose old and new
    /// names are equal, which changes nothing else.
    /// </para>
    /// <para>
    /// A renamer may also be given the module's unprefixed kernels (<see cref="UnprefixedKernels"/>: TVM 0.8 and older
    /// wrote <c>fused_add</c> for what is now <c>tvmgen_default_fused_add</c>). When the name changes, each becomes
    /// <c>tvmgen_n_&lt;kernel&gt;</c>, matched as a whole identifier: in C code and string literals (the registry) and in
    /// metadata strings, and in a graph config as whole string values (<see cref="RenameGraph(byte[])"/>); never in Relay
    /// text. The C-only global <c>__tvm_module_ctx</c> of such code (which the C runtime never reads) becomes
    /// <c>tvmgen_n___tvm_module_ctx</c>, as <c>_lookup_linked_param</c> does.
    /// </para>
    /// </remarks>
    internal sealed class ModuleRenamer
    {
        private const string IdentityFirstChars = "tT";
        internal const string LinkedParamLookup = "_lookup_linked_param";
        private const string SystemLibEntryPoint = "TVMSystemLibEntryPoint";
        private const string ModuleContext = "__tvm_module_ctx";

        private readonly string _bareOld;
        private readonly string _bareNew;
        private readonly string _prefixOld;
        private readonly string _prefixNew;
        private readonly string _macroOld;
        private readonly string _macroNew;
        private readonly string _moduleComment;
        private readonly string _guardOld;
        private readonly string _guardNew;
        private readonly bool _changesIdentity;
        private readonly string _linkedParamLookupNew;
        private readonly string _moduleContextNew;
        private readonly string _firstChars;

        /// <summary>The unprefixed kernels renamed (empty unless the name changes), and bounds that spare most identifiers the lookup.</summary>
        private readonly HashSet<string> _kernels;
        private readonly int _kernelMinLength;
        private readonly int _kernelMaxLength;
        private readonly string _kernelFirstChars;

        /// <summary>
        /// The unprefixed globals a join renames itself when it must (the system library's entry point, the link-params
        /// lookup, the <c>__tvm_module_ctx</c> of TVM 0.8-era code): they never keep two modules from sharing an image.
        /// </summary>
        public static bool IsRenamedByJoin(string symbol) => symbol == SystemLibEntryPoint || symbol == LinkedParamLookup || symbol == ModuleContext;

        /// <summary>Whether a module of this name can be renamed: its symbols are found by the name, so it must be ASCII letters, digits and '_'.</summary>
        public static bool CanRename(string oldName) => TvmNames.IsIdentifierPart(oldName);

        public ModuleRenamer(string oldName, string newName) : this(oldName, newName, false, false)
        {
        }

        /// <summary>
        /// A renamer from <paramref name="oldName"/> to <paramref name="newName"/> (which may be equal) that also renames
        /// <c>TVMSystemLibEntryPoint</c> to <c>tvmgen_n_system_lib</c> when <paramref name="renameSystemLibEntry"/>, and
        /// widens one-byte registry counts when <paramref name="widenRegistryCount"/>.
        /// </summary>
        public ModuleRenamer(string oldName, string newName, bool renameSystemLibEntry, bool widenRegistryCount)
            : this(oldName, newName, renameSystemLibEntry, widenRegistryCount, null)
        {
        }

        /// <summary>
        /// As <see cref="ModuleRenamer(string, string, bool, bool)"/>, also renaming the module's unprefixed
        /// <paramref name="kernels"/> (see <see cref="UnprefixedKernels"/>) to <c>tvmgen_n_&lt;kernel&gt;</c> when the name changes.
        /// </summary>
        public ModuleRenamer(string oldName, string newName, bool renameSystemLibEntry, bool widenRegistryCount, IEnumerable<string> kernels)
        {
            if (oldName == null) throw new ArgumentNullException(nameof(oldName));
            if (!CanRename(oldName)) throw new ArgumentException($"'{oldName}' cannot be a module's name: it is not made of ASCII letters, digits and '_'.", nameof(oldName));
            if (newName != oldName && !MlfModuleNames.IsValidNewName(newName)) throw MlfModuleNames.InvalidName(newName);

            OldName = oldName;
            NewName = newName;
            _bareOld = "tvmgen_" + oldName.ToLowerInvariant();
            _bareNew = "tvmgen_" + newName.ToLowerInvariant();
            _prefixOld = _bareOld + "_";
            _prefixNew = _bareNew + "_";
            _macroOld = "TVMGEN_" + oldName.ToUpperInvariant() + "_";
            _macroNew = "TVMGEN_" + newName.ToUpperInvariant() + "_";
            _moduleComment = "for TVM module \"" + oldName + "\"";
            _guardOld = _macroOld + "H_";
            _guardNew = _macroNew + "H_";
            _changesIdentity = _bareOld != _bareNew || _macroOld != _macroNew;
            _linkedParamLookupNew = _changesIdentity ? _prefixNew + LinkedParamLookup : null;
            _moduleContextNew = _changesIdentity ? TvmNames.PrefixedSymbol(newName, ModuleContext) : null;
            _kernels = new HashSet<string>(_changesIdentity && kernels != null ? kernels.Where(TvmNames.IsCIdentifier) : Enumerable.Empty<string>(), StringComparer.Ordinal);
            _kernelMinLength = _kernels.Count == 0 ? int.MaxValue : _kernels.Min(k => k.Length);
            _kernelMaxLength = _kernels.Count == 0 ? 0 : _kernels.Max(k => k.Length);
            _kernelFirstChars = new string(_kernels.Select(k => k[0]).Distinct().OrderBy(c => c).ToArray());
            SystemLibEntry = renameSystemLibEntry ? _prefixNew + "system_lib" : null;
            WidensRegistryCount = widenRegistryCount;
            _firstChars = _linkedParamLookupNew != null || widenRegistryCount ? IdentityFirstChars + "_" : IdentityFirstChars;
            _firstChars += new string(_kernelFirstChars.Where(c => _firstChars.IndexOf(c) < 0).ToArray());
        }

        public string OldName { get; }

        public string NewName { get; }

        /// <summary>True when the module's name changes (its symbols, files and metadata), not just the system-lib fixes.</summary>
        public bool ChangesName => !string.Equals(OldName, NewName, StringComparison.Ordinal);

        /// <summary>The new name of the C symbol <c>TVMSystemLibEntryPoint</c> (<c>tvmgen_n_system_lib</c>), or null when it keeps its name.</summary>
        public string SystemLibEntry { get; }

        /// <summary>Whether a registry names string with a one-byte count gets the two-byte count of TVM 0.9 and later.</summary>
        public bool WidensRegistryCount { get; }

        /// <summary>The unprefixed kernels this renamer gives the new prefix (empty when the name does not change).</summary>
        public IReadOnlyCollection<string> Kernels => _kernels;

        /// <summary>What a global C symbol the module defines is called after the rename (identity rules, kernels and the C-only names).</summary>
        public string RenameSymbol(string name)
        {
            if (name == null) return null;
            return SymbolReplacement(name, 0, name.Length) ?? RenameString(name);
        }

        /// <summary>A C or C++ source or the C interface header, byte for byte except for the renamed identifiers.</summary>
        public byte[] RenameCSource(byte[] source) => RenameCSource(source, out _);

        /// <summary>As <see cref="RenameCSource(byte[])"/>; <paramref name="renamed"/> counts the identifiers renamed, in code and in literals.</summary>
        /// <remarks>
        /// Comments and character literals are left alone. Identifiers are read as the compiler reads them, with
        /// backslash-newlines and trigraphs (see <see cref="CSource.CLexer"/>), as the symbol check reads them. String literals are decoded (adjacent ones joined, as the
        /// compiler joins them) and the identifier rules applied to the decoded characters; where a name changes, only
        /// the spelling of that name is replaced, with plain characters, and every other character keeps its
        /// original spelling (escape or not), so an unchanged literal stays byte-identical and renaming back restores
        /// the original exactly. In a function-registry string the count is kept apart from the first name.
        /// </remarks>
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
        public byte[] RenameCSource(byte[] source, out int renamed)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            string text = CText.Decode(source);
            var edits = new List<TextEdit>();
            // Every spelling of the identity starts with 't' or 'T' (tvmgen_o, tvmgen_o_, TVMGEN_O_): other names cannot change.
            var tokens = RenameSites.Scan(text, _firstChars, reportComments: ChangesName);
            var commentEdits = new List<TextEdit>();
            foreach (var comment in tokens.Where(k => k.Kind == RenameSites.TokenKind.Comment)) FindCommentEdits(text, comment.Start, comment.End, commentEdits);
            tokens.RemoveAll(k => k.Kind == RenameSites.TokenKind.Comment); // a comment between two literals does not keep the compiler from joining them
            int widenedLiteral = WidensRegistryCount ? OneByteRegistryLiteral(text, tokens) : -1;
            for (int t = 0; t < tokens.Count; t++)
            {
                var token = tokens[t];
                if (token.Kind == RenameSites.TokenKind.Identifier && SymbolReplacement(text, token.Start, token.End - token.Start) is string symbol)
                {
                    edits.Add(new TextEdit(token.Start, token.End - token.Start, symbol));
                    continue;
                }
                if (token.Kind != RenameSites.TokenKind.StringBody)
                {
                    if (token.Spelling == null) FindEdits(text, token.Start, token.End, edits);
                    else RenameSplitIdentifier(text, token, edits);
                    continue;
                }
                int last = t;
                while (last + 1 < tokens.Count && tokens[last + 1].Kind == RenameSites.TokenKind.StringBody && tokens[last + 1].JoinsPrevious) last++;
                RenameLiterals(text, tokens, t, last, edits, token.Start == widenedLiteral);
                t = last;
            }
            renamed = edits.Count(e => e.Replacement.Length > 0); // a name split over joined literals is one name
            if (commentEdits.Count > 0) edits = edits.Concat(commentEdits).OrderBy(e => e.Start).ToList();
            return edits.Count == 0 ? (byte[])source.Clone() : TextEdit.ApplyLatin1(source, edits);
        }

        /// <summary>Where the names string of a registry with a one-byte count starts (the first literal body), or -1.</summary>
        private static int OneByteRegistryLiteral(string text, List<RenameSites.Token> tokens)
        {
            const string name = FuncRegistryNames.RegistryVariable;
            bool named = tokens.Any(k => k.Kind == RenameSites.TokenKind.Identifier && (k.Spelling != null
                ? k.Spelling == name
                : k.End - k.Start == name.Length && string.CompareOrdinal(text, k.Start, name, 0, name.Length) == 0));
            var registry = named ? FuncRegistryDefinition.Find(text) : null;
            return registry?.CountBytes == 1 ? registry.LiteralStart : -1;
        }

        /// <summary>
        /// The two comments in which TVM's C interface header names the module (interface_c.cc, TVM 0.8 to 0.18): the
        /// <c>\brief ... for TVM module "O"</c> of every struct, macro and function, and <c>#endif // TVMGEN_O_H_</c>.
        /// They take the new name as TVM would have written it; every other comment is left as it is.
        /// </summary>
        private void FindCommentEdits(string text, int start, int end, List<TextEdit> edits)
        {
            int from = start;
            while (true)
            {
                int at = text.IndexOf(_moduleComment, from, end - from, StringComparison.Ordinal);
                if (at < 0) break;
                int name = at + _moduleComment.Length - OldName.Length - 1;
                edits.Add(new TextEdit(name, OldName.Length, NewName));
                from = at + _moduleComment.Length;
            }
            if (text[start + 1] != '/') return;
            int body = start + 2;
            while (body < end && (text[body] == ' ' || text[body] == '\t')) body++;
            int bodyEnd = end;
            while (bodyEnd > body && char.IsWhiteSpace(text[bodyEnd - 1])) bodyEnd--;
            if (bodyEnd - body == _guardOld.Length && string.CompareOrdinal(text, body, _guardOld, 0, _guardOld.Length) == 0)
            {
                edits.Add(new TextEdit(body, _guardOld.Length, _guardNew));
            }
        }

        /// <summary>
        /// An identifier that a backslash-newline (or <c>??/</c> and a newline) splits: when the name the compiler reads
        /// carries the identity, the whole spelling becomes the new name, unsplit, followed by one backslash-newline for
        /// each line the old spelling spanned, so that every later line keeps its number.
        /// </summary>
        private void RenameSplitIdentifier(string text, RenameSites.Token token, List<TextEdit> edits)
        {
            var found = new List<TextEdit>();
            FindEdits(token.Spelling, 0, token.Spelling.Length, found);
            if (found.Count == 0) return;
            var replacement = new System.Text.StringBuilder(TextEdit.Apply(token.Spelling, found));
            for (int i = token.Start; i < token.End; i++)
            {
                if (text[i] == '\n') replacement.Append(i > token.Start && text[i - 1] == '\r' ? "\\\r\n" : "\\\n");
            }
            edits.Add(new TextEdit(token.Start, token.End - token.Start, replacement.ToString()));
        }

        /// <summary>Relay text or a graph executor config (JSON edited as text): the identifier rules over the whole text (no kernels: see <see cref="RenameGraph(byte[])"/>).</summary>
        public byte[] RenameText(byte[] text) => RenameText(text, out _);

        /// <summary>As <see cref="RenameText(byte[])"/>; <paramref name="renamed"/> counts the identifiers renamed.</summary>
        public byte[] RenameText(byte[] text, out int renamed)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            string value = Latin1.GetString(text);
            var edits = new List<TextEdit>();
            FindEdits(value, 0, value.Length, edits, kernels: false);
            renamed = edits.Count;
            return edits.Count == 0 ? (byte[])text.Clone() : TextEdit.ApplyLatin1(text, edits);
        }

        /// <summary>
        /// A graph executor config (JSON edited as text): the identifier rules over the whole text, as <see cref="RenameText(byte[])"/>,
        /// and every JSON string value (not a key) that is exactly an unprefixed kernel, which names it in <c>func_name</c>
        /// and as its node's name.
        /// </summary>
        public byte[] RenameGraph(byte[] text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            string value = Latin1.GetString(text);
            var edits = new List<TextEdit>();
            FindEdits(value, 0, value.Length, edits, kernels: false);
            if (_kernels.Count > 0)
            {
                FindKernelStrings(value, edits);
                edits = edits.OrderBy(e => e.Start).ToList();
            }
            return edits.Count == 0 ? (byte[])text.Clone() : TextEdit.ApplyLatin1(text, edits);
        }

        /// <summary>JSON string values whose text between the quotes is exactly an unprefixed kernel (a key, followed by ':', is left alone).</summary>
        private void FindKernelStrings(string json, List<TextEdit> edits)
        {
            int i = 0;
            while (i < json.Length)
            {
                if (json[i] != '"')
                {
                    i++;
                    continue;
                }
                int start = i + 1;
                int end = start;
                while (end < json.Length && json[end] != '"')
                {
                    end += json[end] == '\\' ? 2 : 1;
                }
                if (end >= json.Length) break;
                int after = end + 1;
                while (after < json.Length && (json[after] == ' ' || json[after] == '\t' || json[after] == '\r' || json[after] == '\n')) after++;
                bool key = after < json.Length && json[after] == ':';
                if (!key && KernelReplacement(json, start, end - start) is string renamed) edits.Add(new TextEdit(start, end - start, renamed));
                i = end + 1;
            }
        }

        /// <summary>A string value from metadata.json, such as an operator function name, or a symbol's name.</summary>
        public string RenameString(string value)
        {
            if (value == null) return null;
            var edits = new List<TextEdit>();
            FindEdits(value, 0, value.Length, edits);
            return TextEdit.Apply(value, edits);
        }


        /// <summary>True when <paramref name="identifier"/> (one whole identifier) carries the module's identity or is an unprefixed kernel.</summary>
        public bool Renames(string identifier) => identifier != null &&
            (Replacement(identifier, 0, identifier.Length, out _) != null || KernelReplacement(identifier, 0, identifier.Length) != null);

        /// <summary>The new name of the whole identifier text[start, start+length) when it is an unprefixed kernel; else null.</summary>
        private string KernelReplacement(string text, int start, int length)
        {
            if (length < _kernelMinLength || length > _kernelMaxLength || _kernelFirstChars.IndexOf(text[start]) < 0) return null;
            string name = text.Substring(start, length);
            return _kernels.Contains(name) ? TvmNames.PrefixedSymbol(NewName, name) : null;
        }

        /// <summary>
        /// Adds an edit for every identifier in <paramref name="text"/>[<paramref name="start"/>, <paramref name="end"/>) that
        /// carries the identity or, with <paramref name="kernels"/>, is an unprefixed kernel.
        /// </summary>
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
        private void FindEdits(string text, int start, int end, List<TextEdit> edits, bool kernels = true)
        {
            int i = start;
            while (i < end)
            {
                if (!RenameSites.IsIdentifierChar(text[i]))
                {
                    i++;
                    continue;
                }
                int runEnd = i;
                while (runEnd < end && RenameSites.IsIdentifierChar(text[runEnd])) runEnd++;
                string replacement = Replacement(text, i, runEnd - i, out int replaced);
                if (replacement == null && kernels && KernelReplacement(text, i, runEnd - i) is string kernel)
                {
                    replacement = kernel;
                    replaced = runEnd - i;
                }
                if (replacement != null) edits.Add(new TextEdit(i, replaced, replacement));
                i = runEnd;
            }
        }

        /// <summary>
        /// For the identifier text[start, start+length): the new spelling of its leading <paramref name="replaced"/>
        /// chars, or null when it does not carry the identity.
        /// </summary>
        private string Replacement(string text, int start, int length, out int replaced)
        {
            replaced = 0;
            if (!_changesIdentity) return null;
            string from = null, to = null;
            if (length == _bareOld.Length && StartsWith(text, start, _bareOld))
            {
                from = _bareOld;
                to = _bareNew;
            }
            else if (length >= _prefixOld.Length && StartsWith(text, start, _prefixOld))
            {
                from = _prefixOld;
                to = _prefixNew;
            }
            else if (length >= _macroOld.Length && StartsWith(text, start, _macroOld))
            {
                from = _macroOld;
                to = _macroNew;
            }
            if (from != null) replaced = from.Length;
            return to;
        }

        /// <summary>The new name of the whole C identifier text[start, start+length) when it is one the rename gives a new name in code only; else null.</summary>
        private string SymbolReplacement(string text, int start, int length)
        {
            if (_linkedParamLookupNew != null && length == LinkedParamLookup.Length && StartsWith(text, start, LinkedParamLookup)) return _linkedParamLookupNew;
            if (SystemLibEntry != null && length == SystemLibEntryPoint.Length && StartsWith(text, start, SystemLibEntryPoint)) return SystemLibEntry;
            if (_moduleContextNew != null && length == ModuleContext.Length && StartsWith(text, start, ModuleContext)) return _moduleContextNew;
            return null;
        }

        private static bool StartsWith(string text, int start, string prefix) =>
            string.CompareOrdinal(text, start, prefix, 0, prefix.Length) == 0;

        /// <summary>String literal bodies tokens[first..last], joined by the compiler: decode, find, and re-spell only the renamed names.</summary>
        private void RenameLiterals(string text, List<RenameSites.Token> tokens, int first, int last, List<TextEdit> edits, bool widenCount)
        {
            var literal = new CStringLiteral();
            for (int t = first; t <= last; t++) literal.Append(text, tokens[t].Start, tokens[t].End, t - first);
            string value = literal.Value;

            var found = new List<TextEdit>();
            int namesOffset = FuncRegistryNames.NamesOffset(value);
            if (widenCount)
            {
                // The count keeps its spelling and gets its high byte: "\007tvmgen_..." becomes "\007\000tvmgen_...", as TVM 0.9+
                // writes it (a one-byte count never exceeds 255). Three octal digits: no name character can extend the escape.
                int countStart = literal.StartOf(0);
                edits.Add(new TextEdit(countStart, literal.EndOf(0) - countStart, text.Substring(countStart, literal.EndOf(0) - countStart) + "\\000"));
            }
            FindEdits(value, 0, namesOffset, found);
            FindEdits(value, namesOffset, value.Length, found);

            foreach (var edit in found)
            {
                // The units of one name may lie in several joined literals: the first piece takes the new spelling,
                // the others lose their part of the old one.
                int unit = edit.Start;
                int endUnit = edit.Start + edit.Length;
                string replacement = CStringLiteral.Encode(edit.Replacement);
                while (unit < endUnit)
                {
                    int piece = literal.PieceOf(unit);
                    int pieceEnd = unit;
                    while (pieceEnd + 1 < endUnit && literal.PieceOf(pieceEnd + 1) == piece) pieceEnd++;
                    int sourceStart = literal.StartOf(unit);
                    edits.Add(new TextEdit(sourceStart, literal.EndOf(pieceEnd) - sourceStart, replacement));
                    replacement = string.Empty;
                    unit = pieceEnd + 1;
                }
            }
        }
    }
}
