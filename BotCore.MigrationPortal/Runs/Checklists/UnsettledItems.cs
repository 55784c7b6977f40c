namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>
/// The required items of one phase of a run's checklist that are not settled: what "Request approval" refuses with and what the run
/// page lists as left to do, from one place. A missing backup fails both backup items; the second is left out, since one backup
/// settles both and a person asked to do the same thing twice reads a duplicate.
/// </summary>
public static class UnsettledItems
{
    public static IReadOnlyList<(ChecklistItemState State, ChecklistItemDefinition Definition)> Of(MigrationRun run, ItemPhase phase)
    {
        var open = run.Checklist
            .Select(state => (State: state, Definition: ChecklistTemplate.Get(state.ItemId)))
            .Where(i => i.Definition.Required && i.Definition.Phase == phase && !i.State.IsSatisfied)
            .ToList();
        var backupMissing = open.Any(i => i.State.ItemId == ChecklistTemplate.Backup);
        return open.Where(i => !(backupMissing && i.State.ItemId == ChecklistTemplate.BackupVerified)).ToList();
    }
}
