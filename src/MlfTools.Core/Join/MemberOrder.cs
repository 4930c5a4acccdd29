using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Text;

namespace MlfTools.Join
{
    /// <summary>
    /// The order TVM's exporter writes members in: "./", then the tree depth first with each directory member
    /// right before its entries and names sorted by code point (Python's tarfile.add on a folder), then
    /// runtime/ and then templates/, which TVM adds after the staging folder.
    /// </summary>
    internal static class MemberOrder
    {
        public const string RuntimeFolder = "runtime";
        public const string TemplatesFolder = "templates";

        /// <summary>Every member path in write order: "" for the root, directories ending with '/'.</summary>
        public static List<string> For(IEnumerable<string> filePaths)
        {
            var main = new Folder();
            var runtime = new Folder();
            var templates = new Folder();
            foreach (string path in filePaths)
            {
                var target = path.StartsWith(RuntimeFolder + "/", StringComparison.Ordinal) ? runtime
                    : path.StartsWith(TemplatesFolder + "/", StringComparison.Ordinal) ? templates
                    : main;
                target.Add(path.Split('/'), 0);
            }
            var order = new List<string> { string.Empty };
            main.Walk(string.Empty, order);
            if (!runtime.IsEmpty) runtime.Walk(string.Empty, order);
            if (!templates.IsEmpty) templates.Walk(string.Empty, order);
            return order;
        }

        private sealed class Folder
        {
            private readonly SortedDictionary<string, Folder> _children = new SortedDictionary<string, Folder>(CodePointComparer.Instance);

            public bool IsEmpty => _children.Count == 0;

            public void Add(string[] parts, int index)
            {
                string name = parts[index];
                bool isFile = index == parts.Length - 1;
                if (!_children.TryGetValue(name, out var child))
                {
                    child = isFile ? null : new Folder();
                    _children[name] = child;
                }
                else if (isFile && child != null)
                {
                    string clash = string.Join("/", parts);
                    throw new MlfException(MlfErrorIds.PathConflict,
                        $"'{clash}' would be both a file and a folder in the joined archive. Leave one of the inputs' extra files out with -ExcludePath.", clash);
                }
                if (!isFile)
                {
                    if (child == null)
                    {
                        string clash = string.Join("/", parts.Take(index + 1));
                        throw new MlfException(MlfErrorIds.PathConflict,
                            $"'{clash}' would be both a file and a folder in the joined archive. Leave one of the inputs' extra files out with -ExcludePath.", clash);
                    }
                    child.Add(parts, index + 1);
                }
            }

            public void Walk(string prefix, List<string> order)
            {
                foreach (var entry in _children)
                {
                    string path = prefix + entry.Key;
                    if (entry.Value == null)
                    {
                        order.Add(path);
                    }
                    else
                    {
                        order.Add(path + "/");
                        entry.Value.Walk(path + "/", order);
                    }
                }
            }
        }
    }
}
