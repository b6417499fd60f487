using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.MLNet.Data;

namespace TransferKit.MLNet.Mapping;

/// <summary>
/// The lazy IDataView a TransferKit transformer returns: the input's columns followed by the mapper's outputs. A
/// cursor computes the outputs only when one of them is active, in batches of <see cref="ImageVectorMapper.BatchSize"/>
/// rows read ahead through a second cursor over the image column alone.
/// </summary>
internal sealed class ImageMappedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly ImageVectorMapper _mapper;

    public ImageMappedDataView(IDataView input, ImageVectorMapper mapper)
    {
        _input = input;
        _mapper = mapper;
        Schema = OutputSchema(input.Schema, mapper);
    }

    public static DataViewSchema OutputSchema(DataViewSchema input, ImageVectorMapper mapper)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        foreach (var c in mapper.OutputColumns) builder.AddColumn(c.Name, c.Type, c.Annotations);
        return builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        int inputCount = _input.Schema.Count;
        var inputColumns = needed.Where(i => i < inputCount).Select(i => _input.Schema[i]).ToList();
        bool outputs = needed.Any(i => i >= inputCount);
        var main = _input.GetRowCursor(inputColumns);
        var lead = outputs ? _input.GetRowCursor([_input.Schema[_mapper.InputColumnName]]) : null;
        return new Cursor(this, main, lead, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageMappedDataView _parent;
        private readonly DataViewRowCursor _main;
        private readonly DataViewRowCursor? _lead;
        private readonly Func<byte[]?>? _leadImage;
        private readonly HashSet<int> _active;
        private readonly float[][] _vectors;
        private long _batchStart = -1;
        private int _batchCount;

        public Cursor(ImageMappedDataView parent, DataViewRowCursor main, DataViewRowCursor? lead, HashSet<int> active)
        {
            _parent = parent;
            _main = main;
            _lead = lead;
            _leadImage = lead is null ? null : ImageColumnReader.Create(lead, lead.Schema[parent._mapper.InputColumnName]);
            _active = active;
            _vectors = new float[parent._mapper.BatchSize][];
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _main.Position;

        public override long Batch => _main.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext() => _main.MoveNext();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _parent._input.Schema.Count;
            if (column.Index < inputCount) return _main.GetGetter<TValue>(_main.Schema[column.Index]);
            var getter = _parent._mapper.Getter(column.Index - inputCount, Current);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }

        private float[] Current()
        {
            long position = _main.Position;
            if (_batchStart < 0 || position >= _batchStart + _batchCount) FillBatch(position);
            return _vectors[position - _batchStart];
        }

        private void FillBatch(long position)
        {
            var images = new List<ReadOnlyMemory<byte>?>();
            var names = new List<string>();
            // The lead cursor runs over the same rows in the same order; skip to this row, then read a batch.
            while (_lead!.Position < position && _lead.MoveNext())
            {
            }
            if (_lead.Position != position)
                throw new InvalidOperationException($"The input's second cursor lost row {position}: it is at row {_lead.Position}.");
            _batchStart = position;
            do
            {
                images.Add(_leadImage!() is { } bytes ? bytes : null);
                names.Add($"row {_lead.Position}");
            }
            while (images.Count < _vectors.Length && _lead.MoveNext());
            _batchCount = images.Count;
            _parent._mapper.Map(images, names, _vectors);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main.Dispose();
                _lead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
