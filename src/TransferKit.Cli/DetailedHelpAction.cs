using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace TransferKit.Cli;

/// <summary>
/// <c>--help</c> as System.CommandLine writes it (description, usage, options), followed by the command's details and
/// examples. The details cannot go in the description, which the parent's command list repeats in full.
/// </summary>
internal sealed class DetailedHelpAction(HelpAction standard, IReadOnlyDictionary<Command, string> details) : SynchronousCommandLineAction
{
    /// <summary>Help is shown even when the rest of the command line has errors (<c>transferkit train --help</c>).</summary>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        int code = standard.Invoke(parseResult);
        if (details.TryGetValue(parseResult.CommandResult.Command, out string? text))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(text.TrimEnd());
            output.WriteLine();
        }
        return code;
    }
}
