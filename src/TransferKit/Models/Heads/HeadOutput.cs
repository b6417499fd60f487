namespace TransferKit.Models;

/// <summary>The last layer of a head: softmax over classes, or one sigmoid unit for a two-class task.</summary>
public enum HeadOutput
{
    /// <summary>N logits trained with softmax cross-entropy.</summary>
    Softmax,

    /// <summary>One logit trained with binary cross-entropy; class 1 is the positive class (Keras Dense(1, sigmoid)).</summary>
    Sigmoid,
}
