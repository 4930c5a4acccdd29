using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.Tests.Help;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// examples/azure-pipelines.yml and the script it runs, checked without Azure DevOps: the tasks, the files they
    /// name, the parameters they pass, and the cmdlets and parameters the script uses, against the compiled module.
    /// </summary>
    public class AzurePipelineExampleTests
    {
        private static string Example(string name) => Path.Combine(TestPaths.RepositoryRoot, "examples", name);

        private static string Pipeline => File.ReadAllText(Example("azure-pipelines.yml"));

        private static string GateScript => File.ReadAllText(Example("Invoke-MlfFirmwareGate.ps1"));

        /// <summary>One "- task:" step with its inputs, read by indentation (the only YAML shape the checks need).</summary>
        private sealed record TaskStep(string Task, Dictionary<string, string> Inputs, string? Condition);

        private static List<TaskStep> Tasks()
        {
            var lines = Pipeline.Replace("\r\n", "\n").Split('\n');
            var tasks = new List<TaskStep>();
            for (int i = 0; i < lines.Length; i++)
            {
                var start = Regex.Match(lines[i], @"^(\s*)- task: (\S+)\s*$");
                if (!start.Success) continue;
                int stepIndent = start.Groups[1].Value.Length;
                var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
                string? condition = null;
                int inputsIndent = -1;
                string? folding = null;
                int j = i + 1;
                for (; j < lines.Length; j++)
                {
                    string line = lines[j];
                    if (line.Trim().Length == 0 || line.TrimStart().StartsWith("#", StringComparison.Ordinal)) continue;
                    int indent = line.Length - line.TrimStart().Length;
                    if (indent <= stepIndent) break;
                    if (folding != null && indent > inputsIndent + 2)
                    {
                        inputs[folding] = (inputs[folding] + " " + line.Trim()).Trim();
                        continue;
                    }
                    folding = null;
                    var pair = Regex.Match(line, @"^\s*([\w.]+):\s*(.*)$");
                    Assert.True(pair.Success, $"azure-pipelines.yml line {j + 1} is not 'key: value'");
                    string key = pair.Groups[1].Value;
                    string value = pair.Groups[2].Value.Trim();
                    if (key == "inputs" && value.Length == 0)
                    {
                        inputsIndent = indent;
                        continue;
                    }
                    if (inputsIndent >= 0 && indent > inputsIndent)
                    {
                        inputs[key] = value == ">-" || value == ">" || value == "|" ? string.Empty : value;
                        if (inputs[key].Length == 0) folding = key;
                    }
                    else if (key == "condition")
                    {
                        condition = value;
                    }
                }
                tasks.Add(new TaskStep(start.Groups[2].Value, inputs, condition));
                i = j - 1;
            }
            return tasks;
        }

        [Fact]
        public void The_pipeline_is_plain_two_space_yaml()
        {
            var lines = Pipeline.Replace("\r\n", "\n").Split('\n');

            Assert.DoesNotContain(lines, l => l.Contains('\t'));
            Assert.All(lines.Where(l => l.Trim().Length > 0), l => Assert.Equal(0, (l.Length - l.TrimStart().Length) % 2));
            Assert.Contains("trigger:", lines);
            Assert.Contains("jobs:", lines);
        }

        [Fact]
        public void It_runs_PowerShell_7_and_Windows_PowerShell_tasks_on_files_of_the_repository()
        {
            var powerShell = Tasks().Where(t => t.Task == "PowerShell@2").ToList();

            Assert.Contains(powerShell, t => t.Inputs.GetValueOrDefault("pwsh") == "true");
            Assert.Contains(powerShell, t => t.Inputs.GetValueOrDefault("pwsh") == "false");
            foreach (var task in powerShell)
            {
                Assert.Equal("filePath", task.Inputs["targetType"]);
                Assert.True(File.Exists(Path.Combine(TestPaths.RepositoryRoot, task.Inputs["filePath"])), $"the pipeline runs '{task.Inputs["filePath"]}', which does not exist");
                Assert.NotEqual("continue", task.Inputs.GetValueOrDefault("errorActionPreference", "stop"));
            }
            Assert.Contains(powerShell, t => t.Inputs["filePath"] == "build.ps1" && t.Inputs["arguments"] == "-Task Build");
        }

        [Fact]
        public void The_gate_task_passes_only_parameters_the_script_declares()
        {
            var declared = ScriptParameters();
            var gates = Tasks().Where(t => t.Task == "PowerShell@2" && t.Inputs["filePath"] == "examples/Invoke-MlfFirmwareGate.ps1").ToList();

            Assert.Equal(2, gates.Count);
            foreach (var gate in gates)
            {
                var passed = Regex.Matches(gate.Inputs["arguments"], @"(?<=^|\s)-(\w+)").Select(m => m.Groups[1].Value).ToList();
                Assert.Contains("Path", passed);
                Assert.Contains("DestinationFolder", passed);
                Assert.Contains("RamBudget", passed);
                Assert.Contains("FlashBudget", passed);
                Assert.All(passed, p => Assert.Contains(p, declared));
                Assert.Contains("-LogIssues:$${{ parameters.logIssues }}", gate.Inputs["arguments"]);
            }
        }

        [Fact]
        public void The_joined_archive_and_the_report_are_published_even_when_the_gate_fails()
        {
            var publish = Tasks().Where(t => t.Task == "PublishPipelineArtifact@1").ToList();
            var gates = Tasks().Where(t => t.Task == "PowerShell@2" && t.Inputs["filePath"] == "examples/Invoke-MlfFirmwareGate.ps1").ToList();

            Assert.Equal(gates.Count, publish.Count);
            foreach (var task in publish)
            {
                Assert.Equal("succeededOrFailed()", task.Condition);
                Assert.Contains($"-DestinationFolder '{task.Inputs["targetPath"]}'", gates.Select(g => g.Inputs["arguments"]).First());
            }
            Assert.Equal(publish.Count, publish.Select(p => p.Inputs["artifact"]).Distinct().Count());
            Assert.Contains("memory-report.csv", GateScript);
            Assert.Contains("memory-report.json", GateScript);
        }

        [Fact]
        public void Issue_lines_are_opt_in_and_only_inside_Azure_DevOps()
        {
            Assert.Matches(@"-\s*name: logIssues\s+displayName: [^\n]+\s+type: boolean\s+default: false", Pipeline.Replace("\r\n", "\n"));
            var lines = CodeOf(GateScript).Split('\n');
            int issue = Array.FindIndex(lines, l => l.Contains("##vso[task.logissue type=error]"));
            Assert.True(issue > 0, "the script writes no ##vso[task.logissue] line");
            Assert.Single(lines, l => l.Contains("##vso["));
            Assert.Contains(lines.Take(issue).Reverse().Take(4), l => l.Contains("if ($LogIssues -and $env:TF_BUILD)"));
            Assert.Contains("$ErrorActionPreference = 'Stop'", lines);
        }

        [Fact]
        public void The_cmdlets_know_nothing_of_Azure_DevOps()
        {
            foreach (string file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories))
            {
                string text = File.ReadAllText(file);
                Assert.False(text.Contains("##vso") || text.Contains("TF_BUILD"), $"{Path.GetFileName(file)} mentions Azure DevOps; keep that in scripts such as examples/Invoke-MlfFirmwareGate.ps1");
            }
        }

        [Fact]
        public void Every_MlfTools_cmdlet_and_parameter_the_script_uses_exists()
        {
            var cmdlets = HelpExpectations.Cmdlets.ToDictionary(c => c.CommandName, StringComparer.OrdinalIgnoreCase);
            var common = new[] { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm" };
            int uses = 0;
            foreach (Match use in Regex.Matches(CodeOf(GateScript), @"\b(\w+-Mlf\w+)\b([^\n]*)"))
            {
                string name = use.Groups[1].Value;
                if (name.StartsWith("Invoke-MlfFirmwareGate", StringComparison.Ordinal)) continue;
                Assert.True(cmdlets.TryGetValue(name, out var cmdlet), $"the script calls {name}, which MlfTools does not have");
                var known = cmdlet!.Parameters.SelectMany(p => p.Aliases.Append(p.Name)).Concat(common).ToList();
                // The command's own arguments: sub-expressions emptied, up to the end of its pipeline element.
                string arguments = use.Groups[2].Value;
                for (string previous = ""; previous != arguments;) (previous, arguments) = (arguments, Regex.Replace(arguments, @"\([^()]*\)", "#"));
                arguments = Regex.Match(arguments, @"^[^|})]*").Value;
                foreach (Match parameter in Regex.Matches(arguments, @"(?<=\s)-(\w+)"))
                {
                    Assert.True(known.Contains(parameter.Groups[1].Value, StringComparer.OrdinalIgnoreCase), $"the script passes -{parameter.Groups[1].Value} to {name}, which has no such parameter");
                }
                uses++;
            }
            Assert.True(uses >= 3, "the script should use New-MlfModule, Join-MlfArchive and Get-MlfMemoryReport");
        }

        [Fact]
        public void The_readme_has_a_section_on_the_pipeline()
        {
            string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));

            Assert.Matches(@"(?m)^## .*Azure DevOps", readme);
            Assert.Contains("examples/azure-pipelines.yml", readme);
            Assert.Contains("examples/Invoke-MlfFirmwareGate.ps1", readme);
        }

        /// <summary>The script without its comment-based help and comment lines, '\n' line ends.</summary>
        private static string CodeOf(string script)
        {
            string code = Regex.Replace(script.Replace("\r\n", "\n"), @"<#.*?#>", string.Empty, RegexOptions.Singleline);
            return string.Join("\n", code.Split('\n').Where(l => !l.TrimStart().StartsWith("#", StringComparison.Ordinal)));
        }

        private static List<string> ScriptParameters()
        {
            string script = GateScript;
            int start = script.IndexOf("param(", StringComparison.Ordinal);
            int end = script.IndexOf("\n)", start, StringComparison.Ordinal);
            return Regex.Matches(script.Substring(start, end - start), @"\]\s*\$(\w+)").Select(m => m.Groups[1].Value).ToList();
        }
    }
}
