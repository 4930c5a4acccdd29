using MlfTools.Elf;
using System;
using System.Collections.Generic;

namespace MlfTools.Linking
{
    /// <summary>
    /// Which part of a firmware each kept byte came from: the input sections of a <see cref="LinkMap"/> summed per part
    /// (the caller's grouping of files), each taking the class of the output section it is placed in, as the linked
    /// <see cref="LinkedImage"/> says; input sections of output sections that are not allocated are not counted. What no
    /// part brought (fill, alignment gaps, linker stubs, inputs the caller gives no part) is <see cref="Rest"/>, so that
    /// the parts and the rest add up to the image's totals exactly.
    /// </summary>
    /// <remarks>
    /// An input section counts only the bytes of its output section not counted yet, in map order: merged sections
    /// (strings, .comment) that the map lists at overlapping addresses or past the end are counted once, and an output
    /// section never counts more than the image's section of that name holds.
    /// </remarks>
    internal sealed class LinkAttribution
    {
        private LinkAttribution(IReadOnlyList<LinkedPart> parts, CodeSize rest, CodeSize total)
        {
            Parts = parts;
            Rest = rest;
            Total = total;
        }

        /// <summary>Every part that brought an allocated byte, in the order of its first input section in the map.</summary>
        public IReadOnlyList<LinkedPart> Parts { get; }

        /// <summary>The image's bytes no part brought: fill, gaps, linker stubs, inputs without a part.</summary>
        public CodeSize Rest { get; }

        /// <summary>The image's totals (<see cref="LinkedImage.Totals"/>): the parts plus the rest.</summary>
        public CodeSize Total { get; }

        /// <summary>The part of that name, or null.</summary>
        public LinkedPart Find(string name)
        {
            foreach (var part in Parts)
            {
                if (string.Equals(part.Name, name, StringComparison.Ordinal)) return part;
            }
            return null;
        }

        /// <param name="map">What the linker placed.</param>
        /// <param name="image">The linked file: which output sections are allocated, their class and size.</param>
        /// <param name="partOf">The part an input section belongs to (by its file, member, section name), or null for the rest. Not
        /// called for linker stubs.</param>
        public static LinkAttribution Compute(LinkMap map, LinkedImage image, Func<LinkedInput, string> partOf)
        {
            if (map == null) throw new ArgumentNullException(nameof(map));
            if (image == null) throw new ArgumentNullException(nameof(image));
            if (partOf == null) throw new ArgumentNullException(nameof(partOf));

            var order = new List<string>();
            var sums = new Dictionary<string, ElfSectionSizes.Sum>(StringComparer.Ordinal);
            var left = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var output in map.OutputSections)
            {
                var section = image.Find(output.Name);
                if (section == null || section.Class == ElfSectionClass.NotAllocated) continue;
                if (!left.TryGetValue(output.Name, out long budget)) budget = section.Size;
                ulong counted = output.Address;
                foreach (var input in output.Inputs)
                {
                    ulong start = Math.Max(input.Address, counted);
                    ulong stop = Math.Min(End(input.Address, input.Size), output.End);
                    if (stop <= start) continue;
                    counted = stop;
                    long bytes = Math.Min(budget, (long)(stop - start));
                    if (bytes <= 0) continue;
                    string part = input.IsLinkerGenerated ? null : partOf(input);
                    if (part == null) continue;
                    budget -= bytes;
                    if (!sums.TryGetValue(part, out var sum))
                    {
                        sums.Add(part, sum = new ElfSectionSizes.Sum());
                        order.Add(part);
                    }
                    sum.Add(section.Class, bytes);
                }
                left[output.Name] = budget;
            }

            var parts = new List<LinkedPart>(order.Count);
            long code = 0, readOnly = 0, data = 0, zero = 0;
            foreach (string name in order)
            {
                var size = sums[name].ToCodeSize();
                parts.Add(new LinkedPart(name, size));
                code += size.CodeBytes;
                readOnly += size.ReadOnlyDataBytes;
                data += size.DataBytes;
                zero += size.ZeroInitBytes;
            }
            var total = image.Totals;
            var rest = new CodeSize(total.CodeBytes - code, total.ReadOnlyDataBytes - readOnly, total.DataBytes - data, total.ZeroInitBytes - zero);
            return new LinkAttribution(parts, rest, total);
        }

        private static ulong End(ulong address, long size) => address > ulong.MaxValue - (ulong)size ? ulong.MaxValue : address + (ulong)size;
    }
}
