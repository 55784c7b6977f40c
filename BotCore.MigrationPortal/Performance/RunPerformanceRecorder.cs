using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;

namespace BotCore.MigrationPortal.Performance;

/// <summary>
/// What the run's job does for performance: measures the critical queries when the run starts (right before its first step, not at
/// the pre-checks, which may be days earlier) and again when it ends, and on success starts the watch of slow operations.
/// Nothing here fails a run: what cannot be measured says so.
/// </summary>
public sealed class RunPerformanceRecorder(CriticalQueryProbe probe, SlowOperationSampler sampler, IPerformanceWatchQueue queue, RunRepository repository,
    PerformanceWatchOptions options, TimeProvider time)
{
    public async Task BeforeAsync(string runId, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken)
    {
        var before = await probe.MeasureAsync(target, plan, after: false, cancellationToken);
        if (before.Count == 0) return;
        // A run resumed after a restart keeps its first measurement: the target may be partly migrated by now.
        await repository.UpdateAsync(runId, r => r.Performance is null ? r with { Performance = new RunPerformance { Queries = before } } : r,
            "Critical queries measured before the run", cancellationToken);
    }

    /// <summary>The run's performance with the after-run measurements beside the before-run ones; null when it has no critical query.</summary>
    public async Task<RunPerformance?> AfterAsync(MigrationRun run, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken)
    {
        var after = await probe.MeasureAsync(target, plan, after: true, cancellationToken);
        if (after.Count == 0) return run.Performance;
        return (run.Performance ?? new RunPerformance()).WithAfter(after);
    }

    /// <summary>Starts watching the collections the run touched and its critical queries read, from now for the configured window.</summary>
    public async Task StartWatchAsync(string runId, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken)
    {
        var collections = plan.TouchedCollections.Concat(CriticalQueryProbe.QueriesOf(plan).Select(q => q.Query.Collection))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (collections.Count == 0 || options.Minutes == 0) return;
        var now = time.GetUtcNow().UtcDateTime;
        var watch = new SlowOperationWatch(now, now.AddMinutes(options.Minutes), collections, options.SlowMs);
        // The sandbox has nothing to watch: it says so at once, and no job is scheduled.
        if (target.IsSandbox) watch = await sampler.SampleAsync(target, watch, cancellationToken);
        await repository.UpdateAsync(runId, r => WithWatch(r, watch), "Watching slow operations after the run", cancellationToken);
        if (!watch.Finished) queue.ScheduleSample(runId, now);
    }

    /// <summary>The watch on the run; once it is over, its summary also goes to the evidence of "Checked query performance".</summary>
    public static MigrationRun WithWatch(MigrationRun run, SlowOperationWatch watch)
    {
        var recorded = run with { Performance = (run.Performance ?? new RunPerformance()) with { Watch = watch } };
        if (!watch.Finished || recorded.Item(ChecklistTemplate.QueryPerformance) is not { } item) return recorded;
        return recorded.WithItem(item with { Evidence = $"{item.Evidence}; {watch.Summary}" });
    }
}
