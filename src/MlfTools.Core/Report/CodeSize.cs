using MlfTools.Text;

namespace MlfTools
{
    /// <summary>Bytes of compiled code and data, as MLonMCU names them (read from ELF section headers).</summary>
    public sealed class CodeSize
    {
        public CodeSize(long codeBytes, long readOnlyDataBytes, long dataBytes, long zeroInitBytes)
        {
            CodeBytes = codeBytes;
            ReadOnlyDataBytes = readOnlyDataBytes;
            DataBytes = dataBytes;
            ZeroInitBytes = zeroInitBytes;
        }

        /// <summary>Executable sections (.text): flash.</summary>
        public long CodeBytes { get; }

        /// <summary>Allocated read-only sections (.rodata, .rodata.tvm weights, .eh_frame, ...): flash.</summary>
        public long ReadOnlyDataBytes { get; }

        /// <summary>Allocated writable sections with contents (.data): their initial values in flash, the data in RAM.</summary>
        public long DataBytes { get; }

        /// <summary>Allocated sections without contents (.bss, .bss.noinit.tvm): RAM only.</summary>
        public long ZeroInitBytes { get; }

        /// <summary>What it takes in flash: code, read-only data and the initial values of data.</summary>
        internal long FlashBytes => Saturating.Add(Saturating.Add(CodeBytes, ReadOnlyDataBytes), DataBytes);

        /// <summary>What it takes in RAM: data and zero-initialised data.</summary>
        internal long RamBytes => Saturating.Add(DataBytes, ZeroInitBytes);

        public CodeSize Plus(CodeSize other) => other == null ? this : new CodeSize(
            Saturating.Add(CodeBytes, other.CodeBytes),
            Saturating.Add(ReadOnlyDataBytes, other.ReadOnlyDataBytes),
            Saturating.Add(DataBytes, other.DataBytes),
            Saturating.Add(ZeroInitBytes, other.ZeroInitBytes));

        public override string ToString() => $"code {CodeBytes}, read-only {ReadOnlyDataBytes}, data {DataBytes}, zero-init {ZeroInitBytes}";
    }
}
