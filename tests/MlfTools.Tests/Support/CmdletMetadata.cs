using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// Reads the cmdlets declared in the built MlfTools.dll straight from its metadata (System.Management.Automation
    /// is a reference assembly here, so the types cannot be loaded and reflected over): each cmdlet's attribute, its
    /// [OutputType] and every parameter with the facts its attributes give.
    /// </summary>
    internal static class CmdletMetadata
    {
        public const string AllParameterSets = "__AllParameterSets";

        public sealed record CmdletClass(string FullTypeName, string Verb, string Noun)
        {
            public string CommandName => Verb + "-" + Noun;

            public string? DefaultParameterSetName { get; init; }

            public bool SupportsShouldProcess { get; init; }

            /// <summary>Full type names (or strings) that [OutputType] names, in order.</summary>
            public IReadOnlyList<string> OutputTypes { get; init; } = Array.Empty<string>();

            public IReadOnlyList<CmdletParameter> Parameters { get; init; } = Array.Empty<CmdletParameter>();

            /// <summary>The named parameter sets (never __AllParameterSets), in order of first declaration.</summary>
            public IReadOnlyList<string> ParameterSetNames =>
                Parameters.SelectMany(p => p.Sets.Select(s => s.SetName)).Where(s => s != AllParameterSets).Distinct().ToList();

            /// <summary>The parameters of one set: those declared for it and those declared for all sets.</summary>
            public IEnumerable<(CmdletParameter Parameter, ParameterSetFacts Facts)> ParametersOf(string setName) =>
                Parameters.Select(p => (p, p.Sets.FirstOrDefault(s => s.SetName == setName) ?? p.Sets.FirstOrDefault(s => s.SetName == AllParameterSets)))
                    .Where(x => x.Item2 != null)
                    .Select(x => (x.p, x.Item2!));
        }

        /// <summary>A cmdlet parameter: a public property with at least one [Parameter].</summary>
        public sealed record CmdletParameter(string Name, string TypeFullName)
        {
            /// <summary>What PlatyPS writes as Type: the name without namespace ("String[]", "SwitchParameter").</summary>
            public string TypeName
            {
                get
                {
                    int generic = TypeFullName.IndexOf('`');
                    string head = generic < 0 ? TypeFullName : TypeFullName.Substring(0, generic);
                    return TypeFullName.Substring(head.LastIndexOf('.') + 1);
                }
            }

            public IReadOnlyList<ParameterSetFacts> Sets { get; init; } = Array.Empty<ParameterSetFacts>();

            public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();

            public bool SupportsWildcards { get; init; }

            /// <summary>The values of [ValidateSet], or null without one.</summary>
            public IReadOnlyList<string>? ValidateSet { get; init; }

            /// <summary>The type [ArgumentCompleter] names, or null without one.</summary>
            public string? CompleterType { get; init; }

            /// <summary>Full names of every PowerShell attribute on the property.</summary>
            public IReadOnlyList<string> AttributeTypes { get; init; } = Array.Empty<string>();
        }

        /// <summary>What one [Parameter] says.</summary>
        public sealed record ParameterSetFacts(string SetName, bool Mandatory, int? Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);

        public static IReadOnlyList<CmdletClass> Read(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            var result = new List<CmdletClass>();
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                foreach (var attribute in Attributes(reader, type.GetCustomAttributes()))
                {
                    if (attribute.TypeName != "System.Management.Automation.CmdletAttribute") continue;
                    var value = attribute.Value;
                    result.Add(new CmdletClass(FullName(reader, type), (string)value.FixedArguments[0].Value!, (string)value.FixedArguments[1].Value!)
                    {
                        DefaultParameterSetName = Named(value, "DefaultParameterSetName") as string,
                        SupportsShouldProcess = Named(value, "SupportsShouldProcess") is true,
                        OutputTypes = OutputTypes(reader, type),
                        Parameters = ParametersOf(reader, handle),
                    });
                }
            }
            return result;
        }

        private static IReadOnlyList<string> OutputTypes(MetadataReader reader, TypeDefinition type) =>
            Attributes(reader, type.GetCustomAttributes())
                .Where(a => a.TypeName == "System.Management.Automation.OutputTypeAttribute")
                .SelectMany(a => a.Value.FixedArguments)
                .SelectMany(argument => argument.Value is ImmutableArray<CustomAttributeTypedArgument<string>> items ? items.Select(i => (string)i.Value!) : new[] { (string)argument.Value! })
                .Select(WithoutAssembly)
                .ToList();

        /// <summary>The parameters of the type and of its base types in the same assembly, base first.</summary>
        private static List<CmdletParameter> ParametersOf(MetadataReader reader, TypeDefinitionHandle handle)
        {
            var chain = new List<TypeDefinition>();
            for (TypeDefinitionHandle current = handle; !current.IsNil;)
            {
                var type = reader.GetTypeDefinition(current);
                chain.Insert(0, type);
                current = type.BaseType.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)type.BaseType : default;
            }
            var parameters = new List<CmdletParameter>();
            foreach (var type in chain)
            {
                foreach (var propertyHandle in type.GetProperties())
                {
                    var property = reader.GetPropertyDefinition(propertyHandle);
                    var attributes = Attributes(reader, property.GetCustomAttributes()).ToList();
                    var sets = attributes.Where(a => a.TypeName == "System.Management.Automation.ParameterAttribute").Select(a => new ParameterSetFacts(
                        Named(a.Value, "ParameterSetName") as string ?? AllParameterSets,
                        Named(a.Value, "Mandatory") is true,
                        Named(a.Value, "Position") is int position && position >= 0 ? position : null,
                        Named(a.Value, "ValueFromPipeline") is true,
                        Named(a.Value, "ValueFromPipelineByPropertyName") is true)).ToList();
                    if (sets.Count == 0) continue;
                    var signature = property.DecodeSignature(new TypeNameProvider(), null);
                    parameters.Add(new CmdletParameter(reader.GetString(property.Name), signature.ReturnType)
                    {
                        Sets = sets,
                        Aliases = attributes.Where(a => a.TypeName == "System.Management.Automation.AliasAttribute").SelectMany(a => Strings(a.Value)).ToList(),
                        SupportsWildcards = attributes.Any(a => a.TypeName == "System.Management.Automation.SupportsWildcardsAttribute"),
                        ValidateSet = attributes.Where(a => a.TypeName == "System.Management.Automation.ValidateSetAttribute").Select(a => (IReadOnlyList<string>)Strings(a.Value).ToList()).FirstOrDefault(),
                        CompleterType = attributes.Where(a => a.TypeName == "System.Management.Automation.ArgumentCompleterAttribute")
                            .Select(a => a.Value.FixedArguments.Length == 1 && a.Value.FixedArguments[0].Value is string completer ? WithoutAssembly(completer) : null)
                            .FirstOrDefault(),
                        AttributeTypes = attributes.Select(a => a.TypeName).ToList(),
                    });
                }
            }
            return parameters;
        }

        private static IEnumerable<string> Strings(CustomAttributeValue<string> value) =>
            value.FixedArguments.SelectMany(argument => argument.Value is ImmutableArray<CustomAttributeTypedArgument<string>> items
                ? items.Select(i => (string)i.Value!)
                : new[] { (string)argument.Value! });

        private static object? Named(CustomAttributeValue<string> value, string name) =>
            value.NamedArguments.Where(n => n.Name == name).Select(n => n.Value).FirstOrDefault();

        private static string WithoutAssembly(string serializedTypeName)
        {
            int comma = serializedTypeName.IndexOf(',');
            return comma < 0 ? serializedTypeName : serializedTypeName.Substring(0, comma);
        }

        /// <summary>The attributes of PowerShell, decoded (others, such as the compiler's, are not needed and not decoded).</summary>
        private static IEnumerable<(string TypeName, CustomAttributeValue<string> Value)> Attributes(MetadataReader reader, CustomAttributeHandleCollection handles)
        {
            foreach (var handle in handles)
            {
                var attribute = reader.GetCustomAttribute(handle);
                string typeName = AttributeTypeName(reader, attribute);
                if (!typeName.StartsWith("System.Management.Automation.", StringComparison.Ordinal)) continue;
                yield return (typeName, attribute.DecodeValue(new StringTypeProvider()));
            }
        }

        private static string FullName(MetadataReader reader, TypeDefinition type) =>
            reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);

        private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
        {
            switch (attribute.Constructor.Kind)
            {
                case HandleKind.MemberReference:
                    var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                    if (parent.Kind != HandleKind.TypeReference) return string.Empty;
                    var typeRef = reader.GetTypeReference((TypeReferenceHandle)parent);
                    return reader.GetString(typeRef.Namespace) + "." + reader.GetString(typeRef.Name);
                case HandleKind.MethodDefinition:
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                    return FullName(reader, reader.GetTypeDefinition(method.GetDeclaringType()));
                default:
                    return string.Empty;
            }
        }

        /// <summary>Attribute arguments as strings: type arguments as their serialized (assembly-qualified) names, enums as their numbers.</summary>
        private sealed class StringTypeProvider : ICustomAttributeTypeProvider<string>
        {
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
            public string GetSystemType() => "System.Type";
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(reader, reader.GetTypeDefinition(handle));
            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                var reference = reader.GetTypeReference(handle);
                return reader.GetString(reference.Namespace) + "." + reader.GetString(reference.Name);
            }
            public string GetTypeFromSerializedName(string name) => name;
            public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
            public bool IsSystemType(string type) => type == "System.Type";
        }

        /// <summary>Full type names of signatures: "System.String[]", "MlfTools.MlfModule", "System.Nullable`1[System.Int64]".</summary>
        private sealed class TypeNameProvider : ISignatureTypeProvider<string, object?>
        {
            public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
            public string GetByReferenceType(string elementType) => elementType + "&";
            public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "[" + string.Join(",", typeArguments) + "]";
            public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
            public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
            public string GetPinnedType(string elementType) => elementType;
            public string GetPointerType(string elementType) => elementType + "*";
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode switch
            {
                PrimitiveTypeCode.Boolean => nameof(Boolean),
                PrimitiveTypeCode.Byte => nameof(Byte),
                PrimitiveTypeCode.Char => nameof(Char),
                PrimitiveTypeCode.Double => nameof(Double),
                PrimitiveTypeCode.Int16 => nameof(Int16),
                PrimitiveTypeCode.Int32 => nameof(Int32),
                PrimitiveTypeCode.Int64 => nameof(Int64),
                PrimitiveTypeCode.IntPtr => nameof(IntPtr),
                PrimitiveTypeCode.Object => nameof(Object),
                PrimitiveTypeCode.SByte => nameof(SByte),
                PrimitiveTypeCode.Single => nameof(Single),
                PrimitiveTypeCode.String => nameof(String),
                PrimitiveTypeCode.UInt16 => nameof(UInt16),
                PrimitiveTypeCode.UInt32 => nameof(UInt32),
                PrimitiveTypeCode.UInt64 => nameof(UInt64),
                PrimitiveTypeCode.UIntPtr => nameof(UIntPtr),
                PrimitiveTypeCode.Void => "Void",
                _ => typeCode.ToString(),
            };
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(reader, reader.GetTypeDefinition(handle));
            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                var reference = reader.GetTypeReference(handle);
                return reader.GetString(reference.Namespace) + "." + reader.GetString(reference.Name);
            }
            public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        }
    }
}
