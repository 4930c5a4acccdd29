using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace MlfTools.Format
{
    /// <summary>
    /// Reads the directory of a .params file: names, dtypes, shapes and sizes. Tensor data is skipped
    /// (by seeking where the stream allows), and every count and size is checked against the bytes that remain
    /// before anything is allocated for it; arithmetic on the file's numbers is checked, so a lie cannot wrap around.
    /// </summary>
    internal static class ParamsReader
    {
        public const ulong FileMagic = 0xF7E58D4F05049CB7UL;
        public const ulong ArrayMagic = 0xDD5E40F096B4A13FUL;
        private const int MaxDimensions = 64;
        private const int MaxNameBytes = 64 * 1024;

        /// <summary>The fixed part of one tensor: magic, reserved, device type and id, ndim, dtype, data size.</summary>
        private const int TensorHeaderBytes = 8 + 8 + 4 + 4 + 4 + 4 + 8;

        public static MlfParameters Read(Stream stream, long length, string memberPath, string archivePath)
        {
            var cursor = new Cursor(stream, length, memberPath, archivePath);
            if (length < 24) throw cursor.Invalid($"it is {length} bytes long, shorter than the 24-byte header");
            if (cursor.ReadUInt64() != FileMagic) throw cursor.Invalid("it does not start with TVM's parameter-file magic number");
            cursor.ReadUInt64(); // reserved

            ulong nameCount = cursor.ReadUInt64();
            // Every tensor takes at least its name's length field and its fixed header, and the array count follows the names.
            long smallestTensor = 8 + TensorHeaderBytes;
            ulong mostTensors = cursor.Remaining < 8 ? 0 : (ulong)((cursor.Remaining - 8) / smallestTensor);
            if (nameCount > mostTensors || nameCount > int.MaxValue)
            {
                throw cursor.Invalid($"it claims {nameCount} tensor names, more than its size allows");
            }
            var names = new List<string>(checked((int)nameCount));
            for (ulong i = 0; i < nameCount; i++)
            {
                ulong nameLength = cursor.ReadUInt64();
                if (nameLength > (ulong)cursor.Remaining) throw cursor.Invalid($"tensor name {i} claims {nameLength} bytes, more than remain");
                if (nameLength > MaxNameBytes) throw cursor.Invalid($"tensor name {i} claims {nameLength} bytes; TVM's names are short, so it cannot be real");
                names.Add(Encoding.UTF8.GetString(cursor.ReadBytes(checked((int)nameLength))));
            }

            ulong arrayCount = cursor.ReadUInt64();
            if (arrayCount != nameCount) throw cursor.Invalid($"it names {nameCount} tensors but holds {arrayCount}");

            var tensors = new List<MlfTensorInfo>(names.Count);
            foreach (string name in names)
            {
                tensors.Add(ReadTensor(cursor, name));
            }
            return new MlfParameters(memberPath, length, tensors);
        }

        private static MlfTensorInfo ReadTensor(Cursor cursor, string name)
        {
            if (cursor.ReadUInt64() != ArrayMagic) throw cursor.Invalid($"tensor '{name}' does not start with TVM's array magic number");
            cursor.ReadUInt64(); // reserved
            int deviceType = cursor.ReadInt32();
            int deviceId = cursor.ReadInt32();
            int ndim = cursor.ReadInt32();
            if (ndim < 0 || ndim > MaxDimensions) throw cursor.Invalid($"tensor '{name}' claims {ndim} dimensions");
            byte code = cursor.ReadByte();
            byte bits = cursor.ReadByte();
            ushort lanes = cursor.ReadUInt16();
            if (bits == 0 || lanes == 0) throw cursor.Invalid($"tensor '{name}' has an invalid dtype ({bits} bits x {lanes} lanes)");
            var dtype = new DataType(code, bits, lanes);

            var shape = new long[ndim];
            for (int d = 0; d < ndim; d++)
            {
                shape[d] = cursor.ReadInt64();
            }
            long? expected = dtype.TensorBytes(shape);
            if (expected == null) throw cursor.Invalid($"tensor '{name}' has a negative or overflowing shape [{string.Join(",", shape)}]");
            long dataSize = cursor.ReadInt64();
            if (dataSize < 0) throw cursor.Invalid($"tensor '{name}' declares a negative data size ({dataSize} bytes)");
            if (dataSize != expected.Value) throw cursor.Invalid($"tensor '{name}' declares {dataSize} data bytes but its shape and dtype need {expected.Value}");
            if (dataSize > cursor.Remaining) throw cursor.Invalid($"tensor '{name}' declares {dataSize} data bytes but only {cursor.Remaining} remain");
            long dataOffset = cursor.Position;
            cursor.Skip(dataSize);
            return new MlfTensorInfo(name, dtype.ToString(), Array.AsReadOnly(shape), dataSize, deviceType, deviceId, dataOffset);
        }

        /// <summary>Little-endian reads over a stream of known length; skips by seeking when it can.</summary>
        private sealed class Cursor
        {
            private readonly Stream _stream;
            private readonly long _length;
            private readonly string _memberPath;
            private readonly string _archivePath;
            private readonly byte[] _scratch = new byte[8];

            public Cursor(Stream stream, long length, string memberPath, string archivePath)
            {
                _stream = stream;
                _length = length;
                _memberPath = memberPath;
                _archivePath = archivePath;
            }

            public long Position { get; private set; }
            public long Remaining => checked(_length - Position);

            public MlfException Invalid(string why) =>
                new MlfException(MlfErrorIds.ParamsInvalid, $"The parameters file '{_memberPath}' in '{_archivePath}' is not valid: {why}. Rebuild the model with TVM or replace the file.", _archivePath);

            public byte ReadByte() => Fill(1)[0];
            public ushort ReadUInt16() { var b = Fill(2); return (ushort)(b[0] | (b[1] << 8)); }
            public int ReadInt32() { var b = Fill(4); return b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24); }
            public long ReadInt64() => (long)ReadUInt64();

            public ulong ReadUInt64()
            {
                var b = Fill(8);
                ulong value = 0;
                for (int i = 7; i >= 0; i--) value = (value << 8) | b[i];
                return value;
            }

            public byte[] ReadBytes(int count)
            {
                var buffer = new byte[count];
                ReadInto(buffer, count);
                return buffer;
            }

            public void Skip(long count)
            {
                if (count < 0 || count > Remaining) throw Invalid("it ends early");
                if (_stream.CanSeek)
                {
                    _stream.Seek(count, SeekOrigin.Current);
                }
                else
                {
                    var buffer = new byte[(int)Math.Min(81920, Math.Max(count, 1))];
                    long left = count;
                    while (left > 0)
                    {
                        int read = _stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                        if (read <= 0) throw Invalid("it ends early");
                        left -= read;
                    }
                }
                Position = checked(Position + count);
            }

            private byte[] Fill(int count)
            {
                ReadInto(_scratch, count);
                return _scratch;
            }

            private void ReadInto(byte[] buffer, int count)
            {
                if (count > Remaining) throw Invalid("it ends early");
                int total = 0;
                while (total < count)
                {
                    int read = _stream.Read(buffer, total, count - total);
                    if (read <= 0) throw Invalid("it ends early");
                    total += read;
                }
                Position = checked(Position + count);
            }
        }
    }
}
