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

/// <summary>
/// A run's progress as the run page shows it: every planned step with its status, duration and batch progress,
/// built from the plan and the events recorded so far. Replaying history and following live use the same fold.
/// </summary>
public sealed record RunProgress(IReadOnlyList<StepProgress> Steps, IReadOnlyList<RunEvent> Log, IReadOnlyList<RunEvent> Validation)
{
    public StepProgress? Current => Steps.FirstOrDefault(s => s.Status == StepStatus.Running);

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
