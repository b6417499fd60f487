using TransferKit.Data.Datasets;

namespace TransferKit.Cli.Data;

/// <summary>
/// Relabels an evaluation folder with a model's class order. A folder may hold only some of the model's classes, or
/// spell them in another case (Kaggle's <c>cat</c> for PetImages' <c>Cat</c>); its labels come from its own sorted
/// class list, which then differs from the model's, and scoring it unchanged would compare the wrong indices.
/// </summary>
internal static class ClassAlignment
{
    /// <summary>
    /// <paramref name="data"/> with labels in <paramref name="modelClasses"/>' order (itself when the classes already agree).
    /// </summary>
    /// <exception cref="DatasetException">A class of the data is not one of the model's.</exception>
    public static ImageFileDataset ToModelClasses(ImageFileDataset data, IReadOnlyList<string> modelClasses, string root)
    {
        if (data.ClassNames.SequenceEqual(modelClasses, StringComparer.Ordinal)) return data;
        var map = new int[data.ClassNames.Count];
        for (int c = 0; c < map.Length; c++)
        {
            string name = data.ClassNames[c];
            int index = IndexOf(modelClasses, name, StringComparison.Ordinal);
            if (index < 0) index = IndexOf(modelClasses, name, StringComparison.OrdinalIgnoreCase);
            map[c] = index >= 0
                ? index
                : throw new DatasetException(root, $"has class '{name}', which the model does not know; its classes are {string.Join(", ", modelClasses)}.");
        }
        var labels = Enumerable.Range(0, data.Count).Select(i => map[data.GetLabel(i)]).ToArray();
        return new ImageFileDataset(data.Paths, labels, modelClasses);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name, StringComparison comparison)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, comparison)) return i;
        return -1;
    }
}
