namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>
/// The checklist's "Scheduled maintenance window" follows the run's schedule: settled by it, with it as evidence, and open again
/// when the schedule goes without the run having started. A person's tick stays as it is: who ticked it prepared the run.
/// </summary>
public static class MaintenanceWindowItem
{
    /// <summary><paramref name="run"/> scheduled as <paramref name="schedule"/> says, its maintenance-window item settled by it.</summary>
    public static MigrationRun Scheduled(MigrationRun run, RunSchedule schedule)
    {
        var scheduled = run with { Schedule = schedule };
        return run.Item(ChecklistTemplate.MaintenanceWindow) is { Status: not ItemStatus.Ticked } item
            ? scheduled.WithItem(item with { Status = ItemStatus.Passed, Evidence = schedule.Evidence, By = schedule.By, At = schedule.Requested, Comment = null })
            : scheduled;
    }

    /// <summary><paramref name="run"/> without its schedule, its maintenance-window item open again if the schedule had settled it.</summary>
    public static MigrationRun Unscheduled(MigrationRun run)
    {
        var unscheduled = run with { Schedule = null };
        return run.Item(ChecklistTemplate.MaintenanceWindow) is { Status: ItemStatus.Passed } item
            ? unscheduled.WithItem(new ChecklistItemState { ItemId = item.ItemId, Status = ItemStatus.Open })
            : unscheduled;
    }
}
