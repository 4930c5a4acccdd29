using System;
using System.IO;
using System.Management.Automation;

namespace MlfTools
{
    /// <summary>Registers the dependency resolver when the module is imported and removes it when it is removed.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly DependencyResolver Resolver =
            new DependencyResolver(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location));

        public void OnImport()
        {
            AppDomain.CurrentDomain.AssemblyResolve += Resolver.Resolve;
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= Resolver.Resolve;
        }
    }
}
