using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace MlfTools
{
    /// <summary>
    /// A read-only list property of our output objects whose text is its items' text, separated by "; ". Export-Csv
    /// and string expansion write a property's ToString(), which for a plain list is its .NET type name; this one
    /// writes what it holds. ConvertTo-Json still writes it as an array of its items.
    /// </summary>
    public sealed class ItemList<T> : ReadOnlyCollection<T>
    {
        /// <summary>What separates the items in <see cref="ToString"/>.</summary>
        public const string Separator = "; ";

        public ItemList(IEnumerable<T> items)
            : base(items.ToList())
        {
        }

        public override string ToString() => string.Join(Separator, this.Select(item => item?.ToString()));
    }

    /// <summary>Makes <see cref="ItemList{T}"/> instances.</summary>
    public static class ItemList
    {
        /// <summary>The items as an <see cref="ItemList{T}"/> (the same instance when they are one already); null stays null.</summary>
        public static ItemList<T> Of<T>(IEnumerable<T> items) =>
            items == null ? null : items as ItemList<T> ?? new ItemList<T>(items);
    }
}
