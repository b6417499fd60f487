using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using TransferKit.Cli.Commands;

namespace TransferKit.Cli;

/// <summary>
/// The <c>transferkit</c> application, runnable in-process: it parses the arguments, runs one command, and turns every
/// failure into one line on standard error and an exit code (<see cref="ExitCodes"/>). <c>Program.cs</c> only wires
/// the console and Ctrl+C to it; tests call <see cref="RunAsync"/> with string writers.
/// </summary>
internal static class CliApp
{
    /// <summary>The tool's name, as it prefixes its messages.</summary>
    public const string Name = "transferkit";

    private const string Summary = "Transfer learning on images: list architectures, train, evaluate, predict, inspect weights, compare, export to ONNX.";

    private const string Details = """
        Train a classifier on a folder of images from pre-trained weights (or from scratch), evaluate it, predict
        images, look inside weights files, and compare architectures on your data. Run 'transferkit COMMAND --help'
        for each command's options and examples.

        Examples:
          transferkit architectures
          transferkit train --data PetImages --arch mobilenet_v2 --weights mobilenet_v2.safetensors --out pets.safetensors
          transferkit evaluate --model pets.safetensors --data PetImagesTest
          transferkit predict --model pets.safetensors photos/ --top 2
          transferkit inspect resnet50.safetensors
          transferkit lr-find --data PetImages --arch mobilenet_v2 --weights mobilenet_v2.safetensors --out lr.html
          transferkit compare --data PetImages --arch baseline,mobilenet_v2 --weights mobilenet_v2=mobilenet_v2.safetensors
          transferkit export --model pets.safetensors --onnx pets.onnx

        Exit codes: 0 success, 1 failure, 2 usage error, 130 cancelled (Ctrl+C).
        """;

    /// <summary>Runs the command line <paramref name="args"/>.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Results: tables, reports, JSON and CSV.</param>
    /// <param name="stderr">Progress, notes and errors.</param>
    /// <param name="cancellationToken">Cancels a running command (Ctrl+C); the exit code is then 130.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        // A progress bar only where a person watches standard error on a terminal that can redraw; logs and tests get plain lines.
        bool interactive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected
            && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        return await RunAsync(args, stdout, stderr, interactive, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs with <paramref name="interactive"/> chosen by the caller (tests show the live bars on a recorded console).</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr, interactive) { Arguments = args };
        var verbose = new Option<bool>("--verbose")
        {
            Description = "On errors, print the stack trace after the one-line message.",
            Recursive = true,
        };
        // A plain Command, not RootCommand, whose name would be the assembly's (TransferKit.Cli) in the usage line.
        var help = new HelpOption();
        var root = new Command(Name, Summary) { help, new VersionOption(), verbose };
        var details = new Dictionary<Command, string> { [root] = Details };
        void Add((Command Command, string Details) sub)
        {
            root.Subcommands.Add(sub.Command);
            details[sub.Command] = sub.Details;
        }

        Add(ArchitecturesCommand.Create(context));
        Add(TrainCommand.Create(context));
        Add(EvaluateCommand.Create(context));
        Add(PredictCommand.Create(context));
        Add(InspectCommand.Create(context));
        Add(CompareCommand.Create(context));
        Add(LrFindCommand.Create(context));
        Add(ExportCommand.Create(context));
        help.Action = new DetailedHelpAction((HelpAction)help.Action!, details);

        var parse = root.Parse(args);
        bool isVerbose = parse.GetValue(verbose);
        if (parse.Action is ParseErrorAction)
        {
            stderr.WriteLine($"{Name}: error: {ErrorHandler.OneLine(FirstError(parse))} (see '{Usage(parse)} --help')");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            // Program.cs handles Ctrl+C and hands the token in; the parser's own handler would race it.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return ErrorHandler.Report(e, stderr, isVerbose);
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    /// <summary>
    /// The one error to show: about an unrecognised word when there is one (a misspelt command also leaves "Required
    /// command was not provided", which hides the cause), else about a value that does not parse (more specific than
    /// a missing option, and what the user just typed), else the first.
    /// </summary>
    private static string FirstError(ParseResult parse)
    {
        var unmatched = parse.UnmatchedTokens.FirstOrDefault();
        var error = (unmatched is null ? null : parse.Errors.FirstOrDefault(e => e.Message.Contains($"'{unmatched}'", StringComparison.Ordinal)))
            ?? parse.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult { IdentifierToken: not null } or ArgumentResult { Tokens.Count: > 0 })
            ?? parse.Errors[0];
        return error.Message;
    }

    /// <summary>The command the user ran, such as <c>transferkit train</c>, for the hint after a usage error.</summary>
    private static string Usage(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
            names.Add(result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
