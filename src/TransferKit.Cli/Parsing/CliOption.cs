using System.CommandLine;
using System.CommandLine.Parsing;

namespace TransferKit.Cli.Parsing;

/// <summary>
/// Options whose values go through one of <see cref="ValueParsers"/>: a value that does not parse becomes a parse
/// error (exit code 2) reading <c>--name: what was expected, got 'value'.</c>, before any work starts.
/// </summary>
internal static class CliOption
{
    /// <summary>An option parsed by <paramref name="parse"/>, with no value when it is not given.</summary>
    public static Option<T> Create<T>(string name, string description, Func<string, T> parse, string? helpName = null)
    {
        var option = new Option<T>(name) { Description = description, HelpName = helpName };
        option.CustomParser = result => Parse(result, name, parse);
        return option;
    }

    /// <summary>An option parsed by <paramref name="parse"/>, <paramref name="defaultValue"/> when it is not given.</summary>
    public static Option<T> Create<T>(string name, string description, Func<string, T> parse, T defaultValue, string? helpName = null)
    {
        var option = Create(name, description, parse, helpName);
        option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    private static T? Parse<T>(ArgumentResult result, string name, Func<string, T> parse)
    {
        // Arity one: the single token is the value (a repeated option is already an error of its own).
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            result.AddError($"{name}: {e.Message}");
            return default;
        }
    }
}
