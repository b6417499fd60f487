namespace TransferKit.Cli.Output;

/// <summary>
/// A plain fixed-width table: a header, a rule, then rows; text columns left-aligned, numeric ones right-aligned. Plain
/// text on purpose: it reads the same in a terminal, a pipe and a log, whatever the terminal width.
/// </summary>
internal sealed class TextTable
{
    private readonly string[] _header;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <summary>A table with these columns; a column whose name starts with '&gt;' is right-aligned (the marker is not shown).</summary>
    public TextTable(params string[] columns)
    {
        _rightAligned = [.. columns.Select(c => c.StartsWith('>'))];
        _header = [.. columns.Select(c => c.TrimStart('>'))];
    }

    /// <summary>Adds a row (one cell per column).</summary>
    /// <exception cref="ArgumentException">The cell count differs from the column count.</exception>
    public TextTable Add(params string[] cells)
    {
        if (cells.Length != _header.Length) throw new ArgumentException($"A row has {cells.Length} cells for {_header.Length} columns.", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the table, each line ending with a newline.</summary>
    public void WriteTo(TextWriter writer)
    {
        int[] widths = [.. _header.Select((h, c) => _rows.Select(r => r[c].Length).Append(h.Length).Max())];
        WriteLine(writer, _header, widths);
        WriteLine(writer, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in _rows) WriteLine(writer, row, widths);
    }

    private void WriteLine(TextWriter writer, string[] cells, int[] widths)
    {
        var parts = cells.Select((cell, c) => _rightAligned[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
        writer.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
