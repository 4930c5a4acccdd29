using MlfTools.Rename;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// Decoded names strings (without the literal's terminating NUL) as the C runtime's func_registry.c reads them: where
    /// the names start when the count matches them and an empty name ends the list, else why not.
    /// </summary>
    public class FuncRegistryNamesTests
    {
        [Theory]
        [InlineData("\u0002a\0b\0", 1)]
        [InlineData("\u0002\0a\0b\0", 2)]
        [InlineData("\u0002a\0b\0\0\0", 1)] // NULs after the end of the list change nothing
        [InlineData("\0", 1)]               // no functions, one-byte count: the terminating NUL ends the list
        [InlineData("\0\0", 2)]             // no functions, two-byte count (a one-byte runtime reads it alike)
        [InlineData("0a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z\0A\0B\0C\0D\0E\0F\0G\0H\0I\0J\0K\0L\0M\0N\0O\0P\0Q\0R\0S\0T\0U\0V\0", 1)] // 48 = '0'
        public void A_names_string_the_runtime_reads_as_its_count_says_has_its_names_after_the_count(string value, int offset) =>
            Assert.Equal(offset, FuncRegistryNames.NamesOffset(value));

        [Theory]
        [InlineData("\u0002a\0b", "reads past the names string")]
        [InlineData("\u0001a\0\0b\0", "names after the empty name")]
        [InlineData("\u0003a\0b\0", "the count is 3 and 2 name(s) follow")]
        [InlineData("\u0003\0a\0b\0", "two bytes) the count is 3 and 2 name(s) follow")]
        [InlineData("", "count")]
        [InlineData("\u0007", "count")]
        public void Any_other_names_string_is_told_why(string value, string why)
        {
            Assert.Equal(0, FuncRegistryNames.NamesOffset(value));
            Assert.Contains(why, FuncRegistryNames.Mismatch(value));
        }
    }
}
