using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using MlfTools.MamlHelp.Help;
using MlfTools.MamlHelp.Markdown;

namespace MlfTools.MamlHelp.Maml
{
    /// <summary>Writes commands as a MAML help file in the shape PlatyPS 0.14's New-ExternalHelp gives it.</summary>
    public static class MamlWriter
    {
        public static readonly XNamespace Msh = "http://msh";
        public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        public static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

        public static XDocument ToDocument(IEnumerable<CommandHelp> commands) =>
            new XDocument(
                new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

        /// <summary>The file's text: indented XML with '\n' line ends, non-breaking spaces made plain.</summary>
        public static string ToText(IEnumerable<CommandHelp> commands)
        {
            var settings = new XmlWriterSettings
            {
                Encoding = new UTF8Encoding(false),
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Replace,
            };
            using var buffer = new MemoryStream();
            using (var writer = XmlWriter.Create(buffer, settings))
            {
                ToDocument(commands).Save(writer);
            }
            return Encoding.UTF8.GetString(buffer.ToArray()).Replace('\u00a0', ' ') + "\n";
        }

        private static XElement CommandElement(CommandHelp command)
        {
            string verb = command.Name.Split('-')[0];
            string noun = command.Name.Substring(Math.Min(verb.Length + 1, command.Name.Length));
            return new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", command.Name),
                    new XElement(Command + "verb", verb),
                    new XElement(Command + "noun", noun),
                    new XElement(Maml + "description", Paragraphs(command.Synopsis))),
                new XElement(Maml + "description", Paragraphs(command.Description)),
                new XElement(Command + "syntax", MamlSyntax.Build(command).Select(item =>
                    new XElement(Command + "syntaxItem",
                        new XElement(Maml + "name", command.Name),
                        item.Parameters.Select(p => ParameterElement(p.Parameter, p.Facts, inSyntax: true))))),
                new XElement(Command + "parameters", command.Parameters.Select(p => ParameterElement(p, p.Facts.FirstOrDefault() ?? new ParameterFacts { Position = "Named" }, inSyntax: false))),
                new XElement(Command + "inputTypes", command.Inputs.Select(i => TypeElement(Command + "inputType", i))),
                new XElement(Command + "returnValues", command.Outputs.Select(o => TypeElement(Command + "returnValue", o))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(command.Notes))),
                new XElement(Command + "examples", command.Examples.Select(ExampleElement)),
                new XElement(Command + "relatedLinks", command.Links.Select(LinkElement)));
        }

        private static XElement ParameterElement(ParameterHelp parameter, ParameterFacts facts, bool inSyntax)
        {
            string type = facts.IsSwitch ? "SwitchParameter" : facts.Type;
            return new XElement(Command + "parameter",
                new XAttribute("required", facts.Required),
                new XAttribute("variableLength", true),
                new XAttribute("globbing", facts.Globbing),
                new XAttribute("pipelineInput", facts.PipelineInput),
                new XAttribute("position", facts.Position.ToLowerInvariant()),
                new XAttribute("aliases", facts.Aliases.Count > 0 ? string.Join(", ", facts.Aliases) : "none"),
                new XElement(Maml + "name", parameter.Name),
                new XElement(Maml + "description", Paragraphs(parameter.Description)),
                inSyntax && facts.AcceptedValues.Count > 0
                    ? new XElement(Command + "parameterValueGroup", facts.AcceptedValues.Select(v =>
                        new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v)))
                    : null,
                // Like PlatyPS: a switch shows no value in the syntax.
                inSyntax && facts.IsSwitch
                    ? null
                    : new XElement(Command + "parameterValue", new XAttribute("required", !facts.IsSwitch), new XAttribute("variableLength", false), type),
                new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue",
                    facts.IsSwitch && (string.IsNullOrEmpty(facts.DefaultValue) || facts.DefaultValue == "None") ? "False" : facts.DefaultValue ?? "None"));
        }

        private static XElement TypeElement(XName name, TypeHelp type) =>
            new XElement(name,
                new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
                new XElement(Maml + "description", Paragraphs(type.Description)));

        private static XElement ExampleElement(ExampleHelp example) =>
            new XElement(Command + "example",
                new XElement(Maml + "title", PadTitle(example.Title)),
                new XElement(Dev + "code", string.Join("\r\n\r\n", example.Code)),
                new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

        /// <summary>Relative links (to other markdown files) keep their text; only an absolute URI is carried.</summary>
        private static XElement LinkElement(LinkHelp link) =>
            new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", link.Text),
                new XElement(Maml + "uri", Uri.TryCreate(link.Uri, UriKind.Absolute, out _) ? link.Uri : string.Empty));

        private static IEnumerable<XElement> Paragraphs(string? text) => SpanText.Paragraphs(text).Select(p => new XElement(Maml + "para", p));

        /// <summary>Centres the title between dashes to 64 characters, as Get-Help shows example titles.</summary>
        private static string PadTitle(string title)
        {
            if (string.IsNullOrWhiteSpace(title) || title.Length >= 62) return title;
            string dashes = new string('-', (64 - title.Length - 2) / 2);
            return dashes + " " + title + " " + dashes;
        }
    }
}
