namespace TransferKit.Models;

/// <summary>How a head reduces the backbone's [N, C, h, w] feature map to a vector per image.</summary>
public enum HeadPooling
{
    /// <summary>Global average pooling: C features (Keras GlobalAveragePooling2D, torchvision's default).</summary>
    Average,

    /// <summary>Global max pooling: C features.</summary>
    Max,

    /// <summary>Max and average concatenated: 2C features (fastai's AdaptiveConcatPool2d).</summary>
    Concat,

    /// <summary>No pooling: the whole map flattened, C·h·w features (Keras Flatten, as the ResNet50/CIFAR-10 seed head).</summary>
    Flatten,
}
