namespace TransferKit.Autograd;

/// <summary>Settings of a traced batch norm: training mode (batch statistics) and epsilon.</summary>
internal sealed record TracedBatchNorm(bool Training, float Eps);
