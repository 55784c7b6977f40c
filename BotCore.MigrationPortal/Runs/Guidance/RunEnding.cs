using BotCore.MigrationPortal.Runs.Events;

namespace BotCore.MigrationPortal.Runs.Guidance;

/// <summary>
/// What a finished run's progress ends with: how long it took and how many documents its data steps went through; for a run that
/// did not succeed, who stopped it or what did, why, which steps were undone, and the version the target is at now.
/// </summary>
/// <param name="Who">Who or what ended it; null for a run that succeeded.</param>
/// <param name="Undone">The steps done and then undone by its rollback, as "1.1.0 up step 2: …".</param>
public sealed record RunEnding(TimeSpan? Duration, long DocumentsProcessed, string? Who, string? Why, IReadOnlyList<string> Undone, string VersionNow)
{
    /// <returns>Null while the run is open (not finished, nor failed, which waits for a person).</returns>
    public static RunEnding? Of(MigrationRun run, RunProgress? progress)
    {
        if (RunStateMachine.IsOpen(run.State)) return null;
        var duration = run is { StartedAt: { } started, FinishedAt: { } finished } ? finished - started : (TimeSpan?)null;
        var undone = progress?.Steps.Where(s => s.Status == StepStatus.Undone).Select(s => $"{s.Version} {s.Direction} step {s.Number}: {s.Description}").ToList() ?? [];
        var versionNow = run.StartedAt is null ? $"at {run.From} (nothing was changed)" : RunGuide.VersionNow(run);
        return run.State switch
        {
            RunState.Succeeded => new RunEnding(duration, progress?.DocumentsProcessed ?? 0, null, null, [], run.LeftAt is { } at ? $"at {at}" : $"at {run.To}"),
            RunState.Cancelled => new RunEnding(duration, progress?.DocumentsProcessed ?? 0, RunGuide.Canceller(run),
                run.Transitions.LastOrDefault(t => t.To == RunState.Cancelled)?.Reason, undone, versionNow),
            _ => new RunEnding(duration, progress?.DocumentsProcessed ?? 0, StoppedBy(run), run.Error, undone, versionNow),
        };
    }

    /// <summary>A run that failed was stopped by what failed in it: a step, its validation, or the job losing the target.</summary>
    private static string StoppedBy(MigrationRun run) =>
        run.Transitions.LastOrDefault(t => t.To is RunState.Failed or RunState.RollingBack or RunState.RolledBack or RunState.RollbackFailed) is { } last
            ? $"{last.By} ({last.Reason})"
            : "the portal";
}
