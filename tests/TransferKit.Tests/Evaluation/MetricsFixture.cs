using System.Text.Json;
using Xunit.Sdk;

namespace TransferKit.Tests.Evaluation;

/// <summary>
/// One scikit-learn reference case written by <c>tools/fixtures/metrics.py</c>: a JSON file in <c>Fixtures/Metrics</c>
/// with float32 probabilities (as exact doubles), labels, and the expected metrics (null where scikit-learn raises).
/// </summary>
internal sealed class MetricsFixture
{
    private MetricsFixture(string name, JsonElement root)
    {
        Name = name;
        Root = root;
        ClassCount = root.GetProperty("classCount").GetInt32();
        BinaryInput = root.GetProperty("binaryInput").GetBoolean();
        LogLossEpsilon = root.GetProperty("logLossEpsilon").GetDouble();
        Probabilities = [.. root.GetProperty("probabilities").EnumerateArray().Select(e => (float)e.GetDouble())];
        Labels = [.. root.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32())];
        Expected = root.GetProperty("expected");
    }

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Metrics");

    public string Name { get; }

    public JsonElement Root { get; }

    public int ClassCount { get; }

    /// <summary>Whether <see cref="Probabilities"/> is one sigmoid output per sample rather than [N, C].</summary>
    public bool BinaryInput { get; }

    public double LogLossEpsilon { get; }

    public float[] Probabilities { get; }

    public int[] Labels { get; }

    public JsonElement Expected { get; }

    public string[] ClassNames => [.. Enumerable.Range(0, ClassCount).Select(c => $"class{c}")];

    public int[] TopK => [.. Expected.GetProperty("topK").EnumerateObject().Select(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture))];

    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(Folder, "*.json").Select(f => new object[] { Path.GetFileNameWithoutExtension(f) }).OrderBy(c => (string)c[0], StringComparer.Ordinal);

    public static MetricsFixture Load(string name)
    {
        string path = Path.Combine(Folder, name + ".json");
        if (!File.Exists(path))
            throw new XunitException($"Metrics fixture '{name}' not found at {path}; run /usr/bin/python3 tools/fixtures/metrics.py.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new MetricsFixture(name, document.RootElement.Clone());
    }

    public double Number(string property) => Expected.GetProperty(property).GetDouble();

    public double? NullableNumber(string property) =>
        Expected.GetProperty(property).ValueKind == JsonValueKind.Null ? null : Expected.GetProperty(property).GetDouble();

    public double[] Numbers(string property) => [.. Expected.GetProperty(property).EnumerateArray().Select(e => e.GetDouble())];
}
