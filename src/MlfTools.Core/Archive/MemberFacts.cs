using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using MlfTools.IO;
using MlfTools.Rename;
using MlfTools.Elf;
using MlfTools.CSource;

namespace MlfTools.Archive
{
    /// <summary>
    /// What a join needs to know of a member without copying it: a hash of its bytes and, for C sources and
    /// objects, the global symbols it defines. Worked out while a .tar.gz is indexed (its only cheap chance),
    /// or by seeking to the member in a .tar or folder when the join checks it.
    /// </summary>
    internal sealed class MemberFacts
    {
        private MemberFacts(string sha256, IReadOnlyList<string> symbols, string symbolError, RuntimeApiUse runtimeApi = null, string notObjectCode = null)
        {
            Sha256 = sha256;
            Symbols = symbols;
            SymbolError = symbolError;
            RuntimeApi = runtimeApi;
            NotObjectCode = notObjectCode;
        }

        public string Sha256 { get; }

        /// <summary>Global definitions; null when the member is not a C source or object code (or is a C++ source, or breaks the object code rule).</summary>
        public IReadOnlyList<string> Symbols { get; }

        /// <summary>Why an object's symbol table could not be read, when it is a corrupt ELF file.</summary>
        public string SymbolError { get; }

        /// <summary>For C sources and the C runtime's public headers: the runtime functions called, and the functions declared.</summary>
        public RuntimeApiUse RuntimeApi { get; }

        /// <summary>For an object file that is not object code by <see cref="ObjectCode.WhatElse"/>'s rule, what it is instead ("a Mach-O object", "text", ...).</summary>
        public string NotObjectCode { get; }

        /// <summary>True for the members whose symbols are read: C sources (not C++) and objects and static libraries.</summary>
        public static bool DefinesSymbols(string kind, string path) =>
            kind == MlfFileKind.Object || (kind == MlfFileKind.Source && path.EndsWith(".c", StringComparison.Ordinal));

        /// <summary>True for the public headers of the C runtime (runtime/include/), whose declarations generated code relies on.</summary>
        public static bool DeclaresRuntimeApi(string kind, string path) =>
            kind == MlfFileKind.Runtime && path.StartsWith("runtime/include/", StringComparison.Ordinal) && path.EndsWith(".h", StringComparison.Ordinal);

        /// <summary>True for the members whose facts come from reading them whole: <see cref="DefinesSymbols"/> or <see cref="DeclaresRuntimeApi"/>.</summary>
        public static bool IsCode(string kind, string path) => DefinesSymbols(kind, path) || DeclaresRuntimeApi(kind, path);

        /// <summary>The facts of a C source or object; <paramref name="hash"/> false leaves <see cref="Sha256"/> null, for a caller that compares no copies.</summary>
        /// <remarks>A C source of more tokens than the symbol scan keeps throws <see cref="CSourceTooLargeException"/>; object code over a
        /// limit (its symbols counted against <paramref name="budget"/>, the pass's) <see cref="ObjectCodeTooLargeException"/>.</remarks>
        public static MemberFacts OfCode(string kind, byte[] bytes, SymbolBudget budget, bool hash = true, CancellationToken cancellationToken = default)
        {
            string sha256 = hash ? Hash(bytes) : null;
            if (kind == MlfFileKind.Runtime)
            {
                return new MemberFacts(sha256, null, null, RuntimeApiUse.Scan(CText.Decode(bytes), isRuntimeHeader: true));
            }
            if (kind != MlfFileKind.Object)
            {
                string text = CText.Decode(bytes);
                var symbols = CSymbolScanner.FindGlobalDefinitions(text, skipGroupInsides: true, cancellationToken);
                return new MemberFacts(sha256, symbols.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList(), null, RuntimeApiUse.Scan(text, isRuntimeHeader: false));
            }
            try
            {
                return new MemberFacts(sha256, ObjectCode.FindGlobalDefinitions(bytes, budget, cancellationToken), null);
            }
            catch (NotObjectCodeException ex)
            {
                return new MemberFacts(sha256, null, null, notObjectCode: ex.What);
            }
            catch (InvalidDataException ex)
            {
                return new MemberFacts(sha256, null, ex.Message);
            }
        }

        public static MemberFacts OfData(string sha256) => new MemberFacts(sha256, null, null);

        public static string Hash(byte[] bytes)
        {
            using (var sha = SHA256.Create())
            {
                return Convert.ToBase64String(sha.ComputeHash(bytes));
            }
        }

        /// <summary>Passes reads through and hashes every byte, so a member is hashed in the pass that reads it anyway.</summary>
        public sealed class HashingStream : ForwardReadStream
        {
            private readonly Stream _inner;
            private readonly SHA256 _sha = SHA256.Create();
            private string _hash;

            public HashingStream(Stream inner)
            {
                _inner = inner;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int read = _inner.Read(buffer, offset, count);
                if (read > 0) _sha.TransformBlock(buffer, offset, read, null, 0);
                return read;
            }

            /// <summary>Reads whatever is left and returns the hash of everything.</summary>
            public string Finish()
            {
                if (_hash != null) return _hash;
                var scratch = new byte[81920];
                while (Read(scratch, 0, scratch.Length) > 0) { }
                _sha.TransformFinalBlock(new byte[0], 0, 0);
                return _hash = Convert.ToBase64String(_sha.Hash);
            }

            public override long Length => _inner.Length;

            protected override void Dispose(bool disposing)
            {
                if (disposing) _sha.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
