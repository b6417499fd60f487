using System.Text.Json;
using TransferKit.Training.Schedules;
using Xunit.Sdk;

namespace TransferKit.Tests.Training.Schedules;

/// <summary>
/// One learning-rate sequence recorded from PyTorch 1.13 by <c>tools/fixtures/schedules.py</c>
/// (<c>Fixtures/Schedules/&lt;case&gt;.json</c>); the script's docstring describes the keys.
/// </summary>
internal sealed record ScheduleFixture(string Name, double BaseLearningRate, ScheduleInterval Interval, int StepsPerEpoch,
    double[] LearningRates, double[]? Momenta)
{
    public static ScheduleFixture Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Schedules", name + ".json");
        if (!File.Exists(path))
            throw new XunitException($"Schedule fixture '{name}' not found at {path}; run /usr/bin/python3 tools/fixtures/schedules.py.");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var interval = root.GetProperty("interval").GetString() switch
        {
            "epoch" => ScheduleInterval.Epoch,
            "step" => ScheduleInterval.Step,
            var other => throw new XunitException($"{name}: unknown interval '{other}'."),
        };
        double[]? momenta = root.TryGetProperty("momentum", out var m) ? Doubles(m) : null;
        return new ScheduleFixture(name, root.GetProperty("base_lr").GetDouble(), interval,
            root.GetProperty("steps_per_epoch").GetInt32(), Doubles(root.GetProperty("lr")), momenta);
    }

    /// <summary>
    /// The position of recorded index <paramref name="i"/>: the epoch for per-epoch cases (at a middle batch of a
    /// 7-batch epoch, so per-epoch schedules are also seen to ignore the batch), the global step otherwise.
    /// </summary>
    public SchedulePosition Position(int i) => Interval == ScheduleInterval.Epoch
        ? new SchedulePosition(i, 3, 7)
        : SchedulePosition.FromGlobalStep(i, StepsPerEpoch);

    /// <summary>Checks <paramref name="actual"/> against <paramref name="expected"/> element by element, relative to each element.</summary>
    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double limit = Tolerances.ScheduleRelative * Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= limit))
                throw new XunitException($"{what}: index {i} is {actual[i]:R}, PyTorch has {expected[i]:R} (limit {limit:G3}).");
        }
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
