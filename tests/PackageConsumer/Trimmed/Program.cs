// A trimmed application's first hour with TransferKit: every step that reads or writes JSON (checkpoints, the saved
// model's metadata, the evaluation report) runs here with reflection-based serialization disabled, as trimming and
// Native AOT leave it. Exits 0 and prints "trimmed consumer: ok", or throws.
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;
using TransferKit.Evaluation;
using TransferKit.Models;
using TransferKit.Training.Checkpoints;

var task = SyntheticImageTask.CatsAndDogs;
var images = new List<DecodedImage>();
var labels = new List<int>();
for (int i = 0; i < 6; i++)
{
    for (int label = 0; label < task.ClassNames.Count; label++)
    {
        images.Add(task.Render(label, 24, 24, i * 101 + label));
        labels.Add(label);
    }
}
var data = InMemoryImageDataset.FromDecoded(images, labels, task.ClassNames);

string dir = Directory.CreateTempSubdirectory("tk-trimmed-").FullName;
try
{
    ImageClassifierTrainer Build(int epochs) => ImageClassifier.Create()
        .UseBaselineCnn(new BaselineCnnOptions { Channels = [4, 8] })
        .FromScratch()
        .WithInputSize(24)
        .WithTraining(o =>
        {
            o.Epochs = epochs;
            o.BatchSize = 4;
            o.CheckpointDirectory = Path.Combine(dir, "checkpoints");
        })
        .WithClasses([.. task.ClassNames])
        .Build();

    using (var first = Build(1)) await first.FitAsync(data, data);
    string latest = TrainingCheckpoint.Latest(Path.Combine(dir, "checkpoints")) ?? throw new InvalidOperationException("no checkpoint was written");
    using var trainer = Build(2);
    var result = await trainer.ResumeAsync(latest, data, data);
    if (result.Epochs.Count != 2) throw new InvalidOperationException($"resumed to {result.Epochs.Count} epochs, expected 2");

    string path = Path.Combine(dir, "model.safetensors");
    trainer.Model.Save(path);
    using var model = TrainedModel.Load(path);
    var prediction = model.Predict([images[0]])[0];
    if (!prediction.Scores.SequenceEqual(trainer.Model.Predict([images[0]])[0].Scores))
        throw new InvalidOperationException("the loaded model predicts differently");
    var report = ClassificationReport.FromJson(model.Evaluate(data).ToJson());
    Console.WriteLine($"trimmed consumer: ok ({prediction.Label}, accuracy {report.Accuracy:0.00})");
}
finally
{
    Directory.Delete(dir, recursive: true);
}
