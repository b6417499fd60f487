using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Training.Callbacks;

public class CallbackListTests
{
    private sealed class Recorder(string name, List<string> log) : ITrainingCallback
    {
        public void OnTrainBegin(TrainingStart start) => log.Add($"{name}:train-begin {start.TotalEpochs}");
        public void OnEpochBegin(EpochStart epoch) => log.Add($"{name}:epoch-begin {epoch.Epoch}");
        public void OnBatchEnd(TrainingProgress progress) => log.Add($"{name}:batch {progress.Batch}");
        public void OnEpochEnd(EpochResult result) => log.Add($"{name}:epoch-end {result.Epoch}");
        public void OnTrainEnd(TrainingResult result) => log.Add($"{name}:train-end {result.Epochs.Count}");
    }

    /// <summary>Implements one hook only; the others fall back to the interface's empty defaults.</summary>
    private sealed class EpochCounter : ITrainingCallback
    {
        public int Epochs { get; private set; }
        public void OnEpochEnd(EpochResult result) => Epochs++;
    }

    private sealed class Thrower : ITrainingCallback
    {
        public void OnBatchEnd(TrainingProgress progress) => throw new InvalidOperationException("boom");
    }

    private static readonly EpochResult Epoch0 = new(0, 0.7, 0.6, 0.8, 0.55, 0.01, TimeSpan.FromSeconds(2), 250);
    private static readonly TrainingProgress Batch1 = new(TrainingPhase.Training, 0, 2, 1, 4, 120, 0.7, 0.01);

    private static void Drive(ITrainingCallback c)
    {
        c.OnTrainBegin(new TrainingStart(2, 4, 100, 20));
        c.OnEpochBegin(new EpochStart(0, 2, 0.01));
        c.OnBatchEnd(Batch1);
        c.OnEpochEnd(Epoch0);
        c.OnTrainEnd(new TrainingResult([Epoch0], 0, false, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void CallsEveryCallbackInOrderForEveryEvent()
    {
        var log = new List<string>();
        var counter = new EpochCounter();
        var list = new CallbackList(new Recorder("a", log), counter, new Recorder("b", log));
        Drive(list);
        Assert.Equal(
            ["a:train-begin 2", "b:train-begin 2", "a:epoch-begin 0", "b:epoch-begin 0", "a:batch 1", "b:batch 1",
             "a:epoch-end 0", "b:epoch-end 0", "a:train-end 1", "b:train-end 1"],
            log);
        Assert.Equal(1, counter.Epochs);
        Assert.Equal(3, list.Callbacks.Count);
    }

    [Fact]
    public void AnEmptyListAndDefaultMethodsDoNothing()
    {
        Drive(new CallbackList());
        Drive(new EpochCounter());
    }

    [Fact]
    public void AnExceptionStopsTheEventAtTheFailingCallback()
    {
        var log = new List<string>();
        var list = new CallbackList(new Recorder("a", log), new Thrower());
        list.Add(new Recorder("b", log));
        Assert.Throws<InvalidOperationException>(() => list.OnBatchEnd(Batch1));
        Assert.Equal(["a:batch 1"], log);
    }

    [Fact]
    public void NullCallbacksAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => new CallbackList((ITrainingCallback)null!));
        Assert.Throws<ArgumentNullException>(() => new CallbackList().Add(null!));
    }
}
