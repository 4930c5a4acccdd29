using System;
using System.IO;
using System.Reflection;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>The module answers load requests for its own dependencies, from its own folder, and nobody else's.</summary>
    public class DependencyResolverTests : IDisposable
    {
        private readonly TempFolder _module = new TempFolder();
        private readonly DependencyResolver _resolver;

        public DependencyResolverTests()
        {
            Directory.CreateDirectory(_module.File("dependencies"));
            File.WriteAllBytes(_module.File(Path.Combine("dependencies", "Newtonsoft.Json.dll")), new byte[1]);
            File.WriteAllBytes(_module.File("MlfTools.Core.dll"), new byte[1]);
            File.WriteAllBytes(_module.File(Path.Combine("dependencies", "Other.Library.dll")), new byte[1]);
            _resolver = new DependencyResolver(_module.Path);
        }

        public void Dispose() => _module.Dispose();

        private static Assembly Core => typeof(MlfReader).Assembly;

        [Fact]
        public void Our_dependency_requested_by_our_assembly_resolves_to_the_dependencies_folder()
        {
            Assert.Equal(_module.File(Path.Combine("dependencies", "Newtonsoft.Json.dll")),
                _resolver.ResolvePath(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed"), Core));
        }

        [Fact]
        public void Our_own_core_assembly_resolves_to_the_module_folder()
        {
            Assert.Equal(_module.File("MlfTools.Core.dll"), _resolver.ResolvePath(new AssemblyName("MlfTools.Core"), Core));
        }

        [Fact]
        public void The_same_dependency_requested_by_another_assembly_is_not_ours_to_answer()
        {
            Assert.Null(_resolver.ResolvePath(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0"), typeof(Xunit.Assert).Assembly));
            Assert.Null(_resolver.ResolvePath(new AssemblyName("Newtonsoft.Json"), null!));
        }

        [Fact]
        public void Names_that_are_not_our_dependencies_are_ignored_even_when_a_file_of_that_name_exists()
        {
            Assert.Null(_resolver.ResolvePath(new AssemblyName("Other.Library"), Core));
            Assert.Null(_resolver.ResolvePath(new AssemblyName("System.Memory"), Core));
        }

        [Fact]
        public void Satellite_resource_assemblies_of_a_dependency_are_not_ours_to_answer()
        {
            File.WriteAllBytes(_module.File(Path.Combine("dependencies", "Newtonsoft.Json.resources.dll")), new byte[1]);

            Assert.Null(_resolver.ResolvePath(new AssemblyName("Newtonsoft.Json.resources, Culture=de"), Core));
        }

        [Fact]
        public void A_dependency_missing_from_the_folder_is_left_to_the_runtime()
        {
            File.Delete(_module.File(Path.Combine("dependencies", "Newtonsoft.Json.dll")));

            Assert.Null(_resolver.ResolvePath(new AssemblyName("Newtonsoft.Json"), Core));
        }

        [Fact]
        public void A_request_in_other_casing_finds_the_file_as_it_ships()
        {
            Assert.Equal(_module.File(Path.Combine("dependencies", "Newtonsoft.Json.dll")), _resolver.ResolvePath(new AssemblyName("newtonsoft.json"), Core));
        }

        [Fact]
        public void Our_dependency_is_never_taken_from_beside_the_assemblies_or_from_elsewhere()
        {
            // A copy in the module folder itself (where PowerShell's own probing would look) is not the one answered.
            File.WriteAllBytes(_module.File("Newtonsoft.Json.dll"), new byte[1]);

            Assert.Equal(_module.File(Path.Combine("dependencies", "Newtonsoft.Json.dll")), _resolver.ResolvePath(new AssemblyName("Newtonsoft.Json"), Core));
            Assert.Null(new DependencyResolver(_module.File("elsewhere")).ResolvePath(new AssemblyName("Newtonsoft.Json"), Core));
        }

        [Fact]
        public void The_AssemblyResolve_handler_loads_our_copy_for_our_request_only()
        {
            using var module = new TempFolder();
            Directory.CreateDirectory(module.File("dependencies"));
            string shipped = module.File(Path.Combine("dependencies", "Newtonsoft.Json.dll"));
            File.Copy(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location, shipped);
            var resolver = new DependencyResolver(module.Path);
            string request = typeof(Newtonsoft.Json.JsonConvert).Assembly.FullName!;

            var loaded = resolver.Resolve(null!, new ResolveEventArgs(request, Core));
            var notOurs = resolver.Resolve(null!, new ResolveEventArgs(request, typeof(Xunit.Assert).Assembly));

            Assert.NotNull(loaded);
            Assert.Equal(shipped, loaded!.Location);
            Assert.Equal("Newtonsoft.Json", loaded.GetName().Name);
            Assert.Null(notOurs);
        }
    }
}
