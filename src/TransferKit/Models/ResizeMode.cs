namespace TransferKit.Models;

/// <summary>How an image of any shape becomes the square network input (see <see cref="PreprocessingSpec.ResizeMode"/>).</summary>
public enum ResizeMode
{
    /// <summary>
    /// Resize the shorter side to <see cref="PreprocessingSpec.ResizeSize"/> keeping the aspect ratio, then take the centred
    /// <see cref="PreprocessingSpec.InputSize"/> square: torchvision's and timm's evaluation transform. Non-square images
    /// lose their edges along the longer side.
    /// </summary>
    CenterCrop,

    /// <summary>
    /// Resize the whole image straight to <see cref="PreprocessingSpec.InputSize"/> square, ignoring the aspect ratio and
    /// <see cref="PreprocessingSpec.ResizeSize"/>: nothing is cropped, non-square images are squashed. ML.NET's ResNet-18
    /// featurizer expects it, as does Keras' <c>image_dataset_from_directory</c> by default.
    /// </summary>
    Stretch,
}
