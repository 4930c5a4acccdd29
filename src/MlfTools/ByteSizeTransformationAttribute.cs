using System;
using System.Management.Automation;
using MlfTools.Text;

namespace MlfTools
{
    /// <summary>
    /// Binds a byte-size parameter (Int64) the way people write sizes: 262144, 256KB, '256KiB', '1.5MB', '16 KiB', also as
    /// strings from a variable or a CSV file. KB and KiB both mean 1024 bytes (see <see cref="ByteSize"/>). Put it on any
    /// budget or limit parameter; a value that is no size stops binding with a message that says what to write.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ByteSizeTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value == null) throw new ArgumentTransformationMetadataException("No size was given. Give a size such as 262144, 256KB or '1.5MB'.");
            if (value is long) return value;
            if (!(value is IConvertible convertible) || value is bool || value is char || value is DateTime || value is DBNull)
            {
                // Arrays, hashtables and the like: PowerShell's own conversion says what it cannot do.
                return inputData;
            }
            try
            {
                return ByteSize.FromNumber(convertible);
            }
            catch (FormatException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }
    }
}
