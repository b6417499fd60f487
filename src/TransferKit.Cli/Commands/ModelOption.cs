using System.CommandLine;

namespace TransferKit.Cli.Commands;

/// <summary>The <c>--model</c> option of the commands that use a trained model file.</summary>
internal static class ModelOption
{
    /// <summary>A required <c>--model FILE</c>.</summary>
    public static Option<string> Create() => new("--model")
    {
        Description = "A model file written by 'transferkit train' (.safetensors with TransferKit metadata).",
        HelpName = "FILE",
        Required = true,
    };
}
