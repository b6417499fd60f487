using System.Globalization;
using TransferKit.Data.Augmentation;
using TransferKit.Training.EarlyStopping;
using TransferKit.Training.Schedules;

namespace TransferKit.Reporting;

/// <summary>Short readable descriptions of training options for <see cref="Training.Callbacks.RunSettings"/>.</summary>
internal static class SettingsText
{
    /// <summary>The schedule and its parameters, e.g. <c>cosine annealing (T_max 10, eta_min 0, per epoch)</c>.</summary>
    public static string Schedule(ILearningRateSchedule schedule) => schedule switch
    {
        ConstantSchedule => "constant",
        StepSchedule s => F($"step decay (x{s.Gamma} every {s.StepSize} {Unit(s.Interval, s.StepSize)})"),
        ExponentialSchedule e => F($"exponential (x{e.Gamma} per {Unit(e.Interval, 1)})"),
        ExponentialDecaySchedule d => F($"exponential decay (x{d.DecayRate} every {d.DecayEpochs} epochs{(d.Staircase ? ", staircase" : "")})"),
        CosineAnnealingSchedule c => F($"cosine annealing (T_max {c.TMax} {Unit(c.Interval, c.TMax)}, eta_min {c.EtaMin})"),
        OneCycleSchedule o => OneCycle(o.Options),
        LinearWarmupSchedule l => F($"linear warm-up over {l.Warmup} {Unit(l.Interval, l.Warmup)} from x{l.StartFactor:0.###}, then {Schedule(l.Inner)}"),
        _ => schedule.GetType().Name,
    };

    /// <summary>The augmentations that run, e.g. <c>random resized crop (scale 0.08-1), horizontal flip p=0.5</c>, or <c>none</c>.</summary>
    public static string Augmentation(AugmentationOptions a)
    {
        var parts = new List<string>();
        if (a.RandomResizedCrop) parts.Add(F($"random resized crop (scale {a.CropScale.Min}-{a.CropScale.Max})"));
        if (a.HorizontalFlipProbability > 0) parts.Add(F($"horizontal flip p={a.HorizontalFlipProbability}"));
        if (a.RotationDegrees > 0) parts.Add(F($"rotation ±{a.RotationDegrees}°"));
        if (a.Brightness > 0) parts.Add(F($"brightness ±{a.Brightness}"));
        if (a.Contrast > 0) parts.Add(F($"contrast ±{a.Contrast}"));
        if (a.Saturation > 0) parts.Add(F($"saturation ±{a.Saturation}"));
        if (a.ErasingProbability > 0) parts.Add(F($"random erasing p={a.ErasingProbability}"));
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>The early-stopping rule, or <c>off</c>.</summary>
    public static string EarlyStopping(EarlyStoppingOptions? e) => e is null
        ? "off"
        : F($"{Metric(e.Metric)}, patience {e.Patience}, min delta {e.MinDelta}{(e.RestoreBestWeights ? ", best weights restored" : "")}");

    private static string Metric(MonitoredMetric m) => m switch
    {
        MonitoredMetric.ValidationLoss => "validation loss",
        MonitoredMetric.ValidationAccuracy => "validation accuracy",
        MonitoredMetric.TrainLoss => "training loss",
        MonitoredMetric.TrainAccuracy => "training accuracy",
        _ => m.ToString(),
    };

    private static string OneCycle(OneCycleOptions o)
    {
        string length = o.TotalSteps is int steps ? F($"{steps} steps") : F($"{o.Epochs} epochs");
        string anneal = o.Anneal.ToString().ToLowerInvariant();
        return F($"one-cycle ({length}, warm-up {o.PctStart:0.###}, {anneal} annealing, div {o.DivFactor}, final div {o.FinalDivFactor}{(o.ThreePhase ? ", three-phase" : "")})");
    }

    private static string Unit(ScheduleInterval interval, int count) =>
        (interval == ScheduleInterval.Step ? "step" : "epoch") + (count == 1 ? "" : "s");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
