using System;
using System.IO;
using MlfTools.IO;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// The real file operations of an atomic writer, with hooks: every file it creates is a <see cref="ScriptedStream"/>
    /// over the real file, and every rename (into place, or of an old folder aside and back) calls <see cref="BeforeRename"/> first.
    /// </summary>
    internal sealed class ScriptedOutputFiles : OutputFiles
    {
        private readonly Action<StreamCall, int> _beforeCall;

        /// <summary>Numbers writes and flushes across every file created, so a writer of several files is covered too.</summary>
        public ScriptedOutputFiles(Action<StreamCall, int>? beforeCall = null)
        {
            _beforeCall = beforeCall ?? ((call, n) => { });
        }

        public int Writes { get; private set; }
        public int Flushes { get; private set; }
        public int Created { get; private set; }
        public int FoldersCreated { get; private set; }
        public int Renames { get; private set; }

        /// <summary>Called with (source, destination) before a move or replace, of a file or a folder.</summary>
        public Action<string, string>? BeforeRename { get; set; }

        /// <summary>Called with the path before a file is created.</summary>
        public Action<string>? BeforeCreate { get; set; }

        /// <summary>Called with the path before a folder is created (or found to exist).</summary>
        public Action<string>? BeforeCreateFolder { get; set; }

        public override void CreateDirectory(string path)
        {
            BeforeCreateFolder?.Invoke(path);
            base.CreateDirectory(path);
            FoldersCreated++;
        }

        public override Stream CreateNew(string path, int bufferSize)
        {
            BeforeCreate?.Invoke(path);
            var file = base.CreateNew(path, bufferSize);
            Created++;
            return new ScriptedStream(file, (call, _) => _beforeCall(call, call == StreamCall.Write ? ++Writes : ++Flushes));
        }

        public override void Move(string source, string destination)
        {
            Renames++;
            BeforeRename?.Invoke(source, destination);
            base.Move(source, destination);
        }

        public override void Replace(string source, string destination)
        {
            Renames++;
            BeforeRename?.Invoke(source, destination);
            base.Replace(source, destination);
        }

        public override void MoveDirectory(string source, string destination)
        {
            Renames++;
            BeforeRename?.Invoke(source, destination);
            base.MoveDirectory(source, destination);
        }
    }
}
