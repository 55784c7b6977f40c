namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>Collects the automated items a job settles, to apply them to the latest run in one save.</summary>
internal sealed class ChecklistRecorder(MigrationRun run, DateTime at)
{
    private readonly List<ChecklistItemState> items = [];

    public void Set(string itemId, bool passed, string evidence) => Settle(itemId, passed ? ItemStatus.Passed : ItemStatus.Failed, evidence);

    public void Settle(string itemId, ItemStatus status, string evidence)
    {
        if (run.Item(itemId) is null) return;
        items.Add(new ChecklistItemState { ItemId = itemId, Status = status, Evidence = evidence, By = "portal", At = at });
    }

    public MigrationRun ApplyTo(MigrationRun latest) => items.Aggregate(latest, (r, item) => r.WithItem(item));
}
