using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Targets;
using Hangfire;
using Serilog.Context;

namespace BotCore.MigrationPortal.Performance;

/// <summary>
/// One sample of a run's slow-operation watch (see <see cref="SlowOperationSampler"/>), recorded on the run; schedules the next one
/// until the window ends.
/// </summary>
public sealed class PerformanceWatchJob(RunRepository repository, TargetRegistry targets, SlowOperationSampler sampler, IPerformanceWatchQueue queue,
    PerformanceWatchOptions options, TimeProvider time, ILogger<PerformanceWatchJob> logger)
{
    [JobDisplayName("Slow operations after run {0}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task SampleAsync(string runId, CancellationToken cancellationToken)
    {
        using var runProperty = LogContext.PushProperty("RunId", runId);
        var run = await repository.LoadAsync(runId, null, cancellationToken);
        if (run.Performance?.Watch is not { Finished: false } watch)
        {
            logger.LogInformation("Run {RunId} has no slow-operation watch under way; nothing to sample", runId);
            return;
        }
        var sampled = await sampler.SampleAsync(targets.Get(run.Target), watch, cancellationToken);
        await repository.UpdateAsync(runId, r => RunPerformanceRecorder.WithWatch(r, sampled), sampled.Finished ? "Slow-operation watch finished" : "Slow operations sampled",
            cancellationToken);
        if (!sampled.Finished)
        {
            var next = time.GetUtcNow().AddMinutes(options.SampleEveryMinutes);
            queue.ScheduleSample(runId, next < sampled.Until ? next : sampled.Until);
        }
    }
}
