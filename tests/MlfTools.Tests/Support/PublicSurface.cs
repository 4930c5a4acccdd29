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
    /// Every type an assembly's public surface mentions, read from its metadata: base types, interfaces, generic
    /// constraints, and the signatures of public and protected fields, methods, constructors and property and event
    /// accessors of every type visible outside the assembly. Each with the assembly it comes from.
    /// </summary>
    internal static class PublicSurface
    {
        public sealed record Use(string Member, string Assembly, string TypeName);

        public static List<Use> Read(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            string own = reader.GetString(reader.GetAssemblyDefinition().Name);
            var provider = new ReferenceProvider(reader, own);
            var uses = new List<Use>();
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if (!IsVisible(reader, type)) continue;
                string typeName = FullName(reader, type);

                void Add(string member, IEnumerable<(string Assembly, string Type)> referenced) =>
                    uses.AddRange(referenced.Select(r => new Use(member, r.Assembly, r.Type)));

                if (!type.BaseType.IsNil) Add(typeName + " (base type)", provider.Of(type.BaseType));
                foreach (var implementation in type.GetInterfaceImplementations())
                {
                    Add(typeName + " (interface)", provider.Of(reader.GetInterfaceImplementation(implementation).Interface));
                }
                foreach (var parameter in type.GetGenericParameters())
                {
                    foreach (var constraint in reader.GetGenericParameter(parameter).GetConstraints())
                    {
                        Add(typeName + " (constraint)", provider.Of(reader.GetGenericParameterConstraint(constraint).Type));
                    }
                }
                foreach (var fieldHandle in type.GetFields())
                {
                    var field = reader.GetFieldDefinition(fieldHandle);
                    if (!IsVisible(field.Attributes & FieldAttributes.FieldAccessMask)) continue;
                    Add(typeName + "." + reader.GetString(field.Name), field.DecodeSignature(provider, null));
                }
                foreach (var methodHandle in type.GetMethods())
                {
                    var method = reader.GetMethodDefinition(methodHandle);
                    if (!IsVisible((FieldAttributes)(method.Attributes & MethodAttributes.MemberAccessMask))) continue;
                    var signature = method.DecodeSignature(provider, null);
                    string member = typeName + "." + reader.GetString(method.Name);
                    Add(member, signature.ReturnType);
                    foreach (var parameterType in signature.ParameterTypes) Add(member, parameterType);
                }
            }
            return uses;
        }

        /// <summary>Public (or protected, or protected internal) access; the flags of fields and methods share these values.</summary>
        private static bool IsVisible(FieldAttributes access) =>
            access == FieldAttributes.Public || access == FieldAttributes.Family || access == FieldAttributes.FamORAssem;

        private static bool IsVisible(MetadataReader reader, TypeDefinition type)
        {
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility == TypeAttributes.Public) return true;
            if (visibility != TypeAttributes.NestedPublic && visibility != TypeAttributes.NestedFamily && visibility != TypeAttributes.NestedFamORAssem) return false;
            return IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType()));
        }

        private static string FullName(MetadataReader reader, TypeDefinition type)
        {
            string name = reader.GetString(type.Name);
            if (!type.GetDeclaringType().IsNil) return FullName(reader, reader.GetTypeDefinition(type.GetDeclaringType())) + "+" + name;
            string ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        private sealed class ReferenceProvider : ISignatureTypeProvider<IEnumerable<(string Assembly, string Type)>, object?>
        {
            private static readonly (string, string)[] None = Array.Empty<(string, string)>();
            private readonly MetadataReader _reader;
            private readonly string _own;

            public ReferenceProvider(MetadataReader reader, string own)
            {
                _reader = reader;
                _own = own;
            }

            public IEnumerable<(string Assembly, string Type)> Of(EntityHandle handle) => handle.Kind switch
            {
                HandleKind.TypeDefinition => GetTypeFromDefinition(_reader, (TypeDefinitionHandle)handle, 0),
                HandleKind.TypeReference => GetTypeFromReference(_reader, (TypeReferenceHandle)handle, 0),
                HandleKind.TypeSpecification => GetTypeFromSpecification(_reader, null, (TypeSpecificationHandle)handle, 0),
                _ => None,
            };

            public IEnumerable<(string Assembly, string Type)> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
                new[] { (_own, FullName(reader, reader.GetTypeDefinition(handle))) };

            public IEnumerable<(string Assembly, string Type)> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                var reference = reader.GetTypeReference(handle);
                string name = reader.GetString(reference.Namespace) + "." + reader.GetString(reference.Name);
                var scope = reference.ResolutionScope;
                while (scope.Kind == HandleKind.TypeReference) scope = reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
                string assembly = scope.Kind == HandleKind.AssemblyReference
                    ? reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)
                    : _own;
                return new[] { (assembly, name) };
            }

            public IEnumerable<(string Assembly, string Type)> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

            public IEnumerable<(string Assembly, string Type)> GetGenericInstantiation(IEnumerable<(string Assembly, string Type)> genericType, ImmutableArray<IEnumerable<(string Assembly, string Type)>> typeArguments) =>
                genericType.Concat(typeArguments.SelectMany(t => t));

            public IEnumerable<(string Assembly, string Type)> GetArrayType(IEnumerable<(string Assembly, string Type)> elementType, ArrayShape shape) => elementType;
            public IEnumerable<(string Assembly, string Type)> GetByReferenceType(IEnumerable<(string Assembly, string Type)> elementType) => elementType;
            public IEnumerable<(string Assembly, string Type)> GetSZArrayType(IEnumerable<(string Assembly, string Type)> elementType) => elementType;
            public IEnumerable<(string Assembly, string Type)> GetPointerType(IEnumerable<(string Assembly, string Type)> elementType) => elementType;
            public IEnumerable<(string Assembly, string Type)> GetPinnedType(IEnumerable<(string Assembly, string Type)> elementType) => elementType;
            public IEnumerable<(string Assembly, string Type)> GetModifiedType(IEnumerable<(string Assembly, string Type)> modifier, IEnumerable<(string Assembly, string Type)> unmodifiedType, bool isRequired) => unmodifiedType;
            public IEnumerable<(string Assembly, string Type)> GetFunctionPointerType(MethodSignature<IEnumerable<(string Assembly, string Type)>> signature) =>
                signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(p => p));
            public IEnumerable<(string Assembly, string Type)> GetGenericMethodParameter(object? genericContext, int index) => None;
            public IEnumerable<(string Assembly, string Type)> GetGenericTypeParameter(object? genericContext, int index) => None;
            public IEnumerable<(string Assembly, string Type)> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;
        }
    }
}
