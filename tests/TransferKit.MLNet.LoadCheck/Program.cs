// Usage: TransferKit.MLNet.LoadCheck MODEL.zip COLUMN IMAGE...
// Loads MODEL.zip in a new MLContext, runs it over the images (an "Image" column of bytes and an empty "Label"), and
// prints the float vector COLUMN of each image on one line, round-trip formatted. No TransferKit type is named here:
// the loaders must be found through the registration the TransferKit.MLNet package adds to this assembly.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: TransferKit.MLNet.LoadCheck MODEL.zip COLUMN IMAGE...");
    return 2;
}
var mlContext = new MLContext();
ITransformer model;
try
{
    model = mlContext.Model.Load(args[0], out _);
}
catch (Exception e)
{
    for (Exception? inner = e; inner is not null; inner = inner.InnerException) Console.Error.WriteLine($"{inner.GetType().Name}: {inner.Message}");
    return 3;
}
var rows = args.Skip(2).Select(path => new InputRow { Image = File.ReadAllBytes(path) }).ToList();
var scored = model.Transform(mlContext.Data.LoadFromEnumerable(rows));
var column = scored.Schema[args[1]];
using var cursor = scored.GetRowCursor([column]);
var getter = cursor.GetGetter<VBuffer<float>>(column);
var values = default(VBuffer<float>);
while (cursor.MoveNext())
{
    getter(ref values);
    Console.WriteLine(string.Join(" ", values.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
}
return 0;

internal sealed class InputRow
{
    public byte[] Image { get; set; } = [];

    public string Label { get; set; } = "";
}
