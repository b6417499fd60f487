using System.Globalization;
using TransferKit.Weights;
using Xunit.Sdk;

namespace TransferKit.Tests.Golden;

/// <summary>
/// One PyTorch reference case written by <c>tools/fixtures/make_fixtures.py</c>: a safetensors file in the
/// <c>Fixtures</c> folder next to the test assembly. Keys and metadata are described in <c>tools/fixtures/README.md</c>.
/// Missing keys fail the test with the case and key named.
/// </summary>
internal sealed class GoldenFixture : IDisposable
{
    private readonly SafetensorsFile _file;

    private GoldenFixture(string caseName, SafetensorsFile file)
    {
        CaseName = caseName;
        _file = file;
    }

    /// <summary>The folder the fixtures are copied to at build time.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The case name, e.g. <c>conv2d_3x3_s2_p1</c>.</summary>
    public string CaseName { get; }

    /// <summary>The underlying file, for listing tensors.</summary>
    public SafetensorsFile File => _file;

    /// <summary>Every case name in <see cref="Folder"/>, sorted.</summary>
    public static IReadOnlyList<string> AllCases() =>
        Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.safetensors").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Opens <c>Fixtures/&lt;caseName&gt;.safetensors</c>.</summary>
    public static GoldenFixture Load(string caseName)
    {
        string path = Path.Combine(Folder, caseName + ".safetensors");
        if (!System.IO.File.Exists(path))
            throw new XunitException($"Golden fixture '{caseName}' not found at {path}; run /usr/bin/python3 tools/fixtures/make_fixtures.py.");
        return new GoldenFixture(caseName, SafetensorsFile.Open(path));
    }

    /// <summary>Whether the case holds tensor <paramref name="name"/>.</summary>
    public bool Has(string name) => _file.Contains(name);

    /// <summary>The tensor <paramref name="name"/> as float32 with its stored shape; the caller disposes it.</summary>
    public TransferKit.Tensors.Tensor Tensor(string name) => _file.ReadTensor(Require(name));

    /// <summary>The tensor <paramref name="name"/>'s values in row-major order.</summary>
    public float[] Floats(string name)
    {
        using var t = Tensor(name);
        return t.ToArray();
    }

    /// <summary>An integer tensor (such as <c>labels</c>) as int32 values.</summary>
    public int[] Ints(string name) => _file.ReadInt32(Require(name));

    /// <summary>The stored shape of tensor <paramref name="name"/>.</summary>
    public int[] Shape(string name) => _file.GetInfo(Require(name)).Shape;

    /// <summary>The metadata string <paramref name="key"/>.</summary>
    public string Meta(string key) =>
        _file.Metadata.TryGetValue(key, out var value)
            ? value
            : throw new XunitException($"Golden fixture '{CaseName}' has no metadata '{key}'; it has {string.Join(", ", _file.Metadata.Keys)}.");

    /// <summary>A comma-separated metadata list of integers, e.g. <c>"2,2"</c>.</summary>
    public int[] MetaInts(string key) =>
        Meta(key).Split(',', StringSplitOptions.TrimEntries).Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>A metadata number such as <c>"0.1"</c> or <c>"1e-05"</c>.</summary>
    public float MetaFloat(string key) => float.Parse(Meta(key), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A metadata flag written as <c>"true"</c> or <c>"false"</c>.</summary>
    public bool MetaBool(string key) => Meta(key) switch
    {
        "true" => true,
        "false" => false,
        var other => throw new XunitException($"Golden fixture '{CaseName}' metadata '{key}' is '{other}', not true/false."),
    };

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private string Require(string name) =>
        _file.Contains(name) ? name : throw new XunitException($"Golden fixture '{CaseName}' has no tensor '{name}'.");
}
