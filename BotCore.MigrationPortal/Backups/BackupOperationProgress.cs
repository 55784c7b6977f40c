using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Events;

namespace BotCore.MigrationPortal.Backups;

/// <summary>One collection's part of a backup operation as the backups page shows it.</summary>
public sealed record CollectionProgress(int Number, string Description, StepStatus Status, BatchProgress? Batch, double? DurationMs, string? Outcome);

/// <summary>
/// A backup, verification or restore as the backups page shows it, built from the events recorded so far: replaying the
/// history after a reload and following live use the same fold.
/// </summary>
public sealed record BackupOperationProgress(
    string? Title,
    IReadOnlyList<CollectionProgress> Collections,
    IReadOnlyList<RunEvent> Log,
    bool Finished,
    bool? Passed,
    string? Outcome)
{
    public CollectionProgress? Current => Collections.LastOrDefault(c => c.Status == StepStatus.Running);

    public static BackupOperationProgress Build(IEnumerable<RunEvent> events)
    {
        var progress = new BackupOperationProgress(null, [], [], false, null, null);
        var collections = new SortedDictionary<int, CollectionProgress>();
        var log = new List<RunEvent>();
        foreach (var e in events)
        {
            if (e.Kind != RunEventKind.BatchProgress) log.Add(e);
            var number = e.StepIndex ?? 0;
            switch (e.Kind)
            {
                case RunEventKind.RunStarted:
                    progress = progress with { Title = e.Message };
                    break;
                case RunEventKind.RunFinished:
                    progress = progress with { Finished = true, Passed = e.Passed, Outcome = e.Message };
                    break;
                case RunEventKind.StepStarted:
                    collections[number] = new CollectionProgress(number, e.Message, StepStatus.Running, null, null, null);
                    break;
                case RunEventKind.BatchProgress when collections.TryGetValue(number, out var running):
                    collections[number] = running with { Batch = e.Batch };
                    break;
                case RunEventKind.StepFinished when collections.TryGetValue(number, out var finished):
                    collections[number] = finished with
                    {
                        Status = e.Passed == false ? StepStatus.Failed : StepStatus.Done, DurationMs = e.DurationMs, Outcome = e.Message,
                    };
                    break;
            }
        }
        return progress with { Collections = collections.Values.ToList(), Log = log };
    }
}
