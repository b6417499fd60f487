using TransferKit.Kernels;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>worker-team-networks [networks] [batch]</c>: whole networks with the parallel loops on the spinning worker team
/// (<see cref="WorkerTeam"/>) or on the thread pool, interleaved in one process.
/// </summary>
internal static class WorkerTeamTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], on => Parallelism.UsesWorkerTeam = on, on => on ? "worker team" : "thread pool");
}

/// <summary>
/// <c>worker-wait-networks [networks] [batch]</c>: whole networks with the worker team's waiting threads on pause
/// instructions or on the runtime's yielding spin (<see cref="WorkerTeam.WaitsOnPause"/>), interleaved in one process.
/// </summary>
internal static class WorkerWaitTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], on => WorkerTeam.WaitsOnPause = on, on => on ? "pause" : "yield");
}
