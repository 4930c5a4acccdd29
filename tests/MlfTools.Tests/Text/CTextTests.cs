using System.Linq;
using MlfTools.Text;
using Xunit;

namespace MlfTools.Tests.Text
{
    /// <summary>C bytes become text one way (<see cref="CText.Decode"/>), one byte to one char, so no byte is lost.</summary>
    public class CTextTests
    {
        [Fact]
        public void Every_byte_survives_decoding_and_encoding_back()
        {
            byte[] bytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
            string text = CText.Decode(bytes);
            Assert.Equal(bytes.Length, text.Length);
            Assert.Equal(bytes, Latin1.GetBytes(text));
        }

        [Fact]
        public void Invalid_utf8_keeps_its_bytes_and_offsets()
        {
            // "// \xFF\xC3" then a definition: UTF-8 would make U+FFFD of the stray bytes and shift every offset after them.
            byte[] bytes = { (byte)'/', (byte)'/', (byte)' ', 0xFF, 0xC3, (byte)'\n', (byte)'i', (byte)'n', (byte)'t', (byte)' ', (byte)'x', (byte)';' };
            string text = CText.Decode(bytes);
            Assert.DoesNotContain('\uFFFD', text);
            Assert.Equal(10, text.IndexOf('x'));
            Assert.Null(CText.Decode(null));
        }
    }
}
