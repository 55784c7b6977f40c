using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Runs.Events;

public enum StepStatus
{
    Pending,
    Running,
    Done,
    Failed,

    /// <summary>Done, then undone by the run's rollback.</summary>
    Undone,
}

public sealed record StepProgress(string Version, string Direction, int Number, string Description, StepStatus Status, double? DurationMs, string? Outcome,
    BatchProgress? Batch);

/// <param name="Number">The step running now, or the steps done when none runs.</param>
/// <param name="Eta">About how long is left; null when nothing can be guessed yet (no step done) or the run is not running.</param>
public sealed record RunPace(int Number, int Total, double Percent, TimeSpan Elapsed, TimeSpan? Eta);

/// <summary>
/// A run's progress as the run page shows it: every planned step with its status, duration and batch progress,
/// built from the plan and the events recorded so far. Replaying history and following live use the same fold.
/// </summary>
public sealed record RunProgress(IReadOnlyList<StepProgress> Steps, IReadOnlyList<RunEvent> Log, IReadOnlyList<RunEvent> Validation)
{
    public StepProgress? Current => Steps.FirstOrDefault(s => s.Status == StepStatus.Running);

    /// <summary>Documents the data steps went through, as their last batch reported (schema steps touch none).</summary>
    public long DocumentsProcessed => Steps.Where(s => s.Status is StepStatus.Done or StepStatus.Undone).Sum(s => s.Batch?.Processed ?? 0);

    /// <summary>
    /// How far the run is: step n of N, the share done (a data step's batches count within its step), the time since it started
    /// (until it finished) and, while it runs, a guess at the time left from the steps done so far.
    /// </summary>
    public RunPace Pace(DateTime? startedAt, DateTime? finishedAt, DateTime now)
    {
        var done = Steps.Count(s => s.Status is StepStatus.Done or StepStatus.Undone);
        var current = Current;
        var fraction = current?.Batch is { } batch ? batch.Percent / 100 : 0;
        var percent = Steps.Count == 0 ? 100 : Math.Min(100, 100.0 * (done + fraction) / Steps.Count);
        var elapsed = startedAt is { } started ? (finishedAt ?? now) - started : TimeSpan.Zero;
        TimeSpan? eta = null;
        // Only steps whose events carry their duration say how long a step takes; without one there is nothing to guess from
        // (Average of none would throw, in the middle of the run page's render).
        var timed = Steps.Where(s => s.DurationMs is not null).Select(s => s.DurationMs!.Value).ToList();
        if (finishedAt is null && current is not null && done > 0 && timed.Count > 0)
        {
            var perStep = timed.Average();
            var remaining = Steps.Count - done - 1;
            eta = (current.Batch?.Eta ?? TimeSpan.FromMilliseconds(perStep)) + TimeSpan.FromMilliseconds(perStep * Math.Max(0, remaining));
        }
        return new RunPace(current is null ? done : done + 1, Steps.Count, percent, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed, eta);
    }

    public static RunProgress Build(MigrationPlan plan, IEnumerable<RunEvent> events)
    {
        var steps = plan.Migrations
            .SelectMany(m => m.Steps.Select(s => new StepProgress(m.Version.ToString(), m.Direction.Name(), s.Number, s.Step.Description, StepStatus.Pending, null, null, null)))
            .ToList();
        var log = new List<RunEvent>();
        var validation = new List<RunEvent>();
        foreach (var e in events)
        {
            if (e.Kind == RunEventKind.Validation) validation.Add(e);
            if (e.Kind != RunEventKind.BatchProgress) log.Add(e);
            var index = e.StepIndex is { } number ? steps.FindIndex(s => s.Version == e.Version && s.Number == number) : -1;
            // A step no migration of the plan lists, announced by its own events: a data fix's one step (its plan holds no migration).
            if (index < 0 && e is { Kind: RunEventKind.StepStarted, StepIndex: { } announced, Version: { } name } && e.Direction != "rollback")
            {
                steps.Add(new StepProgress(name, e.Direction ?? "", announced, e.Message, StepStatus.Pending, null, null, null));
                index = steps.Count - 1;
            }
            steps = e.Kind switch
            {
                RunEventKind.StepStarted when index >= 0 && e.Direction != "rollback" => Replace(steps, index, s => s with { Status = StepStatus.Running }),
                RunEventKind.StepFinished when index >= 0 && e.Direction == "rollback" =>
                    Replace(steps, index, s => s.Status == StepStatus.Failed ? s : s with { Status = StepStatus.Undone }),
                RunEventKind.StepFinished when index >= 0 => Replace(steps, index, s => s with { Status = StepStatus.Done, DurationMs = e.DurationMs, Outcome = e.Message }),
                RunEventKind.BatchProgress when index >= 0 && e.Direction != "rollback" => Replace(steps, index, s => s with { Batch = e.Batch }),
                RunEventKind.StepFailed => steps.Select(s => s.Status == StepStatus.Running ? s with { Status = StepStatus.Failed, Outcome = e.Message } : s).ToList(),
                _ => steps,
            };
        }
        return new RunProgress(steps, log, validation);
    }

    private static List<StepProgress> Replace(List<StepProgress> steps, int index, Func<StepProgress, StepProgress> change)
    {
        steps[index] = change(steps[index]);
        return steps;
    }
}
