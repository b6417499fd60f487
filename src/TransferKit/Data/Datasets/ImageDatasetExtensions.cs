namespace TransferKit.Data.Datasets;

/// <summary>
/// Subsets, seeded samples and stratified splits of any <see cref="IImageDataset"/>. Stratified means each class is
/// cut in the same proportions, so a rare class is not lost from validation. The same dataset, fractions and seed
/// always give the same indices.
/// </summary>
public static class ImageDatasetExtensions
{
    /// <summary>A view of the samples at <paramref name="indices"/>, in that order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset.</exception>
    public static DatasetSubset Subset(this IImageDataset dataset, IEnumerable<int> indices) => new(dataset, indices);

    /// <summary>
    /// A seeded random sample of about <paramref name="fraction"/> of every class (round(n_c * fraction) of a class with
    /// n_c samples), in ascending index order. Unlabelled datasets are sampled as one class. The seed article trains on 20%.
    /// </summary>
    /// <param name="dataset">The dataset to sample.</param>
    /// <param name="fraction">The share to keep, in (0, 1].</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside (0, 1] or not a number.</exception>
    public static DatasetSubset Sample(this IImageDataset dataset, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction must be in (0, 1].");
        }

        var kept = new List<int>();
        foreach (int[] members in ShuffledClasses(dataset, seed))
        {
            kept.AddRange(members.AsSpan(0, Cut(members.Length, fraction)));
        }

        kept.Sort();
        return new DatasetSubset(dataset, kept);
    }

    /// <summary>
    /// Splits the dataset into disjoint train, validation and test parts, stratified by class: of a class with n_c samples
    /// the first round(n_c * train) shuffled samples go to train and the next round(n_c * (train + validation)) - that to
    /// validation; the rest to test. Each part is in ascending index order. Unlabelled datasets are split as one class.
    /// </summary>
    /// <param name="dataset">The dataset to split.</param>
    /// <param name="train">Train share, in (0, 1].</param>
    /// <param name="validation">Validation share, in [0, 1).</param>
    /// <param name="test">Test share, in [0, 1).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <exception cref="ArgumentOutOfRangeException">A share is out of range or not a number, or the shares do not add up
    /// to 1 (within 1e-6); the parameter name says which.</exception>
    public static DatasetSplit Split(this IImageDataset dataset, double train, double validation, double test, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(train > 0 && train <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(train), train, "train must be in (0, 1].");
        }

        if (!(validation >= 0 && validation < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validation), validation, "validation must be in [0, 1).");
        }

        if (!(test >= 0 && test < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(test), test, "test must be in [0, 1).");
        }

        double sum = train + validation + test;
        if (Math.Abs(sum - 1) > 1e-6)
        {
            throw new ArgumentOutOfRangeException(nameof(test), sum,
                $"train + validation + test must be 1, not {sum} ({train} + {validation} + {test}).");
        }

        List<int> trainIdx = [], validationIdx = [], testIdx = [];
        foreach (int[] members in ShuffledClasses(dataset, seed))
        {
            int a = Cut(members.Length, train);
            int b = Math.Max(a, Cut(members.Length, train + validation));
            trainIdx.AddRange(members.AsSpan(0, a));
            validationIdx.AddRange(members.AsSpan(a, b - a));
            testIdx.AddRange(members.AsSpan(b));
        }

        trainIdx.Sort();
        validationIdx.Sort();
        testIdx.Sort();
        return new DatasetSplit(new(dataset, trainIdx), new(dataset, validationIdx), new(dataset, testIdx));
    }

    /// <summary>
    /// Splits the dataset by counts, stratified by class: of every class, <paramref name="train"/> shuffled samples go to
    /// train, the next <paramref name="validation"/> to validation and the rest to test. Each part is in ascending index
    /// order. This is the protocol of small-data experiments ("200 images per class").
    /// </summary>
    /// <param name="dataset">A labelled dataset.</param>
    /// <param name="train">Samples of each class for train, at least 1.</param>
    /// <param name="validation">Samples of each class for validation, at least 0.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range, or a class has fewer than
    /// <paramref name="train"/> + <paramref name="validation"/> samples (the message names it).</exception>
    /// <exception cref="ArgumentException">The dataset is unlabelled.</exception>
    public static DatasetSplit SplitPerClass(this IImageDataset dataset, int train, int validation, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(train, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(validation);
        if (!dataset.IsLabeled)
        {
            throw new ArgumentException("A split per class needs a labelled dataset.", nameof(dataset));
        }

        List<int> trainIdx = [], validationIdx = [], testIdx = [];
        List<int[]> classes = ShuffledClasses(dataset, seed);
        for (int c = 0; c < classes.Count; c++)
        {
            int[] members = classes[c];
            if (members.Length < train + validation)
            {
                throw new ArgumentOutOfRangeException(nameof(train), train,
                    $"class '{dataset.ClassNames[c]}' has {members.Length} samples, fewer than {train} + {validation}.");
            }

            trainIdx.AddRange(members.AsSpan(0, train));
            validationIdx.AddRange(members.AsSpan(train, validation));
            testIdx.AddRange(members.AsSpan(train + validation));
        }

        trainIdx.Sort();
        validationIdx.Sort();
        testIdx.Sort();
        return new DatasetSplit(new(dataset, trainIdx), new(dataset, validationIdx), new(dataset, testIdx));
    }

    /// <summary>A seeded sample of <paramref name="perClass"/> samples of every class, in ascending index order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="perClass"/> is below 1 or above a class's size.</exception>
    /// <exception cref="ArgumentException">The dataset is unlabelled.</exception>
    public static DatasetSubset SamplePerClass(this IImageDataset dataset, int perClass, int seed) =>
        dataset.SplitPerClass(perClass, 0, seed).Train;

    /// <summary>
    /// One line about a dataset for logs: "25000 images in 2 classes (12500 cat, 12500 dog)", or "12500 unlabelled
    /// images" when it has no labels.
    /// </summary>
    public static string Describe(this IImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!dataset.IsLabeled)
        {
            return $"{dataset.Count} unlabelled images";
        }

        string classes = string.Join(", ", dataset.ClassNames.Zip(dataset.CountPerClass(), (name, count) => $"{count} {name}"));
        return $"{dataset.Count} images in {dataset.ClassNames.Count} classes ({classes})";
    }

    /// <summary>Number of samples of each class (index = label). Unlabelled datasets return an empty array.</summary>
    public static int[] CountPerClass(this IImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var counts = new int[dataset.ClassNames.Count];
        if (!dataset.IsLabeled)
        {
            return counts;
        }

        for (int i = 0; i < dataset.Count; i++)
        {
            counts[dataset.GetLabel(i)]++;
        }

        return counts;
    }

    private static int Cut(int count, double fraction) => Math.Min(count, (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero));

    /// <summary>Each class's sample indices (unlabelled: one group), shuffled by one generator in class order.</summary>
    private static List<int[]> ShuffledClasses(IImageDataset dataset, int seed)
    {
        int groups = dataset.IsLabeled ? Math.Max(1, dataset.ClassNames.Count) : 1;
        var members = new List<int>[groups];
        for (int g = 0; g < groups; g++)
        {
            members[g] = [];
        }

        for (int i = 0; i < dataset.Count; i++)
        {
            members[dataset.IsLabeled ? dataset.GetLabel(i) : 0].Add(i);
        }

        var random = new Random(seed);
        var result = new List<int[]>(groups);
        foreach (List<int> group in members)
        {
            int[] shuffled = [.. group];
            SeededShuffle.Shuffle(shuffled, random);
            result.Add(shuffled);
        }

        return result;
    }
}
