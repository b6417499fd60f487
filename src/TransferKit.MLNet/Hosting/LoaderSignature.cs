using System.Reflection;
using TransferKit.MLNet.Classification;
using TransferKit.MLNet.Featurization;

namespace TransferKit.MLNet.Hosting;

/// <summary>
/// How one TransferKit transformer is named in ML.NET model files: its loader name (at most 24 characters, the header's field), its eight-character model
/// signature and format version, and the static method that rebuilds it from a <c>ModelLoadContext</c>.
/// </summary>
internal sealed record LoaderSignature(string Name, string ModelSignature, uint Version, Type InstanceType, MethodInfo Load)
{
    public static LoaderSignature Classifier { get; } = For<TransferKitImageClassificationTransformer>("TKImageClassifier", "TKIMGCLS");

    public static LoaderSignature Featurizer { get; } = For<TransferKitImageFeaturizerTransformer>("TKImageFeaturizer", "TKIMGFEA");

    public static IReadOnlyList<LoaderSignature> All { get; } = [Classifier, Featurizer];

    private static LoaderSignature For<T>(string name, string signature) =>
        new(name, signature, 0x00010001, typeof(T),
            typeof(T).GetMethod("Load", BindingFlags.NonPublic | BindingFlags.Static, [typeof(object), typeof(object)])
                ?? throw new MissingMethodException(typeof(T).Name, "Load(object, object)"));
}
