using System.Text.Json;
using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

/// <summary>
/// Maps every key of timm's models onto torchvision's. Both key lists come from tools/fixtures/weights_keys.py:
/// torchvision's from torchvision 0.14 itself, timm's derived from timm's builder rules, independently of torchvision.
/// </summary>
public class TimmKeyMapsTests
{
    private static Dictionary<string, int[]> Keys(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Weights", name + ".json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var keys = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            string key = entry.GetProperty("key").GetString()!;
            int[] shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            Assert.True(keys.TryAdd(key, shape), $"{name}: key '{key}' twice");
        }
        return keys;
    }

    [Theory]
    [InlineData("timm_mobilenetv2_100", "torchvision_mobilenet_v2", 314)]
    [InlineData("timm_efficientnet_b0", "torchvision_efficientnet_b0", 360)]
    public void MapsEveryTimmKeyOntoTorchvisionWithEqualShapes(string timmFile, string torchvisionFile, int count)
    {
        var map = timmFile.Contains("mobilenet", StringComparison.Ordinal) ? TimmKeyMaps.MobileNetV2 : TimmKeyMaps.EfficientNetB0;
        var timm = Keys(timmFile);
        var torchvision = Keys(torchvisionFile);
        Assert.Equal(count, timm.Count);
        Assert.Equal(count, torchvision.Count);

        var mapped = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (key, shape) in timm)
        {
            string target = map.Map(key);
            Assert.True(mapped.TryAdd(target, shape), $"two timm keys map to '{target}' (one is '{key}')");
            Assert.True(torchvision.TryGetValue(target, out var expected), $"timm '{key}' maps to '{target}', which torchvision lacks");
            Assert.True(expected.SequenceEqual(shape),
                $"timm '{key}' [{string.Join(", ", shape)}] maps to '{target}' [{string.Join(", ", expected!)}]");
        }
        Assert.Equal(torchvision.Keys.Order(), mapped.Keys.Order());
    }

    [Fact]
    public void EveryRuleIsUsedByTheModelsKeys()
    {
        foreach (var (map, file) in new[] { (TimmKeyMaps.MobileNetV2, "timm_mobilenetv2_100"), (TimmKeyMaps.EfficientNetB0, "timm_efficientnet_b0") })
        {
            var keys = Keys(file).Keys.ToList();
            foreach (var rule in map.Rules)
                Assert.Contains(keys, k => k == rule.Source || k.StartsWith(rule.Source + ".", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DeeperVariantsNumberTorchvisionFeaturesConsecutively()
    {
        // EfficientNet-B1: ceil(1.1 x B0 depths) in timm and torchvision alike.
        var b1 = TimmKeyMaps.CreateEfficientNet("timm-efficientnet_b1", [2, 3, 3, 4, 4, 5, 2]);
        Assert.Equal("features.1.1.block.1.fc1.weight", b1.Map("blocks.0.1.se.conv_reduce.weight"));
        Assert.Equal("features.7.1.block.3.1.running_mean", b1.Map("blocks.6.1.bn3.running_mean"));
        Assert.Equal("features.8.0.weight", b1.Map("conv_head.weight"));

        var mobile = TimmKeyMaps.CreateMobileNetV2("deeper-mobilenetv2", [1, 3, 4, 5, 4, 4, 1]);
        Assert.Equal("features.4.conv.1.0.weight", mobile.Map("blocks.1.2.conv_dw.weight"));
        Assert.Equal("features.23.0.weight", mobile.Map("conv_head.weight"));
        Assert.Throws<ArgumentException>(() => TimmKeyMaps.CreateEfficientNet("x", [1, 0]));
        Assert.Throws<ArgumentException>(() => TimmKeyMaps.CreateMobileNetV2("x", []));
    }
}
