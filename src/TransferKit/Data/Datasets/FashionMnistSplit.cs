namespace TransferKit.Data.Datasets;

/// <summary>Which Fashion-MNIST (or MNIST) files to read.</summary>
public enum FashionMnistSplit
{
    /// <summary>train-images-idx3-ubyte and train-labels-idx1-ubyte: 60,000 images.</summary>
    Train,

    /// <summary>t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte: 10,000 images.</summary>
    Test,
}
