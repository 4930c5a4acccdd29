using System.Collections.Generic;

namespace MlfTools.MamlHelp.Help
{
    /// <summary>One cmdlet's help as its PlatyPS markdown file states it (schema 2.0.0).</summary>
    public sealed class CommandHelp
    {
        public CommandHelp(string name, string sourceFile, IReadOnlyDictionary<string, string?> metadata)
        {
            Name = name;
            SourceFile = sourceFile;
            Metadata = metadata;
        }

        public string Name { get; }

        public string SourceFile { get; }

        /// <summary>The file's metadata header: "external help file", "Module Name", "online version", "schema".</summary>
        public IReadOnlyDictionary<string, string?> Metadata { get; }

        /// <summary>The level-2 headings in the order they appear, upper-cased.</summary>
        public List<string> Sections { get; } = new List<string>();

        /// <summary>Null when the file has no such section; "" when the section is empty.</summary>
        public string? Synopsis { get; set; }

        public string? Description { get; set; }

        public string? Notes { get; set; }

        /// <summary>The SYNTAX section as written (PlatyPS itself rebuilds the syntax from the parameters).</summary>
        public List<SyntaxBlock> SyntaxBlocks { get; } = new List<SyntaxBlock>();

        public List<ExampleHelp> Examples { get; } = new List<ExampleHelp>();

        public List<ParameterHelp> Parameters { get; } = new List<ParameterHelp>();

        public bool HasCommonParameters { get; set; }

        public List<TypeHelp> Inputs { get; } = new List<TypeHelp>();

        public List<TypeHelp> Outputs { get; } = new List<TypeHelp>();

        public List<LinkHelp> Links { get; } = new List<LinkHelp>();
    }

    public sealed class SyntaxBlock
    {
        public SyntaxBlock(string parameterSetName, bool isDefault, string? code)
        {
            ParameterSetName = parameterSetName;
            IsDefault = isDefault;
            Code = code;
        }

        /// <summary>The heading without " (Default)"; "(All)" for a block without heading.</summary>
        public string ParameterSetName { get; }

        public bool IsDefault { get; }

        public string? Code { get; }
    }

    public sealed class ExampleHelp
    {
        public ExampleHelp(string title, string introduction, IReadOnlyList<string> code, string remarks)
        {
            Title = title;
            Introduction = introduction;
            Code = code;
            Remarks = remarks;
        }

        public string Title { get; }

        /// <summary>Text between the title and the first code block; PlatyPS 0.14 leaves it out of the MAML.</summary>
        public string Introduction { get; }

        public IReadOnlyList<string> Code { get; }

        public string Remarks { get; }
    }

    public sealed class ParameterHelp
    {
        public ParameterHelp(string name, string description)
        {
            Name = name;
            Description = description;
        }

        /// <summary>Without the leading '-'.</summary>
        public string Name { get; }

        public string Description { get; }

        /// <summary>One entry per yaml block; a parameter whose facts differ between parameter sets has several.</summary>
        public List<ParameterFacts> Facts { get; } = new List<ParameterFacts>();
    }

    /// <summary>One yaml block of a parameter.</summary>
    public sealed class ParameterFacts
    {
        public const string AllParameterSets = "(All)";

        public string Type { get; set; } = string.Empty;

        /// <summary>The sets the block names; "(All)" when it names none.</summary>
        public List<string> ParameterSets { get; } = new List<string>();

        public List<string> Aliases { get; } = new List<string>();

        public List<string> AcceptedValues { get; } = new List<string>();

        public bool Required { get; set; }

        /// <summary>As written ("0", "Named"); "named" when the block has no Position line.</summary>
        public string Position { get; set; } = "named";

        public string? DefaultValue { get; set; }

        /// <summary>As written ("True (ByValue)", "False"); "false" when the block has no such line.</summary>
        public string PipelineInput { get; set; } = "false";

        public bool Globbing { get; set; }

        public bool IsSwitch => string.Equals(Type, "SwitchParameter", System.StringComparison.OrdinalIgnoreCase) ||
                                string.Equals(Type, "switch", System.StringComparison.OrdinalIgnoreCase);
    }

    public sealed class TypeHelp
    {
        public TypeHelp(string typeName, string description)
        {
            TypeName = typeName;
            Description = description;
        }

        public string TypeName { get; }
        public string Description { get; }
    }

    public sealed class LinkHelp
    {
        public LinkHelp(string text, string uri)
        {
            Text = text;
            Uri = uri;
        }

        public string Text { get; }
        public string Uri { get; }
    }
}
