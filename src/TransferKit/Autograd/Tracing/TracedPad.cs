namespace TransferKit.Autograd;

/// <summary>Settings of a traced constant padding of the last two axes.</summary>
internal sealed record TracedPad(int Top, int Left, int Bottom, int Right, float Value);
