namespace TransferKit.Api;

/// <summary>
/// Raised at <see cref="ImageClassifierBuilder.Build"/> when the pre-trained weights bring their own architecture (an ONNX
/// model, or a named entry such as <c>mlnet-resnet18</c>) and a different network was also chosen with
/// <c>UseArchitecture</c> or <c>UseBaselineCnn</c>. The message names both and says which call to drop.
/// </summary>
public sealed class BackboneConflictException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="weights"/> (a file or an entry's name) against <paramref name="architecture"/>.</summary>
    public BackboneConflictException(string weights, string architecture)
        : base($"{weights}: these weights are an ONNX model that carries its own architecture, but the network was also set to " +
               $"'{architecture}'. Drop UseArchitecture/UseBaselineCnn to train on the ONNX graph, or give weights made for " +
               $"'{architecture}' (a .safetensors file or .pth/.pt checkpoint).")
    {
        Weights = weights;
        Architecture = architecture;
    }

    /// <summary>The weights file or named entry.</summary>
    public string Weights { get; }

    /// <summary>The network chosen besides them.</summary>
    public string Architecture { get; }
}
