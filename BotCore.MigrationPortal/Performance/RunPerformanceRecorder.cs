using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;

namespace BotCore.MigrationPortal.Performance;

/// <summary>
/// What the run's job does for performance: measures the critical queries when the run starts (right before its first step, not at
/// the pre-checks, which may be days earlier) and again when it ends, and on success starts the watch of slow operations. The
/// measurements are recorded with the run's settling evidence, in the same save, so that measuring changes nothing a person's open
/// page relies on while the run executes. Nothing here fails a run: what cannot be measured says so.
/// </summary>
public sealed class RunPerformanceRecorder(CriticalQueryProbe probe, SlowOperationSampler sampler, IPerformanceWatchQueue queue, PerformanceWatchOptions options,
    TimeProvider time)
{
    public const string Resumed = "not measured: the run was resumed after the portal stopped, so the target may already be partly migrated";

    /// <param name="resuming">The portal stopped while the run executed: what the target looks like now is not "before".</param>
    public async Task<IReadOnlyList<CriticalQueryPerformance>> BeforeAsync(IMigrationTarget target, MigrationPlan plan, bool resuming, CancellationToken cancellationToken)
    {
        if (!resuming) return await probe.MeasureAsync(target, plan, after: false, cancellationToken);
        var at = time.GetUtcNow().UtcDateTime;
        return CriticalQueryProbe.QueriesOf(plan)
            .Select(q => new CriticalQueryPerformance(q.Id, q.Query.Collection, q.Query.Description, CriticalQueryProbe.Shape(q.Query), QueryMeasurement.Unavailable(at, Resumed), null))
            .ToList();
    }

    /// <summary>
    /// The run's performance when it ends: each query's after-run measurement beside its before-run one and, for a run that succeeded, the
    /// watch of the collections it touched and its critical queries read (already over in the sandbox, which has nothing to watch).
    /// Null when there is nothing to record.
    /// </summary>
    public async Task<RunPerformance?> AfterAsync(IReadOnlyList<CriticalQueryPerformance> before, IMigrationTarget target, MigrationPlan plan, bool succeeded,
        CancellationToken cancellationToken)
    {
        var after = await probe.MeasureAsync(target, plan, after: true, cancellationToken);
        var performance = new RunPerformance { Queries = before }.WithAfter(after);
        if (succeeded && NewWatch(plan) is { } watch)
        {
            performance = performance with { Watch = target.IsSandbox ? await sampler.SampleAsync(target, watch, cancellationToken) : watch };
        }
        return performance.Queries.Count == 0 && performance.Watch is null ? null : performance;
    }

    /// <summary>Schedules the first sample of a watch that is under way (none for one already over).</summary>
    public void ContinueWatch(string runId, RunPerformance? performance)
    {
        if (performance?.Watch is { Finished: false }) queue.ScheduleSample(runId, time.GetUtcNow());
    }

    private SlowOperationWatch? NewWatch(MigrationPlan plan)
    {
        var collections = plan.TouchedCollections.Concat(CriticalQueryProbe.QueriesOf(plan).Select(q => q.Query.Collection))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (collections.Count == 0 || options.Minutes == 0) return null;
        var now = time.GetUtcNow().UtcDateTime;
        return new SlowOperationWatch(now, now.AddMinutes(options.Minutes), collections, options.SlowMs);
    }

    /// <summary>A later sample on the run; once the window is over, its summary also goes to the evidence of "Checked query performance".</summary>
    public static MigrationRun WithWatch(MigrationRun run, SlowOperationWatch watch)
    {
        var recorded = run with { Performance = (run.Performance ?? new RunPerformance()) with { Watch = watch } };
        if (!watch.Finished || recorded.Item(ChecklistTemplate.QueryPerformance) is not { } item) return recorded;
        return recorded.WithItem(item with { Evidence = $"{item.Evidence}; {watch.Summary}" });
    }
}
