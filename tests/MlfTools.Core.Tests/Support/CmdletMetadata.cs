using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// Reads the cmdlets declared in the built MlfTools.dll straight from its metadata (System.Management.Automation
    /// is a reference assembly here, so the types cannot be loaded and reflected over).
    /// </summary>
    internal static class CmdletMetadata
    {
        public sealed record CmdletClass(string FullTypeName, string Verb, string Noun)
        {
            public string CommandName => Verb + "-" + Noun;
        }

        public static IReadOnlyList<CmdletClass> Read(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            var result = new List<CmdletClass>();
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                foreach (var attributeHandle in type.GetCustomAttributes())
                {
                    var attribute = reader.GetCustomAttribute(attributeHandle);
                    if (AttributeTypeName(reader, attribute) != "System.Management.Automation.CmdletAttribute") continue;
                    var value = attribute.DecodeValue(new StringTypeProvider());
                    result.Add(new CmdletClass(
                        reader.GetString(type.Namespace) + "." + reader.GetString(type.Name),
                        (string)value.FixedArguments[0].Value!,
                        (string)value.FixedArguments[1].Value!));
                }
            }
            return result;
        }

        /// <summary>The names of the properties of a cmdlet class that carry [Parameter], in declaration order.</summary>
        public static IReadOnlyList<string> ParameterNames(string assemblyPath, string fullTypeName)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if (reader.GetString(type.Namespace) + "." + reader.GetString(type.Name) != fullTypeName) continue;
                return type.GetProperties().Select(reader.GetPropertyDefinition)
                    .Where(p => p.GetCustomAttributes().Any(a => AttributeTypeName(reader, reader.GetCustomAttribute(a)) == "System.Management.Automation.ParameterAttribute"))
                    .Select(p => reader.GetString(p.Name))
                    .ToList();
            }
            throw new ArgumentException($"'{fullTypeName}' is not in {assemblyPath}");
        }

        private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
        {
            if (attribute.Constructor.Kind != HandleKind.MemberReference) return string.Empty;
            var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
            if (parent.Kind != HandleKind.TypeReference) return string.Empty;
            var typeRef = reader.GetTypeReference((TypeReferenceHandle)parent);
            return reader.GetString(typeRef.Namespace) + "." + reader.GetString(typeRef.Name);
        }

        private sealed class StringTypeProvider : ICustomAttributeTypeProvider<string>
        {
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
            public string GetSystemType() => "System.Type";
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
            public string GetTypeFromSerializedName(string name) => name;
            public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
            public bool IsSystemType(string type) => type == "System.Type";
        }
    }
}
