namespace TransferKit.Data.Datasets;

/// <summary>Which CIFAR-10 binary batches to read.</summary>
public enum Cifar10Split
{
    /// <summary>data_batch_1.bin ... data_batch_5.bin: 50,000 images.</summary>
    Train,

    /// <summary>test_batch.bin: 10,000 images.</summary>
    Test,
}
