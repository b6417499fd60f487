namespace TransferKit.Reporting;

/// <summary>One line of a <see cref="SvgLineChart"/>.</summary>
/// <param name="Key">A short machine name written as the line's <c>data-series</c> attribute (tests and scripts find it by this).</param>
/// <param name="Label">The legend text.</param>
/// <param name="Color">A CSS colour.</param>
/// <param name="Points">(x, y) in data units; points with a non-finite y are left out.</param>
/// <param name="Markers">Whether each point gets a dot (for per-epoch values; a line of one point is otherwise invisible).</param>
/// <param name="Dashed">Whether the line is dashed (validation lines, so they stay apart from training lines without colour).</param>
internal sealed record LineSeries(string Key, string Label, string Color, IReadOnlyList<(double X, double Y)> Points, bool Markers = true, bool Dashed = false);
