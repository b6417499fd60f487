using System.CommandLine;
using TransferKit.Cli.Output;
using TransferKit.Models;
using TransferKit.Models.Onnx;

namespace TransferKit.Cli.Commands;

/// <summary><c>transferkit architectures</c>: the catalog as a table, or as JSON for scripts.</summary>
internal static class ArchitecturesCommand
{
    private const string Summary = "List the architectures, with parameters, input size, ImageNet top-1, weights size, GFLOPs and features.";

    private const string Details = """
        The catalog with torchvision's facts: learnable parameters, input size, published ImageNet-1k top-1 accuracy of
        the reference weights, size of the float32 weights in MB, GFLOPs per image and the feature dimension the head sees.

        Examples:
          transferkit architectures
          transferkit architectures --json | jq '.[] | select(.parameters < 10000000) | .name'
        """;

    /// <summary>Creates the command; its action writes through <paramref name="context"/>.</summary>
    public static (Command Command, string Details) Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Write the catalog as JSON (an array of objects) and nothing else." };
        var command = new Command("architectures", Summary) { json };
        command.SetAction(parse => Run(context, parse.GetValue(json)));
        return (command, Details);
    }

    private static int Run(CliContext context, bool json)
    {
        var rows = Architectures.All.Select(ArchitectureRow.From).ToList();
        if (json)
        {
            CliJson.Write(context.Out, rows);
            return ExitCodes.Success;
        }
        var table = new TextTable("name", ">parameters", ">input", ">top-1 %", ">weights MB", ">GFLOPs", ">features");
        foreach (var r in rows)
        {
            table.Add(r.Name, Numbers.Count(r.Parameters), $"{r.InputSize}", Numbers.Fixed(r.Top1, 3), Numbers.Fixed(r.FileSizeMegabytes, 1),
                Numbers.Fixed(r.GigaFlops, 2), $"{r.FeatureDimension}");
        }
        table.WriteTo(context.Out);
        context.Out.WriteLine();
        context.Out.WriteLine("Top-1 is torchvision's published ImageNet-1k accuracy of its reference weights; 'baseline' (a small CNN trained from scratch) is also accepted by --arch.");
        // Named backbones are whole networks with weights, so they are given to --weights rather than --arch.
        foreach (var named in PretrainedBackbones.All)
            context.Out.WriteLine($"Named weights: --weights {named.Name} (no --arch) is {named.Options.Name} from the NuGet package {named.PackageId} {named.PackageVersion}.");
        return ExitCodes.Success;
    }

    /// <summary>One architecture as the JSON output writes it.</summary>
    internal sealed record ArchitectureRow(
        string Name, string Family, long Parameters, long ParametersWithoutHead, int InputSize, double Top1, double Top5, string AccuracySource,
        double FileSizeMegabytes, double GigaFlops, int FeatureDimension, string HeadName, IReadOnlyList<string> Units)
    {
        public static ArchitectureRow From(ArchitectureInfo a) => new(
            a.Name, a.Family, a.ParameterCount, a.ParameterCountWithoutHead, a.Preprocessing.InputSize, a.Top1, a.Top5, a.AccuracySource,
            a.FileSizeMegabytes, a.GigaFlops, a.FeatureDimension, a.HeadName, a.Units);
    }
}
