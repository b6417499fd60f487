using System.Reflection;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests;

/// <summary>ONNX backbones for the tests: the core tests' small residual CNN, and ML.NET's ResNet-18 from the NuGet folder.</summary>
internal static class OnnxFixtures
{
    /// <summary>The residual fixture's input size in pixels.</summary>
    public const int ResidualInputSize = 24;

    /// <summary>Copies the residual fixture (units stem, block1, block2) into <paramref name="dir"/>, so a test can delete it after saving.</summary>
    public static string CopyResidual(TempDirectory dir)
    {
        string path = dir.PathOf("residual.onnx");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "residual.onnx"), path);
        return path;
    }

    /// <summary>The NuGet global packages folder this test project was restored into (it references ML.NET's ResNet-18 package).</summary>
    public static string PackagesFolder => typeof(OnnxFixtures).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "NuGetPackageRoot").Value!;
}
