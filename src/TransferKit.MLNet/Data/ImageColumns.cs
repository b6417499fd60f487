using Microsoft.ML;
using Microsoft.ML.Data;

namespace TransferKit.MLNet.Data;

/// <summary>Schema checks shared by the trainer and the featurizer; each failure names the column and the type it needs.</summary>
internal static class ImageColumns
{
    public const string BytesType = "encoded image bytes (Vector<Byte>, as mlContext.Transforms.LoadRawImageBytes gives) or decoded images (MLImage, as LoadImages gives)";

    public const string KeyType = "a key type (as mlContext.Transforms.Conversion.MapValueToKey gives)";

    /// <summary>Finds the image column; it must hold encoded image bytes or MLImage values (<see cref="ImageColumnReader"/>).</summary>
    /// <exception cref="ColumnMismatchException">It is missing or of another type.</exception>
    public static DataViewSchema.Column Image(DataViewSchema schema, string option, string name)
    {
        var column = Find(schema, option, name, BytesType, "Load the images with mlContext.Transforms.LoadRawImageBytes(outputColumnName, imageFolder, inputColumnName).");
        if (ImageColumnReader.IsImage(column.Type)) return column;
        throw new ColumnMismatchException(option, name, BytesType, column.Type.ToString(), HintFor(column.Type, name));
    }

    /// <summary>What to add to the pipeline when the image column holds <paramref name="type"/> instead of encoded bytes.</summary>
    public static string HintFor(DataViewType type, string name) =>
        type is TextDataViewType
            ? "It holds text (an image path?): add mlContext.Transforms.LoadRawImageBytes(outputColumnName, imageFolder, inputColumnName: \"" + name + "\") before the trainer."
            : type is VectorDataViewType
                ? "It holds pixel values, not images (ExtractPixels?): give TransferKit the images themselves, from LoadRawImageBytes or LoadImages; it resizes and normalises them as the backbone's weights expect."
                : "Load the images with mlContext.Transforms.LoadRawImageBytes (encoded bytes) or LoadImages (MLImage).";

    /// <summary>Whether a schema-shape column (of a pipeline not yet fitted) holds images: a byte vector, or a scalar MLImage.</summary>
    public static bool IsImage(SchemaShape.Column column) =>
        column.ItemType == NumberDataViewType.Byte && column.Kind != SchemaShape.Column.VectorKind.Scalar
        || ImageColumnReader.IsMlImage(column.ItemType) && column.Kind == SchemaShape.Column.VectorKind.Scalar;

    /// <summary>Finds the label column; it must be of a key type with at least two values.</summary>
    /// <exception cref="ColumnMismatchException">It is missing, not a key, or has fewer than two values.</exception>
    public static DataViewSchema.Column Label(DataViewSchema schema, string option, string name)
    {
        const string hint = "Map the labels to keys with mlContext.Transforms.Conversion.MapValueToKey(outputColumnName, inputColumnName).";
        var column = Find(schema, option, name, KeyType, hint);
        if (column.Type is not KeyDataViewType key) throw new ColumnMismatchException(option, name, KeyType, column.Type.ToString(), hint);
        if (key.Count < 2)
            throw new ColumnMismatchException(option, name, "a key type of at least 2 classes", $"a key type of {key.Count} value(s)", hint);
        return column;
    }

    /// <summary>The class names of a key column: its KeyValues annotation as text, else the key values 1..n as numbers.</summary>
    public static string[] ClassNames(DataViewSchema.Column label)
    {
        int count = checked((int)((KeyDataViewType)label.Type).Count);
        if (label.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues) is { } values && values.Type is VectorDataViewType { Size: var size } && size == count)
        {
            if (values.Type is VectorDataViewType { ItemType: TextDataViewType })
            {
                VBuffer<ReadOnlyMemory<char>> text = default;
                label.Annotations.GetValue(AnnotationNames.KeyValues, ref text);
                return [.. text.DenseValues().Select(v => v.ToString())];
            }
        }
        return [.. Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string option, string name, string expected, string hint)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException($"{option} must name a column.", option);
        return schema.GetColumnOrNull(name) ?? throw new ColumnMismatchException(option, name, expected, null,
            $"{hint} The input's columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"))}.");
    }
}
