using TransferKit.Training.Schedules;

namespace TransferKit.Tests.Training.Schedules;

/// <summary>Every schedule against the sequence PyTorch 1.13's own scheduler produced (see <c>tools/fixtures/schedules.py</c>).</summary>
public class PyTorchScheduleTests
{
    /// <summary>The schedule equivalent to each fixture's PyTorch scheduler, with the same arguments.</summary>
    private static ILearningRateSchedule For(string name) => name switch
    {
        "constant" => ConstantSchedule.Instance,
        "step_lr" => new StepSchedule(3, 0.5),
        "mlnet_exponential_decay" => StepSchedule.MlNetDefault,
        "exponential_lr" => new ExponentialSchedule(0.9),
        "exponential_decay_continuous" => new ExponentialDecaySchedule(0.94, 2, staircase: false),
        "cosine_annealing" => new CosineAnnealingSchedule(10, 0.001),
        "cosine_annealing_per_step" => new CosineAnnealingSchedule(24, interval: ScheduleInterval.Step),
        "one_cycle" => new OneCycleSchedule(new OneCycleOptions { TotalSteps = 50 }),
        "one_cycle_epochs_adam" => new OneCycleSchedule(new OneCycleOptions { Epochs = 4, PctStart = 0.25 }),
        "one_cycle_linear_three_phase" => new OneCycleSchedule(new OneCycleOptions
        {
            TotalSteps = 40, Anneal = AnnealStrategy.Linear, ThreePhase = true, DivFactor = 10, FinalDivFactor = 100,
            BaseMomentum = 0.8, MaxMomentum = 0.9,
        }),
        "warmup_exponential" => new LinearWarmupSchedule(new ExponentialSchedule(0.95, ScheduleInterval.Step), 5, 0.1),
        "warmup_cosine" => new LinearWarmupSchedule(new CosineAnnealingSchedule(30, interval: ScheduleInterval.Step), 6),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No schedule for this fixture."),
    };

    private static readonly string[] CaseNames =
    [
        "constant", "step_lr", "mlnet_exponential_decay", "exponential_lr", "exponential_decay_continuous",
        "cosine_annealing", "cosine_annealing_per_step", "one_cycle", "one_cycle_epochs_adam",
        "one_cycle_linear_three_phase", "warmup_exponential", "warmup_cosine",
    ];

    public static TheoryData<string> Cases() => new(CaseNames);

    [Theory]
    [MemberData(nameof(Cases))]
    public void LearningRatesMatchPyTorch(string name)
    {
        var fixture = ScheduleFixture.Load(name);
        var schedule = For(name);
        var actual = Enumerable.Range(0, fixture.LearningRates.Length)
            .Select(i => schedule.LearningRateAt(fixture.BaseLearningRate, fixture.Position(i))).ToArray();
        ScheduleFixture.AssertClose(fixture.LearningRates, actual, name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MomentumMatchesPyTorch(string name)
    {
        var fixture = ScheduleFixture.Load(name);
        var schedule = For(name);
        var actual = Enumerable.Range(0, fixture.LearningRates.Length).Select(i => schedule.MomentumAt(fixture.Position(i))).ToArray();
        if (fixture.Momenta is null)
        {
            Assert.All(actual, m => Assert.Null(m));
            return;
        }
        ScheduleFixture.AssertClose(fixture.Momenta, actual.Select(m => m!.Value).ToArray(), name + " momentum");
    }

    [Fact]
    public void FixturesCoverEveryCase()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Schedules");
        var files = Directory.GetFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);
        Assert.Equal(CaseNames.Order(StringComparer.Ordinal), files);
    }
}
