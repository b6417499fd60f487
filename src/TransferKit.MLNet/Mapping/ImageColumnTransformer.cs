using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.MLNet.Data;

namespace TransferKit.MLNet.Mapping;

/// <summary>
/// What TransferKit's ML.NET transformers share: they read a column of images (encoded bytes, or MLImage from LoadImages) and append columns computed
/// from it, lazily (<see cref="Transform"/>, batched) or one row at a time (<see cref="GetRowToRowMapper"/>, which
/// PredictionEngine uses). Each checks the image column first and names it when it is missing or of another type.
/// </summary>
public abstract class ImageColumnTransformer : ITransformer
{
    private readonly ImageVectorMapper _mapper;
    private readonly string _option;

    private protected ImageColumnTransformer(ImageVectorMapper mapper, string option)
    {
        _mapper = mapper;
        _option = option;
    }

    private protected ImageVectorMapper Mapper => _mapper;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    /// <exception cref="ColumnMismatchException">The image column is missing or holds neither encoded bytes nor MLImage.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ImageColumns.Image(inputSchema, _option, _mapper.InputColumnName);
        return ImageMappedDataView.OutputSchema(inputSchema, _mapper);
    }

    /// <inheritdoc/>
    /// <exception cref="ColumnMismatchException">The image column is missing or holds neither encoded bytes nor MLImage.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ImageColumns.Image(inputSchema, _option, _mapper.InputColumnName);
        return new ImageRowMapper(inputSchema, _mapper);
    }

    /// <inheritdoc/>
    /// <remarks>Lazy, as ML.NET's transforms are: images are computed in batches when a cursor reads an output column.</remarks>
    /// <exception cref="ColumnMismatchException">The image column is missing or holds neither encoded bytes nor MLImage.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImageColumns.Image(input.Schema, _option, _mapper.InputColumnName);
        return new ImageMappedDataView(input, _mapper);
    }

    /// <summary>Writes the transformer into an ML.NET model file (<c>mlContext.Model.Save</c>).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        SaveModel(ctx);
    }

    private protected abstract void SaveModel(ModelSaveContext ctx);
}
