using Hangfire;

namespace BotCore.MigrationPortal.Performance;

/// <summary>Puts the next sample of a run's slow-operation watch in the job system, at <paramref name="at"/>.</summary>
public interface IPerformanceWatchQueue
{
    string ScheduleSample(string runId, DateTimeOffset at);
}

/// <summary>
/// A delayed Hangfire job per sample, each scheduling the next until the window ends: the window survives a portal restart (the
/// job is stored), any portal instance may take a sample, and nothing polls when no run is being watched (a recurring job would).
/// </summary>
public sealed class HangfirePerformanceWatchQueue(IBackgroundJobClient jobs) : IPerformanceWatchQueue
{
    public string ScheduleSample(string runId, DateTimeOffset at) =>
        jobs.Schedule<PerformanceWatchJob>(job => job.SampleAsync(runId, CancellationToken.None), at);
}
