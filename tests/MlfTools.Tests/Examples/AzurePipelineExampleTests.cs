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

        private static string CheckScript => File.ReadAllText(Example("Invoke-MlfModuleCheck.ps1"));

        private const string CheckScriptPath = "examples/Invoke-MlfModuleCheck.ps1";

        private const string GateScriptPath = "examples/Invoke-MlfFirmwareGate.ps1";

        /// <summary>One "- task:" step with its inputs, and the job it belongs to.</summary>
        private sealed record TaskStep(string Job, string Task, Dictionary<string, string> Inputs, string? Condition);

        private static Dictionary<string, object?> Root()
        {
            var root = MiniYaml.Parse(Pipeline) as Dictionary<string, object?>;
            Assert.NotNull(root);
            return root!;
        }

        private static List<Dictionary<string, object?>> Jobs() =>
            MiniYaml.Sequence(Root(), "jobs").Cast<Dictionary<string, object?>>().ToList();

        private static Dictionary<string, object?> Job(string name) =>
            Assert.Single(Jobs(), j => MiniYaml.Text(j, "job") == name);

        private static List<TaskStep> Tasks(Dictionary<string, object?> job) =>
            MiniYaml.Sequence(job, "steps").Cast<Dictionary<string, object?>>()
                .Where(s => s.ContainsKey("task"))
                .Select(s => new TaskStep(
                    MiniYaml.Text(job, "job")!,
                    MiniYaml.Text(s, "task")!,
                    (s.GetValueOrDefault("inputs") as Dictionary<string, object?> ?? new Dictionary<string, object?>())
                        .ToDictionary(p => p.Key, p => p.Value as string ?? string.Empty, StringComparer.Ordinal),
                    MiniYaml.Text(s, "condition")))
                .ToList();

        private static List<TaskStep> Tasks() => Jobs().SelectMany(Tasks).ToList();

        /// <summary>The parameter names an "arguments:" input passes (-Name), in order.</summary>
        private static List<string> Passed(TaskStep task) =>
            Regex.Matches(task.Inputs["arguments"], @"(?<=^|\s)-(\w+)").Select(m => m.Groups[1].Value).ToList();

        /// <summary>The value an "arguments:" input gives a parameter: '-Name 'value'' or '-Name value'.</summary>
        private static string Argument(TaskStep task, string name)
        {
            var match = Regex.Match(task.Inputs["arguments"], @"(?<=^|\s)-" + name + @"\s+('([^']*)'|(\$\{\{[^}]*\}\}|\S+))");
            Assert.True(match.Success, $"the {task.Job} job passes no -{name}");
            return match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value;
        }

        /// <summary>The file pattern an Azure Pipelines variable reference stands for, variables of the pipeline expanded.</summary>
        private static string Expand(string text)
        {
            var variables = Root()["variables"] as Dictionary<string, object?>;
            Assert.NotNull(variables);
            for (string previous = ""; previous != text;)
            {
                previous = text;
                text = Regex.Replace(text, @"\$\((\w+)\)", m => variables!.TryGetValue(m.Groups[1].Value, out var v) && v is string s ? s : m.Value);
            }
            return text;
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
        public void The_pipeline_parses_as_yaml_into_a_model_job_and_gate_jobs_that_depend_on_it()
        {
            var root = Root();
            Assert.Equal(new[] { "trigger", "parameters", "variables", "jobs" }, root.Keys);

            var jobs = Jobs();
            Assert.Equal(new[] { "model", "gate", "gate_windows_powershell" }, jobs.Select(j => MiniYaml.Text(j, "job")));
            var matrixJobs = jobs.Where(j => (j.GetValueOrDefault("strategy") as Dictionary<string, object?>)?.ContainsKey("matrix") == true).ToList();
            Assert.Equal("model", MiniYaml.Text(Assert.Single(matrixJobs), "job"));
            Assert.False(Job("model").ContainsKey("dependsOn"));
            Assert.Equal("model", MiniYaml.Text(Job("gate"), "dependsOn"));
            Assert.Equal("model", MiniYaml.Text(Job("gate_windows_powershell"), "dependsOn"));
            Assert.All(jobs, j => Assert.Equal("checkout", MiniYaml.Sequence(j, "steps").Cast<Dictionary<string, object?>>().First().Keys.Single()));
        }

        [Fact]
        public void The_matrix_has_one_entry_per_model_each_naming_a_valid_module()
        {
            var strategy = (Dictionary<string, object?>)Job("model")["strategy"]!;
            var matrix = (Dictionary<string, object?>)strategy["matrix"]!;

            Assert.True(matrix.Count >= 2, "the matrix should show more than one model");
            foreach (var entry in matrix)
            {
                var variables = Assert.IsType<Dictionary<string, object?>>(entry.Value);
                string? model = MiniYaml.Text(variables, "modelName");
                Assert.Equal(entry.Key, model);
                Assert.Matches("^[a-z_][a-z0-9_]*$", model);
            }
            var check = Assert.Single(Tasks(Job("model")), t => t.Task == "PowerShell@2" && t.Inputs["filePath"] == CheckScriptPath);
            Assert.Equal("models/$(modelName).tar", Argument(check, "Path"));
        }

        [Fact]
        public void Each_job_runs_its_steps_in_order_build_then_script_then_publish()
        {
            var expected = new Dictionary<string, string[]>
            {
                ["model"] = new[] { "UseDotNet@2", "PowerShell@2:build.ps1", "PowerShell@2:" + CheckScriptPath, "PublishPipelineArtifact@1" },
                ["gate"] = new[] { "UseDotNet@2", "PowerShell@2:build.ps1", "DownloadPipelineArtifact@2", "PowerShell@2:" + GateScriptPath, "PublishPipelineArtifact@1" },
            };
            expected["gate_windows_powershell"] = expected["gate"];

            foreach (var job in Jobs())
            {
                string name = MiniYaml.Text(job, "job")!;
                var steps = Tasks(job).Select(t => t.Task == "PowerShell@2" ? t.Task + ":" + t.Inputs["filePath"] : t.Task);
                Assert.Equal(expected[name], steps);
            }
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
                // Every PowerShell task of a job runs in the same PowerShell.
                Assert.Single(powerShell.Where(t => t.Job == task.Job).Select(t => t.Inputs["pwsh"]).Distinct());
            }
            Assert.Contains(powerShell, t => t.Inputs["filePath"] == "build.ps1" && t.Inputs["arguments"] == "-Task Build");
        }

        [Fact]
        public void The_script_tasks_pass_only_parameters_the_scripts_declare()
        {
            var scripts = new Dictionary<string, string> { [CheckScriptPath] = CheckScript, [GateScriptPath] = GateScript };
            var tasks = Tasks().Where(t => t.Task == "PowerShell@2" && scripts.ContainsKey(t.Inputs["filePath"])).ToList();

            Assert.Single(tasks, t => t.Inputs["filePath"] == CheckScriptPath);
            Assert.Equal(2, tasks.Count(t => t.Inputs["filePath"] == GateScriptPath));
            foreach (var task in tasks)
            {
                var declared = ScriptParameters(scripts[task.Inputs["filePath"]]);
                var passed = Passed(task);
                Assert.Contains("Path", passed);
                Assert.Contains("DestinationFolder", passed);
                Assert.Contains("ModulePath", passed);
                Assert.All(passed, p => Assert.Contains(p, declared));
                Assert.Contains("-LogIssues:$${{ parameters.logIssues }}", task.Inputs["arguments"]);
                if (task.Inputs["filePath"] == GateScriptPath)
                {
                    Assert.Equal("${{ parameters.ramBudget }}", Argument(task, "RamBudget"));
                    Assert.Equal("${{ parameters.flashBudget }}", Argument(task, "FlashBudget"));
                }
            }
        }

        [Fact]
        public void Each_model_job_publishes_its_folder_as_an_artifact_named_after_the_model()
        {
            var tasks = Tasks(Job("model"));
            var check = Assert.Single(tasks, t => t.Task == "PowerShell@2" && t.Inputs["filePath"] == CheckScriptPath);
            var publish = Assert.Single(tasks, t => t.Task == "PublishPipelineArtifact@1");

            Assert.Equal(Expand(Argument(check, "DestinationFolder")), Expand(publish.Inputs["targetPath"]));
            Assert.Equal("model-$(modelName)", publish.Inputs["artifact"]);
            // Published only when the check passed: a model with an Error finding gives the gate nothing to join.
            Assert.Null(publish.Condition);
        }

        [Fact]
        public void The_gate_jobs_download_every_model_artifact_and_join_the_archives_in_it()
        {
            string published = Assert.Single(Tasks(Job("model")), t => t.Task == "PublishPipelineArtifact@1").Inputs["artifact"];
            string artifactPattern = published.Replace("$(modelName)", "*");

            foreach (string name in new[] { "gate", "gate_windows_powershell" })
            {
                var tasks = Tasks(Job(name));
                var download = Assert.Single(tasks, t => t.Task == "DownloadPipelineArtifact@2");
                var gate = Assert.Single(tasks, t => t.Task == "PowerShell@2" && t.Inputs["filePath"] == GateScriptPath);

                Assert.Equal("current", download.Inputs["buildType"]);
                Assert.False(download.Inputs.ContainsKey("artifact") || download.Inputs.ContainsKey("artifactName"), "the gate needs every model's artifact, not one");
                Assert.Equal(artifactPattern + "/**", download.Inputs["itemPattern"]);
                // Each artifact lands in a folder named after it; the archives are its .tar files.
                Assert.Equal(Expand(download.Inputs["targetPath"]) + "/" + artifactPattern + "/*.tar", Expand(Argument(gate, "Path")));
            }
        }

        [Fact]
        public void The_joined_archive_and_the_report_are_published_even_when_the_gate_fails()
        {
            foreach (string name in new[] { "gate", "gate_windows_powershell" })
            {
                var tasks = Tasks(Job(name));
                var gate = Assert.Single(tasks, t => t.Task == "PowerShell@2" && t.Inputs["filePath"] == GateScriptPath);
                var publish = Assert.Single(tasks, t => t.Task == "PublishPipelineArtifact@1");

                Assert.Contains(publish.Condition, new[] { "succeededOrFailed()", "always()" });
                Assert.Equal(Expand(Argument(gate, "DestinationFolder")), Expand(publish.Inputs["targetPath"]));
            }
            var artifacts = Tasks().Where(t => t.Task == "PublishPipelineArtifact@1").Select(p => p.Inputs["artifact"]).ToList();
            Assert.Equal(artifacts.Count, artifacts.Distinct().Count());
            Assert.Contains("memory-report.csv", GateScript);
            Assert.Contains("memory-report.json", GateScript);
            Assert.Contains("memory-report.csv", CheckScript);
            Assert.Contains("memory-report.json", CheckScript);
        }

        [Fact]
        public void The_parser_refuses_what_it_does_not_read()
        {
            Assert.Throws<FormatException>(() => MiniYaml.Parse("jobs:\n  - job: a\n   steps: x\n"));
            Assert.Throws<FormatException>(() => MiniYaml.Parse("a: [1, 2]\n"));
            Assert.Throws<FormatException>(() => MiniYaml.Parse("a: 1\na: 2\n"));
            var parsed = (Dictionary<string, object?>)MiniYaml.Parse("a:\n  - b: 'x # y' # z\n    c: >-\n      one\n      two\n  - d\n")!;
            var items = (List<object?>)parsed["a"]!;
            Assert.Equal("x # y", ((Dictionary<string, object?>)items[0]!)["b"]);
            Assert.Equal("one two", ((Dictionary<string, object?>)items[0]!)["c"]);
            Assert.Equal("d", items[1]);
        }

        [Theory]
        [InlineData("Invoke-MlfFirmwareGate.ps1")]
        [InlineData("Invoke-MlfModuleCheck.ps1")]
        public void Issue_lines_are_opt_in_and_only_inside_Azure_DevOps(string script)
        {
            Assert.Matches(@"-\s*name: logIssues\s+displayName: [^\n]+\s+type: boolean\s+default: false", Pipeline.Replace("\r\n", "\n"));
            var lines = CodeOf(File.ReadAllText(Example(script))).Split('\n');
            Assert.Contains(". (Join-Path $PSScriptRoot 'AzureDevOpsIssue.ps1')", lines);
            Assert.DoesNotContain(lines, l => l.Contains("##vso["));
            var calls = lines.Where(l => l.Contains("Write-AzureDevOpsIssue ")).ToList();
            Assert.NotEmpty(calls);
            Assert.All(calls, l => Assert.Contains("-Enabled:$LogIssues", l));
            Assert.Contains("$ErrorActionPreference = 'Stop'", lines);

            // The one place that writes the line: only when enabled, and only where Azure DevOps reads it.
            var helper = CodeOf(File.ReadAllText(Example("AzureDevOpsIssue.ps1"))).Split('\n');
            int issue = Array.FindIndex(helper, l => l.Contains("##vso[task.logissue type=error]"));
            Assert.True(issue > 0, "AzureDevOpsIssue.ps1 writes no ##vso[task.logissue] line");
            Assert.Single(helper, l => l.Contains("##vso["));
            Assert.Contains(helper.Take(issue).Reverse().Take(4), l => l.Contains("if ($Enabled -and $env:TF_BUILD)"));
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

        [Theory]
        [InlineData("Invoke-MlfFirmwareGate.ps1", "New-MlfModule,Join-MlfArchive,Get-MlfMemoryReport")]
        [InlineData("Invoke-MlfModuleCheck.ps1", "New-MlfModule,Test-MlfArchive,Get-MlfMemoryReport")]
        public void Every_MlfTools_cmdlet_and_parameter_the_script_uses_exists(string script, string expectedCmdlets)
        {
            var expected = expectedCmdlets.Split(',');
            var used = new List<string>();
            var cmdlets = HelpExpectations.Cmdlets.ToDictionary(c => c.CommandName, StringComparer.OrdinalIgnoreCase);
            var common = new[] { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm" };
            int uses = 0;
            foreach (Match use in Regex.Matches(CodeOf(File.ReadAllText(Example(script))), @"\b(\w+-Mlf\w+)\b([^\n]*)"))
            {
                string name = use.Groups[1].Value;
                if (name.StartsWith("Invoke-Mlf", StringComparison.Ordinal)) continue;
                used.Add(name);
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
            Assert.True(uses >= expected.Length);
            Assert.All(expected, e => Assert.Contains(e, used));
        }

        [Fact]
        public void The_readme_has_a_section_on_the_pipeline()
        {
            string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));

            Assert.Matches(@"(?m)^## .*Azure DevOps", readme);
            Assert.Contains("examples/azure-pipelines.yml", readme);
            Assert.Contains("examples/Invoke-MlfFirmwareGate.ps1", readme);
            Assert.Contains("examples/Invoke-MlfModuleCheck.ps1", readme);
            Assert.Contains("matrix", readme);
            Assert.Contains("dependsOn", readme);
        }

        /// <summary>The script without its comment-based help and comment lines, '\n' line ends.</summary>
        private static string CodeOf(string script)
        {
            string code = Regex.Replace(script.Replace("\r\n", "\n"), @"<#.*?#>", string.Empty, RegexOptions.Singleline);
            return string.Join("\n", code.Split('\n').Where(l => !l.TrimStart().StartsWith("#", StringComparison.Ordinal)));
        }

        private static List<string> ScriptParameters(string script)
        {
            int start = script.IndexOf("param(", StringComparison.Ordinal);
            int end = script.IndexOf("\n)", start, StringComparison.Ordinal);
            return Regex.Matches(script.Substring(start, end - start), @"\]\s*\$(\w+)").Select(m => m.Groups[1].Value).ToList();
        }
    }
}
