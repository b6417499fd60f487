using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.MLNet.Data;

namespace TransferKit.MLNet.Mapping;

/// <summary>
/// The row-to-row form of a TransferKit transformer, which PredictionEngine uses: one input row in, the same row with
/// the mapper's outputs, computed when first read.
/// </summary>
internal sealed class ImageRowMapper : IRowToRowMapper
{
    private readonly ImageVectorMapper _mapper;

    public ImageRowMapper(DataViewSchema inputSchema, ImageVectorMapper mapper)
    {
        InputSchema = inputSchema;
        _mapper = mapper;
        OutputSchema = ImageMappedDataView.OutputSchema(inputSchema, mapper);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new List<DataViewSchema.Column>();
        bool outputs = false;
        foreach (var c in dependingColumns)
        {
            if (c.Index < InputSchema.Count) needed.Add(InputSchema[c.Index]);
            else outputs = true;
        }
        if (outputs) needed.Add(InputSchema[_mapper.InputColumnName]);
        return needed.Distinct();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row : DataViewRow
    {
        private readonly ImageRowMapper _parent;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly float[][] _vector = new float[1][];
        private byte[]? _computedFor;
        private Func<byte[]?>? _readImage;

        public Row(ImageRowMapper parent, DataViewRow input, HashSet<int> active)
        {
            _parent = parent;
            _input = input;
            _active = active;
        }

        public override DataViewSchema Schema => _parent.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _parent.InputSchema.Count;
            if (column.Index < inputCount) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            var getter = _parent._mapper.Getter(column.Index - inputCount, Current);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }

        private float[] Current()
        {
            // Score and PredictedLabel both read the vector, and a prediction engine reuses one row for every call with
            // no position to tell calls apart: the image bytes themselves decide whether the vector is current.
            _readImage ??= ImageColumnReader.Create(_input, _input.Schema[_parent._mapper.InputColumnName]);
            byte[] bytes = _readImage() ?? [];
            if (_computedFor is null || !bytes.AsSpan().SequenceEqual(_computedFor))
            {
                _computedFor = bytes;
                _parent._mapper.Map([bytes.Length == 0 ? null : bytes], [$"row {_input.Position}"], _vector);
            }
            return _vector[0];
        }
    }
}
