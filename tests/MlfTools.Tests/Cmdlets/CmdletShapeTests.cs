using System;
using System.Linq;
using MlfTools.Tests.Help;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>The conventions every cmdlet keeps, read from the compiled attributes of MlfTools.dll.</summary>
    public class CmdletShapeTests
    {
        [Theory]
        [MemberData(nameof(HelpExpectations.CommandNames), MemberType = typeof(HelpExpectations))]
        public void Every_cmdlet_declares_what_it_outputs(string commandName)
        {
            var cmdlet = HelpExpectations.Cmdlet(commandName);

            Assert.NotEmpty(cmdlet.OutputTypes);
            foreach (string type in cmdlet.OutputTypes.Where(t => t.StartsWith("MlfTools.", StringComparison.Ordinal)))
            {
                Assert.True(typeof(MlfModule).Assembly.GetType(type) is { IsPublic: true }, $"[OutputType] of {commandName} names {type}, which is not a public type of MlfTools.Core");
            }
        }

        [Theory]
        [MemberData(nameof(HelpExpectations.CommandNames), MemberType = typeof(HelpExpectations))]
        public void A_cmdlet_with_several_parameter_sets_names_its_default_one(string commandName)
        {
            var cmdlet = HelpExpectations.Cmdlet(commandName);

            if (cmdlet.ParameterSetNames.Count > 1)
            {
                Assert.Contains(cmdlet.DefaultParameterSetName, cmdlet.ParameterSetNames);
            }
        }

        [Theory]
        [MemberData(nameof(HelpExpectations.CommandNames), MemberType = typeof(HelpExpectations))]
        public void Only_inputs_bind_from_the_pipeline(string commandName)
        {
            // Objects by value to -InputObject, strings by value to -Path, PSPath by property name to -LiteralPath; a
            // parameter such as -Name that means something else never takes pipeline input.
            foreach (var parameter in HelpExpectations.Cmdlet(commandName).Parameters)
            {
                foreach (var set in parameter.Sets)
                {
                    if (set.ValueFromPipeline) Assert.Contains(parameter.Name, new[] { "InputObject", "Path" });
                    if (set.ValueFromPipelineByPropertyName) Assert.Equal("LiteralPath", parameter.Name);
                }
            }
        }

        [Theory]
        [MemberData(nameof(HelpExpectations.CommandNames), MemberType = typeof(HelpExpectations))]
        public void LiteralPath_has_the_aliases_users_expect(string commandName)
        {
            var literalPath = HelpExpectations.Cmdlet(commandName).Parameters.FirstOrDefault(p => p.Name == "LiteralPath");

            if (literalPath != null) Assert.Equal(new[] { "PSPath", "LP" }, literalPath.Aliases);
        }

        [Fact]
        public void Every_ModuleName_parameter_completes_the_module_names_of_the_archive()
        {
            var moduleNames = HelpExpectations.Cmdlets.SelectMany(c => c.Parameters.Where(p => p.Name == "ModuleName").Select(p => (c.CommandName, Parameter: p))).ToList();

            Assert.NotEmpty(moduleNames);
            foreach (var (command, parameter) in moduleNames)
            {
                Assert.True(parameter.CompleterType == "MlfTools.Completion.ModuleNameCompleter", $"-ModuleName of {command} has no [ArgumentCompleter(typeof(ModuleNameCompleter))]");
            }
        }
    }
}
